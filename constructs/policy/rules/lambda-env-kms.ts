import { type PolicyRule, blocks, expected } from '../policy-rule';

/** Environment encrypted with a customer managed key. */
export const lambdaEnvironmentKms: PolicyRule = {
  id: 'LAMBDA-ENV-KMS',
  reason: "A Lambda function's environment must be encrypted with the tenant's own KMS key, not the account-wide default key.",
  appliesTo: ['aws_lambda_function'],
  check: ({ config }) => {
    const [environment] = blocks(config.environment);
    if (!environment?.variables) return [];
    return config.kms_key_arn ? [] : [expected('kms_key_arn', config.kms_key_arn, "the tenant's KMS key")];
  },
};
