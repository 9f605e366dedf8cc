import { Command, CommanderError } from 'commander';
import { ProblemsError } from '../model/problems';
import { version } from '../package.json';
import { registerAdd } from './commands/add';
import { registerBackup } from './commands/backup';
import { registerCheckPlan } from './commands/check-plan';
import { registerCompletion } from './commands/completion';
import { registerCompose } from './commands/compose';
import { registerDrift } from './commands/drift';
import { registerImportTfvars } from './commands/import-tfvars';
import { registerList } from './commands/list';
import { registerMaintenance } from './commands/maintenance';
import { registerManifests } from './commands/manifests';
import { registerMigrate } from './commands/migrate';
import { registerMove } from './commands/move';
import { registerMongoProvision } from './commands/mongo-provision';
import { registerOffboard } from './commands/offboard';
import { registerPrepare } from './commands/prepare';
import { registerRestore } from './commands/restore';
import { registerRetireLogins } from './commands/retire-logins';
import { registerReview } from './commands/review';
import { registerServerSql } from './commands/server-sql';
import { registerServers } from './commands/servers';
import { registerShow } from './commands/show';
import { registerSql } from './commands/sql';
import { registerStatus } from './commands/status';
import { registerValidate } from './commands/validate';
import { COMPLETE_COMMAND, complete, registryKeys } from './completion';
import { CommandFailed, CommandInterrupted, EXIT, USAGE_HINT, UsageError } from './errors';
import type { CliIo } from './io';
import { tenantsDir } from '../tenants/registry';

/** Adds one command to the program, writing through the io. */
type Register = (program: Command, io: CliIo) => void;

const COMMANDS: readonly Register[] = [
  registerAdd,
  registerList,
  registerShow,
  registerSql,
  registerServerSql,
  registerServers,
  registerMigrate,
  registerMove,
  registerBackup,
  registerRestore,
  registerMaintenance,
  registerStatus,
  registerDrift,
  registerPrepare,
  registerRetireLogins,
  registerMongoProvision,
  registerCompose,
  registerManifests,
  registerOffboard,
  registerImportTfvars,
  registerCheckPlan,
  registerReview,
  registerValidate,
  registerCompletion,
];

/**
 * The `tenants` program: every command, writing through `io`. Commander's
 * own exits (help, version, parse errors) throw a CommanderError instead of
 * ending the process; {@link runTenants} turns them into exit codes.
 */
export function createProgram(io: CliIo): Command {
  const program = new Command('tenants')
    .description('Operate the usual-store tenant fleet: one isolated database, roles and app per customer.')
    .version(version, '-V, --version', 'print the version')
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .exitOverride()
    .showHelpAfterError(USAGE_HINT)
    // Replaced below: commander's own help command answers an unknown command with the whole help and no error.
    .helpCommand(false);
  for (const register of COMMANDS) register(program, io);
  program
    .command('help')
    .description('display help for command')
    .argument('[command]', 'the command to explain')
    .action((name: string | undefined) => {
      if (name === undefined) return program.outputHelp();
      const command = program.commands.find((c) => c.name() === name || c.aliases().includes(name));
      if (!command) return program.error(`error: unknown command '${name}'`, { exitCode: EXIT.usage, code: 'commander.unknownCommand' });
      command.outputHelp();
    });
  return program;
}

/**
 * Runs the program on `argv` (the arguments after `tenants`) and returns the
 * exit code; never ends the process. Messages go to `io.stderr`.
 */
export async function runTenants(argv: readonly string[], io: CliIo): Promise<number> {
  const fail = (code: number, message: string): number => {
    io.stderr.write(`${io.errorColour.red('error:')} ${message}\n`);
    return code;
  };
  if (argv[0] === COMPLETE_COMMAND) {
    // For the completion scripts: a kind line (words or files), then the words. Never an error.
    const { kind, words } = complete(createProgram(io), argv.slice(1), () => registryKeys(tenantsDir(io.env)));
    io.stdout.write([kind, ...words, ''].join('\n'));
    return EXIT.ok;
  }
  try {
    await createProgram(io).parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    // Commander printed its own message (and the usage hint); help and version exit 0.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    // Ctrl-C at a prompt (inquirer's ExitPromptError).
    if (error instanceof Error && error.name === 'ExitPromptError') return fail(EXIT.interrupted, 'cancelled; nothing was written');
    if (error instanceof UsageError) return fail(EXIT.usage, `${error.message}\n${USAGE_HINT}`);
    if (error instanceof ProblemsError || error instanceof CommandFailed) return fail(EXIT.failure, error.message);
    if (error instanceof CommandInterrupted) return fail(EXIT.interrupted, error.message);
    return fail(EXIT.failure, error instanceof Error ? (error.stack ?? error.message) : String(error));
  }
}
