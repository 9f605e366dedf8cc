import type { Command } from 'commander';
import { ServerOutages, type TenantStatus, mapBoundedByGroup, tenantStatus, warningLines } from '../../ops/fleet';
import { migrationsFrom, withConnectionOptions, withFleetOptions } from '../connection-options';
import { skippedLines } from '../fleet-output';
import { selectFleet } from '../fleet-selection';
import { CommandFailed } from '../errors';
import type { CliIo } from '../io';
import { table } from '../output';
import { registry } from '../registry';

/** `tenants status`: each tenant's applied schema version and what is pending. */
export function registerStatus(program: Command, io: CliIo): void {
  withFleetOptions(
    withConnectionOptions(
      program
        .command('status')
        .description("show each tenant database's schema version and pending migrations, by server")
        .argument('[keys...]', 'tenant keys (default: every tenant the CLI reaches: all but lambda tenants, each on its own RDS instance)')
        .option('--json', 'machine-readable output'),
    ),
    { overall: 8, perServer: 4, what: 'databases read' },
  ).action(async (keys: string[], options: { url?: string; server?: string; schemaDir?: string; concurrency: number; perServer: number; json?: boolean }) => {
    const fleet = selectFleet(registry(io.env), keys, keys.length === 0 && options.server === undefined, options, io);
    for (const line of skippedLines(fleet)) io.stderr.write(`${line}\n`);
    const migrations = migrationsFrom(options);
    const colour = io.colour;
    const latest = Math.max(0, ...migrations.migrations.map((m) => m.version));
    const outages = new ServerOutages();
    const statuses = await mapBoundedByGroup(fleet.tenants, { overall: options.concurrency, perGroup: options.perServer, groupOf: fleet.serverOf }, async (tenant): Promise<TenantStatus & { server: string }> => {
      const server = fleet.serverOf(tenant);
      const status = await outages.run(
        server,
        () => tenantStatus(tenant, fleet.connectionOf(tenant), migrations, { env: io.env }),
        (error): TenantStatus => ({ key: tenant.key, database: tenant.database.name, error }),
        (outcome) => outcome.error,
      );
      return { server, ...status };
    });
    if (options.json) {
      io.stdout.write(`${JSON.stringify(statuses.map(({ server, key, database, status, error }) => ({ server, key, database, version: status?.version, pending: status?.pending, edited: status?.edited, unknown: status?.unknown, error })), null, 2)}\n`);
    } else {
      const rows = statuses.map(({ server, key, database, status, error }) => {
        if (!status) return [server, key, database, '-', latest, colour.red(`unreachable: ${error}`)];
        const state = status.edited.length
          ? colour.red(`edited after apply: ${status.edited.join(',')}`)
          : status.unknown.length
            ? colour.red(`applied, no file here: ${status.unknown.join(',')}`)
            : status.pending.length
            ? colour.yellow(`pending: ${status.pending.join(',')}`)
            : colour.green('up to date');
        return [server, key, database, status.version, latest, state];
      });
      io.stdout.write(`${table(['server', 'tenant', 'database', 'version', 'latest', 'state'], rows, colour)}\n`);
    }
    for (const line of warningLines(statuses)) io.stderr.write(`${io.errorColour.yellow(line)}\n`);
    const broken = statuses.filter((s) => s.error || s.status?.edited.length || s.status?.unknown.length);
    if (broken.length) {
      throw new CommandFailed(`${broken.length} of ${statuses.length} tenants are unreachable, have edited migrations or migrations this checkout lacks`);
    }
  });
}
