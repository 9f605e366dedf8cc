import type { Command } from 'commander';
import { accessModel } from '../../model/access-model';
import { renderAccessSql } from '../../model/access-sql';
import { psqlCommand } from '../../ops/server-connections';
import { DEFAULT_SERVER } from '../../model/servers';
import { isPostgresTenant, placedOn } from '../../tenants/registry';
import { UsageError } from '../errors';
import type { CliIo } from '../io';
import { postgresTenantByKey, registry } from '../registry';

/** `tenants sql <key>...` or `tenants sql --server <name>`: tenants' access models as idempotent psql scripts. */
export function registerSql(program: Command, io: CliIo): void {
  program
    .command('sql')
    .description("print the SQL that creates tenants' databases, roles and privileges (idempotent; no passwords), each headed by the server it is for")
    .argument('[keys...]', 'tenant keys')
    .option('--server <name>', 'every tenant of this server')
    .addHelpText('after', '\nExamples:\n  npx tenants sql building_shop | psql -h db.example.com -U postgres -d postgres\n  npx tenants sql --server eu-shared-2 | psql "host=... user=..."')
    .action((keys: string[], options: { server?: string }) => {
      const reg = registry(io.env);
      if (options.server !== undefined && !reg.servers.some((s) => s.name === options.server)) {
        throw new UsageError(`--server "${options.server}" is not a server of the fleet; known servers: ${reg.servers.map((s) => s.name).join(', ')}`);
      }
      if (!keys.length && options.server === undefined) throw new UsageError('name a tenant key, or --server <name> for every tenant of a server');
      const tenants = options.server !== undefined ? reg.tenants.filter(isPostgresTenant).filter((t) => t.database.server === options.server) : keys.map((key) => postgresTenantByKey(reg, key));
      const misplaced = options.server !== undefined ? keys.filter((key) => !tenants.some((t) => t.key === key)) : [];
      if (misplaced.length) throw new UsageError(`${misplaced.join(', ')} not on server "${options.server}"`);
      for (const tenant of tenants) {
        // Headed by where it goes when that is not the environment's server (psql's PGHOST) as ever.
        const server = tenant.database.server;
        const header =
          server === undefined
            ? `-- For its own RDS instance (the ${tenant.key}-database stack)\n`
            : server !== DEFAULT_SERVER || options.server !== undefined
              ? `-- For server ${server}: ${psqlCommand(placedOn(reg.servers, tenant))}\n`
              : '';
        io.stdout.write(`${header}${renderAccessSql(accessModel(tenant))}`);
      }
    });
}
