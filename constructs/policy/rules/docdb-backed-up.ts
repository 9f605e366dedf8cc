import { type PolicyRule, expected, isUnresolved } from '../policy-rule';
import { MIN_BACKUP_RETENTION_DAYS } from './rds-backed-up';

/** Automated backups kept long enough to notice a problem. */
export const docdbBackedUp: PolicyRule = {
  id: 'DOCDB-BACKED-UP',
  reason: `DocumentDB automated backups must be kept at least ${MIN_BACKUP_RETENTION_DAYS} days, so a bad change can be rolled back to any point of the last week.`,
  appliesTo: ['aws_docdb_cluster'],
  check: ({ config }) => {
    const days = config.backup_retention_period;
    if (isUnresolved(days) || (typeof days === 'number' && days >= MIN_BACKUP_RETENTION_DAYS)) return [];
    return [expected('backup_retention_period', days, `at least ${MIN_BACKUP_RETENTION_DAYS}`)];
  },
};
