import { type PolicyRule, expected } from '../policy-rule';

/** Storage and snapshots encrypted at rest. */
export const rdsEncrypted: PolicyRule = {
  id: 'RDS-ENCRYPTED',
  reason: 'RDS storage must be encrypted at rest, so disks, snapshots and backups are unreadable without the key.',
  appliesTo: ['aws_db_instance'],
  check: ({ config }) => (config.storage_encrypted === true ? [] : [expected('storage_encrypted', config.storage_encrypted, 'true')]),
};
