import { type PolicyRule, isUnresolved, list } from '../policy-rule';

/** The PostgreSQL logs RDS must send to CloudWatch Logs. */
export const REQUIRED_POSTGRES_LOG_EXPORTS: readonly string[] = ['postgresql', 'upgrade'];

/** Database logs leave the instance. */
export const rdsLogExports: PolicyRule = {
  id: 'RDS-LOG-EXPORTS',
  reason: `A PostgreSQL RDS instance must export its ${REQUIRED_POSTGRES_LOG_EXPORTS.join(' and ')} logs to CloudWatch Logs, so connections, errors and upgrades can be audited after the instance is gone.`,
  appliesTo: ['aws_db_instance'],
  check: ({ config }) => {
    if (config.engine !== 'postgres' || isUnresolved(config.enabled_cloudwatch_logs_exports)) return [];
    const exported = list(config.enabled_cloudwatch_logs_exports);
    const missing = REQUIRED_POSTGRES_LOG_EXPORTS.filter((log) => !exported.includes(log));
    return missing.length ? [`enabled_cloudwatch_logs_exports lacks ${missing.join(', ')}`] : [];
  },
};
