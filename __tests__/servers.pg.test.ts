/**
 * A fleet on three real PostgreSQL servers at once: tenants placed on each,
 * fleet commands reaching every tenant on its own server only, a down server
 * failing its own tenants alone, live numbers, and a move that keeps every
 * row and the full privilege matrix, refused without room and undone on
 * failure.
 *
 * One major for the whole suite: the newest proven one that the installed
 * pg_dump can dump (a move needs client tools as new as its servers; the
 * machine's psql, pg_dump and pg_restore are PostgreSQL 15's).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { appRoleName, ownerRoleName, personRoleName } from '../model/naming';
import { type PostgresTenant as Tenant, loadRegistry, serverOf } from '../tenants/registry';
import { testServers } from '../testbed/pg-binaries';
import { type Cluster, startCluster } from '../testbed/pg-cluster';
import { postgresTenants, runCliInProcess, tempFleet, tenantDefinition } from './helpers';
import { EXPECTED, logins, privilegeOutcomes } from './support/privileges';
import { applyAccessSql, connectAs, migrate, migrationsWith } from './support/tenant-db';

const dumpMajor = Number(/\(PostgreSQL\) (\d+)/.exec(execFileSync('pg_dump', ['--version'], { encoding: 'utf8' }))![1]);
const server = testServers({})
  .filter((s) => s.major <= dumpMajor)
  .pop()!;
const later = migrationsWith({ '0006.do.add_gift_cards.sql': 'CREATE TABLE gift_cards (id serial PRIMARY KEY, code text NOT NULL, balance integer NOT NULL);\n' });

let a: Cluster;
let b: Cluster;
let c: Cluster;
let fleet: ReturnType<typeof tempFleet>;
let tenants: Map<string, Tenant>;

const docker = (key: string, port: number, serverName?: string) =>
  tenantDefinition({ key, database: { name: key, ...(serverName && { server: serverName }) } as never, app: { target: 'docker', port } });
const fleetServer = (name: string, cluster: Cluster, extra: Record<string, unknown> = {}) => ({
  name,
  host: '127.0.0.1',
  port: cluster.port,
  sslmode: 'disable',
  adminRole: cluster.superuser,
  maxConnections: 100,
  ...extra,
});
const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => runCliInProcess(args, { ...fleet.env, ...env });
/** The environment a person has: PGHOST pointing at server A, which only the default server may use. */
const misleading = () => ({ PGHOST: '127.0.0.1', PGPORT: String(a.port), PGUSER: a.superuser, PGDATABASE: 'postgres' });
const tenantOf = (key: string) => tenants.get(key)!;

beforeAll(async () => {
  [a, b, c] = await Promise.all([startCluster({ server }), startCluster({ server }), startCluster({ server })]);
  fleet = tempFleet(
    {
      a_one: docker('a_one', 4401, 'srv-a'),
      a_two: docker('a_two', 4402, 'srv-a'),
      b_one: docker('b_one', 4403, 'srv-b'),
      c_one: docker('c_one', 4404, 'srv-c'),
      c_two: docker('c_two', 4405, 'srv-c'),
      d_one: docker('d_one', 4406),
      l_one: tenantDefinition({
        key: 'l_one',
        database: { name: 'l_one' },
        app: { target: 'lambda', region: 'eu-central-1', artifact: { s3Bucket: 'l-one-artifacts', s3Key: 'api.zip', s3ObjectVersion: 'v1' } },
      }),
    },
    {
      'srv-a': fleetServer('srv-a', a),
      'srv-b': fleetServer('srv-b', b),
      'srv-c': fleetServer('srv-c', c),
      // Server B under another name, too small for another tenant: 10 less 6 reserved leave 4, a free tenant can hold 5.
      'srv-small': fleetServer('srv-small', b, { maxConnections: 10, reservedConnections: 6 }),
    },
  );
  tenants = new Map(postgresTenants(loadRegistry(fleet.dir, fleet.serversDir).tenants).map((t) => [t.key, t]));
  // Each database exists on its own server only: run on any other, a command would fail.
  const placement: [Cluster, string[]][] = [
    [a, ['a_one', 'a_two']],
    [b, ['b_one', 'd_one']],
    [c, ['c_one', 'c_two']],
  ];
  for (const [cluster, keys] of placement) for (const key of keys) applyAccessSql(cluster, tenantOf(key));
});

