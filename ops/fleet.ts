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
export function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
  stop?: { readonly signal: AbortSignal; readonly skipped: (item: T) => R },
): Promise<R[]> {
  return mapBoundedByGroup(items, { overall: limit, perGroup: limit, groupOf: () => '' }, task, stop);
}

/** How many items run at once: in all, and of one group (one server's tenants). */
export interface GroupLimits<T> {
  readonly overall: number;
  readonly perGroup: number;
  readonly groupOf: (item: T) => string;
}

/**
 * {@link mapBounded} with a second bound per group: at most `perGroup` items
 * of one group at a time, so that a fleet run spreads over its servers and
 * no server gets more of the platform's sessions than it was promised. The
 * next item started is the first waiting one whose group has room.
 */
export function mapBoundedByGroup<T, R>(
  items: readonly T[],
  limits: GroupLimits<T>,
  task: (item: T) => Promise<R>,
  stop?: { readonly signal: AbortSignal; readonly skipped: (item: T) => R },
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  const waiting = items.map((_, index) => index);
  const running = new Map<string, number>();
  let active = 0;
  return new Promise((resolve, reject) => {
    const pump = () => {
      while (active < limits.overall) {
        const at = waiting.findIndex((index) => (running.get(limits.groupOf(items[index])) ?? 0) < limits.perGroup);
        if (at < 0) break;
        const [index] = waiting.splice(at, 1);
        const item = items[index];
        if (stop?.signal.aborted) {
          results[index] = stop.skipped(item);
          continue;
        }
        const group = limits.groupOf(item);
        running.set(group, (running.get(group) ?? 0) + 1);
        active++;
        task(item)
          .then((result) => {
            results[index] = result;
            running.set(group, running.get(group)! - 1);
            active--;
            pump();
          })
          .catch(reject);
      }
      if (!waiting.length && active === 0) resolve(results);
    };
    pump();
  });
}

/** Whether an error says the server itself could not be reached (not this tenant's database or login). */
export function isUnreachable(error: string): boolean {
  return /^(nothing listens at|no answer from)|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN/.test(error);
}

/**
 * The servers a fleet run found unreachable: after the first tenant of a
 * server fails to reach it, its other tenants fail at once with the same
 * reason, instead of each waiting out the connect timeout.
 */
export class ServerOutages {
  private readonly down = new Map<string, string>();

  /** Why the server is known to be down, if it is. */
  reasonFor(server: string): string | undefined {
    return this.down.get(server);
  }

  /** Notes a tenant's outcome on its server. */
  record(server: string, error: string | undefined): void {
    if (error && isUnreachable(error) && !this.down.has(server)) this.down.set(server, error);
  }

  /** The error of a tenant not tried because its server is down. */
  static notTried(server: string, reason: string): string {
    return `server "${server}" is unreachable (${reason}); not tried: the tenants of other servers are not affected`;
  }

  /**
   * One tenant's `work` on `server`: not tried when the server is known to be down (`notTried` is given
   * the error to report), else run, and its outcome's error (`errorOf`) noted.
   */
  async run<T>(server: string, work: () => Promise<T>, notTried: (error: string) => T, errorOf: (outcome: T) => string | undefined): Promise<T> {
    const down = this.reasonFor(server);
    if (down) return notTried(ServerOutages.notTried(server, down));
    const outcome = await work();
    this.record(server, errorOf(outcome));
    return outcome;
  }
}

/**
 * Turns on each server: at most `limit` tasks of one server run at once;
 * the others wait for one of them to end, in the order they came.
 */
export class ServerTurns {
  private readonly running = new Map<string, number>();
  private readonly waiting = new Map<string, (() => void)[]>();

  constructor(private readonly limit: number) {}

  async take<R>(server: string, task: () => Promise<R>): Promise<R> {
    if ((this.running.get(server) ?? 0) >= this.limit) {
      // The task that ends hands its turn over: the count stays.
      await new Promise<void>((resolve) => this.waiting.set(server, [...(this.waiting.get(server) ?? []), resolve]));
    } else {
      this.running.set(server, (this.running.get(server) ?? 0) + 1);
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.get(server)?.shift();
      if (next) next();
      else this.running.set(server, this.running.get(server)! - 1);
    }
  }
}
