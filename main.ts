import * as path from 'node:path';
import { App } from 'cdktf';
import { fleetAppOptions, tuneCdktfForFleets } from './constructs/cdktf/fleet-tuning';
import { ProblemsError } from './model/problems';
import { stateBackendFromEnv } from './constructs/stacks/state-backend';
import { createTenantStacks } from './constructs/stacks/create-tenant-stacks';
import { readMigrations } from './ops/migration-files';
import { loadRegistry, tenantsDir, tenantsToSynthesize } from './tenants/registry';

// Composition only: load and validate the registry, the stacks of each tenant
// (policy checks included), synthesize.
try {
  tuneCdktfForFleets();
  const registry = loadRegistry(tenantsDir());
  const migrations = readMigrations();
  const stateBackend = stateBackendFromEnv(process.env);
  const app = new App(fleetAppOptions());
  // Every stack's working directory is cdktf.out/stacks/<stack>, at the same depth.
  const stackDir = path.join(app.outdir, 'stacks', 'any');
  const projectDir = path.relative(stackDir, process.cwd()).split(path.sep).join('/');
  for (const tenant of tenantsToSynthesize(registry)) {
    createTenantStacks(app, { tenant, servers: registry.servers, migrationsChecksum: migrations.checksum, stateBackend, projectDir });
  }
  app.synth();
} catch (error) {
  if (!(error instanceof ProblemsError)) throw error;
  console.error(error.message);
  process.exit(1);
}
