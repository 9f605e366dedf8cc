/**
 * A hostile tenant against the platform, on a real PostgreSQL: each attack a
 * red-team review made succeed (a tenant admin becoming superuser of the
 * whole server), run through the CLI exactly as an operator runs the
 * platform (`tenants sql | psql`, `tenants migrate`, `tenants status`).
 *
 * The access model no longer gives admins the footholds (database CREATE,
 * TRIGGER), so where an attack needs one, the test first grants it back as
 * the original access model had it: that is a tenant provisioned before, or
 * adopted from the original system, where the foothold may already be
 * planted. The session model must hold there too.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:net';
import * as path from 'node:path';
import { migratorRoleName, ownerRoleName, personRoleName } from '../model/naming';
import type { Tenant } from '../tenants/registry/types';
import { PROJECT_ROOT, runCliInProcess, tempRegistry, tenant, tenantSourceOf } from './helpers';
import { PROVIDER_GRANT_READ, plantedAggregateSql, plantedHistoryViewSql, plantedOperatorSql, plantedTriggerSql } from './support/attacks';
import { type Cluster, startCluster } from '../testbed/pg-cluster';
import { adminOf, pgCases } from './support/pg-matrix';
import { connectAs, migrationsWith, tryAs } from './support/tenant-db';

const ORIGINAL_SCHEMA = path.join(__dirname, 'fixtures', 'original', 'database-schema.sql');

// Each block of the suite starts its own server and registry and sets these; the blocks run one after another.
let cluster: Cluster;
/** The server admin of the block: the superuser, or a CREATEROLE-only role like RDS's master user. */
let admin: string;
let registry: { dir: string; cleanup: () => void };
const cleanups: (() => void)[] = [];
const attacked: Tenant[] = [];
let counter = 0;
afterAll(() => cleanups.forEach((cleanup) => cleanup()));

/** Starts the block's server, with the given kind of admin. */
function onServer(start: () => Promise<Cluster>, adminKind: 'superuser' | 'createrole'): void {
  beforeAll(async () => {
    cluster = await start();
    admin = adminOf(cluster, adminKind);
    registry = tempRegistry({});
    attacked.length = 0;
  });
  afterAll(() => {
    cluster?.stop();
    registry?.cleanup();
  });
}

/** A new tenant in the test registry: alice admin, bob developer, carol customer. */
function newTenant(prefix: string, extra: Partial<Parameters<typeof tenant>[0]> = {}): Tenant {
  counter += 1;
  const key = `${prefix}_${counter}`;
  const t = tenant({ key, database: { name: key }, app: { target: 'docker', port: 4500 + counter }, ...extra });
  writeFileSync(path.join(registry.dir, `${key}.ts`), tenantSourceOf(t));
  attacked.push(t);
  return t;
}

/** The CLI as an operator runs it (in this process, for speed; the Ctrl-C test starts its own). */
function cli(args: string[], options: { env?: NodeJS.ProcessEnv } = {}) {
  return runCliInProcess(args, { TENANTS_DIR: registry.dir, ...options.env });
}

/** `tenants sql <key> | psql` as the server admin. */
async function applySql(t: Tenant): Promise<void> {
  const sql = await cli(['sql', t.key]);
  expect(sql.stderr).toBe('');
  cluster.psql(sql.stdout, { user: admin });
}

/** The server admin's URL. */
const adminUrl = () => cluster.url('postgres', admin);

/** `tenants migrate <key>` against the cluster, optionally with extra migrations. */
function migrateCli(t: Tenant, extra: Record<string, string> = {}) {
  const args = ['migrate', t.key, '--url', adminUrl()];
  if (Object.keys(extra).length) {
    const copy = migrationsWith(extra);
    cleanups.push(copy.cleanup);
    args.push('--schema-dir', copy.set.dir);
  }
  return cli(args);
}

const alice = (t: Tenant) => personRoleName(t.key, 'alice');

/** What the original access model gave admins, which a tenant provisioned before may still have. */
function grantLegacyFootholds(t: Tenant): void {
  cluster.psql(
    `GRANT CREATE ON DATABASE ${t.database.name} TO ${t.key}__admins;\n` +
      `GRANT TRIGGER, REFERENCES ON ALL TABLES IN SCHEMA public TO ${t.key}__admins;`,
    { database: t.database.name },
  );
}

