/**
 * How the fleet commands reach a tenant's database: an admin URL whose
 * database part is replaced per tenant, or the libpq environment (PGHOST,
 * PGPORT, PGUSER, PGPASSWORD, PGSSLMODE, PGSSLROOTCERT, ~/.pgpass) when no
 * URL is given. `sslmode` means what it means to libpq and to the Terraform
 * provider: node-postgres on its own would treat `require` as verify-full
 * against Node's CA list and refuse an RDS certificate.
 */
import { Client, type ClientConfig } from 'pg';
import { parse } from 'pg-connection-string';

/** The server admin's connection, without a database. */
export interface ServerConnection {
  /** `postgres://admin@host:5432/postgres`; the password is best left to PGPASSWORD or ~/.pgpass. */
  readonly url?: string;
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
export function libpqSsl(sslmode: string | undefined, sslrootcert: string | undefined): ClientConfig['ssl'] {
  if (!sslmode) return undefined;
  const query = new URLSearchParams({ sslmode, uselibpqcompat: 'true', ...(sslrootcert && { sslrootcert }) });
  return parse(`postgres://localhost/x?${query}`).ssl as ClientConfig['ssl'];
}

/** A client configuration for one database on the server. */
export function clientConfig(connection: ServerConnection, database: string, env: NodeJS.ProcessEnv = process.env): ClientConfig {
  if (!connection.url) {
    const ssl = libpqSsl(env.PGSSLMODE, env.PGSSLROOTCERT);
    return { database, ...(ssl !== undefined && { ssl }) };
  }
  const url = new URL(connection.url);
  url.pathname = `/${encodeURIComponent(database)}`;
  const query = url.searchParams;
  if (!query.has('sslmode') && env.PGSSLMODE) query.set('sslmode', env.PGSSLMODE);
  if (query.has('sslmode') && !query.has('sslrootcert') && env.PGSSLROOTCERT) query.set('sslrootcert', env.PGSSLROOTCERT);
  if (query.has('sslmode') && !query.has('uselibpqcompat')) query.set('uselibpqcompat', 'true');
  return { connectionString: url.toString() };
}

/** A connected client for one database; the caller ends it. */
export async function connectTo(connection: ServerConnection, database: string): Promise<Client> {
  const client = new Client(clientConfig(connection, database));
  await client.connect();
  return client;
}
