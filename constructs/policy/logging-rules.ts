import { type PolicyRule, blocks, expected, isUnresolved } from './policy-rule';

const isSet = (value: unknown) => isUnresolved(value) || (typeof value === 'string' && value !== '');

/** Every request to a tenant's API leaves a line in an access log. */
export const apiAccessLogs: PolicyRule = {
  id: 'API-ACCESS-LOGS',
  reason: "An API Gateway stage must write an access log, so a tenant's requests and failures can be traced and audited.",
  appliesTo: ['aws_apigatewayv2_stage', 'aws_api_gateway_stage'],
  check: ({ config }) => {
    const [settings] = blocks(config.access_log_settings);
    if (!settings) return [expected('access_log_settings', undefined, 'a destination_arn and a format')];
    return [
      ...(isSet(settings.destination_arn) ? [] : [expected('access_log_settings.destination_arn', settings.destination_arn, 'a log group')]),
      ...(isSet(settings.format) ? [] : [expected('access_log_settings.format', settings.format, 'a log line format')]),
    ];
  },
};

/** Logs expire. */
export const logRetention: PolicyRule = {
  id: 'LOGS-RETENTION',
  reason: "A log group must have a retention period: logs kept forever cost each tenant more every month and keep personal data past its use.",
  appliesTo: ['aws_cloudwatch_log_group'],
  check: ({ config }) => {
    const days = config.retention_in_days;
    if (isUnresolved(days) || (typeof days === 'number' && days > 0)) return [];
    return [expected('retention_in_days', days, 'a number of days')];
  },
};

/** The logging rule family. */
export const LOGGING_RULES: readonly PolicyRule[] = [apiAccessLogs, logRetention];
