/**
 * Fleet operations on tenant databases: one result per tenant, never a
 * thrown error, so one broken tenant does not stop the others. Every one
 * works in the tenant migrator's session (tenant-sessions.ts), never in the
 * server admin's.
 */
import { performance } from 'node:perf_hooks';
import { ownerRoleName } from '../model/naming';
import type { PostgresTenant as Tenant } from '../tenants/registry';
import type { ServerConnection } from './connection';
import { MigrationRunError, type MigrationStatus, migrateDatabase, migrationStatus } from './migrate';
import type { MigrationSet } from './migration-files';
import { openAdminSession, retireLogin, staleLogins } from './admin-session';
import { maintenanceDatabase } from './connection';
import { Interrupted, prepareTenantDatabase, withMigratorSession } from './tenant-sessions';

/** What happened to one tenant's database. */
export interface TenantMigrationResult {
  readonly key: string;
  readonly database: string;
  readonly fromVersion?: number;
  readonly toVersion?: number;
  readonly applied: readonly number[];
  /** Versions recorded without running them (an adopted database already had their tables). */
  readonly baselined?: readonly number[];
  readonly durationMs: number;
  readonly error?: string;
  /** The run was stopped by Ctrl-C or SIGTERM (or never started because of it). */
  readonly interrupted?: boolean;
  /** What is worth a person's attention but stopped nothing. */
  readonly warnings?: readonly string[];
}

function describeError(error: unknown, database: string): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/database ".*" does not exist/.test(message)) {
    return `${message}: deploy the tenant first (bash scripts/cdktf.sh deploy <key>) or create it with \`npx tenants sql <key> | psql\``;
  }
  if (/too many connections for database/.test(message)) {
    return `${message}: the runner needs one connection to "${database}"; migrate again when its load drops`;
  }
  return message;
}

/** Options of the fleet operations. */
export interface FleetOptions {
  /** Called as each migration starts. */
  readonly onMigration?: (version: number, name: string) => void;
  /** Aborting cancels the running statement and starts nothing new. */
  readonly signal?: AbortSignal;
  /** The libpq environment. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/** Migrates one tenant's database; failures are returned, not thrown. */
export async function migrateTenant(tenant: Tenant, connection: ServerConnection, migrations: MigrationSet, options: FleetOptions = {}): Promise<TenantMigrationResult> {
  const started = performance.now();
  const database = tenant.database.name;
  const elapsed = () => Math.round(performance.now() - started);
  const warnings: string[] = [];
  const warned = () => (warnings.length ? { warnings } : {});
  try {
    const run = await withMigratorSession(
      tenant,
      connection,
      (migrator) =>
        migrateDatabase(migrator, {
          database,
          ownerRole: ownerRoleName(tenant.key),
          migrations,
          onMigration: options.onMigration,
          signal: options.signal,
          adoption: tenant.adopt !== undefined,
        }),
      { adopt: true, signal: options.signal, env: options.env, onWarning: (warning) => warnings.push(warning) },
    );
    return { key: tenant.key, database, ...run, durationMs: elapsed(), ...warned() };
  } catch (error) {
    // What a failed run committed before failing stays in the result: those migrations are applied.
    const run = error instanceof MigrationRunError ? error.run : { applied: [] };
    const interrupted = options.signal?.aborted === true || error instanceof Interrupted;
    return { key: tenant.key, database, ...run, durationMs: elapsed(), error: describeError(error, database), ...(interrupted && { interrupted }), ...warned() };
  }
}

/** One tenant's migration position, or why it could not be read. */
export interface TenantStatus {
  readonly key: string;
  readonly database: string;
  readonly status?: MigrationStatus;
  readonly error?: string;
  readonly warnings?: readonly string[];
}

/** Reads one tenant's migration position. */
export async function tenantStatus(tenant: Tenant, connection: ServerConnection, migrations: MigrationSet, options: FleetOptions = {}): Promise<TenantStatus> {
  const database = tenant.database.name;
  const warnings: string[] = [];
  const warned = () => (warnings.length ? { warnings } : {});
  try {
    const status = await withMigratorSession(tenant, connection, (migrator) => migrationStatus(migrator, { database, ownerRole: ownerRoleName(tenant.key), migrations }), {
      signal: options.signal,
      env: options.env,
      onWarning: (warning) => warnings.push(warning),
      checkBaseline: true,
    });
    return { key: tenant.key, database, status, ...warned() };
  } catch (error) {
    return { key: tenant.key, database, error: describeError(error, database), ...warned() };
  }
}

/** What the deploy's preparation of a tenant database did. */
export interface TenantPreparation {
  readonly key: string;
  readonly warnings: readonly string[];
}

/** The deploy's first step in a tenant's database (prepareTenantDatabase); errors are thrown, as the deploy must stop. */
export async function prepareTenant(tenant: Tenant, connection: ServerConnection, env: NodeJS.ProcessEnv = process.env): Promise<TenantPreparation> {
  const warnings: string[] = [];
  await prepareTenantDatabase(tenant, connection, env, (warning) => warnings.push(warning));
  return { key: tenant.key, warnings };
}

/** The logins a tenant retired, and those it would retire (dry run). */
export interface LoginRetirement {
  readonly key: string;
  readonly retired: readonly string[];
}

/**
 * Retires the tenant's logins its access model no longer has: no login, no
 * membership, no session, nothing owned in its database (retireLogin). With
 * `dryRun`, only says which.
 */
export async function retireStaleLogins(tenant: Tenant, connection: ServerConnection, env: NodeJS.ProcessEnv = process.env, dryRun = false): Promise<LoginRetirement> {
  const maintenance = maintenanceDatabase(connection, env);
  const admin = await openAdminSession(connection, maintenance, env);
  let stale: string[];
  try {
    stale = await staleLogins(admin, tenant);
  } finally {
    await admin.end().catch(() => undefined);
  }
  if (!dryRun) for (const role of stale) await retireLogin(connection, maintenance, role, tenant.database.name, env);
  return { key: tenant.key, retired: stale };
}

/** Each warning of a fleet run once, as `warning: …` lines. */
export function warningLines(results: readonly { readonly warnings?: readonly string[] }[]): string[] {
  return [...new Set(results.flatMap((r) => r.warnings ?? []))].map((warning) => `warning: ${warning}`);
}

/**
 * Runs `task` over `items` with at most `limit` at a time, keeping the input
 * order in the results. Once `signal` aborts no new item starts; those get
 * `skipped(item)`.
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
  stop?: { readonly signal: AbortSignal; readonly skipped: (item: T) => R },
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = stop?.signal.aborted ? stop.skipped(items[index]) : await task(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
