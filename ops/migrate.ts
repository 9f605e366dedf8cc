/**
 * Applies the schema migrations to one tenant database, in a session that
 * can become the tenant's owner role and nothing more (the tenant's migrator
 * login; see ops/tenant-sessions.ts for how it logs in). Never in a session
 * of the server admin: PostgreSQL checks SET ROLE and RESET ROLE against the
 * session's login, so code a tenant planted (a trigger, an operator, a view)
 * would get the admin's rights back from anywhere in such a session.
 *
 * - The history (migration-history.ts) is checked to be the platform's before
 *   it is read, and every migration is recorded with an md5 checksum: an
 *   edited migration is refused.
 * - One transaction per migration, covering its SQL and its history row, so a
 *   failure leaves the database at its previous version with nothing
 *   half-created; each begins by taking the migration lock (the history
 *   table) and reading the history again, so two runners apply each
 *   migration once, in order.
 * - `SET ROLE <owner>`, so every object belongs to the tenant and the owner's
 *   default privileges apply; after each migration the runner checks it is
 *   still in that migration's transaction as the owner.
 * - The runner runs exactly the text it checked and hashed (MigrationSet).
 *
 * The project's own runner replaced postgrator, whose internals (its cached
 * file list, its known version, ensureTable) it had to patch to get this; the
 * history table is the same, so existing histories stay valid.
 */
import * as path from 'node:path';
import type { Client } from 'pg';
import { STORE_SCHEMA } from '../model/defaults';
import { quoteIdent } from '../model/sql-quote';
import { migrationErrors } from './migration-errors';
import type { MigrationFile, MigrationSet } from './migration-files';
import {
  ADOPTION_TABLE,
  type AppliedMigration,
  HISTORY_TABLE,
  beginLocked,
  checkHistory,
  ensureHistory,
  readHistory,
} from './migration-history';

export { type AppliedMigration, HISTORY_TABLE } from './migration-history';

/** What a run did to one database. */
export interface MigrationRun {
  readonly fromVersion: number;
  readonly toVersion: number;
  /** Versions applied by this run, in order (baselined ones included). */
  readonly applied: readonly number[];
  /** Versions recorded without running, because an adopted database already had their tables. */
  readonly baselined?: readonly number[];
}

/** A run that failed: what it had applied (and committed) before the failure, and the failure. */
export class MigrationRunError extends Error {
  constructor(
    readonly run: MigrationRun,
    readonly cause: unknown,
    /** The migration that failed, when one did. */
    readonly migration?: MigrationFile,
  ) {
    const message = cause instanceof Error ? cause.message : String(cause);
    super(migration ? `${path.basename(migration.file)}: ${message}` : message);
    this.name = 'MigrationRunError';
  }
}

/** Options of {@link migrateDatabase}. */
export interface MigrateOptions {
  readonly database: string;
  /** The tenant owner role; the session's login must be a member. */
  readonly ownerRole: string;
  readonly migrations: MigrationSet;
  /** Target version. @default - the latest */
  readonly target?: number;
  /** Called as each migration starts. */
  readonly onMigration?: (version: number, name: string) => void;
  /**
   * The database was created by the original system (its objects were
   * brought into line by the server admin first): record the migrations
   * whose tables already exist instead of running them.
   */
  readonly adoption?: boolean;
  /** Aborting stops the run before its next migration (the session's running statement is cancelled by whoever owns it). */
  readonly signal?: AbortSignal;
  /**
   * How long to wait for another runner's lock on the same database before
   * giving up, so a deploy never hangs behind a runner that hangs.
   * @default 600
   */
  readonly lockWaitSeconds?: number;
}

/** An applied migration whose file has changed since. */
export class EditedMigrationError extends Error {
  constructor(
    readonly file: string,
    readonly database: string,
  ) {
    super(migrationErrors.edited(file, database));
    this.name = 'EditedMigrationError';
  }
}

/** Tables a migration creates, from its `CREATE TABLE` statements. */
function tablesCreatedBy(sql: string): string[] {
  return [...sql.matchAll(/\bCREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:public\.)?"?([a-z_][a-z0-9_]*)"?/gi)].map((m) => m[1].toLowerCase());
}

