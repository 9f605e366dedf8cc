import type { Command } from 'commander';
import { renderServerBaselineSql } from '../../model/server-sql';
import { psqlCommand } from '../../ops/server-connections';
import { UsageError } from '../errors';
import type { CliIo } from '../io';
import { registry } from '../registry';

/** `tenants server-sql`: the optional baseline for a server dedicated to the fleet. */
export function registerServerSql(program: Command, io: CliIo): void {
  program
    .command('server-sql')
    .description("print the optional baseline for a server dedicated to the fleet: PUBLIC may no longer connect to postgres and template1 (idempotent)")
    .option('--server <name>', 'head the script with how to reach this server of the fleet')
    .addHelpText('after', '\nExamples:\n  npx tenants server-sql | psql -h db.example.com -U postgres -d postgres\n  npx tenants server-sql --server eu-shared-2   # once on each server: npx tenants servers lists them')
    .action((options: { server?: string }) => {
      if (options.server !== undefined) {
        const reg = registry(io.env);
        const server = reg.servers.find((s) => s.name === options.server);
        if (!server) throw new UsageError(`--server "${options.server}" is not a server of the fleet; known servers: ${reg.servers.map((s) => s.name).join(', ')}`);
        io.stdout.write(`-- For server ${server.name}: ${psqlCommand(server)}\n`);
      }
      io.stdout.write(renderServerBaselineSql());
    });
}
