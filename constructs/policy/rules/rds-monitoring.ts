import { type PolicyRule, expected, isUnresolved } from '../policy-rule';

/** Operating-system metrics and query load recorded. */
export const rdsMonitoring: PolicyRule = {
  id: 'RDS-MONITORING',
  reason: 'An RDS instance must have Enhanced Monitoring and Performance Insights (encrypted with the tenant key), so a slow or overloaded tenant database can be diagnosed.',
  appliesTo: ['aws_db_instance'],
  check: ({ config }) => {
    const findings: string[] = [];
    const interval = config.monitoring_interval;
    if (!isUnresolved(interval) && !(typeof interval === 'number' && interval > 0)) findings.push(expected('monitoring_interval', interval, 'one of 1, 5, 10, 15, 30, 60'));
    if (!config.monitoring_role_arn) findings.push(expected('monitoring_role_arn', config.monitoring_role_arn, 'a role RDS can assume'));
    if (config.performance_insights_enabled !== true) findings.push(expected('performance_insights_enabled', config.performance_insights_enabled, 'true'));
    else if (!config.performance_insights_kms_key_id) findings.push(expected('performance_insights_kms_key_id', undefined, "the tenant's KMS key"));
    return findings;
  },
};
