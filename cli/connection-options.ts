import { type Command, Option } from 'commander';
import { existsSync } from 'node:fs';
import { type ServerConnection, redactUrl, urlHasPassword } from '../ops/connection';
import { type MigrationSet, readMigrations } from '../ops/migration-files';
import type { CliIo } from './io';
import { UsageError } from './errors';

/** Adds --url (or TENANTS_ADMIN_URL) and, for commands that read the migrations, --schema-dir to a command that connects to tenant databases. */
export function withConnectionOptions(command: Command, options: { schemaDir?: boolean } = {}): Command {
  if (options.schemaDir !== false) command.option('--schema-dir <dir>', 'migrations to use, e.g. to try a new one before it merges (default: the project\'s schema/)');
  return command
    .addOption(
      new Option('--url <url>', 'server admin URL, e.g. postgres://postgres@db:5432/postgres (default: the libpq environment, PGHOST, PGUSER, ...)').env(
        'TENANTS_ADMIN_URL',
      ),
    )
    .addHelpText('after', '\nThe password is best kept out of the URL: set PGPASSWORD or use ~/.pgpass.');
}

/** The connection the options describe; warns when a password is on the command line. */
export function connectionFrom(options: { url?: string }, io: CliIo): ServerConnection {
  if (!options.url) return {};
  try {
    new URL(options.url);
  } catch {
    throw new UsageError(`--url "${redactUrl(options.url)}" is not a URL; use postgres://user@host:5432/postgres`);
  }
  if (urlHasPassword(options.url)) {
    io.stderr.write(
      io.errorColour.yellow('warning: the --url carries a password, which shows in `ps` and shell history; leave it out and set PGPASSWORD or use ~/.pgpass\n'),
    );
  }
  return { url: options.url };
}

/** Parses --concurrency. */
export function concurrency(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`--concurrency "${value}" must be a whole number from 1 to 64`);
  return n;
}

/** Parses --per-server. */
export function perServer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`--per-server "${value}" must be a whole number from 1 to 64`);
  return n;
}

/** Adds --server and --concurrency/--per-server to a fleet command. */
export function withFleetOptions(command: Command, defaults: { overall: number; perServer: number; what: string }): Command {
  return command
    .option('--server <name>', 'only the tenants of this server (servers/<name>.ts, or "default")')
    .addOption(new Option('--concurrency <n>', `${defaults.what} at once, in all`).argParser(concurrency).default(defaults.overall))
    .addOption(new Option('--per-server <n>', `${defaults.what} at once on one server`).argParser(perServer).default(defaults.perServer));
}

/** The migrations of --schema-dir, or the project's own. */
export function migrationsFrom(options: { schemaDir?: string }): MigrationSet {
  if (options.schemaDir !== undefined && !existsSync(options.schemaDir)) {
    throw new UsageError(`--schema-dir "${options.schemaDir}" does not exist; give a directory of NNNN.do.<name>.sql files`);
  }
  return readMigrations(options.schemaDir);
}

/** Adds --url (or TENANTS_ADMIN_URL) to a command that connects to servers but reads no migrations. */
export function withUrlOption(command: Command): Command {
  return withConnectionOptions(command, { schemaDir: false });
}
