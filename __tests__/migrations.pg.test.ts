/**
 * The migration runner on a real PostgreSQL, on every major and kind of
 * server admin of the matrix: transactions, the migration lock, checksums,
 * and the fleet commands as a user runs them.
 */
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { ownerRoleName } from '../model/naming';
import { connectTo } from '../ops/connection';
import { migrateTenant } from '../ops/fleet';
import { EditedMigrationError, migrateDatabase, migrationStatus } from '../ops/migrate';
import { readMigrations } from '../ops/migration-files';
import type { PostgresTenant as Tenant } from '../tenants/registry/types';
import { PROJECT_ROOT, runCliInProcess, tempRegistry, tenant, tenantSourceOf } from './helpers';
import { TerminalSession } from './support/terminal';
import { type Cluster, startCluster } from '../testbed/pg-cluster';
import { adminOf, pgCases } from './support/pg-matrix';
import { applyAccessSql, migrate, migrationsWith, migratorClient } from './support/tenant-db';

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((cleanup) => cleanup()));

let counter = 0;

function withMigrations(extra: Record<string, string>, edit: Record<string, string> = {}) {
  const copy = migrationsWith(extra, edit);
  cleanups.push(copy.cleanup);
  return copy.set;
}

describe.each(pgCases())('on $label', ({ server, admin: adminKind }) => {
  let cluster: Cluster;
  let admin: string;
  beforeAll(async () => {
    cluster = await startCluster({ server });
    admin = adminOf(cluster, adminKind);
  });
  afterAll(() => cluster?.stop());

  /** A fresh tenant with its roles and database, not yet migrated. */
  function freshTenant(): Tenant {
    counter += 1;
    const key = `mig_${counter}`;
    const t = tenant({ key, database: { name: key }, app: { target: 'docker', port: 4200 + counter } });
    applyAccessSql(cluster, t, admin);
    return t;
  }

  /** The runner's view of a tenant's history, read in its migrator's session. */
  async function statusOf(t: Tenant, migrations: ReturnType<typeof readMigrations>) {
    const client = await migratorClient(cluster, t);
    try {
      return await migrationStatus(client, { database: t.database.name, ownerRole: ownerRoleName(t.key), migrations });
    } finally {
      await client.end();
    }
  }

  /** A query of the test's own, as the superuser, in the store's schema (the admin's search path there is the catalog's). */
  async function query(t: Tenant, sql: string): Promise<Record<string, unknown>[]> {
    const client = await cluster.connect(t.database.name);
    try {
      await client.query('SET search_path TO public');
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  }

  describe('migrateDatabase', () => {
    it('applies every migration once and records each with its checksum', async () => {
      const t = freshTenant();
      const run = await migrate(cluster, t, undefined, { admin });
      const all = readMigrations().migrations.map((m) => m.version);
      expect(run).toEqual({ fromVersion: 0, toVersion: all.length, applied: all });
      expect(await migrate(cluster, t, undefined, { admin })).toEqual({ fromVersion: all.length, toVersion: all.length, applied: [] });
      const history = await query(t, 'SELECT version, md5 FROM usual_store_meta.schema_migrations WHERE version > 0 ORDER BY version');
      expect(history.map((h) => Number(h.version))).toEqual(all);
      expect(history.every((h) => /^[0-9a-f]{32}$/.test(String(h.md5)))).toBe(true);
    });

    it('leaves the database at its previous version with nothing half-created when a migration fails', async () => {
      const t = freshTenant();
      await migrate(cluster, t, undefined, { admin });
      const failing = withMigrations({
        '0006.do.add_gift_cards.sql': 'CREATE TABLE gift_cards (id serial PRIMARY KEY);\nINSERT INTO statuses (id, name) VALUES (99, \'Half\');\nSELECT 1 / 0;\n',
      });
      await expect(migrate(cluster, t, failing, { admin })).rejects.toThrow('division by zero');
      expect(await query(t, "SELECT to_regclass('public.gift_cards') AS t, (SELECT count(*) FROM statuses WHERE id = 99)::int AS rows")).toEqual([
        { t: null, rows: 0 },
      ]);
      expect((await statusOf(t, failing)).version).toBe(5);
    });

    it('applies each migration exactly once when two runners start at the same time', async () => {
      const t = freshTenant();
      const slow = withMigrations({ '0006.do.slow_step.sql': 'SELECT pg_sleep(0.5);\nCREATE TABLE slow_step (id int);\n' });
      const [a, b] = await Promise.all([migratorClient(cluster, t), migratorClient(cluster, t)]);
      try {
        const options = { database: t.database.name, ownerRole: ownerRoleName(t.key), migrations: slow };
        const runs = await Promise.all([migrateDatabase(a, options), migrateDatabase(b, options)]);
        // They may take turns (each migration starts by taking the lock), but never apply one twice or out of order.
        expect(runs.flatMap((r) => r.applied).sort()).toEqual([1, 2, 3, 4, 5, 6]);
        for (const run of runs) expect([...run.applied].sort()).toEqual(run.applied);
      } finally {
        await a.end();
        await b.end();
      }
      const history = await query(t, 'SELECT version, count(*)::int AS n FROM usual_store_meta.schema_migrations GROUP BY version HAVING count(*) > 1');
      expect(history).toEqual([]);
    });

    it('gives up waiting for a runner that holds the lock too long, naming who holds it', async () => {
      const t = freshTenant();
      await migrate(cluster, t, undefined, { admin });
      const [holder, waiter] = await Promise.all([migratorClient(cluster, t), migratorClient(cluster, t)]);
      try {
        await holder.query(`SET ROLE ${ownerRoleName(t.key)}; BEGIN; LOCK TABLE usual_store_meta.schema_migrations IN EXCLUSIVE MODE`);
        const pid = (await holder.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
        const options = { database: t.database.name, ownerRole: ownerRoleName(t.key), migrations: withMigrations({ '0006.do.x.sql': 'CREATE TABLE x (id int);\n' }), lockWaitSeconds: 1 };
        await expect(migrateDatabase(waiter, options)).rejects.toThrow(
          new RegExp(`^the migration lock of database "${t.database.name}" was held for 1 s by pid ${pid} \\(login ${t.key}__migrator, .*since \\d{4}-.*\\): if it is stuck, end it`),
        );
        await holder.query('COMMIT');
        // The failed wait left nothing behind: the same connection migrates once the lock is free.
        expect((await migrateDatabase(waiter, options)).applied).toEqual([6]);
      } finally {
        await holder.end();
        await waiter.end();
      }
    });

    it('refuses to run when an applied migration was edited, naming the file and the fix', async () => {
      const t = freshTenant();
      await migrate(cluster, t, undefined, { admin });
      const edited = withMigrations({}, { '0002.do.index_foreign_keys.sql': '-- edited\nCREATE INDEX IF NOT EXISTS x ON orders (quantity);\n' });
      const error = await migrate(cluster, t, edited, { admin }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EditedMigrationError);
      expect((error as Error).message).toBe(
        `${path.relative(process.cwd(), path.join(edited.dir, '0002.do.index_foreign_keys.sql'))} was edited after it was applied to database "${t.database.name}" ` +
          '(its checksum differs from the one recorded then): applied migrations are append-only; restore the file and put the change in a new migration',
      );
      expect((await statusOf(t, edited)).edited).toEqual([2]);
    });

    it('rolls back a migration that changes the role, which a check of its text cannot see', async () => {
      const t = freshTenant();
      await migrate(cluster, t, undefined, { admin });
      // The role is built from parts, so no check of the text can see it: only the runner's check after the migration can.
      // The migrator's own login is the only other role the session could become.
      const escaping = withMigrations({ '0006.do.sneaky.sql': `DO $$ BEGIN PERFORM set_config('ro' || 'le', session_user, false); END $$;\nCREATE TABLE sneaky (id int);\n` });
      await expect(migrate(cluster, t, escaping, { admin })).rejects.toThrow(
        `migration 6 changed the role on database "${t.database.name}" to "${t.key}__migrator" (objects must belong to "${ownerRoleName(t.key)}"); it was rolled back: remove the role change from the migration`,
      );
      expect(await query(t, "SELECT to_regclass('public.sneaky') AS t, (SELECT max(version) FROM usual_store_meta.schema_migrations)::int AS v")).toEqual([{ t: null, v: 5 }]);
    });

    it('stops, unrecorded, a migration that ends its own transaction', async () => {
      const t = freshTenant();
      await migrate(cluster, t, undefined, { admin });
      const set = withMigrations({ '0006.do.commits.sql': 'CREATE TABLE committed_early (id int);\n' });
      // Past the check of the files' text, as a statement that check cannot recognise would be.
      const sneaky = { ...set, migrations: set.migrations.map((m) => (m.version === 6 ? { ...m, sql: 'CREATE TABLE committed_early (id int); COMMIT;\n' } : m)) };
      await expect(migrate(cluster, t, sneaky, { admin })).rejects.toThrow(`migration 6 ended its transaction itself on database "${t.database.name}"`);
      expect(await query(t, 'SELECT max(version)::int AS v FROM usual_store_meta.schema_migrations')).toEqual([{ v: 5 }]);
    });

    it('runs exactly the text it checked and hashed, not what the file says later', async () => {
      const t = freshTenant();
      await migrate(cluster, t, undefined, { admin });
      const set = withMigrations({ '0006.do.checked.sql': 'CREATE TABLE checked (id int);\n' });
      writeFileSync(path.join(set.dir, '0006.do.checked.sql'), 'CREATE TABLE swapped (id int);\n');
      await migrate(cluster, t, set, { admin });
      expect(await query(t, "SELECT to_regclass('public.checked') IS NOT NULL AS checked, to_regclass('public.swapped') IS NOT NULL AS swapped")).toEqual([
        { checked: true, swapped: false },
      ]);
      expect(await query(t, 'SELECT md5 FROM usual_store_meta.schema_migrations WHERE version = 6')).toEqual([{ md5: set.migrations[5].md5 }]);
    });

    it('reports what a failed run applied before the migration that failed', async () => {
      const t = freshTenant();
      await migrate(cluster, t, undefined, { admin });
      const set = withMigrations({ '0006.do.gift_cards.sql': 'CREATE TABLE gift_cards (id int);\n', '0007.do.broken.sql': 'SELECT 1 / 0;\n' });
      const result = await migrateTenant(t, { url: cluster.url('postgres', admin) }, set);
      expect(result).toEqual(expect.objectContaining({ fromVersion: 5, toVersion: 6, applied: [6], error: '0007.do.broken.sql: division by zero' }));
    });

    it('refuses to run from a checkout that lacks migrations the database has, and status says so', async () => {
      const t = freshTenant();
      await migrate(cluster, t, withMigrations({ '0006.do.newer.sql': 'CREATE TABLE newer (id int);\n' }));
      const older = readMigrations();
      await expect(migrate(cluster, t, older, { admin })).rejects.toThrow(
        `database "${t.database.name}" has migration 6 applied, which ${older.dir} does not have: it was migrated from a newer checkout; run from that checkout (or restore the missing files), never from an older one`,
      );
      expect(await statusOf(t, older)).toEqual(expect.objectContaining({ version: 6, pending: [], unknown: [6] }));
    });

    it('refuses to run for a login that is not a member of the owner role', async () => {
      const t = freshTenant();
      const client = await cluster.connect(t.database.name, `${t.key}__alice`);
      try {
        await expect(migrateDatabase(client, { database: t.database.name, ownerRole: ownerRoleName(t.key), migrations: readMigrations() })).rejects.toThrow(
          /permission denied to set role/,
        );
        // Nothing was locked or left open by the refusal, while the connection is still open.
        expect(await query(t, `SELECT count(*)::int AS held FROM pg_locks WHERE locktype = 'relation' AND relation = to_regclass('usual_store_meta.schema_migrations')`)).toEqual([{ held: 0 }]);
      } finally {
        await client.end();
      }
    });
  });

  describe('tenants migrate and status', () => {
    const cli = (args: string[], env: NodeJS.ProcessEnv) => runCliInProcess(args, env);

    it('migrates every tenant it can, reports each, and exits 1 naming the one that failed', async () => {
      const ready = [freshTenant(), freshTenant()];
      const missing = tenant({ key: 'no_database', database: { name: 'no_database' }, app: { target: 'docker', port: 4299 } });
      const registry = tempRegistry(Object.fromEntries([...ready, missing].map((t) => [`${t.key}.ts`, tenantSourceOf(t)])));
      cleanups.push(registry.cleanup);
      const env = { ...process.env, TENANTS_DIR: registry.dir };
      const result = await cli(['migrate', '--all', '--url', cluster.url('postgres', admin), '--concurrency', '2'], env);
      expect(result.status).toBe(1);
      const rows = result.stdout.split('\n').filter((line) => /^ default +(mig_|no_database)/.test(line));
      expect(rows.map((r) => r.trim().split(/\s+/).slice(0, 5))).toEqual([
        ['default', ready[0].key, ready[0].key, '0', '5'],
        ['default', ready[1].key, ready[1].key, '0', '5'],
        ['default', 'no_database', 'no_database', '-', '-'],
      ]);
      expect(rows[2]).toMatch(/ failed$/);
      // Each error once, in full, under the table.
      expect(result.stdout.match(/no_database: database "no_database" does not exist: deploy the tenant first/g)).toHaveLength(1);
      expect(result.stderr).toMatch(/error: 1 of 3 tenants failed to migrate: no_database/);

      const status = await cli(['status', ...ready.map((t) => t.key), '--json'], { ...env, ...cluster.env(admin) });
      expect(status.status).toBe(0);
      expect(JSON.parse(status.stdout)).toEqual(ready.map((t) => ({ server: 'default', key: t.key, database: t.database.name, version: 5, pending: [], edited: [], unknown: [] })));
    });

    test.each(['prefer', 'allow'])('connects with sslmode=%s to a server without TLS, as libpq does', async (mode) => {
      const t = freshTenant();
      const registry = tempRegistry({ [`${t.key}.ts`]: tenantSourceOf(t) });
      cleanups.push(registry.cleanup);
      const env = { ...process.env, ...cluster.env(admin), TENANTS_DIR: registry.dir, PGSSLMODE: mode };
      const result = await cli(['migrate', t.key], env);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect((await cli(['status', t.key, '--url', `${cluster.url('postgres', admin)}?sslmode=${mode}`], env)).status).toBe(0);
    });

    it('reports a prefer connection refused for another reason as the server says it, code included', async () => {
      // The server has no TLS, which prefer expects: only the plain attempt's reason is worth reading.
      await expect(connectTo({ url: `${cluster.url()}?sslmode=prefer` }, 'no_such_database')).rejects.toMatchObject({
        message: 'database "no_such_database" does not exist',
        code: '3D000',
      });
    });

    it('applies a migration from --schema-dir, to try one before it merges', async () => {
      const t = freshTenant();
      const registry = tempRegistry({ [`${t.key}.ts`]: tenantSourceOf(t) });
      cleanups.push(registry.cleanup);
      const extra = withMigrations({ '0006.do.add_gift_cards.sql': 'CREATE TABLE gift_cards (id serial PRIMARY KEY);\n' });
      const result = await cli(['migrate', t.key, '--url', cluster.url('postgres', admin), '--schema-dir', extra.dir], { TENANTS_DIR: registry.dir });
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^ default +${t.key} +${t.key} +0 +6 +1,2,3,4,5,6 `, 'm'));
      expect((await cli(['status', t.key, '--json', '--url', cluster.url('postgres', admin)], { TENANTS_DIR: registry.dir })).stdout).toContain('"version": 6');
    });

  });
});

describe('tenants migrate in a terminal, and with bad arguments', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster();
  });
  afterAll(() => cluster?.stop());

  it('shows live progress per tenant in a terminal, then the summary', async () => {
    const t = tenant({ key: 'progress_shop', database: { name: 'progress_shop' }, app: { target: 'docker', port: 4299 } });
    applyAccessSql(cluster, t);
    const registry = tempRegistry({ [`${t.key}.ts`]: tenantSourceOf(t) });
    cleanups.push(registry.cleanup);
    const session = new TerminalSession(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'cli', 'main.ts'), 'migrate', '--all', '--url', cluster.url()], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, TENANTS_DIR: registry.dir },
    });
    try {
      await session.waitFor(new RegExp(`✔ ${t.key}: 0 -> 5`));
      await session.waitFor(new RegExp(`${t.key} +${t.key} +0 +5 +1,2,3,4,5 +\\d+ ms +migrated`));
      expect(await session.exited).toBe(0);
    } finally {
      session.kill();
    }
  });

  it('names the migration file that failed, prints each error once under a table of short results, and shows the latest version of an unreachable tenant', async () => {
    const t = tenant({ key: 'broken_shop', database: { name: 'broken_shop' }, app: { target: 'docker', port: 4298 } });
    applyAccessSql(cluster, t);
    const missing = tenant({ key: 'gone_shop', database: { name: 'gone_shop' }, app: { target: 'docker', port: 4297 } });
    const registry = tempRegistry({ [`${t.key}.ts`]: tenantSourceOf(t), [`${missing.key}.ts`]: tenantSourceOf(missing) });
    cleanups.push(registry.cleanup);
    const broken = withMigrations({ '0006.do.broken.sql': `SELECT 1 / 0; -- ${'a long comment to make the error long '.repeat(8)}\n` });
    const run = await runCliInProcess(['migrate', '--all', '--url', cluster.url(), '--schema-dir', broken.dir], { TENANTS_DIR: registry.dir });
    expect(run.status).toBe(1);
    expect(run.stdout.match(/broken_shop: 0006\.do\.broken\.sql: division by zero/g)).toHaveLength(1);
    const table = run.stdout.split('\n\n')[0].split('\n');
    expect(Math.max(...table.map((line) => line.length))).toBeLessThan(120);
    const status = await runCliInProcess(['status', '--url', cluster.url(), '--schema-dir', broken.dir], { TENANTS_DIR: registry.dir });
    expect(status.stdout).toMatch(/^ default +gone_shop +gone_shop +- +6 +unreachable: database "gone_shop" does not exist/m);
  });

  it('says where it looked when nothing listens there, and how to point it at the server', async () => {
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    await expect(connectTo({}, 'postgres', { PGHOST: '127.0.0.1', PGPORT: String(closed) })).rejects.toThrow(
      `nothing listens at 127.0.0.1:${closed}: set PGHOST and PGPORT (or --url postgres://admin@host:5432/postgres) to the database server`,
    );
  });

  it('exits 2 for usage errors', async () => {
    for (const args of [['migrate', 'building_shop', '--schema-dir', '/no/such/dir'], ['migrate'], ['migrate', 'building_shop', '--concurrency', '0'], ['no-such-command']]) {
      expect((await runCliInProcess(args)).status).toBe(2);
    }
  });
});
