import { type PolicyRule, expected, isUnresolved } from '../policy-rule';

/** Logs expire. */
export const logRetention: PolicyRule = {
  id: 'LOGS-RETENTION',
  reason: 'A log group must have a retention period: logs kept forever cost each tenant more every month and keep personal data past its use.',
  appliesTo: ['aws_cloudwatch_log_group'],
  check: ({ config }) => {
    const days = config.retention_in_days;
    if (isUnresolved(days) || (typeof days === 'number' && days > 0)) return [];
    return [expected('retention_in_days', days, 'a number of days')];
  },
};
