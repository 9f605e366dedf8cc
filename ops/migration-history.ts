/**
 * The migration history of one tenant database, as the migrator session
 * (the owner role) sees it: `usual_store_meta.schema_migrations`, with the
 * columns postgrator created (version, name, md5, run_at, and a version-0
 * row), so that histories written before the runner was the project's own
 * stay valid.
 *
 * Nothing here reads or writes the history before checking that it is what
 * the platform made: a plain table of the owner role, without triggers,
 * rules or row security, in a schema the owner role owns that holds nothing
 * anyone else made. A view or a
 * trigger a tenant role put there would otherwise run its code in the
 * runner's session. The same table is the migration lock: locking it needs
 * a write privilege on it, which no tenant role has (an advisory lock, which
 * any login can take, was a denial of service).
 *
 * Every statement names what it reads by schema and uses pg_catalog's
 * operators, so the session's search path does not matter here.
 */
import type { Client } from 'pg';
import { HISTORY_SCHEMA } from '../model/defaults';
import { quoteIdent, quoteLiteral } from '../model/sql-quote';
import { migrationErrors } from './migration-errors';

/** The history table, by name. */
export const HISTORY_TABLE = `${HISTORY_SCHEMA}.schema_migrations`;

/** The migrations an adopted database had when it was adopted (recorded, not run). */
export const ADOPTION_TABLE = `${HISTORY_SCHEMA}.adoption_baseline`;

/** One applied migration as the history table records it. */
export interface AppliedMigration {
  readonly version: number;
  readonly name: string;
  readonly md5: string;
  readonly runAt: Date | null;
}

/** What exists of the platform's history objects. */
export interface HistoryObjects {
  readonly schema: boolean;
  readonly history: boolean;
  readonly adoptionBaseline: boolean;
}

const EQ = 'OPERATOR(pg_catalog.=)';

interface CatalogRow {
  schema_owner: string | null;
  relname: string | null;
  relkind: string | null;
  table_owner: string | null;
  relhastriggers: boolean | null;
  relhasrules: boolean | null;
  relrowsecurity: boolean | null;
}

/**
 * Checks the history schema and its tables, as far as they exist, and says
 * what exists. Throws, naming the object, when any of them is not the
 * platform's: then nothing was run.
 */
export async function checkHistory(client: Client, owner: string, database: string): Promise<HistoryObjects> {
  const { rows } = await client.query<CatalogRow>(
    `SELECT pg_catalog.pg_get_userbyid(n.nspowner) AS schema_owner, c.relname, c.relkind, pg_catalog.pg_get_userbyid(c.relowner) AS table_owner,
            c.relhastriggers, c.relhasrules, c.relrowsecurity
       FROM pg_catalog.pg_namespace n
       LEFT JOIN pg_catalog.pg_class c ON c.relnamespace ${EQ} n.oid AND c.relname ${EQ} ANY (ARRAY['schema_migrations', 'adoption_baseline']::pg_catalog.name[])
      WHERE n.nspname ${EQ} ${quoteLiteral(HISTORY_SCHEMA)}`,
  );
  if (!rows.length) return { schema: false, history: false, adoptionBaseline: false };
  const schemaOwner = rows[0].schema_owner as string;
  if (schemaOwner !== owner) {
    throw new Error(migrationErrors.foreignHistory(database, `schema ${HISTORY_SCHEMA} belongs to "${schemaOwner}", not "${owner}"`));
  }
  for (const row of rows.filter((r) => r.relname !== null)) {
    const name = `${HISTORY_SCHEMA}.${row.relname}`;
    if (row.relkind !== 'r') throw new Error(migrationErrors.foreignHistory(database, `${name} is not a plain table (relkind ${row.relkind})`));
    if (row.table_owner !== owner) throw new Error(migrationErrors.foreignHistory(database, `${name} belongs to "${row.table_owner}", not "${owner}"`));
    if (row.relhastriggers || row.relhasrules || row.relrowsecurity) {
      throw new Error(migrationErrors.foreignHistory(database, `${name} has triggers, rules or row security`));
    }
  }
  const foreign = await client.query<{ object: string; owner: string }>(
    `SELECT kind OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) name AS object, owner FROM (
       SELECT 'relation' AS kind, c.relname::pg_catalog.text AS name, pg_catalog.pg_get_userbyid(c.relowner) AS owner FROM pg_catalog.pg_class c WHERE c.relnamespace OPERATOR(pg_catalog.=) ${SCHEMA_OID}
       UNION ALL SELECT 'function', p.proname::pg_catalog.text, pg_catalog.pg_get_userbyid(p.proowner) FROM pg_catalog.pg_proc p WHERE p.pronamespace OPERATOR(pg_catalog.=) ${SCHEMA_OID}
       UNION ALL SELECT 'operator', o.oprname::pg_catalog.text, pg_catalog.pg_get_userbyid(o.oprowner) FROM pg_catalog.pg_operator o WHERE o.oprnamespace OPERATOR(pg_catalog.=) ${SCHEMA_OID}
       UNION ALL SELECT 'type', t.typname::pg_catalog.text, pg_catalog.pg_get_userbyid(t.typowner) FROM pg_catalog.pg_type t WHERE t.typnamespace OPERATOR(pg_catalog.=) ${SCHEMA_OID}
     ) objects WHERE owner OPERATOR(pg_catalog.<>) $1 ORDER BY 1 LIMIT 5`,
    [owner],
  );
  if (foreign.rows.length) {
    const found = foreign.rows.map((r) => `${r.object} (of "${r.owner}")`).join(', ');
    throw new Error(migrationErrors.foreignHistory(database, `schema ${HISTORY_SCHEMA} holds objects the owner role did not make: ${found}`));
  }
  const tables = new Set(rows.map((r) => r.relname));
  return { schema: true, history: tables.has('schema_migrations'), adoptionBaseline: tables.has('adoption_baseline') };
}

