import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';

/** The store's migrations, shipped with the project. */
export const SCHEMA_DIR = path.resolve(__dirname, '..', 'schema');

/** `0001.do.create_store_tables.sql`: version, action, name (postgrator's convention). */
export const MIGRATION_FILE_PATTERN = /^(\d{4})\.do\.([a-z0-9_]+)\.sql$/;

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
      problems.push(`${name} does not match NNNN.do.<name>.sql (four-digit version, lowercase name); rename it`);
      continue;
    }
    const file = path.join(dir, name);
    migrations.push({ version: Number(match[1]), name: match[2], file, sql: readFileSync(file, 'utf8') });
  }
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      problems.push(
        `${path.basename(migration.file)} has version ${migration.version} where ${index + 1} was expected; versions run 1, 2, 3… without gaps or repeats`,
      );
    }
  });
  if (problems.length) throw new Error(`Migrations in ${dir} are not in order:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  const hash = createHash('sha256');
  for (const migration of migrations) hash.update(`${path.basename(migration.file)}\0${migration.sql}\0`);
  return { dir, migrations, checksum: hash.digest('hex') };
}
