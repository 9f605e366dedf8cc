/**
 * Applies the schema migrations to one tenant database with postgrator:
 * a history table with an md5 checksum per applied migration (an edited
 * migration is refused), plus what postgrator leaves to its caller:
 *
 * - an advisory lock, so two runners on one database never apply a migration twice;
 * - one transaction per migration, covering its SQL and its history row, so a
 *   failure leaves the database at its previous version with nothing half-created;
 * - `SET ROLE <tenant owner>`, so every object belongs to the tenant and the
 *   owner's default privileges apply to it.
 *
 * postgrator was chosen over node-pg-migrate because it validates checksums of
 * plain SQL files out of the box and lets the caller own the connection,
 * which is what the lock, the transactions and SET ROLE need.
 */
import * as path from 'node:path';
import Postgrator from 'postgrator';
import type { Client } from 'pg';
import { adoptionStatements } from '../constructs/adoption-sql';
import { migrationErrors } from '../constructs/errors';
import { quoteIdent } from '../constructs/sql-quote';
import type { MigrationSet } from './migration-files';

/** Schema and table of the migration history, apart from the store's tables and grants. */
export const HISTORY_SCHEMA = 'usual_store_meta';
export const HISTORY_TABLE = `${HISTORY_SCHEMA}.schema_migrations`;

/** The migrations an adopted database had when it was adopted (recorded, not run). */
const ADOPTION_TABLE = `${HISTORY_SCHEMA}.adoption_baseline`;

/** Arbitrary, fixed key of the advisory lock; advisory locks are per database. */
export const MIGRATION_LOCK_KEY = 7_340_113_001;

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
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'MigrationRunError';
  }
}

/** Options of {@link migrateDatabase}. */
export interface MigrateOptions {
  readonly database: string;
  /** The tenant owner role; the connecting role must be a member. */
  readonly ownerRole: string;
  readonly migrations: MigrationSet;
  /** Target version. @default - the latest */
  readonly target?: number;
  /** Called as each migration starts. */
  readonly onMigration?: (version: number, name: string) => void;
  /**
   * The database was created by the original system: bring its objects and
   * roles into line first, then record the migrations whose tables already
   * exist instead of running them.
   */
  readonly adoption?: { readonly legacyRoles: readonly string[] };
  /**
   * How long to wait for another runner's lock on the same database before
   * giving up, so a deploy never hangs behind a runner that hangs.
   * @default 600
   */
  readonly lockWaitSeconds?: number;
}

/** An applied migration whose file has changed since. */
export class EditedMigrationError extends Error {
  constructor(readonly file: string, readonly database: string) {
    super(migrationErrors.edited(file, database));
    this.name = 'EditedMigrationError';
  }
}

interface Migration {
  readonly version: number;
  readonly name: string;
}

function postgratorFor(client: Client, options: MigrateOptions, baseline: ReadonlySet<number> = new Set()): Postgrator {
  // postgrator runs a migration's SQL (execSqlScript), then inserts its history
  // row (execQuery). BEGIN before the SQL and COMMIT after the row make them one
  // transaction; the caller rolls back on any error. A baselined migration gets
  // its history row without its SQL.
  let awaitingHistoryRow = false;
  let current = 0;
  const where = `SELECT current_user AS role, txid_current()::text AS txid`;
  const postgrator = new Postgrator({
    migrationPattern: patternOf(options.migrations),
    driver: 'pg',
    database: options.database,
    schemaTable: HISTORY_TABLE,
    // Checked up front from one read of the history (see migrateDatabase), not one query per migration.
    validateChecksums: false,
    newline: 'LF',
    execSqlScript: async (sql: string) => {
      await client.query('BEGIN');
      const before = (await client.query<{ role: string; txid: string }>(where)).rows[0];
      if (!baseline.has(current)) await client.query(sql);
      // The files are checked for transaction control and role changes before any runs; this
      // catches what a check of the text cannot (e.g. a function that commits or changes the role).
      const after = (await client.query<{ role: string; txid: string }>(where)).rows[0];
      if (after.txid !== before.txid) throw new Error(migrationErrors.leftTransaction(current, options.database));
      if (after.role !== options.ownerRole) throw new Error(migrationErrors.changedRole(current, options.database, after.role, options.ownerRole));
      awaitingHistoryRow = true;
    },
    execQuery: async (sql: string) => {
      const result = await client.query(sql);
      if (awaitingHistoryRow) {
        awaitingHistoryRow = false;
        await client.query('COMMIT');
      }
      return { rows: result.rows };
    },
  });
  postgrator.on('migration-started', (m: Migration) => {
    current = m.version;
  });
  // postgrator reads the files again for every migrate(); hand it the set's files read once.
  postgrator.getMigrations = async () => {
    const files = await discover(options.migrations);
    (postgrator as unknown as { migrations: Postgrator.Migration[] }).migrations = files;
    return files;
  };
  return postgrator;
}

