import { type PolicyRule, expected } from '../policy-rule';

/** Log groups encrypted with the tenant's key. */
export const logsEncrypted: PolicyRule = {
  id: 'LOGS-ENCRYPTED',
  reason: "A log group must be encrypted with the tenant's KMS key (kms_key_id), so its requests and errors are readable only by whom the key policy allows.",
  appliesTo: ['aws_cloudwatch_log_group'],
  check: ({ config }) => (config.kms_key_id ? [] : [expected('kms_key_id', config.kms_key_id, "the tenant's KMS key")]),
};
