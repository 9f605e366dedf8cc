/**
 * Backups of tenant databases: taken, verified, restored into a new
 * database, and swapped in. Every dump and restore runs as the tenant's
 * migrator acting as its owner (ops/dump.ts); the admin only creates and
 * drops databases and the access model, as the deploy does.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Client } from 'pg';
import { accessModel } from '../model/access-model';
import { renderAccessSql } from '../model/access-sql';
import { type BackupManifest, MANIFEST_FORMAT, backupBaseName, backupTimestamp, manifestNameOf, manifestProblem } from '../model/backup-manifest';
import { MAX_IDENTIFIER_BYTES, byteLength, ownerRoleName } from '../model/naming';
import { quoteIdent } from '../model/sql-quote';
import type { PostgresTenant as Tenant } from '../tenants/registry';
import { openAdminSession } from './admin-session';
import { type BackupStore, type PutOptions } from './backup-store';
import { type LoginAs, type ServerConnection, maintenanceDatabase } from './connection';
import { archiveProblem, inventory, pgDump, pgRestore, recordedVersion, rowCounts } from './dump';
import { runTool, toolConnection } from './libpq-tools';
import { withMigratorSession } from './tenant-sessions';

const EQ = 'OPERATOR(pg_catalog.=)';

/** A scratch directory only this user can read (dumps hold customer data), removed afterwards. */
async function withWorkDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tenants-backup-'));
  try {
    return await work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** sha256 and size of a file. */
async function digest(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return { sha256: hash.digest('hex'), bytes: statSync(file).size };
}

/** The tenant with another database name: the same roles and privileges, in a database of that name. */
function inDatabase(tenant: Tenant, database: string): Tenant {
  return { ...tenant, adopt: undefined, database: { ...tenant.database, name: database } };
}

/** A database name from a tenant's and a suffix, within PostgreSQL's 63 bytes. */
export function derivedDatabaseName(database: string, suffix: string): string {
  let base = database;
  while (byteLength(`${base}_${suffix}`) > MAX_IDENTIFIER_BYTES) base = base.slice(0, -1);
  return `${base}_${suffix}`;
}

/** What one backup produced. */
export interface BackupResult {
  readonly key: string;
  readonly manifest: BackupManifest;
  /** Where the dump is (a path or an s3:// URL). */
  readonly location: string;
  readonly durationMs: number;
}

/** Options of {@link backupTenant}. */
export interface BackupOptions {
  /** The server's name for the manifest. */
  readonly server: string;
  readonly env?: NodeJS.ProcessEnv;
  /** How the store encrypts the objects (the tenant's KMS key on S3). */
  readonly put?: PutOptions;
  readonly now?: () => Date;
}

/**
 * Dumps a tenant's database into the store with its manifest. The row counts
 * and the schema version are read in the snapshot the dump is taken in
 * (exported by the migrator's session and given to pg_dump), so the manifest
 * describes exactly what the dump holds. The manifest is written last: a
 * dump without one is an interrupted backup.
 */
export async function backupTenant(tenant: Tenant, connection: ServerConnection, store: BackupStore, options: BackupOptions): Promise<BackupResult> {
  const env = options.env ?? process.env;
  const started = performance.now();
  const owner = ownerRoleName(tenant.key);
  const createdAt = (options.now ?? (() => new Date()))();
  const pgDumpVersion = (await runTool('pg_dump', ['--version'], env)).stdout.trim();
  return withWorkDir(async (work) => {
    const file = path.join(work, 'backup.dump');
    const facts = await withMigratorSession(
      tenant,
      connection,
      async (migrator: Client, login: LoginAs) => {
        const found = await inventory(migrator, owner);
        if (found.foreignLargeObjects) {
          throw new Error(`"${tenant.database.name}" holds ${found.foreignLargeObjects} large objects of other owners, which a dump acting as ${owner} cannot read; have them handed to the owner (ALTER LARGE OBJECT ... OWNER TO ${quoteIdent(owner)})`);
        }
        await migrator.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        try {
          const { rows } = await migrator.query<{ snapshot: string; version: string }>(
            `SELECT pg_catalog.pg_export_snapshot() AS snapshot, pg_catalog.current_setting('server_version') AS version`,
          );
          const tables = await rowCounts(migrator, found.tables);
          const schemaVersion = await recordedVersion(migrator);
          await pgDump(connection, tenant.database.name, login, file, env, { snapshot: rows[0].snapshot, exclude: found.foreignRelations });
          return { tables, schemaVersion, postgresVersion: rows[0].version, excluded: found.foreign };
        } finally {
          await migrator.query('COMMIT').catch(() => undefined);
        }
      },
      { env },
    );
    const base = backupBaseName(tenant.key, createdAt, facts.schemaVersion);
    const { sha256, bytes } = await digest(file);
    const manifest: BackupManifest = {
      format: MANIFEST_FORMAT,
      tenant: tenant.key,
      database: tenant.database.name,
      server: options.server,
      schemaVersion: facts.schemaVersion,
      postgresVersion: facts.postgresVersion,
      pgDump: pgDumpVersion,
      createdAt: createdAt.toISOString(),
      file: `${path.basename(base)}.dump`,
      bytes,
      sha256,
      tables: facts.tables,
      excluded: facts.excluded,
    };
    await store.put(file, `${base}.dump`, options.put);
    await store.putText(`${JSON.stringify(manifest, null, 2)}\n`, `${base}.json`, options.put);
    return { key: tenant.key, manifest, location: store.where(`${base}.dump`), durationMs: Math.round(performance.now() - started) };
  });
}

/** A dump fetched from its store with its manifest, its integrity checked. */
interface FetchedDump {
  readonly file: string;
  readonly manifest: BackupManifest;
}

/** Fetches a dump and its manifest and checks that the dump is the file the manifest describes, and an archive. */
async function fetchChecked(store: BackupStore, name: string, work: string, env: NodeJS.ProcessEnv): Promise<FetchedDump> {
  const manifestName = manifestNameOf(name);
  let manifest: BackupManifest;
  try {
    const parsed: unknown = JSON.parse(await store.getText(manifestName));
    const problem = manifestProblem(parsed);
    if (problem) throw new Error(`its manifest ${store.where(manifestName)} ${problem}`);
    manifest = parsed as BackupManifest;
  } catch (error) {
    if (error instanceof SyntaxError) throw new Error(`its manifest ${store.where(manifestName)} is not JSON (${error.message})`);
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as { name?: string }).name === 'NoSuchKey') {
      throw new Error(`no manifest ${store.where(manifestName)} beside it: an interrupted backup, or not one of ours`);
    }
    throw error;
  }
  const file = path.join(work, 'restore.dump');
  await store.fetch(name, file);
  const { sha256, bytes } = await digest(file);
  if (bytes !== manifest.bytes) {
    throw new Error(`${store.where(name)} has ${bytes} bytes, its manifest says ${manifest.bytes}: ${bytes < manifest.bytes ? 'truncated' : 'not the file that was backed up'}`);
  }
  if (sha256 !== manifest.sha256) throw new Error(`${store.where(name)} is corrupted: its sha256 is ${sha256}, its manifest says ${manifest.sha256}`);
  const unreadable = await archiveProblem(file, env);
  if (unreadable) throw new Error(`${store.where(name)} is no archive pg_restore can read: ${unreadable}`);
  return { file, manifest };
}

