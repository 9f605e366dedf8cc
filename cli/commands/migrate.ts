import { type Command, Option } from 'commander';
import { type TenantMigrationResult, mapBounded, migrateTenant, tenantStatus, warningLines } from '../../ops/fleet';
import type { PostgresTenant as Tenant } from '../../tenants/registry';
import { concurrency, connectionFrom, migrationsFrom, withConnectionOptions } from '../connection-options';
import { CommandFailed, CommandInterrupted } from '../errors';
import { interruptOnSignals } from '../interrupt';
import type { CliIo, Colours } from '../io';
import { duration, table } from '../output';
import { registry, selectPostgresTenants } from '../registry';

interface MigrateOptions {
  readonly all?: boolean;
  readonly url?: string;
  readonly schemaDir?: string;
  readonly concurrency: number;
  readonly json?: boolean;
  readonly dryRun?: boolean;
}

/** `2,3,4,5 (baselined 1)`: what ran, and what an adopted database already had. */
function appliedText(r: TenantMigrationResult): string {
  const baselined = r.baselined ?? [];
  const ran = r.applied.filter((v) => !baselined.includes(v));
  const text = ran.length ? ran.join(',') : '-';
  return baselined.length ? `${text} (baselined ${baselined.join(',')})` : text;
}

function resultText(r: TenantMigrationResult, colour: Colours): string {
  if (r.interrupted) return colour.yellow('interrupted');
  if (r.error) return colour.red('failed');
  return colour.green(r.applied.length ? 'migrated' : 'up to date');
}

/** The summary table (one short result per tenant), then each error once, in full. */
function summary(results: readonly TenantMigrationResult[], colour: Colours): string {
  const rows = table(
    ['tenant', 'database', 'from', 'to', 'applied', 'duration', 'result'],
    results.map((r) => [r.key, r.database, r.fromVersion ?? '-', r.toVersion ?? '-', appliedText(r), duration(r.durationMs), resultText(r, colour)]),
    colour,
  );
  const errors = results.filter((r) => r.error).map((r) => `${colour.red(r.key)}: ${r.error}`);
  return errors.length ? `${rows}\n\n${errors.join('\n')}` : rows;
}

type Run = (tenant: Tenant, onMigration?: (version: number, name: string) => void) => Promise<TenantMigrationResult>;

/** A tenant never started because of an interruption. */
function notStarted(tenant: Tenant): TenantMigrationResult {
  return { key: tenant.key, database: tenant.database.name, applied: [], durationMs: 0, error: 'not started: interrupted', interrupted: true };
}

/** In a terminal: a live progress display (listr2), a line per tenant with the migration it is applying. */
async function withProgress(tenants: readonly Tenant[], limit: number, run: Run, signal: AbortSignal): Promise<TenantMigrationResult[]> {
  const { Listr } = await import('listr2');
  const results = new Map<string, TenantMigrationResult>();
  const tasks = new Listr(
    tenants.map((tenant) => ({
      title: tenant.key,
      task: async (_ctx: unknown, task: { output: string; title: string }) => {
        const result = signal.aborted ? notStarted(tenant) : await run(tenant, (version, name) => (task.output = `applying ${version} ${name}`));
        results.set(tenant.key, result);
        task.title = result.error ? `${tenant.key}: ${result.interrupted ? 'interrupted' : 'failed'}` : `${tenant.key}: ${result.fromVersion} -> ${result.toVersion}`;
        // The full error is printed once, under the summary.
        if (result.error) throw new Error(result.interrupted ? 'interrupted' : 'failed, see below');
      },
    })),
    { concurrent: limit, exitOnError: false, registerSignalListeners: false, rendererOptions: { collapseErrors: false } },
  );
  await tasks.run();
  return tenants.map((t) => results.get(t.key) ?? notStarted(t));
}

/** In a log (CI, a deploy's local-exec): one line per tenant as it finishes. */
async function withLines(tenants: readonly Tenant[], limit: number, run: Run, signal: AbortSignal, io: CliIo): Promise<TenantMigrationResult[]> {
  return mapBounded(
    tenants,
    limit,
    async (tenant) => {
      const result = await run(tenant);
      io.stdout.write(
        result.error
          ? `${result.interrupted ? 'interrupted' : 'failed'} ${tenant.key}\n`
          : `done ${tenant.key}: ${result.fromVersion} -> ${result.toVersion} (${duration(result.durationMs)})\n`,
      );
      return result;
    },
    { signal, skipped: notStarted },
  );
}

