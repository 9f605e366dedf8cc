/**
 * pg_dump and pg_restore of a tenant's database, always as the tenant's
 * migrator (a one-off password, in the child's environment only) acting as
 * its owner: nothing the tenant made runs with more than the owner's rights,
 * and no password reaches a command line. Shared by moves and backups.
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Client } from 'pg';
import { HISTORY_SCHEMA } from '../model/defaults';
import type { LoginAs, ServerConnection } from './connection';
import { runTool, toolConnection } from './libpq-tools';

const EQ = 'OPERATOR(pg_catalog.=)';

/** Where the tenant's own objects are not: the catalog's schemas and temporary ones. */
const NOT_SYSTEM = `n.nspname <> ALL (ARRAY['pg_catalog', 'information_schema', 'pg_toast']) AND n.nspname !~ '^pg_temp_|^pg_toast_temp_'`;

/** A tenant database's tables, and what in it its owner does not own. */
export interface Inventory {
  /** Every table, schema-qualified and quoted (`public.widgets`). */
  readonly tables: readonly string[];
  /** What the owner does not own, described (`table workspace.notes (owner shop__alice)`). */
  readonly foreign: readonly string[];
  /** Tables and sequences the owner does not own, schema-qualified, for pg_dump's --exclude-table. */
  readonly foreignRelations: readonly string[];
  /** Large objects the owner does not own: pg_dump, acting as the owner, cannot read them. */
  readonly foreignLargeObjects: number;
}

/** Reads the inventory in the migrator's session (catalog reads only). */
export async function inventory(migrator: Client, owner: string): Promise<Inventory> {
  const tables = await migrator.query<{ name: string }>(
    `SELECT pg_catalog.format('%I.%I', n.nspname, c.relname) AS name
       FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid ${EQ} c.relnamespace
      WHERE c.relkind ${EQ} ANY (ARRAY['r', 'p']::pg_catalog.char[]) AND ${NOT_SYSTEM}
        AND pg_catalog.pg_get_userbyid(c.relowner) ${EQ} $1
      ORDER BY 1`,
    [owner],
  );
  const relations = await migrator.query<{ what: string; name: string; relkind: string }>(
    `SELECT pg_catalog.format('%s %I.%I (owner %I)', CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' WHEN 'S' THEN 'sequence' ELSE 'table' END,
                              n.nspname, c.relname, pg_catalog.pg_get_userbyid(c.relowner)) AS what,
            pg_catalog.format('%I.%I', n.nspname, c.relname) AS name, c.relkind::pg_catalog.text AS relkind
       FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid ${EQ} c.relnamespace
      WHERE c.relkind ${EQ} ANY (ARRAY['r', 'p', 'v', 'm', 'S', 'f']::pg_catalog.char[]) AND ${NOT_SYSTEM}
        AND pg_catalog.pg_get_userbyid(c.relowner) <> $1
      ORDER BY 1`,
    [owner],
  );
  const routines = await migrator.query<{ what: string }>(
    `SELECT pg_catalog.format('function %I.%I (owner %I)', n.nspname, p.proname, pg_catalog.pg_get_userbyid(p.proowner)) AS what
       FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid ${EQ} p.pronamespace
      WHERE ${NOT_SYSTEM} AND pg_catalog.pg_get_userbyid(p.proowner) <> $1
        AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d WHERE d.objid ${EQ} p.oid AND d.deptype ${EQ} 'e')
      ORDER BY 1`,
    [owner],
  );
  const largeObjects = await migrator.query<{ n: string }>(
    `SELECT pg_catalog.count(*)::pg_catalog.text AS n FROM pg_catalog.pg_largeobject_metadata WHERE pg_catalog.pg_get_userbyid(lomowner) <> $1`,
    [owner],
  );
  const foreignLargeObjects = Number(largeObjects.rows[0].n);
  return {
    tables: tables.rows.map((r) => r.name),
    foreign: [...relations.rows.map((r) => r.what), ...routines.rows.map((r) => r.what), ...(foreignLargeObjects ? [`${foreignLargeObjects} large objects of other owners`] : [])],
    foreignRelations: relations.rows.filter((r) => ['r', 'p', 'S', 'm', 'f'].includes(r.relkind)).map((r) => r.name),
    foreignLargeObjects,
  };
}

