/**
 * How the fleet commands reach a tenant's database: an admin URL whose
 * database part is replaced per tenant, or the libpq environment (PGHOST,
 * PGPORT, PGUSER, PGPASSWORD, PGSSLMODE, PGSSLROOTCERT, ~/.pgpass) when no
 * URL is given. `sslmode` means what it means to libpq and to the Terraform
 * provider: node-postgres on its own would treat `require` as verify-full
 * against Node's CA list and refuse an RDS certificate, and knows neither
 * `prefer`'s nor `allow`'s fallback.
 */
import { existsSync } from 'node:fs';
import { Client, type ClientConfig } from 'pg';
import { parse } from 'pg-connection-string';
import pgpass = require('pgpass');
import { SSLMODES } from '../model/servers';

/** The server admin's connection, without a database. */
export interface ServerConnection {
  /** `postgres://admin@host:5432/postgres`; the password is best left to PGPASSWORD or ~/.pgpass. */
  readonly url?: string;
  /**
   * A server of the fleet (`servers/<name>.ts`): reached at its own address
   * as its own admin, whatever PGHOST, PGUSER or --url say, with the
   * password of its own variable or ~/.pgpass, never PGPASSWORD.
   */
  readonly server?: FleetServerAddress;
}

/** Where a server of the fleet is and who administers it; no password. */
export interface FleetServerAddress {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly sslmode: string;
  readonly sslrootcert?: string;
  /** The environment variable of the admin's password, e.g. PGPASSWORD_EU_SHARED_1. */
  readonly passwordVariable: string;
}

/** Who logs in, when not the server admin of the connection (the migrator, with its one-off password). */
export interface LoginAs {
  readonly user: string;
  readonly password: string;
}

/** What the platform's sessions call themselves in pg_stat_activity, so a stuck one is easy to name. */
export const APPLICATION_NAME = 'usual-store-tenants';

/** Seconds to wait for a server to answer when PGCONNECT_TIMEOUT is not set. */
export const DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;

/**
 * PGCONNECT_TIMEOUT as libpq reads it (seconds; below 2 counts as 2), except
 * that unset means {@link DEFAULT_CONNECT_TIMEOUT_SECONDS}, not forever: a
 * server that accepts TCP and never answers must not hang a deploy. 0 waits
 * forever, as in libpq.
 */
export function connectTimeoutSeconds(env: NodeJS.ProcessEnv): number {
  const raw = env.PGCONNECT_TIMEOUT;
  if (raw === undefined || raw.trim() === '') return DEFAULT_CONNECT_TIMEOUT_SECONDS;
  const seconds = Number.parseInt(raw, 10);
  if (!Number.isFinite(seconds)) throw new Error(`PGCONNECT_TIMEOUT "${raw}" is not a whole number of seconds; set it to e.g. 10, or 0 to wait forever`);
  return seconds <= 0 ? 0 : Math.max(2, seconds);
}

/** Whether a URL carries a password, which then shows in `ps` and shell history. */
export function urlHasPassword(url: string): boolean {
  try {
    return new URL(url).password !== '';
  } catch {
    return false;
  }
}

/** A URL fit to print: its password, if any, replaced. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@');
  }
}

/** TLS options for an sslmode (and root certificate), with libpq's meaning; none without an sslmode. */
function libpqSsl(sslmode: string | undefined, sslrootcert: string | undefined): ClientConfig['ssl'] {
  if (!sslmode) return undefined;
  const query = new URLSearchParams({ sslmode, uselibpqcompat: 'true', ...(sslrootcert && { sslrootcert }) });
  return parse(`postgres://localhost/x?${query}`).ssl as ClientConfig['ssl'];
}


/**
 * The modes to try, in order, for an sslmode, as libpq does: `prefer` tries
 * TLS and, when TLS fails (no TLS on the server, a certificate that does not
 * verify against PGSSLROOTCERT, a server that refuses TLS), a plain
 * connection; `allow` tries a plain connection and, when the server refuses
 * it, TLS. The TLS attempt is node-postgres's `require` with libpq's meaning:
 * no certificate check unless a root certificate is given, then the CA check.
 */
