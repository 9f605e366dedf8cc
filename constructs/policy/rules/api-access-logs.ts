import { type PolicyRule, blocks, expected, isUnresolved } from '../policy-rule';

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
