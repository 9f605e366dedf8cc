/**
 * Fleet operations on tenant databases: one result per tenant, never a
 * thrown error, so one broken tenant does not stop the others.
 */
import { performance } from 'node:perf_hooks';
import { ownerRoleName } from '../constructs/naming';
import type { Tenant } from '../tenants/registry/types';
import { type ServerConnection, connectTo } from './connection';
import { MigrationRunError, type MigrationStatus, migrateDatabase, migrationStatus } from './migrate';
import type { MigrationSet } from './migration-files';

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
}

function describeError(error: unknown, database: string): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/database ".*" does not exist/.test(message)) {
    return `${message}: deploy the tenant first (npx cdktf deploy <key>) or create it with \`npm run tenants -- sql <key> | psql\``;
  }
  if (/permission denied to set role|must be member of role/.test(message)) {
    return `${message}: connect as the server admin, which Terraform makes a member of the owner role of "${database}"`;
  }
  return message;
}

/** Migrates one tenant's database; failures are returned, not thrown. */
export async function migrateTenant(
  tenant: Tenant,
  connection: ServerConnection,
  migrations: MigrationSet,
  onMigration?: (version: number, name: string) => void,
): Promise<TenantMigrationResult> {
  const started = performance.now();
  const database = tenant.database.name;
  const elapsed = () => Math.round(performance.now() - started);
  let client;
  try {
    client = await connectTo(connection, database);
    const run = await migrateDatabase(client, {
      database,
      ownerRole: ownerRoleName(tenant.key),
      migrations,
      onMigration,
      ...(tenant.adopt && { adoption: tenant.adopt }),
    });
    return { key: tenant.key, database, ...run, durationMs: elapsed() };
  } catch (error) {
    // What a failed run committed before failing stays in the result: those migrations are applied.
    const run = error instanceof MigrationRunError ? error.run : { applied: [] };
    return { key: tenant.key, database, ...run, durationMs: elapsed(), error: describeError(error, database) };
  } finally {
    await client?.end().catch(() => undefined);
  }
}

/** One tenant's migration position, or why it could not be read. */
export interface TenantStatus {
  readonly key: string;
  readonly database: string;
  readonly status?: MigrationStatus;
  readonly error?: string;
}

/** Reads one tenant's migration position. */
export async function tenantStatus(tenant: Tenant, connection: ServerConnection, migrations: MigrationSet): Promise<TenantStatus> {
  const database = tenant.database.name;
  let client;
  try {
    client = await connectTo(connection, database);
    return { key: tenant.key, database, status: await migrationStatus(client, migrations) };
  } catch (error) {
    return { key: tenant.key, database, error: describeError(error, database) };
  } finally {
    await client?.end().catch(() => undefined);
  }
}

/** Runs `task` over `items` with at most `limit` at a time, keeping the input order in the results. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
