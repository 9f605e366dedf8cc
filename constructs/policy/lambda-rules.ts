import { type PolicyRule, blocks, expected, isUnresolved } from './policy-rule';

const LAMBDA = ['aws_lambda_function'];

const nonEmpty = (value: unknown) => isUnresolved(value) || (Array.isArray(value) && value.length > 0);

/** Runs in the tenant's private subnets. */
export const lambdaInVpc: PolicyRule = {
  id: 'LAMBDA-IN-VPC',
  reason: 'A Lambda function must run in the VPC, with subnets and security groups, so only it can reach the tenant database.',
  appliesTo: LAMBDA,
  check: ({ config }) => {
    const [vpc] = blocks(config.vpc_config);
    if (!vpc) return [expected('vpc_config', undefined, 'subnet_ids and security_group_ids')];
    return [
      ...(nonEmpty(vpc.subnet_ids) ? [] : [expected('vpc_config.subnet_ids', vpc.subnet_ids, 'a non-empty list')]),
      ...(nonEmpty(vpc.security_group_ids) ? [] : [expected('vpc_config.security_group_ids', vpc.security_group_ids, 'a non-empty list')]),
    ];
  },
};

/** Bounded concurrency. */
export const lambdaReservedConcurrency: PolicyRule = {
  id: 'LAMBDA-RESERVED-CONCURRENCY',
  reason: 'A Lambda function must reserve (and so cap) its concurrency, so one tenant neither starves the account nor exhausts its database connections.',
  appliesTo: LAMBDA,
  check: ({ config }) => {
    const reserved = config.reserved_concurrent_executions;
    if (isUnresolved(reserved) || (typeof reserved === 'number' && reserved >= 1)) return [];
    return [expected('reserved_concurrent_executions', reserved, 'at least 1')];
  },
};

/** X-Ray tracing. */
export const lambdaTracing: PolicyRule = {
  id: 'LAMBDA-TRACING',
  reason: 'A Lambda function must have active X-Ray tracing, so slow requests can be followed into the database.',
  appliesTo: LAMBDA,
  check: ({ config }) => {
    const [tracing] = blocks(config.tracing_config);
    return tracing?.mode === 'Active' ? [] : [expected('tracing_config.mode', tracing?.mode, '"Active"')];
  },
};

/** Environment encrypted with a customer managed key. */
export const lambdaEnvironmentKms: PolicyRule = {
  id: 'LAMBDA-ENV-KMS',
  reason: "A Lambda function's environment must be encrypted with the tenant's own KMS key, not the account-wide default key.",
  appliesTo: LAMBDA,
  check: ({ config }) => {
    const [environment] = blocks(config.environment);
    if (!environment?.variables) return [];
    return config.kms_key_arn ? [] : [expected('kms_key_arn', config.kms_key_arn, "the tenant's KMS key")];
  },
};

/** The Lambda rule family. */
export const LAMBDA_RULES: readonly PolicyRule[] = [lambdaInVpc, lambdaReservedConcurrency, lambdaTracing, lambdaEnvironmentKms];
