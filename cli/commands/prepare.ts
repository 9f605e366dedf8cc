import type { Command } from 'commander';
import { prepareTenant } from '../../ops/fleet';
import { connectionOfTenant } from '../../ops/server-connections';
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
    const reg = registry(io.env);
    const tenant = postgresTenantByKey(reg, key);
    const connection = connectionOfTenant(tenant, reg.servers, connectionFrom(options, io));
    const { warnings } = await prepareTenant(tenant, connection, io.env);
    for (const warning of warnings) io.stderr.write(`${io.errorColour.yellow(`warning: ${warning}`)}\n`);
    io.stdout.write(`prepared ${tenant.database.name}\n`);
  });
}
