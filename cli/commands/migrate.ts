import { type Command, Option } from 'commander';
import { type TenantMigrationResult, mapBounded, migrateTenant } from '../../ops/fleet';
import type { Tenant } from '../../tenants/registry/types';
import { concurrency, connectionFrom, migrationsFrom, withConnectionOptions } from '../connection-options';
import { CommandFailed } from '../errors';
import { colour, duration, table } from '../output';
import { registry, selectTenants } from '../registry';
import { isInteractive } from '../terminal';

interface MigrateOptions {
  readonly all?: boolean;
  readonly url?: string;
  readonly schemaDir?: string;
  readonly concurrency: number;
}

/** `2,3,4,5 (baselined 1)`: what ran, and what an adopted database already had. */
function appliedText(r: TenantMigrationResult): string {
  const baselined = r.baselined ?? [];
  const ran = r.applied.filter((v) => !baselined.includes(v));
  const text = ran.length ? ran.join(',') : '-';
  return baselined.length ? `${text} (baselined ${baselined.join(',')})` : text;
}

function summary(results: readonly TenantMigrationResult[]): string {
  return table(
    ['tenant', 'database', 'from', 'to', 'applied', 'duration', 'result'],
    results.map((r) => [
      r.key,
      r.database,
      r.fromVersion ?? '-',
      r.toVersion ?? '-',
      appliedText(r),
      duration(r.durationMs),
      r.error ? colour.red(`failed: ${r.error}`) : colour.green(r.applied.length ? 'migrated' : 'up to date'),
    ]),
  );
}

type Run = (tenant: Tenant, onMigration?: (version: number, name: string) => void) => Promise<TenantMigrationResult>;

/** In a terminal: a live progress display (listr2), a line per tenant with the migration it is applying. */
async function withProgress(tenants: readonly Tenant[], limit: number, run: Run): Promise<TenantMigrationResult[]> {
  const { Listr } = await import('listr2');
  const results = new Map<string, TenantMigrationResult>();
  const tasks = new Listr(
    tenants.map((tenant) => ({
      title: tenant.key,
      task: async (_ctx: unknown, task: { output: string; title: string }) => {
        const result = await run(tenant, (version, name) => {
          task.output = `applying ${version} ${name}`;
        });
        results.set(tenant.key, result);
        if (result.error) throw new Error(`${tenant.key}: ${result.error}`);
        task.title = `${tenant.key}: ${result.fromVersion} -> ${result.toVersion}`;
      },
    })),
    { concurrent: limit, exitOnError: false, rendererOptions: { collapseErrors: false } },
  );
  await tasks.run();
  return tenants.map((t) => results.get(t.key) as TenantMigrationResult);
}

/** In a log (CI, a deploy's local-exec): one line per tenant as it finishes. */
async function withLines(tenants: readonly Tenant[], limit: number, run: Run): Promise<TenantMigrationResult[]> {
  return mapBounded(tenants, limit, async (tenant) => {
    const result = await run(tenant);
    process.stdout.write(
      result.error ? `failed ${tenant.key}: ${result.error}\n` : `done ${tenant.key}: ${result.fromVersion} -> ${result.toVersion} (${duration(result.durationMs)})\n`,
    );
    return result;
  });
}

/** `tenants migrate [<key>...] [--all]`: brings tenant databases to the latest schema, a few at a time. */
export function registerMigrate(program: Command): void {
  withConnectionOptions(
    program
      .command('migrate')
      .description('apply pending schema migrations to tenant databases, continuing past failures')
      .argument('[keys...]', 'tenant keys')
      .option('--all', 'every tenant in the registry')
      .addOption(new Option('--concurrency <n>', 'databases migrated at once (one connection each)').argParser(concurrency).default(4)),
  )
    .addHelpText('after', '\nExamples:\n  npm run tenants -- migrate building_shop\n  npm run tenants -- migrate --all --url postgres://postgres@db:5432/postgres --concurrency 8')
    .action(async (keys: string[], options: MigrateOptions) => {
      const tenants = selectTenants(registry(), keys, options.all);
      const connection = connectionFrom(options);
      const migrations = migrationsFrom(options);
      const run = (tenant: Tenant, onMigration?: (version: number, name: string) => void) => migrateTenant(tenant, connection, migrations, onMigration);
      const results = isInteractive() ? await withProgress(tenants, options.concurrency, run) : await withLines(tenants, options.concurrency, run);
      process.stdout.write(`${summary(results)}\n`);
      const failed = results.filter((r) => r.error);
      if (failed.length) throw new CommandFailed(`${failed.length} of ${results.length} tenants failed to migrate: ${failed.map((r) => r.key).join(', ')}`);
    });
}