function patternOf(migrations: MigrationSet): string {
  return path.join(migrations.dir, '*.do.*.sql');
}

/** The history in one read: whether its table exists, and the applied migrations in version order. */
async function readHistory(client: Client): Promise<{ exists: boolean; applied: AppliedMigration[] }> {
  try {
    const { rows } = await client.query(`SELECT version, name, md5, run_at FROM ${HISTORY_TABLE} WHERE version > 0 ORDER BY version`);
    const applied = rows.map((row) => ({ version: Number(row.version), name: String(row.name), md5: String(row.md5), runAt: row.run_at as Date | null }));
    return { exists: true, applied };
  } catch (error) {
    // 42P01: the history table does not exist yet.
    if ((error as { code?: string }).code === '42P01') return { exists: false, applied: [] };
    throw error;
  }
}

/**
 * Answers postgrator's own questions about the history from the read already
 * made: it would otherwise ask INFORMATION_SCHEMA three times per database,
 * the slowest queries of a roll-out. It still creates the table when missing.
 */
function knownHistory(postgrator: Postgrator, exists: boolean, version: number): void {
  postgrator.getDatabaseVersion = async () => version;
  if (exists) (postgrator as unknown as { commonClient: { ensureTable: () => Promise<void> } }).commonClient.ensureTable = async () => undefined;
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
    const { rows } = await client.query('SELECT t FROM unnest($1::text[]) AS t WHERE to_regclass(quote_ident(t)) IS NOT NULL', [tables]);
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
 * adoption is never mistaken for one the database already had. A database
 * adopted before the baseline was kept has none left to apply.
 */
async function adoptionBaseline(client: Client, options: MigrateOptions, fromVersion: number): Promise<Set<number>> {
  try {
    const { rows } = await client.query(`SELECT version FROM ${ADOPTION_TABLE}`);
    return new Set(rows.map((row) => Number(row.version)).filter((version) => version > fromVersion));
  } catch (error) {
    // 42P01: not kept yet.
    if ((error as { code?: string }).code !== '42P01') throw error;
  }
  if (fromVersion > 0) return new Set();
  const baseline = await baselineOf(client, options);
  // One multi-statement query, so one transaction: the table never exists without its rows.
  const versions = [...baseline].map((version) => String(Math.trunc(version))).join(',');
  await client.query(
    `CREATE SCHEMA IF NOT EXISTS ${HISTORY_SCHEMA}; CREATE TABLE ${ADOPTION_TABLE} (version integer PRIMARY KEY); ` +
      `INSERT INTO ${ADOPTION_TABLE} (version) SELECT unnest(ARRAY[${versions}]::integer[]);`,
  );
  return baseline;
}

async function withOwnerAndLock<T>(client: Client, options: MigrateOptions, work: () => Promise<T>): Promise<T> {
  // Another runner's lock is waited for, but not forever; once it is held,
  // lock_timeout drops to a minute: waiting behind the app's locks is not fine.
  const wait = Math.max(1, Math.round(options.lockWaitSeconds ?? 600));
  const lock = `SET lock_timeout TO '${wait}s'; SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY});`;
  const becomeOwner = `SET ROLE ${quoteIdent(options.ownerRole)}; SET search_path TO public; SET lock_timeout TO '60s';`;
  try {
    // Adoption moves objects the original app may be using, as the admin (moving them needs the old owner's rights).
    await client.query(options.adoption ? `${lock} SET lock_timeout TO '60s';` : `${lock} ${becomeOwner}`);
  } catch (error) {
    // 55P03 lock_not_available: the lock was not taken. Any other error (SET ROLE refused, say) came
    // after it was: release it, since a session-level lock outlives the failed statement.
    if ((error as { code?: string }).code === '55P03') throw new Error(migrationErrors.lockWait(options.database, wait));
    await client.query(`RESET lock_timeout; SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY});`).catch(() => undefined);
    throw error;
  }
  try {
    if (options.adoption) {
      for (const statement of adoptionStatements(options.database, options.ownerRole, options.adoption.legacyRoles)) await client.query(statement);
      await client.query(becomeOwner);
    }
    return await work();
  } finally {
    // Not allowed to hide the work's own error; a broken connection releases the lock anyway.
    await client.query(`RESET ROLE; RESET lock_timeout; SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY});`).catch(() => undefined);
  }
}

/**
 * Brings one tenant database to the latest (or a target) version. The client
 * is connected to that database as a member of its owner role and stays open.
 */
export async function migrateDatabase(client: Client, options: MigrateOptions): Promise<MigrationRun> {
  return withOwnerAndLock(client, options, async () => {
    const history = await readHistory(client);
    const { version: fromVersion, edited, unknown } = await compareWithFiles(history.applied, options.migrations);
    if (edited.length) {
      const file = options.migrations.migrations.find((m) => m.version === edited[0])?.file ?? `migration ${edited[0]}`;
      throw new EditedMigrationError(path.relative(process.cwd(), file), options.database);
    }
    if (unknown.length) throw new Error(migrationErrors.unknownApplied(options.database, unknown, options.migrations.dir));
    const target = options.target ?? Math.max(0, ...options.migrations.migrations.map((m) => m.version));
    // The common case on a deploy: nothing to do, decided from that one read.
    if (!options.migrations.migrations.some((m) => m.version > fromVersion && m.version <= target)) {
      return { fromVersion, toVersion: fromVersion, applied: [] };
    }
    const baseline = options.adoption ? await adoptionBaseline(client, options, fromVersion) : new Set<number>();
    const postgrator = postgratorFor(client, options, baseline);
    knownHistory(postgrator, history.exists, fromVersion);
    if (options.onMigration) {
      const report = options.onMigration;
      postgrator.on('migration-started', (m: Migration) => report(m.version, m.name));
    }
    const run = (applied: readonly Migration[]): MigrationRun => {
      const versions = applied.map((m) => m.version);
      return {
        fromVersion,
        toVersion: versions.length ? versions[versions.length - 1] : fromVersion,
        applied: versions,
        ...(baseline.size && { baselined: versions.filter((v) => baseline.has(v)) }),
      };
    };
    try {
      // ensureTable creates the history schema and table, owned by the tenant owner.
      return run((await postgrator.migrate(String(target))) as Migration[]);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      // postgrator lists the migrations it committed before the failure on the error.
      throw new MigrationRunError(run((error as { appliedMigrations?: Migration[] }).appliedMigrations ?? []), error);
    }
  });
}

/** One applied migration as the history table records it. */
export interface AppliedMigration {
  readonly version: number;
  readonly name: string;
  readonly md5: string;
  readonly runAt: Date | null;
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

/** postgrator's view of each migration set's files, read (globbed and hashed) once per set, not once per tenant. */
const discovered = new WeakMap<MigrationSet, Promise<Postgrator.Migration[]>>();

function discover(migrations: MigrationSet): Promise<Postgrator.Migration[]> {
  let found = discovered.get(migrations);
  if (!found) {
    const reader = new Postgrator({ migrationPattern: patternOf(migrations), driver: 'pg', newline: 'LF', execQuery: async () => ({ rows: [] }) });
    found = reader.getMigrations();
    discovered.set(migrations, found);
  }
  return found;
}

/** The checksum postgrator records for each migration file, by version. */
async function fileChecksums(migrations: MigrationSet): Promise<ReadonlyMap<number, string>> {
  const files = await discover(migrations);
  return new Map(files.filter((m) => m.action === 'do').map((m) => [m.version, m.md5]));
}

/** The history against the files: the version reached, and the applied versions whose file changed or is missing. */
async function compareWithFiles(applied: readonly AppliedMigration[], migrations: MigrationSet): Promise<Omit<MigrationStatus, 'applied' | 'pending'>> {
  const checksums = await fileChecksums(migrations);
  return {
    version: applied.length ? applied[applied.length - 1].version : 0,
    edited: applied.filter((m) => checksums.has(m.version) && checksums.get(m.version) !== m.md5).map((m) => m.version),
    unknown: applied.filter((m) => !checksums.has(m.version)).map((m) => m.version),
  };
}

/** Reads the history table; a database never migrated is at version 0. */
export async function migrationStatus(client: Client, migrations: MigrationSet): Promise<MigrationStatus> {
  const { applied } = await readHistory(client);
  const compared = await compareWithFiles(applied, migrations);
  return { ...compared, applied, pending: migrations.migrations.filter((m) => m.version > compared.version).map((m) => m.version) };
}
