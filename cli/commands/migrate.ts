import type { Command } from 'commander';
import { ServerOutages, ServerTurns, type TenantMigrationResult, mapBoundedByGroup, migrateTenant, tenantStatus, warningLines } from '../../ops/fleet';
import type { PostgresTenant as Tenant } from '../../tenants/registry';
import { migrationsFrom, withConnectionOptions, withFleetOptions } from '../connection-options';
import { type FleetSelection, selectFleet } from '../fleet-selection';
import { CommandFailed, CommandInterrupted } from '../errors';
import { interruptOnSignals } from '../interrupt';
import type { CliIo, Colours } from '../io';
import { duration, table } from '../output';
import { registry } from '../registry';
import { skippedLines } from '../fleet-output';

interface MigrateOptions {
  readonly all?: boolean;
  readonly url?: string;
  readonly server?: string;
  readonly schemaDir?: string;
  readonly concurrency: number;
  readonly perServer: number;
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

/** A tenant's result with the server it is on. */
type ServerResult = TenantMigrationResult & { readonly server: string };

/** The summary table (one short result per tenant, by server), then each error once, in full. */
function summary(results: readonly ServerResult[], colour: Colours): string {
  const rows = table(
    ['server', 'tenant', 'database', 'from', 'to', 'applied', 'duration', 'result'],
    results.map((r) => [r.server, r.key, r.database, r.fromVersion ?? '-', r.toVersion ?? '-', appliedText(r), duration(r.durationMs), resultText(r, colour)]),
    colour,
  );
  const errors = results.filter((r) => r.error).map((r) => `${colour.red(r.key)}: ${r.error}`);
  return errors.length ? `${rows}\n\n${errors.join('\n')}` : rows;
}

type Run = (tenant: Tenant, onMigration?: (version: number, name: string) => void) => Promise<TenantMigrationResult>;

/** How many run at once: in all, and per server. */
interface Limits {
  readonly overall: number;
  readonly perServer: number;
  readonly serverOf: (tenant: Tenant) => string;
}

/** A tenant never started because of an interruption. */
function notStarted(tenant: Tenant): TenantMigrationResult {
  return { key: tenant.key, database: tenant.database.name, applied: [], durationMs: 0, error: 'not started: interrupted', interrupted: true };
}

/** In a terminal: a live progress display (listr2), a line per tenant with the migration it is applying. */
async function withProgress(tenants: readonly Tenant[], limits: Limits, run: Run, signal: AbortSignal): Promise<TenantMigrationResult[]> {
  const { Listr } = await import('listr2');
  const results = new Map<string, TenantMigrationResult>();
  const tasks = new Listr(
    tenants.map((tenant) => ({
      title: `${tenant.key} (${limits.serverOf(tenant)})`,
      task: async (_ctx: unknown, task: { output: string; title: string }) => {
        const result = signal.aborted ? notStarted(tenant) : await run(tenant, (version, name) => (task.output = `applying ${version} ${name}`));
        results.set(tenant.key, result);
        task.title = result.error ? `${tenant.key}: ${result.interrupted ? 'interrupted' : 'failed'}` : `${tenant.key}: ${result.fromVersion} -> ${result.toVersion}`;
        // The full error is printed once, under the summary.
        if (result.error) throw new Error(result.interrupted ? 'interrupted' : 'failed, see below');
      },
    })),
    // listr2 bounds the run in all; the per-server bound is the run's own (a task waits for its server's turn).
    { concurrent: limits.overall, exitOnError: false, registerSignalListeners: false, rendererOptions: { collapseErrors: false } },
  );
  await tasks.run();
  return tenants.map((t) => results.get(t.key) ?? notStarted(t));
}

/** In a log (CI, a deploy's local-exec): one line per tenant as it finishes. */
async function withLines(tenants: readonly Tenant[], limits: Limits, run: Run, signal: AbortSignal, io: CliIo): Promise<TenantMigrationResult[]> {
  return mapBoundedByGroup(
    tenants,
    { overall: limits.overall, perGroup: limits.perServer, groupOf: limits.serverOf },
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
async function dryRun(fleet: FleetSelection, options: MigrateOptions, io: CliIo): Promise<void> {
  const migrations = migrationsFrom(options);
  const statuses = await mapBoundedByGroup(fleet.tenants, { overall: options.concurrency, perGroup: options.perServer, groupOf: fleet.serverOf }, (tenant) =>
    tenantStatus(tenant, fleet.connectionOf(tenant), migrations, { env: io.env }),
  );
  const plans = statuses.map(({ key, database, status, error }, index) => ({
    server: fleet.serverOf(fleet.tenants[index]),
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
        ['server', 'tenant', 'database', 'version', 'would apply'],
        plans.map((p) => [p.server, p.key, p.database, p.version ?? '-', p.error ? io.colour.red(`unreachable: ${p.error}`) : p.wouldApply.join(', ') || 'nothing']),
        io.colour,
      )}\n(dry run: nothing was applied)\n`,
    );
  }
  if (plans.some((p) => p.error)) throw new CommandFailed(`${plans.filter((p) => p.error).length} of ${plans.length} tenants could not be read`);
}

/** `tenants migrate [<key>...] [--all]`: brings tenant databases to the latest schema, a few at a time. */
export function registerMigrate(program: Command, io: CliIo): void {
  withFleetOptions(withConnectionOptions(
    program
      .command('migrate')
      .description('apply pending schema migrations to tenant databases, continuing past failures')
      .argument('[keys...]', 'tenant keys')
      .option('--all', 'every tenant in the registry')
      .option('--dry-run', 'show what each tenant would apply; apply nothing')
      .option('--json', 'machine-readable results'),
  ), { overall: 4, perServer: 2, what: 'databases migrated (two connections each)' })
    .addHelpText(
      'after',
      '\nExamples:\n  npx tenants migrate building_shop\n  npx tenants migrate --all --concurrency 8 --per-server 2\n  npx tenants migrate --server eu-shared-2\n' +
        '\nEach tenant is reached on its own server (servers/<name>.ts, its password PGPASSWORD_<NAME> or ~/.pgpass); --url and PGHOST are the default server\'s.\n' +
        '--all leaves out lambda tenants (each on its own RDS instance, migrated by its deploy); name one to reach it through PGHOST.\n' +
        '\nCtrl-C cancels the running migrations on the server (each rolls back whole) and reports; exit 130.',
    )
    .action(async (keys: string[], options: MigrateOptions) => {
      const fleet = selectFleet(registry(io.env), keys, options.all, { ...options, skipMaintenance: true }, io);
      for (const line of skippedLines(fleet)) io.stderr.write(`${line}\n`);
      if (options.dryRun) return dryRun(fleet, options, io);
      const { tenants } = fleet;
      const migrations = migrationsFrom(options);
      const interruption = interruptOnSignals('cancelling the running migrations and starting no more', io);
      const limits: Limits = { overall: options.concurrency, perServer: options.perServer, serverOf: fleet.serverOf };
      const outages = new ServerOutages();
      const turns = new ServerTurns(limits.perServer);
      let found: TenantMigrationResult[];
      try {
        const run: Run = async (tenant, onMigration) => {
          const server = fleet.serverOf(tenant);
          return turns.take(server, () =>
            outages.run(
              server,
              async () => (interruption.signal.aborted ? notStarted(tenant) : migrateTenant(tenant, fleet.connectionOf(tenant), migrations, { onMigration, signal: interruption.signal, env: io.env })),
              (error): TenantMigrationResult => ({ key: tenant.key, database: tenant.database.name, applied: [], durationMs: 0, error }),
              (result) => result.error,
            ),
          );
        };
        if (options.json) found = await mapBoundedByGroup(tenants, { overall: limits.overall, perGroup: limits.perServer, groupOf: fleet.serverOf }, (t) => run(t), { signal: interruption.signal, skipped: notStarted });
        else if (io.interactive && io.stdout.isTTY) found = await withProgress(tenants, limits, run, interruption.signal);
        else found = await withLines(tenants, limits, run, interruption.signal, io);
      } finally {
        interruption.dispose();
      }
      const results: ServerResult[] = found.map((result, index) => ({ server: fleet.serverOf(tenants[index]), ...result }));
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
