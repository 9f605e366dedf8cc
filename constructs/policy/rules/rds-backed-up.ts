import { type PolicyRule, expected, isUnresolved } from '../policy-rule';

/** The minimum point-in-time recovery window. */
export const MIN_BACKUP_RETENTION_DAYS = 7;

/** Automated backups kept long enough to notice a problem. */
export const rdsBackedUp: PolicyRule = {
  id: 'RDS-BACKED-UP',
  reason: `RDS automated backups must be kept at least ${MIN_BACKUP_RETENTION_DAYS} days, so a bad change can be rolled back to any point of the last week.`,
  appliesTo: ['aws_db_instance'],
  check: ({ config }) => {
    const days = config.backup_retention_period;
    if (isUnresolved(days) || (typeof days === 'number' && days >= MIN_BACKUP_RETENTION_DAYS)) return [];
    return [expected('backup_retention_period', days, `at least ${MIN_BACKUP_RETENTION_DAYS}`)];
  },
};