afterAll(() => {
  for (const cluster of [a, b, c]) cluster?.stop();
  fleet?.cleanup();
  later.cleanup();
});

/** One value a query returns, as text, read as the server's superuser. */
async function scalar(cluster: Cluster, sql: string, database = 'postgres'): Promise<string> {
  const client = await cluster.connect(database);
  try {
    const { rows } = await client.query<Record<string, unknown>>(sql);
    return String(Object.values(rows[0])[0]);
  } finally {
    await client.end();
  }
}

/** A tenant database's migration version. */
const version = (cluster: Cluster, database: string) => scalar(cluster, 'SELECT max(version) FROM usual_store_meta.schema_migrations', database);

describe('fleet commands across three servers', () => {
  it('migrate --all reaches each tenant on its own server only, whatever PGHOST says, and leaves the lambda tenant to its deploy', async () => {
    const result = await cli(['migrate', '--all', '--url', b.url('postgres'), '--per-server', '1'], misleading());
    expect(result.stderr).toContain('skipped l_one: its database is on its own RDS instance');
    expect(result.status).toBe(0);
    const rows = result.stdout.split('\n').filter((line) => /^ (srv-|default)/.test(line)).map((line) => line.trim().split(/\s+/).slice(0, 5));
    expect(rows).toEqual([
      ['srv-a', 'a_one', 'a_one', '0', '5'],
      ['srv-a', 'a_two', 'a_two', '0', '5'],
      ['srv-b', 'b_one', 'b_one', '0', '5'],
      ['srv-c', 'c_one', 'c_one', '0', '5'],
      ['srv-c', 'c_two', 'c_two', '0', '5'],
      ['default', 'd_one', 'd_one', '0', '5'],
    ]);
    expect(await Promise.all([version(a, 'a_one'), version(a, 'a_two'), version(b, 'b_one'), version(b, 'd_one'), version(c, 'c_one'), version(c, 'c_two')])).toEqual(['5', '5', '5', '5', '5', '5']);
    // --server narrows to one server's tenants.
    const status = await cli(['status', '--server', 'srv-a', '--json'], misleading());
    expect(JSON.parse(status.stdout).map((s: { server: string; key: string; version: number }) => [s.server, s.key, s.version])).toEqual([
      ['srv-a', 'a_one', 5],
      ['srv-a', 'a_two', 5],
    ]);
  });

  // After the migrate above: every tenant is at the latest version.
  it('drift --all reads each tenant on its own server, whatever PGHOST says, and finds the fleet in sync', async () => {
    const result = await cli(['drift', '--all', '--json', '--url', b.url('postgres')], misleading());
    expect(result.stderr).toContain('skipped l_one: its database is on its own RDS instance');
    expect(JSON.parse(result.stdout).map((d: { server: string; key: string; findings: unknown[]; error?: string }) => [d.server, d.key, d.findings.length, d.error ?? ''])).toEqual([
      ['srv-a', 'a_one', 0, ''],
      ['srv-a', 'a_two', 0, ''],
      ['srv-b', 'b_one', 0, ''],
      ['srv-c', 'c_one', 0, ''],
      ['srv-c', 'c_two', 0, ''],
      ['default', 'd_one', 0, ''],
    ]);
    expect(result.status).toBe(0);
  });

  it('lists each server with its tenants, budget and live numbers', async () => {
    const result = await cli(['servers', '--json', '--url', b.url('postgres')]);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as { servers: { name: string; budget: { demand: number; capacity?: number }; tenants: { key: string; live: { sizeBytes: number; connections: number } | null }[]; live: { maxConnections: number } | null }[]; ownInstances: string[] };
    const byName = new Map(report.servers.map((s) => [s.name, s]));
    expect(byName.get('srv-a')!.tenants.map((t) => t.key)).toEqual(['a_one', 'a_two']);
    expect(byName.get('srv-a')!.budget).toEqual({ demand: 10, capacity: 97, free: 87 });
    expect(byName.get('srv-a')!.tenants.every((t) => t.live !== null && t.live.sizeBytes > 1_000_000)).toBe(true);
    expect(byName.get('srv-a')!.live!.maxConnections).toBe(Number((await scalar(a, 'SHOW max_connections'))));
    expect(byName.get('default')!.tenants.map((t) => [t.key, t.live !== null])).toEqual([['d_one', true]]);
    expect(report.ownInstances).toEqual(['l_one']);
  });

  it('a down server fails only its own tenants, with a clear message, the second one not even tried', async () => {
    c.stop();
    const result = await cli(['migrate', '--all', '--url', b.url('postgres'), '--schema-dir', later.dir, '--per-server', '1'], misleading());
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/2 of 6 tenants failed to migrate: c_one, c_two/);
    expect(result.stdout).toMatch(/c_one: nothing listens at 127\.0\.0\.1:\d+/);
    expect(result.stdout).toMatch(/c_two: server "srv-c" is unreachable \(nothing listens at 127\.0\.0\.1:\d+.*\); not tried/);
    expect(await Promise.all([version(a, 'a_one'), version(a, 'a_two'), version(b, 'b_one'), version(b, 'd_one')])).toEqual(['6', '6', '6', '6']);
    const servers = await cli(['servers', '--url', b.url('postgres')]);
    expect(servers.status).toBe(1);
    expect(servers.stderr).toContain('1 of 5 servers unreachable: srv-c');
  });
});