/** The errors of a runner that lost the race to create the history (see ensureHistory). */
const RACE_LOST = ['23505', '42P07', '42710', '42P06'];

/** The history schema's oid, in a query. */
const SCHEMA_OID = `(SELECT oid FROM pg_catalog.pg_namespace WHERE nspname OPERATOR(pg_catalog.=) ${quoteLiteral(HISTORY_SCHEMA)})`;

/**
 * Creates what is missing of the history, as the owner role: the schema
 * (tenants provisioned before it was part of the access model) and the
 * table with postgrator's columns and version-0 row. Two runners may race
 * here; the loser finds the table made.
 */
export async function ensureHistory(client: Client, found: HistoryObjects): Promise<void> {
  if (found.history) return;
  const schema = quoteIdent(HISTORY_SCHEMA);
  try {
    await client.query(
      `BEGIN; CREATE SCHEMA IF NOT EXISTS ${schema}; ` +
        `CREATE TABLE IF NOT EXISTS ${HISTORY_TABLE} (version bigint PRIMARY KEY, name text, md5 text, run_at timestamp with time zone); ` +
        `INSERT INTO ${HISTORY_TABLE} (version) VALUES (0) ON CONFLICT (version) DO NOTHING; COMMIT;`,
    );
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    // Another runner created it at the same moment: IF NOT EXISTS checks before it creates, so the loser
    // of the race fails on the catalog's unique index (23505), or on the table (42P07), its row type
    // (42710, "type ... already exists") or the schema (42P06) committed in between.
    if (!RACE_LOST.includes((error as { code?: string }).code ?? '')) throw error;
  }
}

/** The applied migrations, in version order (version 0, postgrator's marker row, left out). */
export async function readHistory(client: Client): Promise<AppliedMigration[]> {
  const { rows } = await client.query(`SELECT version, name, md5, run_at FROM ${HISTORY_TABLE} WHERE version OPERATOR(pg_catalog.>) 0 ORDER BY version`);
  return rows.map((row) => ({ version: Number(row.version), name: String(row.name), md5: String(row.md5), runAt: row.run_at as Date | null }));
}

/** Who holds a lock on the history table besides this session: pid, login, application and since when. */
async function lockHolders(client: Client): Promise<string[]> {
  // As the login, not the owner role: pg_stat_activity shows a session's details to its own login.
  await client.query('RESET ROLE');
  const { rows } = await client.query(
    `SELECT a.pid, a.usename, a.application_name, a.xact_start
       FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid ${EQ} l.pid
      WHERE l.locktype ${EQ} 'relation' AND l.relation ${EQ} ${quoteLiteral(HISTORY_TABLE)}::pg_catalog.regclass AND l.granted
        AND l.pid OPERATOR(pg_catalog.<>) pg_catalog.pg_backend_pid()`,
  );
  return rows.map(
    (r) =>
      `pid ${r.pid} (login ${r.usename ?? 'unknown'}${r.application_name ? `, application "${r.application_name}"` : ''}` +
      `${r.xact_start ? `, since ${(r.xact_start as Date).toISOString()}` : ''})`,
  );
}

/**
 * Begins a transaction holding the migration lock: an EXCLUSIVE lock on the
 * history table, which readers (status) do not wait for and no tenant role
 * can take. Waits at most `waitSeconds` for another runner, then fails
 * naming who holds it. Statements after it wait for other locks a minute at most.
 */
export async function beginLocked(client: Client, database: string, waitSeconds: number): Promise<void> {
  try {
    await client.query(`BEGIN; SET LOCAL lock_timeout TO '${Math.max(1, Math.round(waitSeconds))}s'; LOCK TABLE ${HISTORY_TABLE} IN EXCLUSIVE MODE; SET LOCAL lock_timeout TO '60s';`);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    // 55P03 lock_not_available.
    if ((error as { code?: string }).code !== '55P03') throw error;
    throw new Error(migrationErrors.lockWait(database, Math.max(1, Math.round(waitSeconds)), await lockHolders(client).catch(() => [])));
  }
}
