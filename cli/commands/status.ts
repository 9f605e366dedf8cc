import { type Command, Option } from 'commander';
import { mapBounded, tenantStatus, warningLines } from '../../ops/fleet';
import { concurrency, connectionFrom, migrationsFrom, withConnectionOptions } from '../connection-options';
import { CommandFailed } from '../errors';
import type { CliIo } from '../io';
import { table } from '../output';
import { registry, selectPostgresTenants } from '../registry';

/** `tenants status`: each tenant's applied schema version and what is pending. */
export function registerStatus(program: Command, io: CliIo): void {
  withConnectionOptions(
    program
      .command('status')
      .description("show each tenant database's schema version and pending migrations")
      .argument('[keys...]', 'tenant keys (default: every tenant)')
      .addOption(new Option('--concurrency <n>', 'databases read at once').argParser(concurrency).default(8))
      .option('--json', 'machine-readable output'),
  ).action(async (keys: string[], options: { url?: string; schemaDir?: string; concurrency: number; json?: boolean }) => {
    const reg = registry(io.env);
    const tenants = selectPostgresTenants(reg, keys, keys.length === 0);
    const connection = connectionFrom(options, io);
    const migrations = migrationsFrom(options);
    const colour = io.colour;
    const latest = Math.max(0, ...migrations.migrations.map((m) => m.version));
    const statuses = await mapBounded(tenants, options.concurrency, (tenant) => tenantStatus(tenant, connection, migrations, { env: io.env }));
    if (options.json) {
      io.stdout.write(`${JSON.stringify(statuses.map(({ key, database, status, error }) => ({ key, database, version: status?.version, pending: status?.pending, edited: status?.edited, unknown: status?.unknown, error })), null, 2)}\n`);
    } else {
      const rows = statuses.map(({ key, database, status, error }) => {
        if (!status) return [key, database, '-', latest, colour.red(`unreachable: ${error}`)];
        const state = status.edited.length
          ? colour.red(`edited after apply: ${status.edited.join(',')}`)
          : status.unknown.length
            ? colour.red(`applied, no file here: ${status.unknown.join(',')}`)
            : status.pending.length
            ? colour.yellow(`pending: ${status.pending.join(',')}`)
            : colour.green('up to date');
        return [key, database, status.version, latest, state];
      });
      io.stdout.write(`${table(['tenant', 'database', 'version', 'latest', 'state'], rows, colour)}\n`);
    }
    for (const line of warningLines(statuses)) io.stderr.write(`${io.errorColour.yellow(line)}\n`);
    const broken = statuses.filter((s) => s.error || s.status?.edited.length || s.status?.unknown.length);
    if (broken.length) {
      throw new CommandFailed(`${broken.length} of ${statuses.length} tenants are unreachable, have edited migrations or migrations this checkout lacks`);
    }
  });
}
