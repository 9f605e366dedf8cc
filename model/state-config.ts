/**
 * Where tenant state lives, read from the environment. Free of cdktf, so the
 * CLI can show it without loading the construct library.
 */
import { AWS_REGION_PATTERN, S3_BUCKET_PATTERN, awsNameRules } from './naming';
import { type Problem, ProblemsError } from './problems';

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
  const region = env.TENANT_STATE_REGION || env.AWS_REGION;
  const keyPrefix = env.TENANT_STATE_PREFIX ?? 'usual-store-tenants';
  const problems: Problem[] = [];
  const problem = (file: string, value: string | undefined, rule: string) => problems.push({ file, field: '', value, rule });
  if (!S3_BUCKET_PATTERN.test(bucket)) problem('TENANT_STATE_BUCKET', bucket, awsNameRules.invalidBucket());
  if (!region) problem('TENANT_STATE_REGION', undefined, environmentErrors.stateRegionMissing(bucket));
  else if (!AWS_REGION_PATTERN.test(region)) problem(env.TENANT_STATE_REGION ? 'TENANT_STATE_REGION' : 'AWS_REGION', region, awsNameRules.invalidRegion());
  if (!/^[A-Za-z0-9!_.*'()-]+(?:\/[A-Za-z0-9!_.*'()-]+)*$/.test(keyPrefix)) problem('TENANT_STATE_PREFIX', keyPrefix, environmentErrors.invalidStatePrefix());
  if (problems.length || !region) throw new EnvironmentError(problems);
  return {
    kind: 's3',
    bucket,
    region,
    keyPrefix,
    ...(env.TENANT_STATE_KMS_KEY_ID && { kmsKeyId: env.TENANT_STATE_KMS_KEY_ID }),
  };
}

/** Problems in the environment variables that configure synthesis (state backend, TENANT_KEYS). */
export class EnvironmentError extends ProblemsError {
  constructor(problems: readonly Problem[]) {
    super('The environment', problems);
    this.name = 'EnvironmentError';
  }
}

/** Messages about settings read from the environment. */
export const environmentErrors = {
  stateRegionMissing: (bucket: string) => `is not set, nor AWS_REGION, but TENANT_STATE_BUCKET is ("${bucket}"): set it to the bucket's region`,
  invalidStatePrefix: () => "must be an S3 key prefix without a leading or trailing '/' and without '//', e.g. usual-store-tenants or fleets/eu",
} as const;
