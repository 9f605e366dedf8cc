import type { Command } from 'commander';
import { prepareTenant } from '../../ops/fleet';
import { connectionFrom, withConnectionOptions } from '../connection-options';
import type { CliIo } from '../io';
import { postgresTenantByKey, registry } from '../registry';

/**
 * `tenants prepare <key>`: the deploy's first step in a tenant's database
 * (TenantStack runs it right after creating or importing the database).
 */
export function registerPrepare(program: Command, io: CliIo): void {
  withConnectionOptions(
    program
      .command('prepare')
      .description("the deploy's first step in a tenant database: pin the admin's settings there, adopt an original database, send strangers away")
      .argument('<key>', 'tenant key'),
  ).action(async (key: string, options: { url?: string }) => {
    const tenant = postgresTenantByKey(registry(io.env), key);
    const { warnings } = await prepareTenant(tenant, connectionFrom(options, io), io.env);
    for (const warning of warnings) io.stderr.write(`${io.errorColour.yellow(`warning: ${warning}`)}\n`);
    io.stdout.write(`prepared ${tenant.database.name}\n`);
  });
}