describe('moving a tenant between servers', () => {
  /** Rows written as the tenant's app, as the store would. */
  function seed(cluster: Cluster, t: Tenant): void {
    cluster.psql(
      "INSERT INTO widgets (name, description, inventory_level, price) SELECT 'w' || i, 'a widget', i, i * 100 FROM generate_series(1, 250) i;\n" +
        "INSERT INTO gift_cards (code, balance) SELECT 'g' || i, i FROM generate_series(1, 40) i;",
      { database: t.database.name, user: appRoleName(t.key) },
    );
  }

  it('prints the steps and changes nothing without --execute; refuses a target without room or a lambda tenant', async () => {
    const plan = await cli(['move', 'a_two', '--to', 'srv-b']);
    expect(plan.status).toBe(0);
    expect(plan.stdout).toContain('Move a_two (database "a_two") from srv-a to srv-b:');
    expect(plan.stdout).toContain('both as a_two__migrator (one-off passwords) acting as a_two__owner');
    expect(plan.stdout).toContain('(nothing was done: add --execute to run the steps)');
    expect((await scalar(b, "SELECT count(*) FROM pg_database WHERE datname = 'a_two'"))).toBe('0');

    const full = await cli(['move', 'a_two', '--to', 'srv-small', '--execute']);
    expect(full.status).toBe(1);
    expect(full.stderr).toContain('a_two cannot move to srv-small; nothing was changed');
    expect(full.stderr).toContain('database.server "srv-small" has room for 4 more connections, but the tenant can hold 5');
    expect(readFileSync(path.join(fleet.dir, 'a_two.ts'), 'utf8')).toContain('"server": "srv-a"');
    expect((await scalar(b, "SELECT count(*) FROM pg_database WHERE datname = 'a_two'"))).toBe('0');

    expect((await cli(['move', 'l_one', '--to', 'srv-b'])).stderr).toContain('l_one is a lambda tenant on its own RDS instance');
  });

  it('refuses to copy what the owner does not own (a person\'s own workspace table), changing nothing', async () => {
    const t = tenantOf('a_two');
    const admin = personRoleName(t.key, 'alice');
    a.psql('CREATE TABLE workspace.notes (id int)', { database: 'a_two', user: admin });
    try {
      const result = await cli(['move', 'a_two', '--to', 'srv-b', '--execute']);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(`table workspace.notes (owner ${admin})`);
      expect(result.stderr).toContain('nothing was changed');
      expect((await scalar(a, `SELECT rolcanlogin FROM pg_roles WHERE rolname = '${appRoleName(t.key)}'`))).toBe('true');
    } finally {
      a.psql('DROP TABLE workspace.notes', { database: 'a_two', user: admin });
    }
  });

  it('undoes a move that fails half way: the source serves as before, the target is as it was', async () => {
    const t = tenantOf('a_two');
    await migrate(a, t, later.set);
    seed(a, t);
    // A leftover migrator role on the target whose sessions may not write: the restore fails inside its transaction.
    b.psql(`CREATE ROLE a_two__migrator LOGIN; ALTER ROLE a_two__migrator SET default_transaction_read_only = on;`);
    try {
      const result = await cli(['move', 'a_two', '--to', 'srv-b', '--execute']);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/pg_restore failed .*read-only transaction/);
      expect(result.stderr).toContain('undone: srv-a serves the tenant as before, srv-b is as it was');
      expect((await scalar(b, "SELECT count(*) FROM pg_database WHERE datname = 'a_two'"))).toBe('0');
      expect((await scalar(b, "SELECT string_agg(rolname, ',' ORDER BY rolname) FROM pg_roles WHERE rolname LIKE 'a\\_two\\_\\_%'"))).toBe('a_two__migrator');
      expect((await scalar(a, `SELECT bool_and(rolcanlogin) FROM pg_roles WHERE rolname IN ('${appRoleName(t.key)}', '${personRoleName(t.key, 'alice')}')`))).toBe('true');
      expect(readFileSync(path.join(fleet.dir, 'a_two.ts'), 'utf8')).toContain('"server": "srv-a"');
    } finally {
      b.psql('DROP ROLE a_two__migrator');
    }
  });

  it('moves a tenant with --execute: every row there, the full privilege matrix, the file edited, the old copy kept and closed', async () => {
    const t = tenantOf('a_two');
    const counts = (cluster: Cluster) => scalar(cluster, "SELECT (SELECT count(*) FROM public.widgets) || ',' || (SELECT count(*) FROM public.gift_cards) || ',' || (SELECT count(*) FROM public.statuses)", 'a_two');
    const before = await counts(a);
    expect(before).toMatch(/^250,40,\d+$/);

    const result = await cli(['move', 'a_two', '--to', 'srv-b', '--execute'], misleading());
    expect(result.stderr).not.toMatch(/error/);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^ public\.widgets +250 +250 *$/m);
    expect(result.stdout).toContain('Moved a_two to srv-b');
    expect(result.stdout).toContain('npx tenants move a_two --release-sql | psql');

    expect(await counts(b)).toBe(before);
    expect(await version(b, 'a_two')).toBe('6');
    // Everything on the target belongs to the owner, and the grants are the promised ones for every kind of login.
    expect((await scalar(b, `SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname IN ('public', 'workspace', 'usual_store_meta') AND pg_get_userbyid(c.relowner) <> '${ownerRoleName(t.key)}'`, 'a_two'))).toBe('0');
    for (const [kind, role] of logins(t)) {
      expect(await privilegeOutcomes(b, 'a_two', role, ['widgets', 'gift_cards'])).toEqual({ widgets: EXPECTED[kind], gift_cards: EXPECTED[kind] });
    }
    expect(await connectAs(b, 'b_one', appRoleName(t.key))).toBe('denied');

    // The registry says where it is now; the old copy is kept, its logins closed.
    const moved = loadRegistry(fleet.dir, fleet.serversDir).tenants.find((x) => x.key === 'a_two')!;
    expect(serverOf(moved)).toBe('srv-b');
    expect((await scalar(a, "SELECT count(*) FROM pg_database WHERE datname = 'a_two'"))).toBe('1');
    expect((await scalar(a, `SELECT rolcanlogin FROM pg_roles WHERE rolname = '${appRoleName(t.key)}'`))).toBe('false');
    // Fleet commands now reach it on its new server.
    const status = await cli(['status', 'a_two', '--json'], misleading());
    expect(JSON.parse(status.stdout)).toEqual([expect.objectContaining({ server: 'srv-b', key: 'a_two', version: 6 })]);
    // The explicit last step: the SQL that drops the old copy, run on the old server.
    const release = await cli(['move', 'a_two', '--release-sql']);
    a.psql(release.stdout);
    expect((await scalar(a, "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'a\\_two\\_\\_%'"))).toBe('0');
    expect((await scalar(b, "SELECT count(*) FROM pg_database WHERE datname = 'a_two'"))).toBe('1');
  });
});
