import { type PolicyRule, expected } from '../policy-rule';

/** Storage and snapshots encrypted with the tenant's key. */
export const docdbEncrypted: PolicyRule = {
  id: 'DOCDB-ENCRYPTED',
  reason: "A DocumentDB cluster must be encrypted at rest with the tenant's KMS key, so its storage, snapshots and backups are unreadable without it.",
  appliesTo: ['aws_docdb_cluster'],
  check: ({ config }) => [
    ...(config.storage_encrypted === true ? [] : [expected('storage_encrypted', config.storage_encrypted, 'true')]),
    ...(config.kms_key_id ? [] : [expected('kms_key_id', config.kms_key_id, "the tenant's KMS key")]),
  ],
};
