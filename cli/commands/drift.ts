import type { Command } from 'commander';
import { ServerOutages, mapBoundedByGroup, warningLines } from '../../ops/fleet';
import { type TenantDrift, tenantDrift } from '../../ops/drift/tenant-drift';
import { migrationsFrom, withConnectionOptions, withFleetOptions } from '../connection-options';
import { skippedLines } from '../fleet-output';
import { selectFleet } from '../fleet-selection';
import { CommandFailed } from '../errors';
import type { CliIo } from '../io';
import { table } from '../output';
import { registry } from '../registry';

/** `tenants drift [<key>...] [--all] [--server <name>]`: what each live tenant database has that the registry does not say, and the other way round. */
export function registerDrift(program: Command, io: CliIo): void {
  withFleetOptions(
    withConnectionOptions(
      program
        .command('drift')
        .description('compare each tenant database with the registry: roles, memberships, grants, default privileges, limits, schema version, stray objects')
        .argument('[keys...]', 'tenant keys')
        .option('--all', 'every tenant the CLI reaches (all but lambda tenants, each on its own RDS instance, and MongoDB tenants)')
        .option('--json', 'machine-readable output: [{ server, key, database, findings: [{ area, message }], error }]'),
    ),
    { overall: 8, perServer: 4, what: 'databases read' },
  )
    .addHelpText(
      'after',
      '\nReads the catalog only, as the server admin in sessions pinned to the catalog (nothing a tenant made runs there);\n' +
        "the schema version as `status` reads it, in the tenant migrator's session. Each tenant is read on its own server (servers/<name>.ts).\n" +
        'Exit 1 when any tenant drifted or could not be read.',
    )
    .action(async (keys: string[], options: { all?: boolean; url?: string; server?: string; schemaDir?: string; concurrency: number; perServer: number; json?: boolean }) => {
      const fleet = selectFleet(registry(io.env), keys, options.all, options, io);
      for (const line of skippedLines(fleet)) io.stderr.write(`${line}\n`);
      const migrations = migrationsFrom(options);
      const outages = new ServerOutages();
      const results = await mapBoundedByGroup(fleet.tenants, { overall: options.concurrency, perGroup: options.perServer, groupOf: fleet.serverOf }, async (tenant): Promise<TenantDrift & { server: string }> => {
        const server = fleet.serverOf(tenant);
        const drift = await outages.run(
          server,
          () => tenantDrift(tenant, fleet.connectionOf(tenant), migrations, { env: io.env }),
          (error): TenantDrift => ({ key: tenant.key, database: tenant.database.name, findings: [], error }),
          (outcome) => (outcome.findings.length ? undefined : outcome.error),
        );
        return { server, ...drift };
      });
      if (options.json) {
        io.stdout.write(`${JSON.stringify(results.map(({ server, key, database, findings, error }) => ({ server, key, database, findings, ...(error && { error }) })), null, 2)}\n`);
      } else {
        const colour = io.colour;
        const rows = results.map((r) => [
          r.server,
          r.key,
          r.database,
          r.error && !r.findings.length ? colour.red(`unreachable: ${r.error}`) : r.findings.length ? colour.red(`${r.findings.length} finding${r.findings.length === 1 ? '' : 's'}`) : colour.green('in sync'),
        ]);
        const details = results
          .filter((r) => r.findings.length || r.error)
          .map((r) => [`${colour.bold(r.key)}:`, ...r.findings.map((f) => `  - [${f.area}] ${f.message}`), ...(r.error && r.findings.length ? [`  - ${r.error}`] : [])].join('\n'));
        io.stdout.write(`${table(['server', 'tenant', 'database', 'drift'], rows, colour)}\n${details.length ? `\n${details.join('\n')}\n` : ''}`);
      }
      for (const line of warningLines(results)) io.stderr.write(`${io.errorColour.yellow(line)}\n`);
      const drifted = results.filter((r) => r.findings.length || r.error);
      if (drifted.length) throw new CommandFailed(`${drifted.length} of ${results.length} tenants drifted from the registry or could not be read: ${drifted.map((r) => r.key).join(', ')}`);
    });
}
