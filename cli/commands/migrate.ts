import { type Command, Option } from 'commander';
import { type TenantMigrationResult, migrateTenant } from '../../ops/fleet';
import { concurrency, connectionFrom, migrationsFrom, withConnectionOptions } from '../connection-options';
import { CommandFailed } from '../errors';
import { colour, duration, table } from '../output';
import { registry, selectTenants } from '../registry';

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
      const results: TenantMigrationResult[] = [];
      const { Listr } = await import('listr2');
      const tasks = new Listr(
        tenants.map((tenant) => ({
          title: tenant.key,
          task: async (_ctx: unknown, task: { output: string; title: string }) => {
            const result = await migrateTenant(tenant, connection, migrations, (version, name) => {
              task.output = `applying ${version} ${name}`;
            });
            results.push(result);
            if (result.error) throw new Error(`${tenant.key}: ${result.error}`);
            task.title = `${tenant.key}: ${result.fromVersion} -> ${result.toVersion}`;
          },
        })),
        { concurrent: options.concurrency, exitOnError: false, rendererOptions: { collapseErrors: false }, fallbackRendererOptions: {} },
      );
      await tasks.run();
      const ordered = tenants.map((t) => results.find((r) => r.key === t.key) as TenantMigrationResult);
      process.stdout.write(`${summary(ordered)}\n`);
      const failed = ordered.filter((r) => r.error);
      if (failed.length) throw new CommandFailed(`${failed.length} of ${ordered.length} tenants failed to migrate: ${failed.map((r) => r.key).join(', ')}`);
    });
}