/**
 * The migrations an adopted database already carries: those whose tables all
 * exist. A migration with only some of its tables present is refused, for a
 * person to look at.
 */
async function baselineOf(client: Client, options: MigrateOptions): Promise<Set<number>> {
  const baseline = new Set<number>();
  for (const migration of options.migrations.migrations) {
    const tables = tablesCreatedBy(migration.sql);
    if (!tables.length) continue;
    const { rows } = await client.query(
      `SELECT t FROM pg_catalog.unnest($1::pg_catalog.text[]) AS t WHERE pg_catalog.to_regclass(pg_catalog.format('%I.%I', $2::pg_catalog.text, t)) IS NOT NULL`,
      [tables, STORE_SCHEMA],
    );
    const present = rows.map((r) => String(r.t));
    if (present.length === tables.length) baseline.add(migration.version);
    else if (present.length) {
      throw new Error(migrationErrors.partialBaseline(options.database, path.basename(migration.file), present, tables.filter((t) => !present.includes(t))));
    }
  }
  return baseline;
}

/**
 * The baseline of an adopted database, decided on its first run (before any
 * migration is recorded) and kept in {@link ADOPTION_TABLE}, so that a run
 * that stopped half-way resumes with it, and a migration added after the
 * adoption is never mistaken for one the database already had. Runs inside
 * the locked transaction of the first migration.
 */
async function adoptionBaseline(client: Client, options: MigrateOptions, fromVersion: number, kept: boolean): Promise<Set<number>> {
  if (kept) {
    const { rows } = await client.query(`SELECT version FROM ${ADOPTION_TABLE}`);
    return new Set(rows.map((row) => Number(row.version)).filter((version) => version > fromVersion));
  }
  if (fromVersion > 0) return new Set();
  const baseline = await baselineOf(client, options);
  const versions = [...baseline].map((version) => String(Math.trunc(version))).join(',');
  await client.query(
    `CREATE TABLE ${ADOPTION_TABLE} (version integer PRIMARY KEY); INSERT INTO ${ADOPTION_TABLE} (version) SELECT pg_catalog.unnest(ARRAY[${versions}]::integer[]);`,
  );
  return baseline;
}

/** The history against the files: the version reached, and the applied versions whose file changed or is missing. */
export function compareWithFiles(applied: readonly AppliedMigration[], migrations: MigrationSet): Omit<MigrationStatus, 'applied' | 'pending'> {
  const checksums = new Map(migrations.migrations.map((m) => [m.version, m.md5]));
  return {
    version: applied.length ? applied[applied.length - 1].version : 0,
    edited: applied.filter((m) => checksums.has(m.version) && checksums.get(m.version) !== m.md5).map((m) => m.version),
    unknown: applied.filter((m) => !checksums.has(m.version)).map((m) => m.version),
  };
}

/** Refuses a history that does not match the files: an edited migration, or one this checkout lacks. */
function assertMatchesFiles(applied: readonly AppliedMigration[], options: MigrateOptions): number {
  const { version, edited, unknown } = compareWithFiles(applied, options.migrations);
  if (edited.length) {
    const file = options.migrations.migrations.find((m) => m.version === edited[0])?.file ?? `migration ${edited[0]}`;
    throw new EditedMigrationError(path.relative(process.cwd(), file), options.database);
  }
  if (unknown.length) throw new Error(migrationErrors.unknownApplied(options.database, unknown, options.migrations.dir));
  return version;
}

/** Becomes the owner and pins the search path to the store's schema (temporary relations last, so none shadows a table). */
async function becomeOwner(client: Client, owner: string): Promise<void> {
  await client.query(`SET ROLE ${quoteIdent(owner)}; SET search_path TO ${quoteIdent(STORE_SCHEMA)}, pg_temp;`);
}

const WHERE_AM_I = 'SELECT current_user AS role, pg_catalog.txid_current()::text AS txid';