/** What --dry-run prints: each tenant's pending migrations, from its history. */
async function dryRun(tenants: readonly Tenant[], options: MigrateOptions, io: CliIo): Promise<void> {
  const connection = connectionFrom(options, io);
  const migrations = migrationsFrom(options);
  const statuses = await mapBounded(tenants, options.concurrency, (tenant) => tenantStatus(tenant, connection, migrations, { env: io.env }));
  const plans = statuses.map(({ key, database, status, error }) => ({
    key,
    database,
    version: status?.version,
    wouldApply: status ? migrations.migrations.filter((m) => status.pending.includes(m.version)).map((m) => `${String(m.version).padStart(4, '0')}.do.${m.name}.sql`) : [],
    ...(error && { error }),
  }));
  if (options.json) io.stdout.write(`${JSON.stringify(plans, null, 2)}\n`);
  else {
    io.stdout.write(
      `${table(
        ['tenant', 'database', 'version', 'would apply'],
        plans.map((p) => [p.key, p.database, p.version ?? '-', p.error ? io.colour.red(`unreachable: ${p.error}`) : p.wouldApply.join(', ') || 'nothing']),
        io.colour,
      )}\n(dry run: nothing was applied)\n`,
    );
  }
  if (plans.some((p) => p.error)) throw new CommandFailed(`${plans.filter((p) => p.error).length} of ${plans.length} tenants could not be read`);
}

/** `tenants migrate [<key>...] [--all]`: brings tenant databases to the latest schema, a few at a time. */
export function registerMigrate(program: Command, io: CliIo): void {
  withConnectionOptions(
    program
      .command('migrate')
      .description('apply pending schema migrations to tenant databases, continuing past failures')
      .argument('[keys...]', 'tenant keys')
      .option('--all', 'every tenant in the registry')
      .option('--dry-run', 'show what each tenant would apply; apply nothing')
      .option('--json', 'machine-readable results')
      .addOption(new Option('--concurrency <n>', 'databases migrated at once (two connections each)').argParser(concurrency).default(4)),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  npx tenants migrate building_shop\n  npx tenants migrate --all --url postgres://postgres@db:5432/postgres --concurrency 8\n' +
        '\nCtrl-C cancels the running migrations on the server (each rolls back whole) and reports; exit 130.',
    )
    .action(async (keys: string[], options: MigrateOptions) => {
      const tenants = selectPostgresTenants(registry(io.env), keys, options.all);
      if (options.dryRun) return dryRun(tenants, options, io);
      const connection = connectionFrom(options, io);
      const migrations = migrationsFrom(options);
      const interruption = interruptOnSignals('cancelling the running migrations and starting no more', io);
      let results: TenantMigrationResult[];
      try {
        const run: Run = (tenant, onMigration) => migrateTenant(tenant, connection, migrations, { onMigration, signal: interruption.signal, env: io.env });
        if (options.json) results = await mapBounded(tenants, options.concurrency, (t) => run(t), { signal: interruption.signal, skipped: notStarted });
        else if (io.interactive && io.stdout.isTTY) results = await withProgress(tenants, options.concurrency, run, interruption.signal);
        else results = await withLines(tenants, options.concurrency, run, interruption.signal, io);
      } finally {
        interruption.dispose();
      }
      io.stdout.write(options.json ? `${JSON.stringify(results, null, 2)}\n` : `${summary(results, io.colour)}\n`);
      for (const line of warningLines(results)) io.stderr.write(`${io.errorColour.yellow(line)}\n`);
      const stopped = results.filter((r) => r.interrupted);
      if (interruption.signal.aborted) {
        throw new CommandInterrupted(`interrupted: ${stopped.length} of ${results.length} tenants stopped (${stopped.map((r) => r.key).join(', ')}); every migration that ran to the end is recorded, the one running was rolled back`);
      }
      const failed = results.filter((r) => r.error);
      if (failed.length) throw new CommandFailed(`${failed.length} of ${results.length} tenants failed to migrate: ${failed.map((r) => r.key).join(', ')}`);
    });
}
