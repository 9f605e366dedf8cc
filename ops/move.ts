/**
 * Moving a tenant's database to another server, safely: nothing the tenant
 * made runs in a session with more than its owner's rights (pg_dump and
 * pg_restore log in as the tenant's migrator, with a one-off password), the
 * tenant's logins are closed on the source for the copy (so no write is
 * lost), the rows are counted on both sides, and any failure undoes what the
 * move did: the source opens again, the target loses what the move created.
 * The source database is kept; dropping it is a step of its own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Client } from 'pg';
import { accessModel } from '../model/access-model';
import { renderAccessSql } from '../model/access-sql';
import { migratorRoleName, ownerRoleName } from '../model/naming';
import { quoteIdent } from '../model/sql-quote';
import type { PostgresTenant as Tenant } from '../tenants/registry';
import { openAdminSession } from './admin-session';
import { type LoginAs, type ServerConnection, maintenanceDatabase } from './connection';
import { inventory, pgDump, pgRestore, rowCounts, toolFailed } from './dump';
import { runTool, toolConnection, toolMajor } from './libpq-tools';
import { withMigratorSession } from './tenant-sessions';

const EQ = 'OPERATOR(pg_catalog.=)';

/** One end of a move: a server by name and how to reach it. */
export interface MoveEnd {
  readonly name: string;
  readonly connection: ServerConnection;
}

/** Rows of one table on both sides. */
export interface TableCount {
  readonly table: string;
  readonly source: number;
  readonly target: number;
}

/** What a move did. */
export interface MoveResult {
  readonly tables: readonly TableCount[];
  /** The logins closed on the source, which stay closed: its copy is out of date from now on. */
  readonly closedLogins: readonly string[];
  readonly durationMs: number;
}

/** Options of {@link moveTenant}. */
export interface MoveOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Told as each step starts. */
  readonly onStep?: (step: string) => void;
}

/** The tenant as the move recreates it: a fresh database needs no adoption. */
function movedModel(tenant: Tenant) {
  return accessModel({ ...tenant, adopt: undefined });
}

/** The steps of a move, as `move` prints them before running them. */
export function moveSteps(tenant: Tenant, from: string, to: string): string[] {
  const model = movedModel(tenant);
  const logins = model.roles.filter((r) => r.login && r.purpose !== 'migrator').map((r) => r.name);
  const db = tenant.database.name;
  return [
    `check: psql, pg_dump and pg_restore installed, as new as both servers; "${db}" on ${from}, not on ${to}; everything in it owned by ${model.database.owner} (a person's own workspace table would not be copied)`,
    `close the tenant's logins on ${from} (${logins.join(', ')}): NOLOGIN and their sessions ended, so no write happens after the copy`,
    `create on ${to}, as its admin: the roles, the database and every grant (\`npx tenants sql ${tenant.key}\`)`,
    `copy: pg_dump on ${from} and pg_restore on ${to}, both as ${migratorRoleName(tenant.key)} (one-off passwords) acting as ${model.database.owner}, the restore in one transaction`,
    `compare the row count of every table on both servers`,
    `on any failure: the logins open again on ${from}, and what this move created on ${to} is dropped`,
  ];
}

/** A server's major version and whether the database is there, in the admin's pinned session. */
async function serverFacts(end: MoveEnd, database: string, roles: readonly string[], env: NodeJS.ProcessEnv) {
  const admin = await openAdminSession(end.connection, maintenanceDatabase(end.connection, env), env);
  try {
    const { rows } = await admin.query<{ major: number; exists: boolean; roles: string[] }>(
      `SELECT pg_catalog.current_setting('server_version_num')::pg_catalog.int4 / 10000 AS major,
              EXISTS (SELECT FROM pg_catalog.pg_database WHERE datname ${EQ} $1) AS exists,
              ARRAY(SELECT rolname::pg_catalog.text FROM pg_catalog.pg_roles WHERE rolname ${EQ} ANY ($2::pg_catalog.text[])) AS roles`,
      [database, roles],
    );
    return rows[0];
  } finally {
    await admin.end().catch(() => undefined);
  }
}

/** Runs statements in the admin's pinned session on a server's maintenance database. */
async function asAdmin<T>(end: MoveEnd, env: NodeJS.ProcessEnv, work: (admin: Client) => Promise<T>): Promise<T> {
  const admin = await openAdminSession(end.connection, maintenanceDatabase(end.connection, env), env);
  try {
    return await work(admin);
  } finally {
    await admin.end().catch(() => undefined);
  }
}

/**
 * Moves a tenant's database from one server to another (see the file's
 * comment); the registry file is the caller's to edit afterwards.
 */