/** Row counts of the given tables, in the migrator's session (it acts as the owner; counting runs no tenant code). */
export async function rowCounts(migrator: Client, tables: readonly string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const { rows } = await migrator.query<{ n: string }>(`SELECT pg_catalog.count(*)::pg_catalog.text AS n FROM ${table}`);
    counts[table] = Number(rows[0].n);
  }
  return counts;
}

/** The schema version recorded in the migration history; 0 without one. */
export async function recordedVersion(migrator: Client): Promise<number> {
  const table = `${HISTORY_SCHEMA}.schema_migrations`;
  const { rows: found } = await migrator.query<{ found: boolean }>('SELECT pg_catalog.to_regclass($1) IS NOT NULL AS found', [table]);
  if (!found[0].found) return 0;
  const { rows } = await migrator.query<{ v: string | null }>(`SELECT pg_catalog.max(version)::pg_catalog.text AS v FROM ${table}`);
  return Number(rows[0].v ?? 0);
}

/** A libpq tool's failure as an error naming the tool and what it said. */
export function toolFailed(tool: string, run: { status: number; stderr: string }): Error {
  return new Error(`${tool} failed (exit ${run.status}): ${run.stderr.trim().split('\n').slice(0, 5).join(' | ')}`);
}

/** Options of {@link pgDump}. */
export interface DumpOptions {
  /** A snapshot exported by a session of the same login (`pg_export_snapshot()`), so the dump sees what it saw. */
  readonly snapshot?: string;
  /** Tables and sequences left out (what the owner cannot read). */
  readonly exclude?: readonly string[];
}

/** Dumps a database in pg_dump's custom format, as `login`. */
export async function pgDump(connection: ServerConnection, database: string, login: LoginAs, file: string, env: NodeJS.ProcessEnv, options: DumpOptions = {}): Promise<void> {
  const conn = toolConnection(connection, database, env, login);
  const args = [
    '--format=custom',
    '--no-owner',
    `--file=${file}`,
    ...(options.snapshot ? [`--snapshot=${options.snapshot}`] : []),
    ...(options.exclude ?? []).map((table) => `--exclude-table=${table}`),
    '--dbname',
    conn.dbname,
  ];
  const run = await runTool('pg_dump', args, conn.env);
  if (run.status !== 0) throw toolFailed('pg_dump', run);
}

/**
 * pg_restore's list without the schemas the access model already created
 * (CREATE SCHEMA would fail on them) and without comments on extensions
 * (their owner may set them, the tenant's owner may not).
 */
export function restoreList(list: string, createdSchemas: readonly string[]): string {
  return list
    .split('\n')
    .filter((line) => {
      const schema = /^\d+; \d+ \d+ SCHEMA - (\S+) /.exec(line);
      if (schema && createdSchemas.includes(schema[1])) return false;
      return !/^\d+; \d+ \d+ COMMENT - EXTENSION /.test(line);
    })
    .join('\n');
}

/** Whether a file is an archive pg_restore can read; its error otherwise. */
export async function archiveProblem(file: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const listed = await runTool('pg_restore', ['--list', file], env);
  return listed.status === 0 ? undefined : listed.stderr.trim().split('\n')[0] || `pg_restore could not read ${file}`;
}

/**
 * Restores an archive into an existing database (whose access model is in
 * place) as `login` acting as `owner`, in one transaction: all or nothing.
 */
export async function pgRestore(connection: ServerConnection, database: string, login: LoginAs, owner: string, file: string, createdSchemas: readonly string[], work: string, env: NodeJS.ProcessEnv): Promise<void> {
  const listed = await runTool('pg_restore', ['--list', file], env);
  if (listed.status !== 0) throw toolFailed('pg_restore', listed);
  const listFile = path.join(work, `${path.basename(file)}.list`);
  writeFileSync(listFile, restoreList(listed.stdout, createdSchemas));
  const conn = toolConnection(connection, database, env, login);
  const run = await runTool(
    'pg_restore',
    ['--no-owner', `--role=${owner}`, '--single-transaction', '--exit-on-error', `--use-list=${listFile}`, '--dbname', conn.dbname, file],
    conn.env,
  );
  if (run.status !== 0) throw toolFailed('pg_restore', run);
}
