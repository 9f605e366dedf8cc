/** The registry's public surface: what tenant files, main.ts and the CLI import. */
export { defineTenant } from './types';
export type { AppTarget, DockerTarget, Person, People, Plan, Tenant, TenantDefinition } from './types';
export { checkRegistry, loadRegistry, tenantFiles, tenantsDir, tenantsToSynthesize, type Registry } from './load';
