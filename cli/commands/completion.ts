import * as path from 'node:path';
import type { Command } from 'commander';
import { SHELLS, completionScript } from '../completion';
import { UsageError } from '../errors';
import type { CliIo } from '../io';

/** The bin the scripts run: this checkout's, wherever the shell is. */
const BIN = path.resolve(__dirname, '..', '..', 'bin', 'tenants.js');

/** `tenants completion bash|zsh`: a completion script for the shell. */
export function registerCompletion(program: Command, io: CliIo): void {
  program
    .command('completion')
    .description('print a shell completion script (commands, options, tenant keys): source <(npx tenants completion bash)')
    .argument('<shell>', SHELLS.join(' | '))
    .action((shell: string) => {
      if (!(SHELLS as readonly string[]).includes(shell)) throw new UsageError(`shell "${shell}" is not supported; use one of ${SHELLS.join(', ')}`);
      io.stdout.write(completionScript(shell as (typeof SHELLS)[number], BIN));
    });
}
