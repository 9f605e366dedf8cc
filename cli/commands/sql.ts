import type { Command } from 'commander';
import { accessModel } from '../../model/access-model';
import { renderAccessSql } from '../../model/access-sql';
import type { CliIo } from '../io';
import { postgresTenantByKey, registry } from '../registry';

/** `tenants sql <key>`: the tenant's access model as an idempotent psql script. */
export function registerSql(program: Command, io: CliIo): void {
  program
    .command('sql')
    .description("print the SQL that creates a tenant's database, roles and privileges (idempotent; no passwords)")
    .argument('<key>', 'tenant key')
    .addHelpText('after', '\nExample:\n  npx tenants sql building_shop | psql -h db.example.com -U postgres -d postgres')
    .action((key: string) => {
      io.stdout.write(renderAccessSql(accessModel(postgresTenantByKey(registry(io.env), key))));
    });
}
