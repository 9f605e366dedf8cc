import type { Command } from 'commander';
import { setLifecycle } from '../lifecycle';
import type { CliIo } from '../io';
import { registry, tenantByKey } from '../registry';
import { CommandFailed } from '../errors';

/** `tenants maintenance <key> [--off]`: the state in which a restored database may be swapped in. */
export function registerMaintenance(program: Command, io: CliIo): void {
  program
    .command('maintenance')
    .description("put a tenant in maintenance (a restored database may be swapped in; migrate --all leaves it alone), or take it out with --off")
    .argument('<key>', 'tenant key')
    .option('--off', 'back to active')
    .option('--dry-run', 'show the change to the tenant file, and change nothing')
    .action(async (key: string, options: { off?: boolean; dryRun?: boolean }) => {
      const reg = registry(io.env);
      const tenant = tenantByKey(reg, key);
      if (options.off) {
        if (tenant.lifecycle === 'offboarding') throw new CommandFailed(`${key} is offboarding, not in maintenance: npx tenants offboard ${key} --cancel ends that`);
        if (tenant.lifecycle === 'maintenance') await setLifecycle(reg.dir, tenant, 'active', io, options.dryRun);
        if (!options.dryRun) io.stdout.write(`${key} is active.\n`);
        return;
      }
      if (tenant.lifecycle === 'offboarding') throw new CommandFailed(`${key} is offboarding; a swap is allowed as it is`);
      if (tenant.lifecycle !== 'maintenance') await setLifecycle(reg.dir, tenant, 'maintenance', io, options.dryRun);
      if (!options.dryRun) io.stdout.write(`${key} is in maintenance (${tenant.file}): migrate --all leaves it alone, and a restored database may be swapped in.\n`);
    });
}
