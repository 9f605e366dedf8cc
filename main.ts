import * as path from 'node:path';
import { ProblemsError } from './model/problems';
import { stateBackendFromEnv } from './model/state-config';
import { readMigrations } from './ops/migration-files';
import { synthesizeFleet } from './synth/fleet-synthesis';
import { loadRegistry, tenantsDir, tenantsToSynthesize } from './tenants/registry';

// Composition only: load and validate the registry, then synthesize each tenant's stacks
// (policy checks included), from the cache where nothing they depend on changed.
async function main(): Promise<void> {
  const registry = loadRegistry(tenantsDir());
  const migrations = readMigrations();
  const stateBackend = stateBackendFromEnv(process.env);
  const outdir = path.resolve(process.env.CDKTF_OUTDIR ?? 'cdktf.out');
  // Every stack's working directory is cdktf.out/stacks/<stack>, at the same depth.
  const projectDir = path.relative(path.join(outdir, 'stacks', 'any'), process.cwd()).split(path.sep).join('/');
  const tenants = tenantsToSynthesize(registry);
  await synthesizeFleet({
    tenants,
    outdir,
    servers: registry.servers,
    migrationsChecksum: migrations.checksum,
    stateBackend,
    projectDir,
    env: process.env,
    files: new Map(tenants.map((t) => [t.key, path.join(registry.dir, `${t.key}.ts`)])),
  });
}

main().catch((error: unknown) => {
  if (!(error instanceof ProblemsError)) throw error;
  console.error(error.message);
  process.exit(1);
});
