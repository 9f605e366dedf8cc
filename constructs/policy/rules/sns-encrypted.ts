import { type PolicyRule, expected } from '../policy-rule';

/** Topics encrypted with the tenant's key. */
export const snsEncrypted: PolicyRule = {
  id: 'SNS-ENCRYPTED',
  reason: "An SNS topic must be encrypted with the tenant's KMS key (kms_master_key_id), so messages at rest are readable only by whom the key policy allows.",
  appliesTo: ['aws_sns_topic'],
  check: ({ config }) => (config.kms_master_key_id ? [] : [expected('kms_master_key_id', config.kms_master_key_id, "the tenant's KMS key")]),
};