export async function moveTenant(tenant: Tenant, source: MoveEnd, target: MoveEnd, options: MoveOptions = {}): Promise<MoveResult> {
  const env = options.env ?? process.env;
  const started = performance.now();
  const step = (text: string) => options.onStep?.(text);
  const model = movedModel(tenant);
  const db = tenant.database.name;
  const owner = ownerRoleName(tenant.key);
  const roleNames = model.roles.map((r) => r.name);
  const logins = model.roles.filter((r) => r.login && r.purpose !== 'migrator').map((r) => r.name);

  step('checking the tools and both servers');
  const [psql, dump, restore] = await Promise.all([toolMajor('psql'), toolMajor('pg_dump'), toolMajor('pg_restore')]);
  const [from, to] = await Promise.all([serverFacts(source, db, roleNames, env), serverFacts(target, db, roleNames, env)]);
  if (!from.exists) throw new Error(`${source.name} has no database "${db}": nothing to move (is the tenant deployed there?)`);
  if (to.exists) throw new Error(`${target.name} already has a database "${db}": drop it there first if it is a leftover, or choose another server`);
  if (to.major < from.major) throw new Error(`${target.name} runs PostgreSQL ${to.major}, older than ${source.name}'s ${from.major}: a move never downgrades`);
  const newest = Math.max(from.major, to.major);
  for (const [tool, major] of [['psql', psql], ['pg_dump', dump], ['pg_restore', restore]] as const) {
    if (major < newest) throw new Error(`${tool} is version ${major}, older than the servers (PostgreSQL ${newest}): install postgresql-client-${newest} and put it first on PATH`);
  }
  const sourceTables = await withMigratorSession(tenant, source.connection, async (migrator) => inventory(migrator, owner), { env });
  if (sourceTables.foreign.length) {
    throw new Error(
      `"${db}" holds what ${owner} does not own, which the move (acting as the owner) cannot copy: ${sourceTables.foreign.join('; ')}. ` +
        `Have it handed to the owner (ALTER ... OWNER TO ${quoteIdent(owner)}) or dropped, and move again; nothing was changed`,
    );
  }

  const work = mkdtempSync(path.join(tmpdir(), 'tenants-move-'));
  const closed: string[] = [];
  let targetTouched = false;
  try {
    step(`closing the tenant's logins on ${source.name}`);
    await asAdmin(source, env, async (admin) => {
      const { rows } = await admin.query<{ rolname: string }>(`SELECT rolname FROM pg_catalog.pg_roles WHERE rolname ${EQ} ANY ($1::pg_catalog.text[]) AND rolcanlogin`, [logins]);
      for (const { rolname } of rows) {
        await admin.query(`ALTER ROLE ${quoteIdent(rolname)} NOLOGIN`);
        closed.push(rolname);
      }
      await admin.query(`SELECT pg_catalog.pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity WHERE usename ${EQ} ANY ($1::pg_catalog.text[])`, [logins]);
    });

    step(`creating the roles, database and grants on ${target.name}`);
    targetTouched = true;
    const admin = toolConnection(target.connection, maintenanceDatabase(target.connection, env), env);
    const created = await runTool('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '--dbname', admin.dbname], admin.env, renderAccessSql(model));
    if (created.status !== 0) throw toolFailed('psql', created);

    step(`copying with pg_dump from ${source.name}`);
    const file = path.join(work, `${tenant.key}.dump`);
    await withMigratorSession(tenant, source.connection, (_migrator, login: LoginAs) => pgDump(source.connection, db, login, file, env), { env });

    step(`restoring with pg_restore on ${target.name}`);
    const createdSchemas = model.schemas.map((s) => s.name);
    const targetCounts = await withMigratorSession(
      tenant,
      target.connection,
      async (migrator, login: LoginAs) => {
        await pgRestore(target.connection, db, login, owner, file, createdSchemas, work, env);
        step('comparing row counts');
        return rowCounts(migrator, sourceTables.tables);
      },
      { env },
    );
    const sourceCounts = await withMigratorSession(tenant, source.connection, (migrator) => rowCounts(migrator, sourceTables.tables), { env });
    const tables = sourceTables.tables.map((table) => ({ table, source: sourceCounts[table] ?? -1, target: targetCounts[table] ?? -1 }));
    const differ = tables.filter((t) => t.source !== t.target);
    if (differ.length) throw new Error(`row counts differ: ${differ.map((t) => `${t.table} ${t.source} on ${source.name}, ${t.target} on ${target.name}`).join('; ')}`);
    return { tables, closedLogins: closed, durationMs: Math.round(performance.now() - started) };
  } catch (error) {
    step('undoing the move');
    const undo: string[] = [];
    if (targetTouched) {
      await asAdmin(target, env, async (admin) => {
        await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(db)} WITH (FORCE)`);
        for (const role of [...roleNames].reverse().filter((r) => !to.roles.includes(r))) await admin.query(`DROP ROLE IF EXISTS ${quoteIdent(role)}`);
      }).catch((e: unknown) => undo.push(`could not clean up ${target.name} (${e instanceof Error ? e.message : String(e)}): drop database "${db}" and the tenant's roles there by hand`));
    }
    if (closed.length) {
      await asAdmin(source, env, async (admin) => {
        for (const role of closed) await admin.query(`ALTER ROLE ${quoteIdent(role)} LOGIN`);
      }).catch((e: unknown) => undo.push(`could not open the logins again on ${source.name} (${e instanceof Error ? e.message : String(e)}): ALTER ROLE ... LOGIN for ${closed.join(', ')}`));
    }
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message}${undo.length ? `; ${undo.join('; ')}` : `; undone: ${source.name} serves the tenant as before, ${target.name} is as it was`}`, { cause: error });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The SQL that removes the old copy from the source, once the tenant runs on the target: the explicit last step. */
export function releaseSourceSql(tenant: Tenant): string {
  const model = movedModel(tenant);
  return [
    `-- Run on the old server as its admin, once ${tenant.key} runs on its new one and its old copy is no longer needed.`,
    `DROP DATABASE IF EXISTS ${quoteIdent(tenant.database.name)} WITH (FORCE);`,
    ...[...model.roles].reverse().map((role) => `DROP ROLE IF EXISTS ${quoteIdent(role.name)};`),
    '',
  ].join('\n');
}
