/**
 * Helpers for tests on a real PostgreSQL: apply a tenant's SQL, try
 * statements as a role, read back what the catalog says.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { accessModel } from '../../model/access-model';
import { renderAccessSql } from '../../model/access-sql';
import { migratorRoleName, ownerRoleName } from '../../model/naming';
import { type MigrateOptions, migrateDatabase, type MigrationRun } from '../../ops/migrate';
import { withMigratorSession } from '../../ops/tenant-sessions';
import { type MigrationSet, SCHEMA_DIR, readMigrations } from '../../ops/migration-files';
import type { PostgresTenant as Tenant } from '../../tenants/registry/types';
import type { Cluster } from '../../testbed/pg-cluster';

/** Runs the tenant's SQL rendering with psql, as the superuser or another admin role. */
export function applyAccessSql(cluster: Cluster, tenant: Tenant, user?: string): void {
  cluster.psql(renderAccessSql(accessModel(tenant)), { user });
}

/**
 * Migrates the tenant's database as the runner does: the server admin (the
 * cluster superuser, or `admin`) prepares, the tenant's migrator migrates.
 */
export async function migrate(
  cluster: Cluster,
  tenant: Tenant,
  migrations: MigrationSet = readMigrations(),
  options: { admin?: string } & Partial<MigrateOptions> = {},
): Promise<MigrationRun> {
  const { admin, ...rest } = options;
  return withMigratorSession(
    tenant,
    { url: cluster.url('postgres', admin) },
    (migrator) =>
      migrateDatabase(migrator, { database: tenant.database.name, ownerRole: ownerRoleName(tenant.key), migrations, adoption: tenant.adopt !== undefined, ...rest }),
    { adopt: true },
  );
}

/** A session of the tenant's migrator login (the test servers trust local logins), for tests of the runner itself. */
export function migratorClient(cluster: Cluster, tenant: Tenant): ReturnType<Cluster['connect']> {
  return cluster.connect(tenant.database.name, migratorRoleName(tenant.key));
}

/** Outcome of a statement tried as some role. */
export type Outcome = 'ok' | 'denied';

/**
 * Runs a statement as `role` in `database` inside a transaction that is
 * rolled back. Permission errors (SQLSTATE 42501) are 'denied'; any other
 * error fails the test.
 */
export async function tryAs(cluster: Cluster, database: string, role: string, sql: string): Promise<Outcome> {
  const client = await cluster.connect(database, role);
  try {
    await client.query('BEGIN');
    await client.query(sql);
    return 'ok';
  } catch (error) {
    if ((error as { code?: string }).code === '42501') return 'denied';
    throw error;
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    await client.end();
  }
}

/** Whether `role` may log in to `database`: 'denied' when CONNECT (or LOGIN) is refused. */
export async function connectAs(cluster: Cluster, database: string, role: string): Promise<Outcome> {
  try {
    const client = await cluster.connect(database, role);
    await client.end();
    return 'ok';
  } catch (error) {
    const code = (error as { code?: string }).code;
    // 42501: no CONNECT privilege; 28000: role is not permitted to log in.
    if (code === '42501' || code === '28000') return 'denied';
    throw error;
  }
}

/** A copy of schema/ plus extra migration files, removed by the returned cleanup. */
export function migrationsWith(extra: Record<string, string>, edit: Record<string, string> = {}): { set: MigrationSet; dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'schema-'));
  cpSync(SCHEMA_DIR, dir, { recursive: true });
  for (const [name, sql] of Object.entries({ ...extra, ...edit })) writeFileSync(path.join(dir, name), sql);
  return { set: readMigrations(dir), dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** What the catalog says a tenant has: roles, memberships and every ACL, for comparisons. */
export async function catalogSnapshot(cluster: Cluster, tenant: Tenant): Promise<Record<string, unknown>> {
  const prefix = `${tenant.key}__%`;
  const server = await cluster.connect('postgres');
  const inDb = await cluster.connect(tenant.database.name);
  try {
    const roles = await server.query(
      `SELECT rolname, rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolinherit FROM pg_roles WHERE rolname LIKE $1 ORDER BY rolname`,
      [prefix],
    );
    const members = await server.query(
      `SELECT r.rolname AS role, m.rolname AS member FROM pg_auth_members am
         JOIN pg_roles r ON r.oid = am.roleid JOIN pg_roles m ON m.oid = am.member
        WHERE r.rolname LIKE $1 OR m.rolname LIKE $1 ORDER BY 1, 2`,
      [prefix],
    );
    const database = await server.query(
      `SELECT datname, pg_get_userbyid(datdba) AS owner, datconnlimit, datcollate, datacl::text FROM pg_database WHERE datname = $1`,
      [tenant.database.name],
    );
    const objects = await inDb.query(
      `SELECT c.relname, c.relkind, pg_get_userbyid(c.relowner) AS owner, c.relacl::text
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname IN ('public', 'usual_store_meta') AND c.relkind IN ('r', 'S', 'v') ORDER BY 1`,
    );
    const schemas = await inDb.query(`SELECT nspname, pg_get_userbyid(nspowner) AS owner, nspacl::text FROM pg_namespace WHERE nspname IN ('public', 'usual_store_meta') ORDER BY 1`);
    const defaults = await inDb.query(
      `SELECT pg_get_userbyid(defaclrole) AS owner, defaclnamespace::regnamespace::text AS schema, defaclobjtype, defaclacl::text FROM pg_default_acl ORDER BY 1, 2, 3`,
    );
    const history = await inDb.query(`SELECT version, name, md5 FROM usual_store_meta.schema_migrations ORDER BY version`).catch(() => ({ rows: [] }));
    return {
      roles: roles.rows,
      members: members.rows,
      database: database.rows,
      objects: objects.rows,
      schemas: schemas.rows,
      defaults: defaults.rows,
      history: history.rows,
    };
  } finally {
    await server.end();
    await inDb.end();
  }
}
