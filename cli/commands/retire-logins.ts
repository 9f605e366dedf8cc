import type { Command } from 'commander';
import { retireStaleLogins } from '../../ops/fleet';
import { connectionOfTenant } from '../../ops/server-connections';
import { connectionFrom, withConnectionOptions } from '../connection-options';
import type { CliIo } from '../io';
import { postgresTenantByKey, registry } from '../registry';

/**
 * `tenants retire-logins <key>`: the tenant's logins its file no longer has
 * lose their logins, memberships, sessions and what they own in its
 * database (the deploy runs it whenever the tenant's logins change).
 */
export function registerRetireLogins(program: Command, io: CliIo): void {
  withConnectionOptions(
    program
      .command('retire-logins')
      .description("retire the logins of people removed from a tenant's file: no login, no membership, no session, what they own given to the owner")
      .argument('<key>', 'tenant key')
      .option('--dry-run', 'only list the logins it would retire'),
  ).action(async (key: string, options: { url?: string; dryRun?: boolean }) => {
    const reg = registry(io.env);
    const tenant = postgresTenantByKey(reg, key);
    const connection = connectionOfTenant(tenant, reg.servers, connectionFrom(options, io));
    const { retired } = await retireStaleLogins(tenant, connection, io.env, options.dryRun);
    const verb = options.dryRun ? 'would retire' : 'retired';
    io.stdout.write(retired.length ? `${verb}: ${retired.join(', ')}\n` : `${tenant.key}: no login to retire\n`);
  });
}
