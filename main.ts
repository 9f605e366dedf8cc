import * as path from 'node:path';
import { App } from 'cdktf';
import { RegistryError } from './constructs/errors';
import { stateBackendFromEnv } from './constructs/state-backend';
import { TenantStack } from './constructs/tenant-stack';
import { readMigrations } from './ops/migration-files';
import { loadRegistry, tenantsDir } from './tenants/registry';

// Composition only: load and validate the registry, one stack per tenant, synthesize.
try {
  const registry = loadRegistry(tenantsDir());
  const migrations = readMigrations();
  const stateBackend = stateBackendFromEnv(process.env);
  const app = new App();
  for (const tenant of registry.tenants) {
    const stackDir = path.join(app.outdir, 'stacks', tenant.key);
    const projectDir = path.relative(stackDir, process.cwd()).split(path.sep).join('/');
    new TenantStack(app, { tenant, migrationsChecksum: migrations.checksum, stateBackend, projectDir });
  }
  app.synth();
} catch (error) {
  if (!(error instanceof RegistryError)) throw error;
  console.error(error.message);
  process.exit(1);
}
