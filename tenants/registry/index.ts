/**
 * The registry's public surface: what tenant files, the constructs, ops, the
 * CLI, main.ts and the benchmark import (lint keeps them from reaching past it).
 */
export { defineTenant, isMongoTenant, isPostgresTenant } from './types';
export type * from './types';
export { defineServer } from './server-types';
export type * from './server-types';
export { DEFAULT_TENANTS_DIR, checkRegistry, loadRegistry, tenantsDir, tenantsToSynthesize, type Registry } from './load';
export { displayPath, tenantFiles } from './files';
export { DEFAULT_SERVERS_DIR, checkServers, serversDir } from './servers';
export { type ServerLoad, checkNewPlacement, checkPlacement, leastLoadedServer, placedOn, serverLoads, serverOf } from './placement';
export { type FleetFacts, checkDefinition, checkNewAgainstFleet, hostPorts, partialFacts, problemsAt, resolveTenant } from './validate';
export { registryImportFor, renderTenantFile } from './render';

/** The tenant-file editor, loaded on demand: it loads the TypeScript compiler, a third of a second. */
export function loadTenantFileEditor(): Promise<typeof import('./edit')> {
  return import('./edit');
}
