import { type Command, Option } from 'commander';
import { mapBounded, warningLines } from '../../ops/fleet';
import { tenantDrift } from '../../ops/drift/tenant-drift';
import { concurrency, connectionFrom, migrationsFrom, withConnectionOptions } from '../connection-options';
import { CommandFailed } from '../errors';
import type { CliIo } from '../io';
import { table } from '../output';
import { registry, selectTenants } from '../registry';

/** `tenants drift [<key>...] [--all]`: what each live tenant database has that the registry does not say, and the other way round. */
export function registerDrift(program: Command, io: CliIo): void {
  withConnectionOptions(
    program
      .command('drift')
      .description('compare each tenant database with the registry: roles, memberships, grants, default privileges, limits, schema version, stray objects')
      .argument('[keys...]', 'tenant keys')
      .option('--all', 'every tenant in the registry')
      .addOption(new Option('--concurrency <n>', 'databases read at once').argParser(concurrency).default(4))
      .option('--json', 'machine-readable output: [{ key, database, findings: [{ area, message }], error }]'),
  )
    .addHelpText(
      'after',
      '\nReads the catalog only, as the server admin in sessions pinned to the catalog (nothing a tenant made runs there);\n' +
        'the schema version as `status` reads it, in the tenant migrator\'s session. Exit 1 when any tenant drifted or could not be read.',
    )
    .action(async (keys: string[], options: { all?: boolean; url?: string; schemaDir?: string; concurrency: number; json?: boolean }) => {
      const tenants = selectTenants(registry(io.env), keys, options.all);
      const connection = connectionFrom(options, io);
      const migrations = migrationsFrom(options);
      const results = await mapBounded(tenants, options.concurrency, (tenant) => tenantDrift(tenant, connection, migrations, { env: io.env }));
      if (options.json) {
        io.stdout.write(`${JSON.stringify(results.map(({ key, database, findings, error }) => ({ key, database, findings, ...(error && { error }) })), null, 2)}\n`);
      } else {
        const colour = io.colour;
        const rows = results.map((r) => [
          r.key,
          r.database,
          r.error && !r.findings.length ? colour.red(`unreachable: ${r.error}`) : r.findings.length ? colour.red(`${r.findings.length} finding${r.findings.length === 1 ? '' : 's'}`) : colour.green('in sync'),
        ]);
        const details = results
          .filter((r) => r.findings.length || r.error)
          .map((r) => [`${colour.bold(r.key)}:`, ...r.findings.map((f) => `  - [${f.area}] ${f.message}`), ...(r.error && r.findings.length ? [`  - ${r.error}`] : [])].join('\n'));
        io.stdout.write(`${table(['tenant', 'database', 'drift'], rows, colour)}\n${details.length ? `\n${details.join('\n')}\n` : ''}`);
      }
      for (const line of warningLines(results)) io.stderr.write(`${io.errorColour.yellow(line)}\n`);
      const drifted = results.filter((r) => r.findings.length || r.error);
      if (drifted.length) throw new CommandFailed(`${drifted.length} of ${results.length} tenants drifted from the registry or could not be read: ${drifted.map((r) => r.key).join(', ')}`);
    });
}
