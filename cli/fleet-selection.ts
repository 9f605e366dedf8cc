/**
 * The tenants a fleet command acts on, each with the server it is reached
 * on: tenant keys or --all, narrowed by --server; a lambda tenant's own RDS
 * instance only when named.
 */
import { type ServerConnection } from '../ops/connection';
import { connectionOfTenant, serverLabel } from '../ops/server-connections';
import { type PostgresTenant as Tenant, type Registry, isPostgresTenant } from '../tenants/registry';
import { DEFAULT_SERVER } from '../model/servers';
import { UsageError } from './errors';
import type { CliIo } from './io';
import { connectionFrom } from './connection-options';
import { selectPostgresTenants } from './registry';

/** What a fleet command acts on. */
export interface FleetSelection {
  readonly tenants: readonly Tenant[];
  /** Tenants --all leaves out, each with why and how to reach it. */
  readonly skipped: readonly { readonly key: string; readonly reason: string }[];
  /** The connection of a tenant's server. */
  readonly connectionOf: (tenant: Tenant) => ServerConnection;
  /** The server a tenant is grouped and reported under. */
  readonly serverOf: (tenant: Tenant) => string;
}

/** Options every fleet command shares. */
export interface FleetOptions {
  readonly url?: string;
  readonly server?: string;
  /** With --all, leave out tenants in maintenance (migrate: a swap may be under way). */
  readonly skipMaintenance?: boolean;
}

/** The tenants and connections of a fleet command; `all` takes every tenant the CLI can reach on its own. */
export function selectFleet(reg: Registry, keys: readonly string[], all: boolean | undefined, options: FleetOptions, io: CliIo): FleetSelection {
  if (options.server !== undefined && !reg.servers.some((s) => s.name === options.server)) {
    throw new UsageError(`--server "${options.server}" is not a server of the fleet; known servers: ${reg.servers.map((s) => s.name).join(', ')}`);
  }
  // --server alone means every tenant of that server.
  const everyOne = all || (options.server !== undefined && !keys.length);
  let tenants = selectPostgresTenants(reg, keys, everyOne);
  const skipped: { key: string; reason: string }[] = [];
  if (everyOne && options.server === undefined) {
    for (const tenant of reg.tenants.filter((t) => !isPostgresTenant(t))) {
      skipped.push({ key: tenant.key, reason: `a MongoDB tenant: its users and collections are provisioned by npx tenants mongo-provision ${tenant.key}` });
    }
  }
  if (options.server !== undefined) {
    const elsewhere = keys.filter((key) => tenants.find((t) => t.key === key)?.database.server !== options.server);
    if (elsewhere.length) throw new UsageError(`${elsewhere.join(', ')} ${elsewhere.length > 1 ? 'are' : 'is'} not on server "${options.server}"; drop --server or the key`);
    tenants = tenants.filter((t) => t.database.server === options.server);
  } else if (!keys.length) {
    for (const tenant of tenants.filter((t) => t.database.server === undefined)) {
      skipped.push({
        key: tenant.key,
        reason: `its database is on its own RDS instance (the ${tenant.key}-database stack), which its deploy migrates; to reach it from here, name it with PGHOST set to the instance's address`,
      });
    }
    tenants = tenants.filter((t) => t.database.server !== undefined);
    if (options.skipMaintenance) {
      for (const tenant of tenants.filter((t) => t.lifecycle === 'maintenance')) {
        skipped.push({ key: tenant.key, reason: `it is in maintenance (npx tenants maintenance ${tenant.key} --off ends it); name it to run on it anyway` });
      }
      tenants = tenants.filter((t) => t.lifecycle !== 'maintenance');
    }
  }
  const environment = connectionFrom(options, io);
  if (environment.url && !tenants.some((t) => t.database.server === DEFAULT_SERVER || t.database.server === undefined)) {
    io.stderr.write(io.errorColour.yellow(`warning: --url is the default server's address, and none of these tenants is on it: each is reached on its own server (servers/<name>.ts)\n`));
  }
  return { tenants, skipped, connectionOf: (tenant) => connectionOfTenant(tenant, reg.servers, environment), serverOf: serverLabel };
}
