/**
 * What a server says about itself and its tenants' databases, read in the
 * admin's pinned session in the maintenance database: catalog functions and
 * views only, nothing a tenant made.
 */
import type { ServerConnection } from './connection';
import { maintenanceDatabase } from './connection';
import { openAdminSession } from './admin-session';

const EQ = 'OPERATOR(pg_catalog.=)';

/** One tenant database as the server sees it; absent when it does not exist there. */
export interface DatabaseStats {
  readonly sizeBytes: number;
  readonly connections: number;
}

/** A server's own numbers. */
export interface ServerStats {
  /** `server_version`, e.g. 16.4. */
  readonly version: string;
  readonly maxConnections: number;
  readonly reservedConnections: number;
  /** Client sessions on the whole server, the platform's included. */
  readonly connections: number;
  readonly databases: ReadonlyMap<string, DatabaseStats>;
}

/** Reads a server's numbers and those of the given databases. */
export async function serverStats(connection: ServerConnection, databases: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<ServerStats> {
  const admin = await openAdminSession(connection, maintenanceDatabase(connection, env), env);
  try {
    const settings = await admin.query<{ version: string; max: string; reserved: string; connections: string }>(
      `SELECT pg_catalog.current_setting('server_version') AS version,
              pg_catalog.current_setting('max_connections') AS max,
              (pg_catalog.current_setting('superuser_reserved_connections')::pg_catalog.int4
                + COALESCE(pg_catalog.current_setting('reserved_connections', true)::pg_catalog.int4, 0))::pg_catalog.text AS reserved,
              (SELECT pg_catalog.count(*) FROM pg_catalog.pg_stat_activity WHERE backend_type ${EQ} 'client backend')::pg_catalog.text AS connections`,
    );
    // Sizes only of databases the admin may connect to (it is a member of each tenant's owner); others would fail the query.
    const rows = await admin.query<{ datname: string; size: string; connections: string }>(
      `SELECT d.datname,
              pg_catalog.pg_database_size(d.oid)::pg_catalog.text AS size,
              (SELECT pg_catalog.count(*) FROM pg_catalog.pg_stat_activity a WHERE a.datid ${EQ} d.oid)::pg_catalog.text AS connections
         FROM pg_catalog.pg_database d
        WHERE d.datname ${EQ} ANY ($1::pg_catalog.text[])
          AND pg_catalog.has_database_privilege(d.oid, 'CONNECT')`,
      [databases],
    );
    const [s] = settings.rows;
    return {
      version: s.version,
      maxConnections: Number(s.max),
      reservedConnections: Number(s.reserved),
      connections: Number(s.connections),
      databases: new Map(rows.rows.map((r) => [r.datname, { sizeBytes: Number(r.size), connections: Number(r.connections) }])),
    };
  } finally {
    await admin.end().catch(() => undefined);
  }
}
