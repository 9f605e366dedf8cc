import type { Command } from 'commander';
import { formatProblem } from '../../model/problems';
import { checkRegistry, serversDir, tenantsDir } from '../../tenants/registry';
import { displayPath } from '../../tenants/registry';
import { CommandFailed } from '../errors';
import type { CliIo } from '../io';

/** `tenants validate`: the registry's checks alone, every problem at once; exit 1 when there is any. */
export function registerValidate(program: Command, io: CliIo): void {
  program
    .command('validate')
    .description('check every tenant and server file, the rules across the fleet and where tenants are placed, reporting every problem (what synth checks first)')
    .option('--json', 'machine-readable output: { valid, tenants, servers, problems: [{ file, field, value, rule, message }] }')
    .action((options: { json?: boolean }) => {
      const dir = tenantsDir(io.env);
      const { tenants, servers, problems } = checkRegistry(dir, serversDir(io.env));
      if (options.json) {
        const report = { valid: problems.length === 0, tenants: tenants.length, servers: servers.length, problems: problems.map((p) => ({ ...p, message: formatProblem(p) })) };
        io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        if (problems.length) throw new CommandFailed(`${displayPath(dir)} has ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
        return;
      }
      if (problems.length) {
        throw new CommandFailed(
          `${displayPath(dir)} has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  - ${formatProblem(p)}`).join('\n')}`,
        );
      }
      io.stdout.write(io.colour.green(`${displayPath(dir)}: ${tenants.length} tenant${tenants.length === 1 ? '' : 's'} on ${servers.length} server${servers.length === 1 ? '' : 's'}, no problems.\n`));
    });
}
