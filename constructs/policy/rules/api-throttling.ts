import { type PolicyRule, blocks, expected, isUnresolved } from '../policy-rule';

const positive = (value: unknown) => isUnresolved(value) || (typeof value === 'number' && value > 0);

/** A flood of requests is refused at the edge, before it exhausts the function's reserved concurrency. */
export const apiThrottling: PolicyRule = {
  id: 'API-THROTTLING',
  reason: "An HTTP API stage must throttle its default route (a rate and a burst limit), so a flood of requests is refused before it exhausts the tenant's reserved concurrency and database connections.",
  appliesTo: ['aws_apigatewayv2_stage'],
  check: ({ config }) => {
    const [settings] = blocks(config.default_route_settings);
    return [
      ...(positive(settings?.throttling_rate_limit) ? [] : [expected('default_route_settings.throttling_rate_limit', settings?.throttling_rate_limit, 'requests per second above 0')]),
      ...(positive(settings?.throttling_burst_limit) ? [] : [expected('default_route_settings.throttling_burst_limit', settings?.throttling_burst_limit, 'a burst above 0')]),
    ];
  },
};
