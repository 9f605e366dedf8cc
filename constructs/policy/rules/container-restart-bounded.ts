import { type PolicyRule, isUnresolved } from '../policy-rule';

/** A crash loop ends. */
export const containerRestartBounded: PolicyRule = {
  id: 'CONTAINER-RESTART-BOUNDED',
  reason: "A container's restart policy must be bounded (on-failure with max_retry_count, or no), so a crash-looping tenant stops instead of burning the shared host's CPU forever.",
  appliesTo: ['docker_container'],
  check: ({ config }) => {
    const restart = config.restart ?? 'no';
    if (restart === 'no') return [];
    const retries = config.max_retry_count;
    if (restart === 'on-failure' && (isUnresolved(retries) || (typeof retries === 'number' && retries > 0))) return [];
    return [`restart is ${JSON.stringify(restart)}${restart === 'on-failure' ? ' without max_retry_count' : ''}, must be "on-failure" with max_retry_count above 0`];
  },
};
