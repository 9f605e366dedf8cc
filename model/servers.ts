/**
 * Database servers as the fleet sees them: names, where their passwords come
 * from, and how many connections a tenant may need on one. Pure: the
 * registry validates server files with these, the constructs configure a
 * tenant's provider from them, the fleet commands connect through them.
 */
import { MIGRATOR_CONNECTION_LIMIT, PLAN_PROFILES, type Plan } from './plans';

/**
 * The server a tenant is on unless its file names another: the one the
 * deploying environment points at (`PGHOST`, `PGPORT`, `PGUSER`,
 * `PGPASSWORD`, `PGSSLMODE`, or `--url`), as before servers were registry
 * entries. A `servers/default.ts` may describe it (its capacity, say).
 */
export const DEFAULT_SERVER = 'default';

/** Server names: lowercase words of letters and digits joined by single hyphens, as host-like names are. */
export const SERVER_NAME_PATTERN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** The sslmodes libpq knows, weakest first. */
export const SSLMODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export type Sslmode = (typeof SSLMODES)[number];

/** Kinds of server: a tenant's placement and the operator's expectations (RDS: the admin is no superuser). */
export const SERVER_KINDS = ['self-hosted', 'rds', 'aurora'] as const;
export type ServerKind = (typeof SERVER_KINDS)[number];

/**
 * The environment variable holding a server's admin password:
 * `PGPASSWORD_EU_SHARED_1` for `eu-shared-1`. `~/.pgpass` works too, for the
 * CLI and for Terraform alike (the host is in the synthesized JSON).
 */
export function serverPasswordVariable(server: string): string {
  return `PGPASSWORD_${server.toUpperCase().replace(/-/g, '_')}`;
}

/**
 * The Terraform variable of a server's admin password in the stacks of its
 * tenants: `pgpassword_eu_shared_1`, set as `TF_VAR_pgpassword_eu_shared_1`
 * (scripts/cdktf.sh sets it from `PGPASSWORD_EU_SHARED_1`).
 */
export function serverPasswordTerraformVariable(server: string): string {
  return serverPasswordVariable(server).toLowerCase();
}

/** What a tenant's people and app can hold on a server (a tenant with the lists of people it has). */
export interface ConnectionDemandSubject {
  readonly plan: Plan;
  readonly people: { readonly admins: readonly unknown[]; readonly developers: readonly unknown[]; readonly customers: readonly unknown[] };
}

/**
 * The connections a tenant can hold on its server: its logins' own limits
 * added up (the app's, each person's, the migrator's), at most its database's
 * limit, since every one of them connects to its own database (the server
 * baseline keeps them out of the others; see the README).
 */
export function connectionDemand(tenant: ConnectionDemandSubject): number {
  const profile = PLAN_PROFILES[tenant.plan];
  const people = tenant.people.admins.length + tenant.people.developers.length + tenant.people.customers.length;
  return Math.min(profile.connectionLimit, profile.appConnectionLimit + people * profile.personConnectionLimit + MIGRATOR_CONNECTION_LIMIT);
}