function attempts(sslmode: string | undefined): { mode: string | undefined; retryIf?: RegExp }[] {
  const tlsFailed = /SSL|TLS|certificate/i;
  if (sslmode === 'prefer') return [{ mode: 'require', retryIf: tlsFailed }, { mode: 'disable' }];
  if (sslmode === 'allow') return [{ mode: 'disable', retryIf: /no encryption|SSL/i }, { mode: 'require' }];
  return [{ mode: sslmode }];
}

/** The sslmode in effect: the fleet server's, the URL's, else PGSSLMODE; an unknown one is refused, as libpq refuses it. */
function sslmodeOf(connection: ServerConnection, env: NodeJS.ProcessEnv): string | undefined {
  const mode = connection.server?.sslmode ?? ((connection.url && new URL(connection.url).searchParams.get('sslmode')) || env.PGSSLMODE || undefined);
  if (mode !== undefined && !(SSLMODES as readonly string[]).includes(mode)) {
    throw new Error(`sslmode "${mode}" is not one of ${SSLMODES.join(', ')}; set PGSSLMODE or the URL's sslmode to one of them`);
  }
  return mode;
}

/**
 * PGSSLROOTCERT as libpq uses it: never without TLS, and, short of the
 * verify modes (which need it), only when the file is there.
 */
function rootCertificate(sslmode: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const file = env.PGSSLROOTCERT;
  if (!file || !sslmode || sslmode === 'disable') return undefined;
  return sslmode.startsWith('verify-') || existsSync(file) ? file : undefined;
}

/**
 * The admin password of a server of the fleet: its variable, else the
 * matching line of ~/.pgpass (PGPASSFILE), looked up only when the server
 * asks; never PGPASSWORD, which belongs to the default server.
 */
function fleetServerPassword(server: FleetServerAddress, env: NodeJS.ProcessEnv): string | (() => Promise<string>) {
  // TF_VAR_pgpassword_<name> too: the deploy's runner inherits whichever the deploying shell set for Terraform.
  const fromVariable = env[server.passwordVariable] || env[`TF_VAR_${server.passwordVariable.toLowerCase()}`];
  if (fromVariable) return fromVariable;
  return () =>
    new Promise((resolve, reject) => {
      pgpass({ host: server.host, port: server.port, database: '*', user: server.user }, (password?: string) =>
        password !== undefined
          ? resolve(password)
          : reject(
              new Error(
                `no password for the admin of server "${server.name}": set ${server.passwordVariable}, or add ${server.host}:${server.port}:*:${server.user}:<password> to ~/.pgpass`,
              ),
            ),
      );
    });
}

/** A client configuration for one database on the server, for one attempt's sslmode. */
function clientConfig(connection: ServerConnection, database: string, env: NodeJS.ProcessEnv, sslmode: string | undefined, as?: LoginAs): ClientConfig {
  const timeout = connectTimeoutSeconds(env);
  const common: ClientConfig = { application_name: APPLICATION_NAME, ...(timeout > 0 && { connectionTimeoutMillis: timeout * 1000 }) };
  const server = connection.server;
  if (server) {
    // Every field given, so node-postgres reads none of PGHOST, PGUSER, PGPASSWORD or PGSSLMODE (the default server's).
    const certificate = sslmode && sslmode !== 'disable' ? server.sslrootcert : undefined;
    const ssl = libpqSsl(sslmode, certificate) ?? false;
    return {
      ...common,
      host: server.host,
      port: server.port,
      database,
      user: as ? as.user : server.user,
      password: as ? as.password : fleetServerPassword(server, env),
      ssl,
    };
  }
  const rootcert = rootCertificate(sslmode, env);
  if (!connection.url) {
    const ssl = libpqSsl(sslmode, rootcert);
    // The libpq variables of `env` (node-postgres would read process.env's), so a caller's environment is the one used.
    const libpq: ClientConfig = {
      ...(env.PGHOST && { host: env.PGHOST }),
      ...(env.PGPORT && { port: Number(env.PGPORT) }),
      ...(env.PGUSER && { user: env.PGUSER }),
      ...(env.PGPASSWORD && { password: env.PGPASSWORD }),
    };
    return { ...common, ...libpq, database, ...(as && { user: as.user, password: as.password }), ...(ssl !== undefined && { ssl }) };
  }
  const url = new URL(connection.url);
  url.pathname = `/${encodeURIComponent(database)}`;
  if (as) {
    // Only ever in this in-memory URL, never printed.
    url.username = encodeURIComponent(as.user);
    url.password = encodeURIComponent(as.password);
  }
  const query = url.searchParams;
  if (sslmode) {
    query.set('sslmode', sslmode);
    if (rootcert && !query.has('sslrootcert')) query.set('sslrootcert', rootcert);
    if (!query.has('uselibpqcompat')) query.set('uselibpqcompat', 'true');
  }
  return { ...common, connectionString: url.toString() };
}

