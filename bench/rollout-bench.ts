/**
 * Migration roll-out across many tenant databases on a throwaway PostgreSQL:
 *
 * - full schema: `npm run tenants -- migrate --all --url … --concurrency K`
 *   (the real CLI) against the original system's method, `psql -f schema.sql`
 *   once per database, one after another;
 * - one new migration on an up-to-date fleet, from a copy of schema/ plus one
 *   migration: the CLI with `--schema-dir` (or, on a checkout whose CLI lacks
 *   it, ops/fleet.ts migrateTenant over mapBounded in-process) against
 *   `psql -f <new migration>` per database;
 * - the same again with nothing pending: what every deploy pays.
 *
 * Every run samples pg_stat_activity for the peak number of connections.
 */
import { spawn } from 'node:child_process';
import { cpSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Client } from 'pg';
import type { Cluster } from '../testbed/pg-cluster';
import { mapBounded, migrateTenant, tenantStatus } from '../ops/fleet';
import { type MigrationSet, SCHEMA_DIR, readMigrations } from '../ops/migration-files';
import { resolveTenant } from '../tenants/registry';
import type { PostgresTenant as Tenant } from '../tenants/registry';
import { maxConnections, sampleConnections } from './connection-sampler';
import { createTenantDatabases } from './fleet-databases';
import { measure } from './measure';
import { PROJECT_ROOT, type TempRegistry, defaultServerOnly, generateFleet, writeRegistry } from './tenant-generator';

/** One timed roll-out. */
export interface RolloutRow {
  readonly databases: number;
  readonly change: 'full schema' | 'one new migration' | 'nothing pending';
  readonly method: string;
  /** Databases migrated at once; 1 for the sequential baseline. */
  readonly concurrency: number;
  readonly wallMs: number;
  readonly peakConnections: number;
  readonly maxConnections: number;
  /** Baseline wall time ÷ this wall time (1 for the baseline itself; none without a baseline). */
  readonly speedup?: number;
}

/** Options of {@link runRolloutBench}. */
export interface RolloutOptions {
  readonly sizes: readonly number[];
  /** Each value gets its own fresh fleet for the full-schema run. */
  readonly concurrencies: readonly number[];
  /** Scratch directory for schema copies and registries; the caller removes it. */
  readonly workDir: string;
  readonly log: (line: string) => void;
}

/** The original system's single schema file: every migration, concatenated in order. */
function writeSchemaFile(dir: string, migrations: MigrationSet): string {
  const file = path.join(dir, 'schema.sql');
  writeFileSync(file, migrations.migrations.map((m) => m.sql).join('\n'));
  return file;
}

/** A copy of schema/ plus the next migration; returns the set and the new file. */
function nextMigrations(dir: string, current: MigrationSet): { set: MigrationSet; file: string } {
  const copy = path.join(dir, 'schema-next');
  cpSync(SCHEMA_DIR, copy, { recursive: true });
  const version = String(current.migrations.length + 1).padStart(4, '0');
  const file = path.join(copy, `${version}.do.bench_customer_phone.sql`);
  writeFileSync(
    file,
    '-- Benchmark only: a typical small change to an up-to-date fleet.\n' +
      'ALTER TABLE customers ADD COLUMN bench_phone varchar(32);\n' +
      'CREATE INDEX customers_bench_phone_idx ON customers (bench_phone);\n',
  );
  return { set: readMigrations(copy), file };
}

function psqlFile(cluster: Cluster, database: string, file: string): Promise<void> {
  const args = ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', cluster.host, '-p', String(cluster.port), '-U', cluster.superuser, '-d', database, '-f', file];
  return new Promise((resolve, reject) => {
    // The original ran psql with the default search path; the admin's own is now pinned to the catalog in tenant databases.
    const child = spawn('psql', args, { env: { ...process.env, PGSSLMODE: 'disable', PGOPTIONS: '-c search_path=public' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`psql -d ${database} -f ${file} exited ${code}: ${stderr}`))));
  });
}

/** Runs `work` while sampling connections; wall time and peak. */
async function sampled(admin: Client, work: () => Promise<void>): Promise<{ wallMs: number; peak: number }> {
  const sampler = sampleConnections(admin);
  const started = performance.now();
  try {
    await work();
  } catch (error) {
    await sampler.stop().catch(() => undefined);
    throw error;
  }
  const wallMs = performance.now() - started;
  const { peak } = await sampler.stop();
  return { wallMs, peak };
}

function resolved(count: number, prefix: string): Tenant[] {
  return generateFleet(count, { prefix }).map((definition) => resolveTenant(definition, `${definition.key}.ts`) as Tenant);
}

/** Fails unless every tenant database is at `version`. */
async function expectVersion(cluster: Cluster, tenants: readonly Tenant[], migrations: MigrationSet, version: number): Promise<void> {
  const statuses = await mapBounded(tenants, 8, (tenant) => tenantStatus(tenant, { url: cluster.url() }, migrations));
  const wrong = statuses.filter((s) => s.error || s.status?.version !== version);
  if (wrong.length) throw new Error(`${wrong.length} databases are not at version ${version}, e.g. ${JSON.stringify(wrong[0])}`);
}

/** A fleet of tenant databases and the registry the CLI reads it from. */
interface Fleet {
  readonly k: number;
  readonly tenants: readonly Tenant[];
  readonly registry: TempRegistry;
}

const TENANTS_CLI = ['run', '--silent', 'tenants', '--'];