async function rows(database: string, sql: string, user?: string): Promise<Record<string, unknown>[]> {
  const client = await cluster.connect(database, user);
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

/** Every role with a server-wide right (superuser, CREATEROLE, CREATEDB, replication, BYPASSRLS). */
async function privileged(): Promise<string[]> {
  const found = await rows('postgres', 'SELECT rolname FROM pg_roles WHERE rolsuper OR rolcreaterole OR rolcreatedb OR rolreplication OR rolbypassrls ORDER BY 1');
  return found.map((r) => String(r.rolname));
}

/** Only the server's bootstrap superuser and the admin may hold a server-wide right. */
const ADMINS = () => [...new Set([cluster.superuser, admin])].sort();

/** The roles a login is a member of. */
async function membershipsOf(login: string): Promise<string[]> {
  const found = await rows(
    'postgres',
    `SELECT r.rolname FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = '${login}' ORDER BY 1`,
  );
  return found.map((r) => String(r.rolname));
}

/** The Terraform provider's read of table grants (support/attacks.ts), in a fresh session of the admin in the database: a stand-in, no provider binary runs here. */
async function providerReads(database: string): Promise<void> {
  await rows(database, PROVIDER_GRANT_READ.replace('$1', '10').replace('$2', "'public'").replace('$3', "'r'"), admin);
}

/** The database's owner: a planted function tries to take the tenant's database over. */
async function databaseOwner(database: string): Promise<string> {
  return String((await rows('postgres', `SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = '${database}'`))[0].owner);
}

/** Who ran a planted function, as it recorded itself. */
async function firedBy(database: string, schema: string): Promise<{ session_login: string; was_superuser: boolean }[]> {
  return (await rows(database, `SELECT DISTINCT session_login, was_superuser FROM "${schema}".fired ORDER BY 1`)) as never;
}

describe.each(pgCases())('on $label', ({ server, admin: adminKind }) => {
  onServer(() => startCluster({ server }), adminKind);

  describe('a trigger planted by a tenant admin, fired by a migration', () => {
    const variants: ['ROW' | 'STATEMENT', 'BEFORE' | 'AFTER', 'INSERT' | 'UPDATE' | 'DELETE'][] = [];
    for (const level of ['ROW', 'STATEMENT'] as const) for (const timing of ['BEFORE', 'AFTER'] as const) for (const event of ['INSERT', 'UPDATE', 'DELETE'] as const) variants.push([level, timing, event]);

    const writes = { INSERT: "INSERT INTO statuses (id, name) VALUES (101, 'Probe');", UPDATE: 'UPDATE statuses SET name = name WHERE id = 1;', DELETE: 'DELETE FROM statuses WHERE id = 100;' };

    test.each(variants)('runs in the migrator session, with the owner role at most: a %s %s %s trigger', async (level, timing, event) => {
      const t = newTenant('trig');
      await applySql(t);
      expect((await migrateCli(t)).status).toBe(0);
      grantLegacyFootholds(t);
      cluster.psql("INSERT INTO public.statuses (id, name) VALUES (100, 'Probe');", { database: t.database.name });
      cluster.psql(
        plantedTriggerSql({ schema: 'evil', attacker: alice(t), owner: ownerRoleName(t.key), serverAdmin: admin, table: 'public.statuses', timing, event, level }),
        { database: t.database.name, user: alice(t) },
      );

      const run = await migrateCli(t, { '0006.do.touch_statuses.sql': `${writes[event]}\n` });
      await providerReads(t.database.name);

      expect(await privileged()).toEqual(ADMINS());
      expect(await membershipsOf(alice(t))).toEqual([`${t.key}__admins`]);
      expect(await databaseOwner(t.database.name)).toBe(ownerRoleName(t.key));
      // Not vacuous: the trigger did fire, in the migrator's session, which is no superuser.
      expect(await firedBy(t.database.name, 'evil')).toEqual([{ session_login: migratorRoleName(t.key), was_superuser: false }]);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
    });
  });

  describe('an operator planted in a schema a privileged session would search', () => {
    const schemas = (t: Tenant) => [
      ['the server admin', admin],
      ['the owner', ownerRoleName(t.key)],
      ['the app', `${t.key}__app`],
      ['the migrator', migratorRoleName(t.key)],
      ['the history', 'usual_store_meta'],
    ];

    test.each([0, 1, 2, 3, 4])('is never used by the adoption statements, migrate, status or the SQL (schema named after case %i)', async (index) => {
      // An adopted database: made by the original system, whose admins had CREATE on it.
      const t = newTenant('adopted', { adopt: { legacyRoles: ['mallory'] } });
      const [, schema] = schemas(t)[index];
      // The original system ran as the server admin (on RDS, the master user), which owns what it made.
      cluster.psql(`DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mallory') THEN CREATE ROLE mallory LOGIN; END IF; END $$;`, { user: admin });
      cluster.psql(`CREATE DATABASE ${t.database.name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'en_US.UTF-8' LC_CTYPE 'en_US.UTF-8';`, { user: admin });
      cluster.psql(readFileSync(ORIGINAL_SCHEMA, 'utf8'), { database: t.database.name, stopOnError: false, user: admin });
      cluster.psql(`GRANT CREATE, CONNECT, TEMPORARY ON DATABASE ${t.database.name} TO mallory;`, { user: admin });
      cluster.psql(plantedOperatorSql(schema, 'mallory', ownerRoleName(t.key), admin), { database: t.database.name, user: 'mallory' });
      cluster.psql(plantedAggregateSql(schema, 'mallory', ownerRoleName(t.key), admin, false), { database: t.database.name, user: 'mallory' });
      // Not vacuous: the planted aggregate and operator do run where the schema is searched (here for mallory herself).
      await rows(
        t.database.name,
        `SET search_path TO "${schema}", public; SELECT array_agg(x) FROM (VALUES ('a'::text)) v(x); SELECT 1 WHERE 'pg_class'::regclass::oid = 1259;`,
        'mallory',
      );
      expect((await firedBy(t.database.name, schema)).map((r) => r.session_login)).toEqual(['mallory']);

      await applySql(t);
      // A schema named like the history is refused, naming its maker; any other the sessions never search.
      const expected = schema === 'usual_store_meta' ? 1 : 0;
      const runs = [await migrateCli(t), await migrateCli(t), await cli(['status', t.key, '--url', adminUrl()])];
      expect(runs.map((r) => r.status)).toEqual([expected, expected, expected]);
      expect(runs[0].stdout.includes('schema usual_store_meta belongs to "mallory"')).toBe(expected === 1);
      await applySql(t);
      await providerReads(t.database.name);

      expect(await privileged()).toEqual(ADMINS());
      expect(await membershipsOf('mallory')).toEqual([]);
      expect((await firedBy(t.database.name, schema)).filter((r) => r.was_superuser)).toEqual([]);
    });
  });

  describe('a migration history prepared by a tenant admin', () => {
    it('is refused, with nothing run, by migrate and status, and never read', async () => {
      const t = newTenant('hist');
      await applySql(t);
      // A tenant provisioned before the history schema was part of it, and not yet migrated.
      cluster.psql('DROP SCHEMA IF EXISTS usual_store_meta;', { database: t.database.name });
      grantLegacyFootholds(t);
      cluster.psql(plantedHistoryViewSql(alice(t), ownerRoleName(t.key), admin), { database: t.database.name, user: alice(t) });

      const runs = [
        await cli(['migrate', t.key, '--url', adminUrl()]),
        await cli(['migrate', t.key, '--url', adminUrl()]),
        await cli(['status', t.key, '--url', adminUrl()]),
      ];
      expect(await privileged()).toEqual(ADMINS());
      for (const result of runs) {
        expect(result.status).toBe(1);
        expect(result.stdout).toContain(
          `database "${t.database.name}": schema usual_store_meta belongs to "${alice(t)}", not "${ownerRoleName(t.key)}"; the migration history must be a plain table`,
        );
      }
      // The tenant's SQL leaves the schema to its maker, and says so; the runner still refuses it.
      await applySql(t);
      expect((await migrateCli(t)).stdout).toContain(`schema usual_store_meta belongs to "${alice(t)}"`);
      // Given to the owner by a superuser, it is still refused for what is in it.
      cluster.psql(`ALTER SCHEMA usual_store_meta OWNER TO ${ownerRoleName(t.key)};`, { database: t.database.name });
      const after = await migrateCli(t);
      expect(after.status).toBe(1);
      expect(after.stdout).toContain('usual_store_meta.schema_migrations is not a plain table (relkind v)');

      expect(await privileged()).toEqual(ADMINS());
      expect(await membershipsOf(alice(t))).toEqual([`${t.key}__admins`]);
      expect(await firedBy(t.database.name, 'usual_store_meta')).toEqual([]);
      expect(await rows(t.database.name, "SELECT to_regclass('public.customers') AS t")).toEqual([{ t: null }]);
    });
  });

  describe('the access model', () => {
    let t: Tenant;
    beforeAll(async () => {
      t = newTenant('model');
      await applySql(t);
      expect((await migrateCli(t)).status).toBe(0);
    });

    test.each([
      ['a schema of its own', 'CREATE SCHEMA mine'],
      ['a trusted extension', 'CREATE EXTENSION pgcrypto'],
      ['a trusted extension in the workspace', 'CREATE EXTENSION pgcrypto SCHEMA workspace'],
      [
        'a trigger on a store table',
        'CREATE FUNCTION workspace.stamp() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$; ' +
          'CREATE TRIGGER t BEFORE UPDATE ON public.statuses FOR EACH ROW EXECUTE FUNCTION workspace.stamp()',
      ],
      ['a foreign key to a store table', 'CREATE TABLE workspace.notes (customer_id integer REFERENCES public.customers (id))'],
      ['a table in public', 'CREATE TABLE public.mine (id int)'],
      ['a view in place of the history', 'CREATE VIEW usual_store_meta.schema_migrations_x AS SELECT 1'],
      ['the migration lock', 'LOCK TABLE usual_store_meta.schema_migrations IN EXCLUSIVE MODE'],
    ])('refuses an admin %s', async (_what, sql) => {
      expect(await tryAs(cluster, t.database.name, alice(t), sql)).toBe('denied');
    });

    it('lets admins keep their own tables, views and functions in the workspace schema', async () => {
      expect(await tryAs(cluster, t.database.name, alice(t), 'CREATE TABLE workspace.report (id int); CREATE VIEW workspace.report_view AS SELECT count(*) FROM public.orders')).toBe('ok');
    });

    it('pins the app to the store schema, so a schema named after it could not shadow its tables', async () => {
      const [setting] = await rows(t.database.name, 'SHOW search_path', `${t.key}__app`);
      expect(setting).toEqual({ search_path: 'public' });
    });

    it('reads the store tables for the app, not a forged view in a schema named after it', async () => {
      grantLegacyFootholds(t);
      cluster.psql(
        `CREATE SCHEMA "${t.key}__app"; CREATE VIEW "${t.key}__app".users AS SELECT 1 AS id, 'forged@example.com'::text AS email; GRANT USAGE ON SCHEMA "${t.key}__app" TO PUBLIC; GRANT SELECT ON "${t.key}__app".users TO PUBLIC;`,
        { database: t.database.name, user: alice(t) },
      );
      expect(await rows(t.database.name, 'SELECT email FROM users', `${t.key}__app`)).toEqual([]);
      await applySql(t);
    });

    it('limits every login to its connections, anywhere on the server', async () => {
      const carol = personRoleName(t.key, 'carol');
      const held = [await cluster.connect(t.database.name, carol), await cluster.connect('postgres', carol)];
      try {
        await expect(cluster.connect('postgres', carol)).rejects.toMatchObject({ code: '53300' });
      } finally {
        await Promise.all(held.map((client) => client.end()));
      }
    });

    it('is not blocked by a tenant login holding the advisory lock the runner once took', async () => {
      const carol = await cluster.connect(t.database.name, personRoleName(t.key, 'carol'));
      try {
        await carol.query('SELECT pg_advisory_lock(7340113001)');
        const started = Date.now();
        const run = await migrateCli(t, { '0006.do.after_lock.sql': 'CREATE TABLE after_lock (id int);\n' });
        expect(run.status).toBe(0);
        expect(Date.now() - started).toBeLessThan(30_000);
      } finally {
        await carol.end();
      }
    });
  });

  describe('after every attack', () => {
    it('has no superuser but the server admin, no login with a new membership, and apps that read their own tables, after a second run, status and the SQL again', async () => {
      const keys = attacked.map((t) => t.key);
      for (const t of attacked) await applySql(t);
      await cli(['migrate', ...keys, '--url', adminUrl()]);
      await cli(['status', ...keys, '--url', adminUrl()]);
      expect(await privileged()).toEqual(ADMINS());
      for (const t of attacked) {
        for (const [login, groups] of [
          [alice(t), [`${t.key}__admins`]],
          [personRoleName(t.key, 'bob'), [`${t.key}__developers`]],
          [personRoleName(t.key, 'carol'), [`${t.key}__customers`]],
          [`${t.key}__app`, []],
          [migratorRoleName(t.key), [ownerRoleName(t.key)]],
        ] as const) {
          expect([login, await membershipsOf(login)]).toEqual([login, groups]);
        }
      }
      const model = attacked.find((t) => t.key.startsWith('model_')) as Tenant;
      expect(await rows(model.database.name, 'SELECT count(*)::int AS n FROM customers', `${model.key}__app`)).toEqual([{ n: 0 }]);
    });

    it('leaves no migrator with a password once the runs are over', async () => {
      expect(await rows('postgres', "SELECT rolname FROM pg_authid WHERE rolname LIKE '%\\_\\_migrator' AND rolpassword IS NOT NULL")).toEqual([]);
    });
  });
});

describe('on one server', () => {
  onServer(() => startCluster(), 'superuser');

  describe('runner robustness', () => {
    let silent: Server;
    afterAll(() => silent?.close());

    it('gives up on a server that accepts TCP but never answers, within PGCONNECT_TIMEOUT', async () => {
      silent = createServer(() => undefined);
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const port = (silent.address() as { port: number }).port;
      const t = newTenant('silent');
      const started = Date.now();
      const result = await cli(['migrate', t.key, '--url', `postgres://postgres@127.0.0.1:${port}/postgres`], { env: { PGCONNECT_TIMEOUT: '2' } });
      expect(result.status).toBe(1);
      expect(result.stdout).toContain(`${t.key}: no answer from 127.0.0.1:${port} within 2 s (PGCONNECT_TIMEOUT)`);
      expect(Date.now() - started).toBeLessThan(15_000);
    });

    it('cancels the running migration on the server on Ctrl-C, records nothing of it, reports, and exits 130', async () => {
      const t = newTenant('interrupt');
      await applySql(t);
      expect((await migrateCli(t)).status).toBe(0);
      const copy = migrationsWith({ '0006.do.slow.sql': 'CREATE TABLE before_sleep (id int);\nSELECT pg_sleep(60);\n' });
      cleanups.push(copy.cleanup);
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'cli', 'main.ts'), 'migrate', t.key, '--url', adminUrl(), '--schema-dir', copy.set.dir], {
        cwd: PROJECT_ROOT,
        env: { ...process.env, TENANTS_DIR: registry.dir, NO_COLOR: '1' },
      });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const sleeping = `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = '${t.database.name}' AND query LIKE '%pg_sleep(60)%' AND pid <> pg_backend_pid()`;
      for (let i = 0; i < 100 && (await rows('postgres', sleeping))[0].n === 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect((await rows('postgres', sleeping))[0].n).toBe(1);
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      expect(output).toMatch(new RegExp(`interrupted: 1 of 1 tenants stopped \\(${t.key}\\)`));
      expect((await rows('postgres', sleeping))[0].n).toBe(0);
      expect(await rows(t.database.name, "SELECT max(version)::int AS v, to_regclass('public.before_sleep') AS t FROM usual_store_meta.schema_migrations")).toEqual([{ v: 5, t: null }]);
    });
  });

  describe('the server baseline (tenants server-sql)', () => {
    it('leaves tenant logins no way into the postgres and template1 databases, and the admin its own', async () => {
      const t = newTenant('baseline');
      await applySql(t);
      const carol = personRoleName(t.key, 'carol');
      expect(await connectAs(cluster, 'postgres', carol)).toBe('ok');
      const sql = await cli(['server-sql']);
      expect(sql.status).toBe(0);
      cluster.psql(sql.stdout);
      expect([await connectAs(cluster, 'postgres', carol), await connectAs(cluster, 'template1', carol)]).toEqual(['denied', 'denied']);
      expect(await connectAs(cluster, t.database.name, carol)).toBe('ok');
      expect((await migrateCli(t)).status).toBe(0);
    });
  });
});
