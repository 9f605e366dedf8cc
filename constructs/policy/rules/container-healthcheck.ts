import { type PolicyRule, blocks, list } from '../policy-rule';

/** Docker knows when the app stops answering. */
export const containerHealthcheck: PolicyRule = {
  id: 'CONTAINER-HEALTHCHECK',
  reason: 'A container must have a healthcheck, so `docker ps` and monitoring show an app that runs but no longer answers.',
  appliesTo: ['docker_container'],
  check: ({ config }) => {
    const [healthcheck] = blocks(config.healthcheck);
    const test = list(healthcheck?.test);
    return test.length && test[0] !== 'NONE' ? [] : ['healthcheck.test is not set'];
  },
};
