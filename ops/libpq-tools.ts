/**
 * Running libpq's own tools (psql, pg_dump, pg_restore) against a server as
 * the fleet commands reach it: the connection as a conninfo argument, the
 * password only in the child's environment (never on its command line), a
 * server of the fleet never handed the default server's PGPASSWORD.
 */
import { spawn } from 'node:child_process';
import { APPLICATION_NAME, type LoginAs, type ServerConnection, connectTimeoutSeconds } from './connection';

/**
 * libpq variables that can point a connection elsewhere than its conninfo's
 * host: PGHOSTADDR wins over `host` for the connection itself, and a service
 * (PGSERVICE, from PGSERVICEFILE) fills in a `hostaddr` the conninfo lacks.
 */
const DEFAULT_SERVER_ADDRESS_VARIABLES = ['PGHOSTADDR', 'PGSERVICE', 'PGSERVICEFILE'];

/**
 * The environment a tool inherits, without the secrets it never needs: every server's admin
 * password (PGPASSWORD_<NAME>) and Terraform's variables (TF_VAR_*, which hold the same and the
 * app's secrets). The one password it needs is set back explicitly.
 */
function inherited(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !/^(PGPASSWORD_|TF_VAR_)/.test(name)));
}

/** A libpq conninfo value, quoted. */
function conninfoValue(value: string | number): string {
  return `'${String(value).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The `--dbname` argument and the environment a libpq tool connects with. */
export interface ToolConnection {
  readonly dbname: string;
  readonly env: NodeJS.ProcessEnv;
}

/** How a libpq tool reaches `database` on the connection's server, as its admin or as `as`. */
export function toolConnection(connection: ServerConnection, database: string, env: NodeJS.ProcessEnv, as?: LoginAs): ToolConnection {
  const timeout = connectTimeoutSeconds(env);
  const common = { PGAPPNAME: APPLICATION_NAME, PGCONNECT_TIMEOUT: String(timeout) };
  const server = connection.server;
  if (server) {
    const childEnv: NodeJS.ProcessEnv = { ...inherited(env), ...common };
    // Another server's: libpq would send it here. Without a password of its own, libpq reads ~/.pgpass itself.
    delete childEnv.PGPASSWORD;
    // The default server's address: the conninfo's host loses to a hostaddr from either, so the password would go there.
    for (const variable of DEFAULT_SERVER_ADDRESS_VARIABLES) delete childEnv[variable];
    const password = as?.password ?? (env[server.passwordVariable] || env[`TF_VAR_${server.passwordVariable.toLowerCase()}`]);
    if (password) childEnv.PGPASSWORD = password;
    const parts: [string, string | number | undefined][] = [
      ['host', server.host],
      ['port', server.port],
      ['dbname', database],
      ['user', as?.user ?? server.user],
      ['sslmode', server.sslmode],
      ['sslrootcert', server.sslmode !== 'disable' ? server.sslrootcert : undefined],
    ];
    return { dbname: parts.filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${conninfoValue(v!)}`).join(' '), env: childEnv };
  }
  if (connection.url) {
    const url = new URL(connection.url);
    url.pathname = `/${encodeURIComponent(database)}`;
    const password = as?.password ?? (url.password ? decodeURIComponent(url.password) : env.PGPASSWORD);
    url.password = '';
    if (as) url.username = encodeURIComponent(as.user);
    const childEnv: NodeJS.ProcessEnv = { ...inherited(env), ...common };
    delete childEnv.PGPASSWORD;
    if (password) childEnv.PGPASSWORD = password;
    return { dbname: url.toString(), env: childEnv };
  }
  const childEnv: NodeJS.ProcessEnv = { ...inherited(env), ...common, ...(as && { PGUSER: as.user, PGPASSWORD: as.password }) };
  return { dbname: `dbname=${conninfoValue(database)}`, env: childEnv };
}

/** What a tool run printed and how it ended. */
export interface ToolRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a libpq tool to its end; `input` goes to its stdin. A tool not installed is an error naming it. */
export function runTool(tool: string, args: readonly string[], env: NodeJS.ProcessEnv, input?: string): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new Error(`${tool} is not installed (not on PATH): install the PostgreSQL client tools of the servers' newest major`) : error),
    );
    child.on('close', (status) => resolve({ status: status ?? 1, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** The major version of an installed tool (`pg_dump (PostgreSQL) 15.18` → 15). */
export async function toolMajor(tool: string): Promise<number> {
  const run = await runTool(tool, ['--version'], process.env);
  const match = /\(PostgreSQL\) (\d+)/.exec(run.stdout);
  if (!match) throw new Error(`could not read the version of ${tool}: ${run.stdout.trim() || run.stderr.trim()}`);
  return Number(match[1]);
}
