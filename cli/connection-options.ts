import { type Command, Option } from 'commander';
import { type ServerConnection, urlHasPassword } from '../ops/connection';
import { colour } from './output';
import { UsageError } from './errors';

/** Adds --url (or TENANTS_ADMIN_URL) to a command that connects to tenant databases. */
export function withConnectionOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--url <url>', 'server admin URL, e.g. postgres://postgres@db:5432/postgres (default: the libpq environment, PGHOST, PGUSER, ...)').env(
        'TENANTS_ADMIN_URL',
      ),
    )
    .addHelpText('after', '\nThe password is best kept out of the URL: set PGPASSWORD or use ~/.pgpass.');
}

/** The connection the options describe; warns when a password is on the command line. */
export function connectionFrom(options: { url?: string }): ServerConnection {
  if (!options.url) return {};
  try {
    new URL(options.url);
  } catch {
    throw new UsageError(`--url "${options.url}" is not a URL; use postgres://user@host:5432/postgres`);
  }
  if (urlHasPassword(options.url)) {
    process.stderr.write(
      colour.yellow('warning: the --url carries a password, which shows in `ps` and shell history; leave it out and set PGPASSWORD or use ~/.pgpass\n'),
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