/** Runs one migration (or records a baselined one) inside the locked transaction, and records it. */
async function applyOne(client: Client, migration: MigrationFile, options: MigrateOptions, baselined: boolean): Promise<void> {
  const before = (await client.query<{ role: string; txid: string }>(WHERE_AM_I)).rows[0];
  if (!baselined) await client.query(migration.sql);
  // The files are checked for transaction control and role changes before any runs; this
  // catches what a check of the text cannot (e.g. a function that commits or changes the role).
  const after = (await client.query<{ role: string; txid: string }>(WHERE_AM_I)).rows[0];
  if (after.txid !== before.txid) throw new Error(migrationErrors.leftTransaction(migration.version, options.database));
  if (after.role !== options.ownerRole) throw new Error(migrationErrors.changedRole(migration.version, options.database, after.role, options.ownerRole));
  await client.query(`INSERT INTO ${HISTORY_TABLE} (version, name, md5, run_at) VALUES ($1, $2, $3, pg_catalog.now())`, [
    migration.version,
    migration.name,
    migration.md5,
  ]);
}

/**
 * Brings one tenant database to the latest (or a target) version. The client
 * is the migrator's, connected to that database; it stays open.
 */
export async function migrateDatabase(client: Client, options: MigrateOptions): Promise<MigrationRun> {
  await becomeOwner(client, options.ownerRole);
  const found = await checkHistory(client, options.ownerRole, options.database);
  await ensureHistory(client, found);
  const target = options.target ?? Math.max(0, ...options.migrations.migrations.map((m) => m.version));
  const waitSeconds = options.lockWaitSeconds ?? 600;
  const applied: number[] = [];
  const baselinedVersions: number[] = [];
  let fromVersion: number | undefined;
  let baseline: Set<number> | undefined;
  const run = (): MigrationRun => ({
    fromVersion: fromVersion ?? 0,
    toVersion: applied.length ? applied[applied.length - 1] : (fromVersion ?? 0),
    applied: [...applied],
    ...(options.adoption && baselinedVersions.length && { baselined: [...baselinedVersions] }),
  });
  for (;;) {
    let current: MigrationFile | undefined;
    if (options.signal?.aborted) throw new MigrationRunError(run(), new Error(migrationErrors.interrupted()));
    try {
      // Each migration in a transaction of its own that starts with the lock and a fresh read of the history.
      await beginLocked(client, options.database, waitSeconds);
      const version = assertMatchesFiles(await readHistory(client), options);
      fromVersion ??= version;
      current = options.migrations.migrations.find((m) => m.version > version && m.version <= target);
      if (!current) {
        await client.query('COMMIT');
        return run();
      }
      if (options.adoption && baseline === undefined) baseline = await adoptionBaseline(client, options, version, found.adoptionBaseline);
      const isBaselined = baseline?.has(current.version) ?? false;
      options.onMigration?.(current.version, current.name);
      await applyOne(client, current, options, isBaselined);
      await client.query('COMMIT');
      applied.push(current.version);
      if (isBaselined) baselinedVersions.push(current.version);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      if (error instanceof EditedMigrationError) throw error;
      throw new MigrationRunError(run(), error, current);
    }
  }
}

/** A database's position against the migration files. */
export interface MigrationStatus {
  readonly version: number;
  readonly applied: readonly AppliedMigration[];
  /** Versions in the files not yet applied. */
  readonly pending: readonly number[];
  /** Applied versions whose file changed since; the next migrate refuses to run. */
  readonly edited: readonly number[];
  /** Applied versions with no file (an older checkout, a deleted file); the next migrate refuses to run. */
  readonly unknown: readonly number[];
}

/**
 * Reads the history (after checking it is the platform's) in the migrator's
 * session; a database never migrated is at version 0. Writes nothing.
 */
export async function migrationStatus(client: Client, options: { database: string; ownerRole: string; migrations: MigrationSet }): Promise<MigrationStatus> {
  await becomeOwner(client, options.ownerRole);
  const found = await checkHistory(client, options.ownerRole, options.database);
  const applied = found.history ? await readHistory(client) : [];
  const compared = compareWithFiles(applied, options.migrations);
  return { ...compared, applied, pending: options.migrations.migrations.filter((m) => m.version > compared.version).map((m) => m.version) };
}