/** What a restored database holds, against the manifest. */
export interface RestoreCheck {
  readonly database: string;
  readonly schemaVersion: number;
  readonly tables: Readonly<Record<string, number>>;
  /** Each difference from the manifest, in words; empty when it matches. */
  readonly differences: readonly string[];
}

function compare(manifest: BackupManifest, tables: Readonly<Record<string, number>>, schemaVersion: number): string[] {
  const differences: string[] = [];
  if (schemaVersion !== manifest.schemaVersion) differences.push(`schema version ${schemaVersion}, the manifest says ${manifest.schemaVersion}`);
  for (const [table, rows] of Object.entries(manifest.tables)) {
    if (!(table in tables)) differences.push(`${table} is missing`);
    else if (tables[table] !== rows) differences.push(`${table} has ${tables[table]} rows, the manifest says ${rows}`);
  }
  for (const table of Object.keys(tables)) if (!(table in manifest.tables)) differences.push(`${table} is not in the manifest`);
  return differences;
}

/**
 * Restores a checked dump into a new database on the tenant's server, with
 * the tenant's access model (every login keeps exactly its rights), and
 * reads back what it holds. On any failure the new database, and roles this
 * call created, are dropped: nothing is left half done.
 */
async function restoreIntoNew(
  tenant: Tenant,
  connection: ServerConnection,
  dump: FetchedDump,
  database: string,
  work: string,
  env: NodeJS.ProcessEnv,
): Promise<RestoreCheck & { readonly createdRoles: readonly string[] }> {
  const target = inDatabase(tenant, database);
  const model = accessModel(target);
  const roles = model.roles.map((r) => r.name);
  const admin = await openAdminSession(connection, maintenanceDatabase(connection, env), env);
  let before: string[];
  let closed: string[];
  try {
    const { rows } = await admin.query<{ exists: boolean; roles: string[]; closed: string[] }>(
      `SELECT EXISTS (SELECT FROM pg_catalog.pg_database WHERE datname ${EQ} $1) AS exists,
              ARRAY(SELECT rolname::pg_catalog.text FROM pg_catalog.pg_roles WHERE rolname ${EQ} ANY ($2::pg_catalog.text[])) AS roles,
              ARRAY(SELECT rolname::pg_catalog.text FROM pg_catalog.pg_roles WHERE rolname ${EQ} ANY ($3::pg_catalog.text[]) AND NOT rolcanlogin) AS closed`,
      [database, roles, model.roles.filter((r) => r.login && r.purpose !== 'migrator').map((r) => r.name)],
    );
    if (rows[0].exists) throw new Error(`a database "${database}" exists already on this server: choose another name with --into`);
    before = rows[0].roles;
    closed = rows[0].closed;
  } finally {
    await admin.end().catch(() => undefined);
  }
  let created = false;
  try {
    const adminTool = toolConnection(connection, maintenanceDatabase(connection, env), env);
    created = true;
    const access = await runTool('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '--dbname', adminTool.dbname], adminTool.env, renderAccessSql(model));
    if (access.status !== 0) throw new Error(`psql failed creating "${database}" and its access (exit ${access.status}): ${access.stderr.trim().split('\n')[0]}`);
    // The access SQL opens every login it names; one that was closed (a moved tenant's old copy, a login closed by hand) stays closed.
    if (closed.length) await closeLogins(connection, closed, env);
    const check = await withMigratorSession(
      target,
      connection,
      async (migrator, login) => {
        await pgRestore(connection, database, login, ownerRoleName(tenant.key), dump.file, model.schemas.map((s) => s.name), work, env);
        const found = await inventory(migrator, ownerRoleName(tenant.key));
        const tables = await rowCounts(migrator, found.tables);
        const schemaVersion = await recordedVersion(migrator);
        return { database, schemaVersion, tables, differences: compare(dump.manifest, tables, schemaVersion) };
      },
      { env },
    );
    return { ...check, createdRoles: roles.filter((r) => !before.includes(r)) };
  } catch (error) {
    if (created) await dropDatabase(connection, database, roles.filter((r) => !before.includes(r)), env).catch(() => undefined);
    throw error;
  }
}

/** Takes LOGIN away from the given roles again, in the admin's pinned session. */
async function closeLogins(connection: ServerConnection, roles: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const admin = await openAdminSession(connection, maintenanceDatabase(connection, env), env);
  try {
    for (const role of roles) await admin.query(`ALTER ROLE ${quoteIdent(role)} NOLOGIN`);
  } finally {
    await admin.end().catch(() => undefined);
  }
}

/** Drops a database (ending its sessions) and the given roles, in the admin's pinned session. */
async function dropDatabase(connection: ServerConnection, database: string, roles: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const admin = await openAdminSession(connection, maintenanceDatabase(connection, env), env);
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`);
    for (const role of [...roles].reverse()) await admin.query(`DROP ROLE IF EXISTS ${quoteIdent(role)}`);
  } finally {
    await admin.end().catch(() => undefined);
  }
}

/** What `backup verify` found. */
export interface VerifyResult extends RestoreCheck {
  readonly manifest: BackupManifest;
}

/**
 * Verifies a backup: the dump is the file its manifest describes and an
 * archive; restored into a scratch database on `connection`'s server it holds
 * every table with its rows and the schema version; the scratch database is
 * dropped whatever happens. A match is recorded in the manifest (`verified`).
 */
export async function verifyBackup(tenantOf: (key: string) => Tenant, store: BackupStore, name: string, connection: ServerConnection, server: string, env: NodeJS.ProcessEnv = process.env): Promise<VerifyResult> {
  return withWorkDir(async (work) => {
    const dump = await fetchChecked(store, name, work, env);
    const tenant = tenantOf(dump.manifest.tenant);
    const scratch = derivedDatabaseName(dump.manifest.database, `verify_${randomBytes(3).toString('hex')}`);
    // On failure the restore cleans up after itself; on success the scratch database, and roles it needed on another server, go here.
    const { createdRoles, ...check } = await restoreIntoNew(tenant, connection, dump, scratch, work, env);
    await dropDatabase(connection, scratch, createdRoles, env);
    if (!check.differences.length) {
      const verified: BackupManifest = { ...dump.manifest, verified: { at: new Date().toISOString(), server } };
      await store.putText(`${JSON.stringify(verified, null, 2)}\n`, manifestNameOf(name));
    }
    return { ...check, manifest: dump.manifest };
  });
}

/** What `restore` produced. */
export interface RestoreResult extends RestoreCheck {
  readonly manifest: BackupManifest;
}

/**
 * Restores a backup into a new database on the tenant's server (never the
 * live one), with the tenant's access model, and compares it with the
 * manifest; a database that does not match is dropped again.
 */
export async function restoreBackup(tenant: Tenant, store: BackupStore, name: string, connection: ServerConnection, into: string, env: NodeJS.ProcessEnv = process.env): Promise<RestoreResult> {
  if (into === tenant.database.name) throw new Error(`"${into}" is the tenant's live database: a restore always goes into a new one (swap it in afterwards with --swap)`);
  return withWorkDir(async (work) => {
    const dump = await fetchChecked(store, name, work, env);
    if (dump.manifest.tenant !== tenant.key) throw new Error(`${store.where(name)} is a backup of ${dump.manifest.tenant}, not of ${tenant.key}`);
    const { createdRoles: _created, ...check } = await restoreIntoNew(tenant, connection, dump, into, work, env);
    if (check.differences.length) {
      await dropDatabase(connection, into, [], env).catch(() => undefined);
      throw new Error(`the restored database does not match the manifest, so it was dropped: ${check.differences.join('; ')}`);
    }
    return { ...check, manifest: dump.manifest };
  });
}

/** The default name of a restored database: `<database>_restored_<timestamp>`. */
export function restoredDatabaseName(database: string, date: Date): string {
  return derivedDatabaseName(database, `restored_${backupTimestamp(date).toLowerCase()}`);
}

/**
 * Swaps a restored database in for the live one, on the tenant's server, as
 * its admin: the live one stops taking connections, its sessions end, it is
 * renamed `<database>_replaced_<timestamp>` (kept), and the restored one takes
 * its name. The caller checks the tenant is in maintenance or offboarding.
 */
export async function swapDatabase(tenant: Tenant, restored: string, connection: ServerConnection, env: NodeJS.ProcessEnv = process.env, now = new Date()): Promise<string> {
  const live = tenant.database.name;
  const replaced = derivedDatabaseName(live, `replaced_${backupTimestamp(now).toLowerCase()}`);
  const admin = await openAdminSession(connection, maintenanceDatabase(connection, env), env);
  try {
    const { rows } = await admin.query<{ datname: string; owner: string }>(
      `SELECT datname, pg_catalog.pg_get_userbyid(datdba) AS owner FROM pg_catalog.pg_database WHERE datname ${EQ} ANY ($1::pg_catalog.text[])`,
      [[live, restored]],
    );
    const found = new Map(rows.map((r) => [r.datname, r.owner]));
    if (!found.has(restored)) throw new Error(`there is no database "${restored}" on the tenant's server: restore one first (npx tenants restore ${tenant.key} --from <dump>)`);
    if (found.get(restored) !== ownerRoleName(tenant.key)) throw new Error(`"${restored}" belongs to ${found.get(restored)}, not to ${ownerRoleName(tenant.key)}: only a database restored for this tenant can be swapped in`);
    if (found.has(live)) {
      await admin.query(`ALTER DATABASE ${quoteIdent(live)} WITH ALLOW_CONNECTIONS false`);
      await admin.query(`SELECT pg_catalog.pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity WHERE datname ${EQ} $1`, [live]);
      await admin.query(`ALTER DATABASE ${quoteIdent(live)} RENAME TO ${quoteIdent(replaced)}`);
    }
    await admin.query(`SELECT pg_catalog.pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity WHERE datname ${EQ} $1`, [restored]);
    await admin.query(`ALTER DATABASE ${quoteIdent(restored)} RENAME TO ${quoteIdent(live)}`);
    return replaced;
  } finally {
    await admin.end().catch(() => undefined);
  }
}

/** The newest verified backup of a tenant in a store, if any: its name and manifest. */
export async function latestVerifiedBackup(store: BackupStore, key: string): Promise<{ name: string; manifest: BackupManifest } | undefined> {
  const names = (await store.list(`${key}/`)).filter((name) => name.endsWith('.json')).reverse();
  for (const name of names) {
    try {
      const manifest = JSON.parse(await store.getText(name)) as BackupManifest;
      if (!manifestProblem(manifest) && manifest.verified && manifest.tenant === key) return { name: name.replace(/\.json$/, '.dump'), manifest };
    } catch {
      // Not a manifest of ours: not a verified backup either.
    }
  }
  return undefined;
}

/** Removes all but the newest `keep` backups of a tenant (dump and manifest); the names removed. */
export async function pruneBackups(store: BackupStore, key: string, keep: number): Promise<string[]> {
  const dumps = (await store.list(`${key}/`)).filter((name) => name.endsWith('.dump'));
  const old = dumps.slice(0, Math.max(0, dumps.length - keep));
  for (const name of old) {
    await store.remove(name);
    await store.remove(manifestNameOf(name));
  }
  return old;
}
