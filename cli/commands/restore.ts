import type { Command } from 'commander';
import { restoreBackup, restoredDatabaseName, swapDatabase } from '../../ops/backup';
import { dumpLocation } from '../../ops/backup-store';
import { connectionOfTenant } from '../../ops/server-connections';
import { connectionFrom, withUrlOption } from '../connection-options';
import { CommandFailed, UsageError } from '../errors';
import type { CliIo } from '../io';
import { table } from '../output';
import { postgresTenantByKey, registry } from '../registry';

interface RestoreOptions {
  readonly from?: string;
  readonly into?: string;
  readonly swap?: string;
  readonly url?: string;
}

/** `tenants restore <key> --from <dump> [--into <db>]` and `tenants restore <key> --swap <db>`. */
export function registerRestore(program: Command, io: CliIo): void {
  withUrlOption(
    program
      .command('restore')
      .description("restore a backup into a new database on the tenant's server, with its roles' privileges, and compare it with the manifest; or swap a restored database in")
      .argument('<key>', 'tenant key')
      .option('--from <dump>', 'the backup: a .dump of tenants backup (a path or an s3:// URL), its .json beside it')
      .option('--into <database>', 'the new database (default: <database>_restored_<timestamp>); never the live one')
      .option('--swap <database>', "swap a restored database in for the live one (the tenant must be in maintenance: npx tenants maintenance <key>); the live one is kept, renamed"),
  )
    .addHelpText(
      'after',
      '\nThe swap, step by step:\n' +
        '  npx tenants restore building_shop --from backups/building_shop/20261130T061500Z-5.dump\n' +
        '  npx tenants maintenance building_shop                  # migrate --all leaves it alone; the swap is allowed\n' +
        '  npx tenants restore building_shop --swap building_shop_restored_20261130t070000z\n' +
        '  bash scripts/cdktf.sh deploy building_shop             # Terraform finds the database under its name, as before\n' +
        '  npx tenants maintenance building_shop --off',
    )
    .action(async (key: string, options: RestoreOptions) => {
      const reg = registry(io.env);
      const tenant = postgresTenantByKey(reg, key);
      const connection = connectionOfTenant(tenant, reg.servers, connectionFrom(options, io));
      if (options.swap !== undefined) {
        if (options.from !== undefined || options.into !== undefined) throw new UsageError('--swap takes no --from or --into: it swaps a database restored before');
        if (tenant.lifecycle === 'active') {
          throw new CommandFailed(`${key} is active: a swap replaces its live database, so put it in maintenance first (npx tenants maintenance ${key}); nothing changed`);
        }
        const replaced = await swapDatabase(tenant, options.swap, connection, io.env);
        io.stdout.write(
          `${io.colour.green(`"${options.swap}" is now ${key}'s database "${tenant.database.name}"`)}; the one it replaced is kept as "${replaced}" (no connections allowed).\n` +
            `Next:\n  bash scripts/cdktf.sh deploy ${key}\n  npx tenants maintenance ${key} --off\n` +
            `Once sure, drop "${replaced}" on the server (DROP DATABASE ${replaced};).\n`,
        );
        return;
      }
      if (options.from === undefined) throw new UsageError('name the backup: --from <dump> (or --swap <database> to swap a restored one in)');
      const { store, name } = dumpLocation(options.from, io.env);
      const into = options.into ?? restoredDatabaseName(tenant.database.name, new Date());
      const result = await restoreBackup(tenant, store, name, connection, into, io.env).catch((error: unknown) => {
        throw new CommandFailed(`${store.where(name)} was not restored: ${error instanceof Error ? error.message : String(error)}`);
      });
      io.stdout.write(
        `${table(['table', 'rows'], Object.entries(result.tables).map(([t, n]) => [t, n]), io.colour)}\n` +
          `${io.colour.green(`Restored ${store.where(name)} into "${into}"`)} on ${tenant.database.server ?? 'its RDS instance'}: every table and row of the manifest, schema version ${result.schemaVersion}, the tenant's roles with their privileges. The live database is untouched.\n` +
          `To swap it in: npx tenants maintenance ${key} && npx tenants restore ${key} --swap ${into}\n`,
      );
    });
}
