import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { migrationErrors } from './migration-errors';
import { blankLiterals, statementsOf } from './sql-lexer';

/** The store's migrations, shipped with the project. */
export const SCHEMA_DIR = path.resolve(__dirname, '..', 'schema');

/** `0001.do.create_store_tables.sql`: version, action, name (postgrator's convention). */
export const MIGRATION_FILE_PATTERN = /^(\d{4})\.do\.([a-z0-9_]+)\.sql$/;

/** A role change: SET [SESSION|LOCAL] ROLE, SET SESSION AUTHORIZATION, and their RESETs (not a custom setting such as role.x). */
const ROLE_CHANGE = String.raw`(?:SET\s+(?:SESSION\s+|LOCAL\s+)?|RESET\s+)(?:ROLE|"ROLE"|SESSION\s+AUTHORIZATION|session_authorization|"session_authorization")(?!\s*\.|\w)`;

/** A role change anywhere in a text (a DO block's code). */
const ROLE_CHANGE_ANYWHERE = new RegExp(String.raw`\b(${ROLE_CHANGE})`, 'i');

/** The first words of a statement that controls transactions or changes the role. */
const FORBIDDEN_START = new RegExp(
  String.raw`^\s*(BEGIN|COMMIT|ROLLBACK|ABORT|START\s+TRANSACTION|END|SAVEPOINT|RELEASE|PREPARE\s+TRANSACTION|RESET\s+ALL|${ROLE_CHANGE})(?!\w)`,
  'i',
);

/** set_config('role' | 'session_authorization', …), the setting given as any kind of string literal, in parentheses or not. */
function setConfigOfRole(code: string, strings: readonly string[]): string | undefined {
  for (const match of code.matchAll(/\bset_config\s*\(\s*(?:\(\s*)*(?:[EeUu&]*'S(\d+)'|\$S(\d+)\$)/gi)) {
    const setting = strings[Number(match[1] ?? match[2])].trim().toLowerCase();
    if (setting === 'role' || setting === 'session_authorization') return `set_config('${setting}', …)`;
  }
  return undefined;
}

/**
 * What a DO block, which runs as the migration runs, does to the role: a
 * role change anywhere in its code counts (PL/pgSQL statements start after
 * BEGIN, THEN, LOOP or ';', not only at the start of a line).
 */
function roleChangeInDoBodies(code: string, strings: readonly string[]): string | undefined {
  for (const match of code.matchAll(/\bDO\s+(?:LANGUAGE\s+\w+\s+)?\$S(\d+)\$/gi)) {
    const body = blankLiterals(strings[Number(match[1])]);
    const change = ROLE_CHANGE_ANYWHERE.exec(body.code);
    if (change) return `${change[1].toUpperCase().replace(/\s+/g, ' ').replace(/"/g, '')} in a DO block`;
    const inner = setConfigOfRole(body.code, body.strings) ?? roleChangeInDoBodies(body.code, body.strings);
    if (inner) return inner;
  }
  return undefined;
}

/**
 * A statement a migration must not contain: transaction control would break
 * the runner's one transaction per migration, and a role change would run
 * the rest as someone other than the tenant owner. Strings, comments and
 * function bodies ($$ … $$, BEGIN ATOMIC … END) are skipped as PostgreSQL
 * reads them (sql-lexer.ts), so their words and semicolons are not code; a
 * DO block's body, which runs at once, is searched for role changes.
 */
export function forbiddenStatement(sql: string): string | undefined {
  const { code, strings } = blankLiterals(sql);
  // set_config('role', …) changes the role as SET ROLE does, from inside any statement.
  const inside = setConfigOfRole(code, strings) ?? roleChangeInDoBodies(code, strings);
  if (inside) return inside;
  for (const statement of statementsOf(code)) {
    const match = FORBIDDEN_START.exec(statement);
    if (match) return match[1].toUpperCase().replace(/\s+/g, ' ').replace(/"/g, '');
  }
  return undefined;
}

/** One migration file, read once: the runner runs exactly the text that was checked and hashed. */
export interface MigrationFile {
  readonly version: number;
  readonly name: string;
  readonly file: string;
  readonly sql: string;
  /**
   * md5 of the text with line endings made LF: the checksum the history table
   * records (the same as postgrator's with `newline: 'LF'`, which wrote the
   * history of databases migrated before the runner was the project's own).
   */
  readonly md5: string;
}

/** The history's checksum of a migration's text. */
export function migrationChecksum(sql: string): string {
  return createHash('md5').update(sql.replace(/\r\n|\r|\n/g, '\n'), 'utf8').digest('hex');
}

/** The migrations in version order, and one checksum over all of them. */
export interface MigrationSet {
  readonly dir: string;
  readonly migrations: readonly MigrationFile[];
  /** sha256 of every file name and content; changes when any migration is added or edited. */
  readonly checksum: string;
}

/**
 * Reads every migration of a directory. Files that look like migrations but
 * do not follow the naming convention are refused rather than skipped, and so
 * are duplicate or missing version numbers.
 */
export function readMigrations(dir: string = SCHEMA_DIR): MigrationSet {
  const files = readdirSync(dir).filter((name) => name.endsWith('.sql')).sort();
  const problems: string[] = [];
  const migrations: MigrationFile[] = [];
  for (const name of files) {
    const match = MIGRATION_FILE_PATTERN.exec(name);
    if (!match) {
      problems.push(migrationErrors.badFileName(name));
      continue;
    }
    const file = path.join(dir, name);
    const sql = readFileSync(file, 'utf8');
    const forbidden = forbiddenStatement(sql);
    if (forbidden) problems.push(migrationErrors.forbiddenStatement(name, forbidden));
    migrations.push({ version: Number(match[1]), name: match[2], file, sql, md5: migrationChecksum(sql) });
  }
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      problems.push(migrationErrors.versionGap(path.basename(migration.file), migration.version, index + 1));
    }
  });
  if (problems.length) throw new Error(migrationErrors.unusable(dir, problems));
  const hash = createHash('sha256');
  for (const migration of migrations) hash.update(`${path.basename(migration.file)}\0${migration.sql}\0`);
  return { dir, migrations, checksum: hash.digest('hex') };
}
