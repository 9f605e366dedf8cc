import { type PolicyRule, expected, isUnresolved } from '../policy-rule';

/** Termination protection and no server-side JavaScript on every Atlas cluster. */
export const atlasProtected: PolicyRule = {
  id: 'ATLAS-PROTECTED',
  reason: 'An Atlas cluster must have termination protection, so no deploy or click in Atlas deletes a tenant, and server-side JavaScript off, so no code a tenant stores runs in any session.',
  appliesTo: ['mongodbatlas_advanced_cluster'],
  check: ({ config }) => {
    const findings: string[] = [];
    const protection = config.termination_protection_enabled;
    if (protection !== true && !isUnresolved(protection)) findings.push(expected('termination_protection_enabled', protection, 'true'));
    const advanced = (config.advanced_configuration ?? {}) as Record<string, unknown>;
    if (advanced.javascript_enabled !== false) findings.push(expected('advanced_configuration.javascript_enabled', advanced.javascript_enabled, 'false'));
    return findings;
  },
};