/** Whether this checkout's `tenants migrate` takes --schema-dir. */
async function cliTakesSchemaDir(): Promise<boolean> {
  const help = await measure('npm', [...TENANTS_CLI, 'migrate', '--help'], { cwd: PROJECT_ROOT, check: false });
  return help.stdout.includes('--schema-dir');
}

/**
 * Migrates every database of a fleet at its concurrency, with the project's
 * migrations or `migrations` (through --schema-dir, or in-process), and fails
 * unless each database applied `expected` migrations.
 */
async function migrateFleet(cluster: Cluster, fleet: Fleet, migrations: { set: MigrationSet } | undefined, viaCli: boolean, expected: number): Promise<void> {
  if (viaCli) {
    // Every generated database is on one server: --per-server as high as --concurrency, or it would bound them (default 4).
    const args = [...TENANTS_CLI, 'migrate', '--all', '--url', cluster.url(), '--concurrency', String(fleet.k), '--per-server', String(fleet.k), ...(migrations ? ['--schema-dir', migrations.set.dir] : [])];
    await measure('npm', args, { cwd: PROJECT_ROOT, env: { ...process.env, TENANTS_DIR: fleet.registry.dir, SERVERS_DIR: defaultServerOnly(fleet.registry.dir), FORCE_COLOR: '0' } });
    return;
  }
  const set = migrations?.set ?? readMigrations();
  const results = await mapBounded(fleet.tenants, fleet.k, (tenant) => migrateTenant(tenant, { url: cluster.url() }, set));
  const failed = results.filter((r) => r.error || r.applied.length !== expected);
  if (failed.length) throw new Error(`migrating failed on ${failed.length} databases, e.g. ${failed[0].key}: ${failed[0].error ?? `applied ${failed[0].applied.join(',')}`}`);
}

/** Times every roll-out for every fleet size; the cluster is the caller's to stop. */
export async function runRolloutBench(cluster: Cluster, admin: Client, options: RolloutOptions): Promise<RolloutRow[]> {
  const { workDir, log } = options;
  const current = readMigrations();
  const latest = current.migrations.length;
  const schemaFile = writeSchemaFile(workDir, current);
  const next = nextMigrations(workDir, current);
  const limit = await maxConnections(admin);
  const viaCli = await cliTakesSchemaDir();
  log(`roll-out: the CLI ${viaCli ? 'takes' : 'lacks'} --schema-dir: the new migration is applied ${viaCli ? 'by the CLI' : 'in-process'}`);
  const rows: RolloutRow[] = [];

  for (const size of options.sizes) {
    log(`roll-out: creating ${size} databases for the psql baseline`);
    const baseline = resolved(size, `b${size}`);
    createTenantDatabases(cluster, baseline);
    const fleets = options.concurrencies.map((k): Fleet => {
      log(`roll-out: creating ${size} databases for the CLI at concurrency ${k}`);
      const definitions = generateFleet(size, { prefix: `m${size}k${k}` });
      const tenants = definitions.map((d) => resolveTenant(d, `${d.key}.ts`) as Tenant);
      createTenantDatabases(cluster, tenants);
      return { k, tenants, registry: writeRegistry(definitions, workDir) };
    });
    try {
      log(`roll-out: ${size} databases, full schema, psql -f one after another`);
      const full = await sampled(admin, async () => {
        for (const tenant of baseline) await psqlFile(cluster, tenant.database.name, schemaFile);
      });
      rows.push({ databases: size, change: 'full schema', method: 'psql -f schema.sql, sequential (original)', concurrency: 1, wallMs: full.wallMs, peakConnections: full.peak, maxConnections: limit, speedup: 1 });

      for (const fleet of fleets) {
        log(`roll-out: ${size} databases, full schema, tenants migrate --all --concurrency ${fleet.k}`);
        const cli = await sampled(admin, () => migrateFleet(cluster, fleet, undefined, true, current.migrations.length));
        await expectVersion(cluster, fleet.tenants, current, latest);
        rows.push({ databases: size, change: 'full schema', method: 'npm run tenants -- migrate --all (CLI)', concurrency: fleet.k, wallMs: cli.wallMs, peakConnections: cli.peak, maxConnections: limit, speedup: full.wallMs / cli.wallMs });
      }

      log(`roll-out: ${size} databases, one new migration, psql -f one after another`);
      const step = await sampled(admin, async () => {
        for (const tenant of baseline) await psqlFile(cluster, tenant.database.name, next.file);
      });
      rows.push({ databases: size, change: 'one new migration', method: `psql -f ${path.basename(next.file)}, sequential`, concurrency: 1, wallMs: step.wallMs, peakConnections: step.peak, maxConnections: limit, speedup: 1 });

      for (const change of ['one new migration', 'nothing pending'] as const) {
        for (const fleet of fleets) {
          log(`roll-out: ${size} databases, ${change}, ${viaCli ? 'tenants migrate --all --schema-dir' : 'migrateTenant + mapBounded'} at ${fleet.k}`);
          const run = await sampled(admin, () => migrateFleet(cluster, fleet, next, viaCli, change === 'one new migration' ? 1 : 0));
          await expectVersion(cluster, fleet.tenants, next.set, latest + 1);
          rows.push({
            databases: size,
            change,
            method: viaCli ? 'npm run tenants -- migrate --all --schema-dir (CLI)' : 'ops/fleet migrateTenant + mapBounded (in-process)',
            concurrency: fleet.k,
            wallMs: run.wallMs,
            peakConnections: run.peak,
            maxConnections: limit,
            ...(change === 'one new migration' && { speedup: step.wallMs / run.wallMs }),
          });
        }
      }
    } finally {
      for (const fleet of fleets) fleet.registry.remove();
    }
  }
  return rows;
}
