/**
 * Backups on real PostgreSQL servers: three tenants with data backed up,
 * verified and restored into new databases with every row, the schema
 * version and the full privilege matrix; corrupted, truncated and
 * mismatching backups refused by verify; a down server failing its own
 * tenant alone; no password in any process's command line or in the output;
 * offboarding refused without a verified backup; the swap; S3 with SSE-KMS
 * (against a stand-in: there is no S3 here).
 *
 * One major for the suite: the newest proven one the installed pg_dump can dump.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { appRoleName } from '../model/naming';
import { type PostgresTenant as Tenant, loadRegistry } from '../tenants/registry';
import { testServers } from '../testbed/pg-binaries';
import { type Cluster, startCluster } from '../testbed/pg-cluster';
import { TENANTS_BIN, PROJECT_ROOT, postgresTenants, runCliInProcess, tempFleet, tenantDefinition } from './helpers';
import { EXPECTED, logins, privilegeOutcomes } from './support/privileges';
import { type S3StandIn, startS3StandIn } from './support/s3-stand-in';
import { applyAccessSql, migrate, migrationsWith } from './support/tenant-db';

const dumpMajor = Number(/\(PostgreSQL\) (\d+)/.exec(execFileSync('pg_dump', ['--version'], { encoding: 'utf8' }))![1]);
const server = testServers({})
  .filter((s) => s.major <= dumpMajor)
  .pop()!;
const later = migrationsWith({ '0006.do.add_gift_cards.sql': 'CREATE TABLE gift_cards (id serial PRIMARY KEY, code text NOT NULL, balance integer NOT NULL);\n' });
const KEYS = ['shop_one', 'shop_two', 'shop_three'];
/** A password in the environment that must appear nowhere. */
const SECRET = 'hunter2-never-shown';

let cluster: Cluster;
let down: Cluster;
let fleet: ReturnType<typeof tempFleet>;
let backups: string;
let tenants: Map<string, Tenant>;

const docker = (key: string, port: number, serverName?: string) =>
  tenantDefinition({ key, database: { name: key, ...(serverName && { server: serverName }) } as never, app: { target: 'docker', port } });
/** The environment of the commands: the default server is the cluster, backups go to a temporary directory. */
const env = () => ({ ...fleet.env, ...cluster.env(), PGPASSWORD: SECRET, TENANTS_BACKUPS: backups });
const cli = (args: string[], extra: NodeJS.ProcessEnv = {}) => runCliInProcess(args, { ...env(), ...extra });

async function scalar(c: Cluster, sql: string, database = 'postgres'): Promise<string> {
  const client = await c.connect(database);
  try {
    const { rows } = await client.query<Record<string, unknown>>(sql);
    return String(Object.values(rows[0])[0]);
  } finally {
    await client.end();
  }
}

/** Rows of the store tables, as text. */
const counts = (c: Cluster, database: string) =>
  scalar(c, "SELECT (SELECT count(*) FROM public.widgets) || ',' || (SELECT count(*) FROM public.gift_cards) || ',' || (SELECT count(*) FROM public.statuses)", database);

/** The dumps of a tenant in the backups directory. */
const dumpsOf = (key: string) => (existsSync(path.join(backups, key)) ? readdirSync(path.join(backups, key)).filter((f) => f.endsWith('.dump')).sort() : []);

beforeAll(async () => {
  [cluster, down] = await Promise.all([startCluster({ server }), startCluster({ server })]);
  fleet = tempFleet(
    { ...Object.fromEntries(KEYS.map((key, i) => [key, docker(key, 4500 + i)])), far_shop: docker('far_shop', 4510, 'srv-down') },
    { 'srv-down': { name: 'srv-down', host: '127.0.0.1', port: down.port, sslmode: 'disable', adminRole: down.superuser, maxConnections: 100 } },
  );
  backups = mkdtempSync(path.join(tmpdir(), 'backups-'));
  tenants = new Map(postgresTenants(loadRegistry(fleet.dir, fleet.serversDir).tenants).map((t) => [t.key, t]));
  for (const [i, key] of KEYS.entries()) {
    const t = tenants.get(key)!;
    applyAccessSql(cluster, t);
    await migrate(cluster, t, later.set);
    cluster.psql(
      `INSERT INTO widgets (name, price) SELECT 'w' || n, n FROM generate_series(1, ${100 * (i + 1)}) n;\nINSERT INTO gift_cards (code, balance) SELECT 'g' || n, n FROM generate_series(1, ${7 + i}) n;`,
      { database: key, user: appRoleName(key) },
    );
  }
  applyAccessSql(down, tenants.get('far_shop')!);
  down.stop();
});

