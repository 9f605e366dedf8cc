import type { Command } from 'commander';
import { renderServerBaselineSql } from '../../model/server-sql';
import type { CliIo } from '../io';

/** `tenants server-sql`: the optional baseline for a server dedicated to the fleet. */
export function registerServerSql(program: Command, io: CliIo): void {
  program
    .command('server-sql')
    .description("print the optional baseline for a server dedicated to the fleet: PUBLIC may no longer connect to postgres and template1 (idempotent)")
    .addHelpText('after', '\nExample:\n  npx tenants server-sql | psql -h db.example.com -U postgres -d postgres')
    .action(() => {
      io.stdout.write(renderServerBaselineSql());
    });
}
