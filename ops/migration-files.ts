import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { migrationErrors } from '../constructs/errors';
import { blankLiterals, statementsOf } from './sql-lexer';

/** The store's migrations, shipped with the project. */
export const SCHEMA_DIR = path.resolve(__dirname, '..', 'schema');

/** `0001.do.create_store_tables.sql`: version, action, name (postgrator's convention). */
export const MIGRATION_FILE_PATTERN = /^(\d{4})\.do\.([a-z0-9_]+)\.sql$/;

/** The first words of a statement that controls transactions or changes the role. */
const FORBIDDEN_START =
  /^\s*(BEGIN|COMMIT|ROLLBACK|ABORT|START\s+TRANSACTION|END|SAVEPOINT|RELEASE|PREPARE\s+TRANSACTION|SET\s+(?:SESSION\s+|LOCAL\s+)?(?:ROLE|SESSION\s+AUTHORIZATION|session_authorization)|RESET\s+(?:ROLE|ALL|SESSION\s+AUTHORIZATION|session_authorization))\b/i;

/**
 * A statement a migration must not contain: transaction control would break
 * the runner's one transaction per migration, and a role change would run
 * the rest as someone other than the tenant owner. Strings, comments and
 * function bodies ($$ … $$, BEGIN ATOMIC … END) are skipped as PostgreSQL
 * reads them (sql-lexer.ts), so their words and semicolons are not code.
 */
export function forbiddenStatement(sql: string): string | undefined {
  const { code, strings } = blankLiterals(sql);
  // set_config('role', …) changes the role as SET ROLE does, from inside any statement.
  for (const match of code.matchAll(/\bset_config\s*\(\s*[EeUu&]*'S(\d+)'/gi)) {
    const setting = strings[Number(match[1])].toLowerCase();
    if (setting === 'role' || setting === 'session_authorization') return `set_config('${setting}', …)`;
  }
  for (const statement of statementsOf(code)) {
    const match = FORBIDDEN_START.exec(statement);
    if (match) return match[1].toUpperCase().replace(/\s+/g, ' ');
  }
  return undefined;
}

/** One migration file. */
export interface MigrationFile {
  readonly version: number;
  readonly name: string;
  readonly file: string;
  readonly sql: string;
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
    migrations.push({ version: Number(match[1]), name: match[2], file, sql });
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