afterAll(() => {
  cluster?.stop();
  fleet?.cleanup();
  later.cleanup();
  rmSync(backups, { recursive: true, force: true });
});

describe('tenants backup', () => {
  it('backs up and verifies every tenant, the one on a down server failing alone, and shows no password anywhere', async () => {
    // As a process, so that every command line it starts can be watched.
    const child = spawn(process.execPath, [TENANTS_BIN, 'backup', 'shop_one', 'shop_two', 'shop_three', 'far_shop', '--verify'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, NO_COLOR: '1', ...env() },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const seen = new Set<string>();
    const watcher = setInterval(() => {
      for (const line of execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n')) if (/pg_dump|pg_restore|psql/.test(line)) seen.add(line);
    }, 5);
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearInterval(watcher);

    expect(status).toBe(1);
    expect(stderr).toContain('1 of 4 backups failed: far_shop');
    expect(stdout).toMatch(/far_shop: nothing listens at 127\.0\.0\.1:\d+/);
    expect(stdout.split('\n').filter((l) => /^ default +shop_/.test(l)).map((l) => l.trim().split(/\s+/).slice(0, 2).concat(l.includes(' yes ') ? ['verified'] : []))).toEqual(
      KEYS.map((key) => ['default', key, 'verified']),
    );
    // The tools ran, and no command line held a password (the migrator's one-off one is in their environment only).
    expect([...seen].some((line) => line.includes('pg_dump'))).toBe(true);
    for (const line of seen) expect(line).not.toMatch(/password|hunter2/i);
    expect(stdout + stderr).not.toContain(SECRET);

    for (const [i, key] of KEYS.entries()) {
      const [dump] = dumpsOf(key);
      expect(dump).toMatch(/^\d{8}T\d{6}Z-6\.dump$/);
      const manifest = JSON.parse(readFileSync(path.join(backups, key, dump.replace(/\.dump$/, '.json')), 'utf8'));
      expect(manifest).toMatchObject({ format: 1, tenant: key, database: key, server: 'default', schemaVersion: 6, bytes: statSync(path.join(backups, key, dump)).size, excluded: [] });
      expect(manifest.tables['public.widgets']).toBe(100 * (i + 1));
      expect(manifest.tables['public.gift_cards']).toBe(7 + i);
      expect(manifest.verified).toEqual({ at: expect.any(String), server: 'default' });
      // Customer data: the owner's alone.
      expect(statSync(path.join(backups, key, dump)).mode & 0o777).toBe(0o600);
    }
    // Verification left no scratch database behind.
    expect(await scalar(cluster, "SELECT count(*) FROM pg_database WHERE datname LIKE '%verify%'")).toBe('0');
  });

  it("verify and restore leave the tenant's closed logins closed (a moved tenant's old copy, a login closed by hand)", async () => {
    const app = appRoleName('shop_two');
    const canLogin = () => scalar(cluster, `SELECT rolcanlogin FROM pg_roles WHERE rolname = '${app}'`);
    cluster.psql(`ALTER ROLE ${app} NOLOGIN;`);
    try {
      const [dump] = dumpsOf('shop_two');
      const verified = await cli(['backup', 'verify', path.join(backups, 'shop_two', dump)]);
      expect(verified.status).toBe(0);
      expect(await canLogin()).toBe('false');
      const restored = await cli(['restore', 'shop_two', '--from', path.join(backups, 'shop_two', dump), '--into', 'shop_two_closed_check']);
      expect(restored.status).toBe(0);
      expect(await canLogin()).toBe('false');
    } finally {
      cluster.psql(`ALTER ROLE ${app} LOGIN;\nDROP DATABASE IF EXISTS shop_two_closed_check;`);
    }
  });

  it('restores each backup into a new database: every row, the schema version and the full privilege matrix', async () => {
    for (const key of KEYS) {
      const t = tenants.get(key)!;
      const into = `${key}_copy`;
      const result = await cli(['restore', key, '--from', path.join(backups, key, dumpsOf(key)[0]), '--into', into]);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout).toContain(`Restored ${path.join(backups, key, dumpsOf(key)[0])} into "${into}"`);
      expect(await counts(cluster, into)).toBe(await counts(cluster, key));
      expect(await scalar(cluster, 'SELECT max(version) FROM usual_store_meta.schema_migrations', into)).toBe('6');
      for (const [kind, role] of logins(t)) {
        expect(await privilegeOutcomes(cluster, into, role, ['widgets', 'gift_cards'])).toEqual({ widgets: EXPECTED[kind], gift_cards: EXPECTED[kind] });
      }
    }
    // Never into the live database.
    const live = await cli(['restore', 'shop_one', '--from', path.join(backups, 'shop_one', dumpsOf('shop_one')[0]), '--into', 'shop_one']);
    expect(live.status).toBe(1);
    expect(live.stderr).toContain('"shop_one" is the tenant\'s live database: a restore always goes into a new one');
  });

  it('verify refuses a corrupted, a truncated and a mismatching backup, each with a clear message', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bad-backups-'));
    try {
      const [dump] = dumpsOf('shop_two');
      const copy = (name: string) => {
        const to = path.join(dir, name, 'shop_two');
        execFileSync('mkdir', ['-p', to]);
        execFileSync('cp', [path.join(backups, 'shop_two', dump), path.join(backups, 'shop_two', dump.replace(/\.dump$/, '.json')), to]);
        return path.join(to, dump);
      };
      const corrupted = copy('corrupted');
      const bytes = readFileSync(corrupted);
      bytes[Math.floor(bytes.length / 2)] ^= 0xff;
      writeFileSync(corrupted, bytes);
      const c = await cli(['backup', 'verify', corrupted]);
      expect(c.status).toBe(1);
      expect(c.stderr).toMatch(/does not verify: .* is corrupted: its sha256 is [0-9a-f]{64}, its manifest says [0-9a-f]{64}/);

      const truncated = copy('truncated');
      truncateSync(truncated, 100);
      const t = await cli(['backup', 'verify', truncated]);
      expect(t.status).toBe(1);
      expect(t.stderr).toMatch(/has 100 bytes, its manifest says \d+: truncated/);

      const mismatching = copy('mismatching');
      const manifestFile = mismatching.replace(/\.dump$/, '.json');
      const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
      writeFileSync(manifestFile, JSON.stringify({ ...manifest, tables: { ...manifest.tables, 'public.widgets': 201 }, verified: undefined }));
      const m = await cli(['backup', 'verify', mismatching]);
      expect(m.status).toBe(1);
      expect(m.stderr).toContain('does not restore as it was taken: public.widgets has 200 rows, the manifest says 201');
      expect(await scalar(cluster, "SELECT count(*) FROM pg_database WHERE datname LIKE '%verify%'")).toBe('0');

      const good = await cli(['backup', 'verify', path.join(backups, 'shop_two', dump)]);
      expect(good.status).toBe(0);
      expect(good.stdout).toMatch(/verified .*: \d+ tables, \d+ rows, schema version 6, as in its manifest/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('offboarding and the swap', () => {
  it('offboard refuses without a verified backup, and goes ahead with one', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'no-backups-'));
    try {
      const refused = await cli(['offboard', 'shop_three', '--yes'], { TENANTS_BACKUPS: empty });
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain(`no verified backup of shop_three in ${empty}/`);
      expect(refused.stderr).toContain('npx tenants backup shop_three --verify');
      expect(loadRegistry(fleet.dir, fleet.serversDir).tenants.find((t) => t.key === 'shop_three')!.lifecycle).toBe('active');

      // --backup takes and verifies one now.
      const now = await cli(['offboard', 'shop_three', '--yes', '--backup'], { TENANTS_BACKUPS: empty });
      expect(now.stderr).toBe('');
      expect(now.status).toBe(0);
      expect(now.stdout).toMatch(new RegExp(`Verified backup: ${empty}/shop_three/\\d{8}T\\d{6}Z-6\\.dump`));
      expect(loadRegistry(fleet.dir, fleet.serversDir).tenants.find((t) => t.key === 'shop_three')!.lifecycle).toBe('offboarding');
      expect((await cli(['offboard', 'shop_three', '--cancel'])).status).toBe(0);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('swaps a restored database in only in maintenance, keeping the one it replaced', async () => {
    const key = 'shop_one';
    const before = await counts(cluster, key);
    // The live database loses rows after the backup; the backup is restored and swapped in.
    cluster.psql('DELETE FROM public.widgets WHERE id > 10', { database: key });
    const restored = await cli(['restore', key, '--from', path.join(backups, key, dumpsOf(key)[0]), '--into', 'shop_one_back']);
    expect(restored.status).toBe(0);
    const refused = await cli(['restore', key, '--swap', 'shop_one_back']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('shop_one is active: a swap replaces its live database, so put it in maintenance first');

    expect((await cli(['maintenance', key])).status).toBe(0);
    const skipped = await cli(['migrate', '--all']);
    expect(skipped.stderr).toContain('skipped shop_one: it is in maintenance');
    const swap = await cli(['restore', key, '--swap', 'shop_one_back']);
    expect(swap.stderr).toBe('');
    expect(swap.status).toBe(0);
    expect(await counts(cluster, key)).toBe(before);
    const replaced = /kept as "(shop_one_replaced_\w+)"/.exec(swap.stdout)![1];
    expect(await scalar(cluster, `SELECT datallowconn FROM pg_database WHERE datname = '${replaced}'`)).toBe('false');
    for (const [kind, role] of logins(tenants.get(key)!)) {
      expect(await privilegeOutcomes(cluster, key, role, ['widgets'])).toEqual({ widgets: EXPECTED[kind] });
    }
    expect((await cli(['maintenance', key, '--off'])).status).toBe(0);
  });
});

describe('backups in S3', () => {
  let s3: S3StandIn;
  beforeAll(async () => {
    s3 = await startS3StandIn();
  });
  afterAll(() => s3?.close());

  it('writes dump and manifest encrypted with SSE-KMS, verifies from S3, and keeps the newest --keep', async () => {
    const aws = { AWS_ENDPOINT_URL_S3: s3.endpoint, AWS_REGION: 'eu-central-1', AWS_ACCESS_KEY_ID: 'stand-in', AWS_SECRET_ACCESS_KEY: 'stand-in' };
    for (let i = 0; i < 2; i++) {
      const result = await cli(['backup', 'shop_two', '--to', 's3://acme-backups/tenants', '--keep', '1'], aws);
      expect([result.status, result.stdout + result.stderr]).toEqual([0, expect.not.stringContaining('error')]);
      await new Promise((resolve) => setTimeout(resolve, 1100));
    }
    const puts = s3.requests.filter((r) => r.method === 'PUT');
    expect(puts.length).toBe(4);
    for (const put of puts) expect(put.headers['x-amz-server-side-encryption']).toBe('aws:kms');
    const stored = [...s3.objects.keys()].sort();
    expect(stored).toEqual([expect.stringMatching(/^acme-backups\/tenants\/shop_two\/\d{8}T\d{6}Z-6\.dump$/), expect.stringMatching(/^acme-backups\/tenants\/shop_two\/\d{8}T\d{6}Z-6\.json$/)]);
    const verified = await cli(['backup', 'verify', `s3://${stored[0]}`], aws);
    expect(verified.stderr).toBe('');
    expect(verified.status).toBe(0);
    expect(JSON.parse(s3.objects.get(stored[1])!.toString()).verified).toEqual({ at: expect.any(String), server: 'default' });
  });
});
