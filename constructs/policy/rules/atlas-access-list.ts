import type { PolicyRule } from '../policy-rule';

/** An access list entry that admits every address. */
function isOpen(value: unknown): boolean {
  return typeof value === 'string' && (value.endsWith('/0') || value === '0.0.0.0');
}

/** No Atlas project open to the internet. */
export const atlasAccessList: PolicyRule = {
  id: 'ATLAS-ACCESS-LIST',
  reason: "An Atlas project's IP access list must not admit every address (0.0.0.0/0): only the Docker host and the deploy machine may reach the tenant's cluster.",
  appliesTo: ['mongodbatlas_project_ip_access_list'],
  check: ({ config }) =>
    [config.cidr_block, config.ip_address].filter(isOpen).map((value) => `the access list admits ${String(value)}, every address; list the Docker host's and the deploy machine's addresses`),
};
