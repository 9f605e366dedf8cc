/**
 * Where tenant state lives, read from the environment. Free of cdktf, so the
 * CLI can show it without loading the construct library.
 */
import { environmentErrors } from './errors';

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
    throw new Error(environmentErrors.stateRegionMissing(bucket));
  }
  return {
    kind: 's3',
    bucket,
    region,
    keyPrefix: env.TENANT_STATE_PREFIX ?? 'usual-store-tenants',
    ...(env.TENANT_STATE_KMS_KEY_ID && { kmsKeyId: env.TENANT_STATE_KMS_KEY_ID }),
  };
}