/**
 * The database the admin's own sessions use, away from any tenant's: the
 * URL's database, else PGDATABASE, else `postgres` (always, on a server of the fleet).
 */
export function maintenanceDatabase(connection: ServerConnection, env: NodeJS.ProcessEnv = process.env): string {
  // PGDATABASE is the default server's, like the rest of the environment.
  if (connection.server) return 'postgres';
  if (connection.url) {
    const name = decodeURIComponent(new URL(connection.url).pathname.replace(/^\//, ''));
    if (name) return name;
  }
  return env.PGDATABASE || 'postgres';
}

/** A connection error, with what a person needs to act on it. */
function explained(error: unknown, client: Client | undefined, env: NodeJS.ProcessEnv): unknown {
  const message = error instanceof Error ? error.message : String(error);
  const where = client ? `${client.host}:${client.port}` : 'the server';
  if (/timeout expired|connection timeout/i.test(message)) {
    const seconds = connectTimeoutSeconds(env);
    return Object.assign(new Error(`no answer from ${where} within ${seconds} s (PGCONNECT_TIMEOUT): check the host and port, and that a PostgreSQL server listens there`), {
      code: 'ETIMEDOUT',
    });
  }
  if ((error as { code?: string }).code === 'ENOTFOUND') {
    return Object.assign(new Error(`no host "${client?.host ?? 'the server'}" is known (ENOTFOUND: DNS has no address for it): check the host name`), { code: 'ENOTFOUND' });
  }
  if ((error as { code?: string }).code === 'ECONNREFUSED') {
    return Object.assign(new Error(`nothing listens at ${where}: set PGHOST and PGPORT (or --url postgres://admin@host:5432/postgres) to the database server`), {
      code: 'ECONNREFUSED',
    });
  }
  return error;
}

/**
 * A connected client for one database, as the server admin of the connection
 * or as another login (`as`); the caller ends it.
 */
export async function connectTo(connection: ServerConnection, database: string, env: NodeJS.ProcessEnv = process.env, as?: LoginAs): Promise<Client> {
  const tries = attempts(sslmodeOf(connection, env));
  const failures: string[] = [];
  for (const [index, { mode, retryIf }] of tries.entries()) {
    let client: Client | undefined;
    try {
      // Built inside the try: a verify mode's missing root certificate is this attempt's failure.
      client = new Client(clientConfig(connection, database, env, mode, as));
      await client.connect();
      return client;
    } catch (caught) {
      await client?.end().catch(() => undefined);
      const error = explained(caught, client, env);
      const message = error instanceof Error ? error.message : String(error);
      const reason = `${mode === 'disable' ? 'without' : 'with'} TLS: ${message}`;
      if (index < tries.length - 1 && retryIf?.test(message)) {
        // A server without TLS is what prefer expects; any other reason is worth reporting if the next attempt fails too.
        if (!/does not support SSL/i.test(message)) failures.push(reason);
        continue;
      }
      if (!failures.length) throw error;
      // As libpq does, every attempt's reason, so a certificate error is not hidden behind the plain attempt's refusal;
      // the last error's code (3D000, 28P01, …) is kept for whoever reads it.
      const combined = new Error([...failures, reason].join('; then '), { cause: error });
      throw Object.assign(combined, { code: (error as { code?: string }).code });
    }
  }
  throw new Error('unreachable: no connection attempt was made');
}
