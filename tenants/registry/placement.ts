/**
 * Where tenants go: each tenant on a server of the fleet, a closed server
 * keeping only its existing tenants, and no server promised more
 * connections than it has for tenants.
 */
import { type Problem } from '../../model/problems';
import { DEFAULT_SERVER, connectionDemand } from '../../model/servers';
import { serverRules } from './messages';
import type { Server } from './server-types';
import type { Tenant } from './types';

/** The tenants a server has, and what they can hold. */
export interface ServerLoad {
  readonly server: Server;
  readonly tenants: readonly Tenant[];
  /** The connections its tenants can hold, added up. */
  readonly demand: number;
  /** Slots for tenants: `maxConnections` less the reserved ones; unknown for the implicit default server. */
  readonly capacity?: number;
}

/** The server a tenant's database is on; none for a lambda tenant (its own RDS instance) or a MongoDB tenant (its own placement). */
export function serverOf(tenant: Tenant): string | undefined {
  return 'server' in tenant.database ? tenant.database.server : undefined;
}

/** The server a tenant's database is on, as the registry describes it; none for a lambda tenant. */
export function placedOn(servers: readonly Server[], tenant: Tenant): Server | undefined {
  const name = serverOf(tenant);
  return name === undefined ? undefined : servers.find((server) => server.name === name);
}

/** Each server with the tenants placed on it, in the servers' order. */
export function serverLoads(servers: readonly Server[], tenants: readonly Tenant[]): ServerLoad[] {
  return servers.map((server) => {
    const placed = tenants.filter((t) => serverOf(t) === server.name);
    return {
      server,
      tenants: placed,
      demand: placed.reduce((sum, t) => sum + connectionDemand(t), 0),
      ...(server.maxConnections !== undefined && { capacity: server.maxConnections - server.reservedConnections }),
    };
  });
}

/**
 * The open server with the most free slots for a new tenant (ties: the
 * first in name order); `default` when no server file states a capacity.
 */
export function leastLoadedServer(servers: readonly Server[], tenants: readonly Tenant[]): string {
  const open = serverLoads(servers, tenants).filter((load) => load.server.acceptsNewTenants && load.capacity !== undefined);
  if (!open.length) return DEFAULT_SERVER;
  return open.reduce((best, load) => (load.capacity! - load.demand > best.capacity! - best.demand ? load : best)).server.name;
}

/**
 * The placement problems: a tenant on a server the fleet does not have, or
 * new on a closed one; a server whose tenants can hold more connections than
 * it has for them; a closed server keeping a tenant the registry lacks.
 * `tenantKeys` are every tenant file's key, valid or not, so that a broken
 * tenant file does not make its server's list look wrong too.
 */
export function checkPlacement(servers: readonly Server[], tenants: readonly Tenant[], tenantKeys: readonly string[]): Problem[] {
  const problems: Problem[] = [];
  const byName = new Map(servers.map((server) => [server.name, server]));
  const open = servers.filter((server) => server.acceptsNewTenants).map((server) => server.name);
  for (const tenant of tenants) {
    const name = serverOf(tenant);
    if (name === undefined) continue;
    const server = byName.get(name);
    const field = 'database.server';
    if (!server) {
      problems.push({ file: tenant.file, field, value: name, rule: serverRules.unknownServer([...byName.keys()]) });
    } else if (!server.acceptsNewTenants && !server.existingTenants.includes(tenant.key)) {
      const suggestion = open.length ? ` (${open.join(', ')})` : '';
      problems.push({ file: tenant.file, field, value: name, rule: serverRules.closedServer(name, suggestion) });
    }
  }
  for (const load of serverLoads(servers, tenants)) {
    const { server, capacity, demand } = load;
    if (capacity !== undefined && demand > capacity) {
      const shares = load.tenants.map((t) => `${t.key} ${connectionDemand(t)}`);
      problems.push({ file: server.file, field: 'maxConnections', value: server.maxConnections, rule: serverRules.overFull(capacity, demand, shares) });
    }
    server.existingTenants.forEach((key, index) => {
      if (!tenantKeys.includes(key)) {
        problems.push({ file: server.file, field: `existingTenants[${index}]`, value: key, rule: serverRules.unknownExistingTenant(tenantKeys) });
      }
    });
  }
  return problems;
}

/**
 * The placement problems of a tenant not in the registry yet (`add`): its
 * server known, open, and with room for the connections it can hold; each at
 * the tenant's own field, naming the open servers with room.
 */
export function checkNewPlacement(servers: readonly Server[], tenants: readonly Tenant[], tenant: Tenant): Problem[] {
  const name = serverOf(tenant);
  if (name === undefined) return [];
  const field = 'database.server';
  const server = servers.find((s) => s.name === name);
  if (!server) return [{ file: tenant.file, field, value: name, rule: serverRules.unknownServer(servers.map((s) => s.name)) }];
  const need = connectionDemand(tenant);
  const free = (load: ServerLoad) => (load.capacity === undefined ? Infinity : load.capacity - load.demand);
  const loads = serverLoads(servers, tenants);
  const withRoom = loads.filter((load) => load.server.acceptsNewTenants && free(load) >= need).map((load) => load.server.name);
  const suggestion = withRoom.length ? ` (${withRoom.join(', ')})` : '';
  if (!server.acceptsNewTenants) return [{ file: tenant.file, field, value: name, rule: serverRules.closedServer(name, suggestion) }];
  const load = loads.find((l) => l.server.name === name)!;
  if (free(load) < need) return [{ file: tenant.file, field, value: name, rule: serverRules.noRoom(free(load), need, suggestion) }];
  return [];
}
