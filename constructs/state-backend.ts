import * as path from 'node:path';
import { LocalBackend, S3Backend, type TerraformStack } from 'cdktf';

/** Where a tenant's Terraform state lives. Every tenant has its own state. */
export type StateBackendConfig =
  | {
      readonly kind: 'local';
      /** Directory of the state files, relative to the project root. */
      readonly dir: string;
    }
  | {
      readonly kind: 's3';
      readonly bucket: string;
      readonly region: string;
      /** Key prefix; the state of tenant `k` is `<prefix>/k/terraform.tfstate`. */
      readonly keyPrefix: string;
      /** KMS key for server-side encryption. @default - the bucket's default encryption (SSE-S3) */
      readonly kmsKeyId?: string;
    };

/** Local state in `state/` unless configured otherwise. */
export const DEFAULT_STATE_BACKEND: StateBackendConfig = { kind: 'local', dir: 'state' };

/**
 * Reads the state backend from the environment: S3 when
 * `TENANT_STATE_BUCKET` is set (region from `TENANT_STATE_REGION` or
 * `AWS_REGION`), local files otherwise.
 */
export function stateBackendFromEnv(env: NodeJS.ProcessEnv): StateBackendConfig {
  const bucket = env.TENANT_STATE_BUCKET;
  if (!bucket) return DEFAULT_STATE_BACKEND;
  const region = env.TENANT_STATE_REGION ?? env.AWS_REGION;
  if (!region) {
    throw new Error(
      `TENANT_STATE_BUCKET is set to "${bucket}" but no region is: set TENANT_STATE_REGION (or AWS_REGION) to the bucket's region`,
    );
  }
  return {
    kind: 's3',
    bucket,
    region,
    keyPrefix: env.TENANT_STATE_PREFIX ?? 'usual-store-tenants',
    ...(env.TENANT_STATE_KMS_KEY_ID && { kmsKeyId: env.TENANT_STATE_KMS_KEY_ID }),
  };
}

/**
 * Gives a stack its own state: a file per stack, or an S3 object per stack
 * with encryption and S3-native locking (`use_lockfile`, Terraform >= 1.10).
 *
 * @param projectDir path from the stack's working directory to the project root
 */
export function applyStateBackend(stack: TerraformStack, stackName: string, config: StateBackendConfig, projectDir: string): void {
  if (config.kind === 'local') {
    new LocalBackend(stack, { path: path.posix.join(projectDir, config.dir, `${stackName}.tfstate`) });
    return;
  }
  const backend = new S3Backend(stack, {
    bucket: config.bucket,
    region: config.region,
    key: `${config.keyPrefix}/${stackName}/terraform.tfstate`,
    encrypt: true,
    ...(config.kmsKeyId && { kmsKeyId: config.kmsKeyId }),
  });
  // cdktf 0.21's S3Backend has no prop for it; DynamoDB locking is deprecated.
  backend.addOverride('use_lockfile', true);
}
