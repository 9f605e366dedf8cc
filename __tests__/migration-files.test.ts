import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { forbiddenStatement, migrationChecksum, readMigrations } from '../ops/migration-files';
import { migrationsWith } from './support/tenant-db';

/** The message readMigrations throws for a directory holding these files. */
function refusal(files: Record<string, string>): { dir: string; message: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'schema-'));
  try {
    for (const [name, sql] of Object.entries(files)) writeFileSync(path.join(dir, name), sql);
    try {
      readMigrations(dir);
      return { dir, message: '' };
    } catch (error) {
      return { dir, message: (error as Error).message };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('readMigrations', () => {
  it('reads the shipped migrations in version order, without gaps', () => {
    const { migrations } = readMigrations();
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_m, i) => i + 1));
    expect(migrations[0].name).toBe('create_store_tables');
  });

  it('changes the checksum when a migration is added or edited, and only then', () => {
    const base = migrationsWith({});
    const added = migrationsWith({ '0006.do.add_gift_cards.sql': 'CREATE TABLE gift_cards (id int);\n' });
    const edited = migrationsWith({}, { '0001.do.create_store_tables.sql': '-- edited\n' });
    try {
      expect(base.set.checksum).toBe(readMigrations().checksum);
      expect(new Set([base.set.checksum, added.set.checksum, edited.set.checksum]).size).toBe(3);
    } finally {
      [base, added, edited].forEach((m) => m.cleanup());
    }
  });

  it('refuses misnamed files and gaps in the numbering, listing each', () => {
    const { dir, message } = refusal({ '0001.do.first.sql': 'SELECT 1;\n', '0003.do.third.sql': 'SELECT 1;\n', '4_no_action.sql': 'SELECT 1;\n' });
    expect(message).toBe(
      `Migrations in ${dir} cannot be run:\n` +
        '  - 4_no_action.sql does not match NNNN.do.<name>.sql (four-digit version, lowercase name); rename it\n' +
        '  - 0003.do.third.sql has version 3 where 2 was expected; versions run 1, 2, 3… without gaps or repeats',
    );
  });

  it('refuses a migration with transaction control or a role change, which the runner owns', () => {
    const { dir, message } = refusal({
      '0001.do.first.sql': 'CREATE TABLE a (id int);\nCOMMIT;\n',
      '0002.do.second.sql': '-- a comment mentioning BEGIN is fine\nreset role;\n',
      '0003.do.third.sql': 'CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$\nBEGIN\n  RETURN 1;\nEND;\n$body$;\n',
    });
    expect(message).toBe(
      `Migrations in ${dir} cannot be run:\n` +
        '  - 0001.do.first.sql contains COMMIT; the runner wraps each migration in its own transaction as the tenant owner, so remove it\n' +
        '  - 0002.do.second.sql contains RESET ROLE; the runner wraps each migration in its own transaction as the tenant owner, so remove it',
    );
  });

  test.each([
    ['a COMMIT after another statement on its line', 'CREATE TABLE a (id int); COMMIT;', 'COMMIT'],
    ['a COMMIT after a block comment', '/* done */ COMMIT;', 'COMMIT'],
    ['SET LOCAL ROLE', 'SET LOCAL ROLE postgres;', 'SET LOCAL ROLE'],
    ["set_config('role', …)", "SELECT set_config('role', 'postgres', false);", "set_config('role', …)"],
    ['RESET ALL, which resets the role', 'RESET ALL;', 'RESET ALL'],
    ['a savepoint', 'SAVEPOINT s1;', 'SAVEPOINT'],
    ['a COMMIT after a string holding a comment marker', "INSERT INTO t VALUES ('a -- b');\nCOMMIT;", 'COMMIT'],
    ['a COMMIT between strings holding block comment markers', "INSERT INTO t VALUES ('/*');\nCOMMIT;\nINSERT INTO t VALUES ('*/');", 'COMMIT'],
    ['a COMMIT after a nested block comment', '/* a /* nested */ comment */ COMMIT;', 'COMMIT'],
    ['a COMMIT after a BEGIN ATOMIC function', 'CREATE FUNCTION h() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END; COMMIT;', 'COMMIT'],
    ['a COMMIT after a function with an empty BEGIN ATOMIC body', 'CREATE FUNCTION noop() RETURNS void LANGUAGE sql BEGIN ATOMIC END;\nCOMMIT;', 'COMMIT'],
    ['a COMMIT after a query that merely says begin atomic', 'SELECT begin atomic FROM q;\nCOMMIT;', 'COMMIT'],
    ['SET "role"', 'SET "role" TO x;', 'SET ROLE'],
    ['SET session_authorization', "SET session_authorization = 'x';", 'SET SESSION_AUTHORIZATION'],
    ['RESET session_authorization', 'RESET session_authorization;', 'RESET SESSION_AUTHORIZATION'],
    ["set_config(E'role', …)", "SELECT set_config(E'role', 'x', false);", "set_config('role', …)"],
    ['set_config($$role$$, …)', "SELECT set_config($$role$$, 'x', false);", "set_config('role', …)"],
    ["set_config(('role'), …)", "SELECT set_config(('role'), 'x', false);", "set_config('role', …)"],
    ['SET ROLE in a DO block, which runs at once', 'DO $$ BEGIN SET ROLE x; END $$;', 'SET ROLE in a DO block'],
    ['RESET ROLE after THEN in a DO block', 'DO $do$ BEGIN IF true THEN RESET ROLE; END IF; END $do$;', 'RESET ROLE in a DO block'],
    ["set_config('role', …) in a DO block", "DO $$ BEGIN PERFORM set_config('role', 'x', false); END $$;", "set_config('role', …)"],
    ['a COMMIT after a function with quoted parameters named begin and atomic', 'CREATE FUNCTION f("begin" "atomic") RETURNS int LANGUAGE sql AS \'select 1\'; COMMIT;', 'COMMIT'],
  ])('finds %s', (_case, sql, found) => {
    expect(forbiddenStatement(sql)).toBe(found);
  });

  test.each([
    ['the words in a string', "INSERT INTO notes VALUES ('paid; COMMIT later');"],
    ['a column named like a keyword', 'CREATE TABLE t (begin_at timestamptz, end_at timestamptz);'],
    ['a DO block', 'DO $$ BEGIN PERFORM 1; END $$;'],
    ['an escape string with a quote and a semicolon', "COMMENT ON COLUMN t.c IS E'Don\\'t; end of line';"],
    ['a function body with a tag holding a digit', 'CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $fn1$ BEGIN RETURN 1; END; $fn1$;'],
    ['a BEGIN ATOMIC function body, with a CASE … END inside', 'CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 1 END; END;'],
    ['strings holding comment markers and keywords', "INSERT INTO t VALUES ('http://a--b');\nINSERT INTO t VALUES ('x; end');"],
    ['a quoted identifier holding a quote', 'CREATE TABLE t ("it\'s" int);\nALTER TABLE t ALTER COLUMN "it\'s" SET DEFAULT \'a; commit\';'],
    ['set_config of another setting, and role in a string', "SELECT set_config('search_path', 'public', false);\nCOMMENT ON TABLE t IS 'uses set_config(''role'', x)';"],
    ['an E string continued on the next line, with an escaped quote', "COMMENT ON TABLE t IS E'first line'\n'don\\'t; commit';"],
    ['quoted identifiers named like keywords', 'CREATE TABLE "end" (id int); CREATE TABLE "a;b" (id int);'],
    ['a procedure with a BEGIN ATOMIC body, then a statement', 'CREATE OR REPLACE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); END; CREATE TABLE z (id int);'],
    ['a custom setting under role', "SET role.x = '1'; SET \"role\".y = '2';"],
    ['a DO block that only mentions a role change in a string', "DO $$ BEGIN RAISE NOTICE 'set role x'; END $$;"],
    ['statements that merely start like forbidden ones', 'CREATE TABLE t (end_date date); RESET search_path; ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO x;'],
  ])('lets through %s', (_case, sql) => {
    expect(forbiddenStatement(sql)).toBeUndefined();
  });

  it('finds no such statement in the shipped migrations, nor a tenant name', () => {
    for (const migration of readMigrations().migrations) {
      expect(forbiddenStatement(migration.sql)).toBeUndefined();
      expect(migration.sql).not.toMatch(/building_shop|hardware_store|bookstore_2025|__owner/);
    }
  });
});

