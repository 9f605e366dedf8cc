import { type PolicyRule, expected } from '../policy-rule';

/** A tenant's data volume survives every deploy. */
export const mongoDataProtected: PolicyRule = {
  id: 'MONGO-DATA-PROTECTED',
  reason: "A Docker volume (a MongoDB tenant's data) must have lifecycle prevent_destroy, so no deploy or rename deletes a tenant's documents.",
  appliesTo: ['docker_volume'],
  check: ({ config }) => {
    const lifecycle = (config.lifecycle ?? {}) as Record<string, unknown>;
    return lifecycle.prevent_destroy === true ? [] : [expected('lifecycle.prevent_destroy', lifecycle.prevent_destroy, 'true')];
  },
};
