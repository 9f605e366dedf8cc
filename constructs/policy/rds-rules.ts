import { type PolicyRule, expected, isUnresolved } from './policy-rule';

const RDS = ['aws_db_instance'];

/** Storage and snapshots encrypted at rest. */
export const rdsEncrypted: PolicyRule = {
  id: 'RDS-ENCRYPTED',
  reason: 'RDS storage must be encrypted at rest, so disks, snapshots and backups are unreadable without the key.',
  appliesTo: RDS,
  check: ({ config }) => (config.storage_encrypted === true ? [] : [expected('storage_encrypted', config.storage_encrypted, 'true')]),
};

/** Deletion protection on, and a final snapshot on delete. */
export const rdsProtected: PolicyRule = {
  id: 'RDS-PROTECTED',
  reason: 'An RDS instance must have deletion protection and take a final snapshot, so no deploy or console click loses a tenant.',
  appliesTo: RDS,
  check: ({ config }) => {
    const findings: string[] = [];
    if (config.deletion_protection !== true && !isUnresolved(config.deletion_protection)) {
      findings.push(expected('deletion_protection', config.deletion_protection, 'true'));
    }
    if (config.skip_final_snapshot === true) findings.push(expected('skip_final_snapshot', true, 'false'));
    if (!config.final_snapshot_identifier) findings.push(expected('final_snapshot_identifier', config.final_snapshot_identifier, 'a snapshot name'));
    return findings;
  },
};

/** No public endpoint. */
export const rdsPrivate: PolicyRule = {
  id: 'RDS-PRIVATE',
  reason: 'An RDS instance must not be publicly accessible: only the tenant function reaches it, inside the VPC.',
  appliesTo: RDS,
  check: ({ config }) => (config.publicly_accessible === false || config.publicly_accessible === undefined ? [] : [expected('publicly_accessible', config.publicly_accessible, 'false')]),
};

/** The minimum point-in-time recovery window. */
export const MIN_BACKUP_RETENTION_DAYS = 7;

/** Automated backups kept long enough to notice a problem. */
export const rdsBackedUp: PolicyRule = {
  id: 'RDS-BACKED-UP',
  reason: `RDS automated backups must be kept at least ${MIN_BACKUP_RETENTION_DAYS} days, so a bad change can be rolled back to any point of the last week.`,
  appliesTo: RDS,
  check: ({ config }) => {
    const days = config.backup_retention_period;
    if (isUnresolved(days) || (typeof days === 'number' && days >= MIN_BACKUP_RETENTION_DAYS)) return [];
    return [expected('backup_retention_period', days, `at least ${MIN_BACKUP_RETENTION_DAYS}`)];
  },
};

/** The RDS rule family. */
export const RDS_RULES: readonly PolicyRule[] = [rdsEncrypted, rdsProtected, rdsPrivate, rdsBackedUp];
