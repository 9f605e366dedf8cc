import { Command, CommanderError } from 'commander';
import { ProblemsError } from '../constructs/errors';
import { registerAdd } from './commands/add';
import { registerCheckPlan } from './commands/check-plan';
import { registerCompose } from './commands/compose';
import { registerImportTfvars } from './commands/import-tfvars';
import { registerList } from './commands/list';
import { registerMigrate } from './commands/migrate';
import { registerOffboard } from './commands/offboard';
import { registerShow } from './commands/show';
import { registerServerSql } from './commands/server-sql';
import { registerSql } from './commands/sql';
import { registerStatus } from './commands/status';
import { CommandFailed, CommandInterrupted, EXIT, UsageError } from './errors';
import { errorColour } from './output';

// Composition only: one program, one register function per command.
const program = new Command('tenants')
  .description('Operate the usual-store tenant fleet: one isolated database, roles and app per customer.')
  .exitOverride()
  .showHelpAfterError('(add --help for usage)');
for (const register of [registerAdd, registerList, registerShow, registerSql, registerServerSql, registerMigrate, registerStatus, registerCompose, registerOffboard, registerImportTfvars, registerCheckPlan]) {
  register(program);
}

function fail(code: number, message: string): never {
  process.stderr.write(`${errorColour.red('error:')} ${message}\n`);
  process.exit(code);
}

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof CommanderError) {
    // Help and version exit 0; every other parse error is a usage error.
    process.exit(error.exitCode === 0 ? EXIT.ok : EXIT.usage);
  }
  if (error instanceof Error && error.name === 'ExitPromptError') fail(EXIT.failure, 'cancelled; nothing was written');
  if (error instanceof UsageError) fail(EXIT.usage, `${error.message}\n(add --help for usage)`);
  if (error instanceof ProblemsError || error instanceof CommandFailed) fail(EXIT.failure, error.message);
  if (error instanceof CommandInterrupted) fail(EXIT.interrupted, error.message);
  fail(EXIT.failure, error instanceof Error ? (error.stack ?? error.message) : String(error));
});
