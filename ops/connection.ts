/**
 * How the fleet commands reach a tenant's database: an admin URL whose
 * database part is replaced per tenant, or the libpq environment (PGHOST,
 * PGPORT, PGUSER, PGPASSWORD, PGSSLMODE, ~/.pgpass) when no URL is given.
 */
import { Client, type ClientConfig } from 'pg';

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

/** A client configuration for one database on the server. */
export function clientConfig(connection: ServerConnection, database: string): ClientConfig {
  if (!connection.url) return { database };
  const url = new URL(connection.url);
  url.pathname = `/${encodeURIComponent(database)}`;
  return { connectionString: url.toString() };
}

/** A connected client for one database; the caller ends it. */
export async function connectTo(connection: ServerConnection, database: string): Promise<Client> {
  const client = new Client(clientConfig(connection, database));
  await client.connect();
  return client;
}
