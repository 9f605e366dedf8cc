/**
 * Which server each fleet command reaches for a tenant: the tenant's own,
 * from the registry. The default server is the environment's (or --url); a
 * server of the fleet is its file's address with its own password; a lambda
 * tenant's RDS instance is reached only when named on its own, through the
 * environment its deploy sets.
 */
import { DEFAULT_SERVER } from '../model/servers';
import { type Server, type Tenant, placedOn, serverOf } from '../tenants/registry';
import type { FleetServerAddress, ServerConnection } from './connection';

/** A server of the fleet as the platform's sessions reach it; none for the default server (the environment's). */
export function fleetServerAddress(server: Server): FleetServerAddress | undefined {
  if (server.name === DEFAULT_SERVER || server.host === undefined || server.adminRole === undefined || server.sslmode === undefined) return undefined;
  return {
    name: server.name,
    host: server.host,
    port: server.port,
    user: server.adminRole,
    sslmode: server.sslmode,
    ...(server.rootCertificate !== undefined && { sslrootcert: server.rootCertificate }),
    passwordVariable: server.passwordVariable,
  };
}

/** The connection of a server: `environment` (the --url, or the libpq environment) for the default one. */
export function connectionOfServer(server: Server | undefined, environment: ServerConnection): ServerConnection {
  const address = server && fleetServerAddress(server);
  return address ? { server: address } : environment;
}

/** The connection of a tenant's server. */
export function connectionOfTenant(tenant: Tenant, servers: readonly Server[], environment: ServerConnection): ServerConnection {
  return connectionOfServer(placedOn(servers, tenant), environment);
}

/** The server a fleet command groups a tenant under: its server's name, or `rds:<key>` for a lambda tenant's own instance. */
export function serverLabel(tenant: Tenant): string {
  return serverOf(tenant) ?? `rds:${tenant.key}`;
}

/** How to open psql on a server as its admin, for a script's header. */
export function psqlCommand(server: Server | undefined): string {
  const address = server && fleetServerAddress(server);
  if (!address) return 'psql -d postgres   # the default server: PGHOST, PGPORT, PGUSER from the environment';
  const cert = address.sslrootcert ? ` sslrootcert=${address.sslrootcert}` : '';
  return `psql "host=${address.host} port=${address.port} user=${address.user} dbname=postgres sslmode=${address.sslmode}${cert}"   # password: ${address.passwordVariable} or ~/.pgpass`;
}