describe('migration checksums', () => {
  // What postgrator 8 (the runner before this one, with newline 'LF') recorded for the shipped migrations:
  // histories it wrote must stay valid, or every deployed tenant would report its migrations as edited.
  const RECORDED_BY_POSTGRATOR: Record<number, string> = {
    1: '9ffd861825b4c300a79962127bcfb24f',
    2: '07afc045a1df1641d86b0271b2cc5517',
    3: 'f0182b6a42bd2de12b7d8181c07998dd',
    4: '1ef0153ffa1b3f53c1a5f49830e0a27e',
    5: '1aa15f2b3020ac7cdee930138a34d394',
  };

  it('computes the checksums the existing histories hold', () => {
    const shipped = readMigrations().migrations.filter((m) => m.version in RECORDED_BY_POSTGRATOR);
    expect(Object.fromEntries(shipped.map((m) => [m.version, m.md5]))).toEqual(RECORDED_BY_POSTGRATOR);
  });

  it('gives a file the same checksum whatever its line endings', () => {
    expect(migrationChecksum('CREATE TABLE a (id int);\r\nCREATE TABLE b (id int);\r\n')).toBe(migrationChecksum('CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n'));
    expect(migrationChecksum('CREATE TABLE a (id int);\n')).not.toBe(migrationChecksum('CREATE TABLE a (id bigint);\n'));
  });
});
