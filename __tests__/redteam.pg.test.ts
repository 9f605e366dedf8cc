/**
 * The attacks a second, independent red-team review of the session model
 * found, on a real PostgreSQL; each failed before its fix: the provider's
 * first sessions in an adopted database (the Preparation step and the server
 * baseline pin the admin's search path first), another tenant's login
 * slipping into a new database (sent away), connections outside a tenant's
 * database (the server baseline, and `status` saying when it is missing), a
 * legacy SECURITY DEFINER function (adoption strips it), the provider's
 * unbounded advisory-lock wait (the admin's lock_timeout in each tenant
 * database), and a removed person's login (`retire-logins`).
 *
 * The Terraform provider (cyrilgdn/postgresql) cannot run on this machine
 * (no provider binary); where an attack goes through it, the test runs the
 * provider's own SQL text, copied from its source (it is the same in every
 * version from 1.x to 1.26), in a session opened the way the provider opens
 * one: a fresh login of the server admin to the tenant's database. That is
 * a stand-in, and the test says so.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { PIN_SEARCH_PATH } from '../model/access-sql';
import { appRoleName, ownerRoleName, personRoleName } from '../model/naming';
import { PLAN_PROFILES } from '../model/plans';
import type { PostgresTenant as Tenant } from '../tenants/registry/types';
import { dependsOn, runCli, synthJson, tempRegistry, tenant, tenantSourceOf, tenantStack } from './helpers';
import { PROVIDER_GRANT_READ, plantedAggregateSql } from './support/attacks';
import { type Cluster, startCluster } from '../testbed/pg-cluster';

const ORIGINAL_SCHEMA = path.join(__dirname, 'fixtures', 'original', 'database-schema.sql');

let cluster: Cluster;
let registry: { dir: string; cleanup: () => void };
let counter = 0;

beforeAll(async () => {
  cluster = await startCluster();
  registry = tempRegistry({});
});
afterAll(() => {
  cluster?.stop();
  registry?.cleanup();
});

/** A new tenant in the test registry: alice admin, bob developer, carol customer (and any overrides). */
function newTenant(prefix: string, extra: Partial<Parameters<typeof tenant>[0]> = {}): Tenant {
  counter += 1;
  const key = `${prefix}_${counter}`;
  const t = tenant({ key, database: { name: key }, app: { target: 'docker', port: 4700 + counter }, ...extra });
  writeFileSync(path.join(registry.dir, `${key}.ts`), tenantSourceOf(t));
  return t;
}

function cli(args: string[]) {
  return runCli(args, { TENANTS_DIR: registry.dir }, undefined, 30_000);
}

/** `tenants sql <key>` as an operator prints it. */
function accessSql(t: Tenant): string {
  const sql = cli(['sql', t.key]);
  expect(sql.stderr).toBe('');
  expect(sql.status).toBe(0);
  return sql.stdout;
}

function migrateCli(t: Tenant) {
  return cli(['migrate', t.key, '--url', cluster.url()]);
}

async function rows(database: string, sql: string, params: unknown[] = [], user?: string): Promise<Record<string, unknown>[]> {
  const client = await cluster.connect(database, user);
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

async function isSuperuser(role: string): Promise<boolean> {
  return (await rows('postgres', 'SELECT rolsuper FROM pg_roles WHERE rolname = $1', [role]))[0]?.rolsuper === true;
}

/** A database as the original system left it, with a legacy role that had CREATE, CONNECT and TEMPORARY on it. */
function originalDatabase(t: Tenant, legacy: string): void {
  cluster.psql(`DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${legacy}') THEN CREATE ROLE ${legacy} LOGIN; END IF; END $$;`);
  cluster.psql(`CREATE DATABASE ${t.database.name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'en_US.UTF-8' LC_CTYPE 'en_US.UTF-8';`);
  cluster.psql(readFileSync(ORIGINAL_SCHEMA, 'utf8'), { database: t.database.name, stopOnError: false });
  cluster.psql(`GRANT CREATE, CONNECT, TEMPORARY ON DATABASE ${t.database.name} TO ${legacy};`);
}

describe("the Terraform provider's first sessions in an adopted database", () => {
  // A server of its own: this test runs the server baseline, which the connection test below must not have.
  let shared: Cluster;
  beforeAll(async () => {
    shared = cluster;
    cluster = await startCluster();
  });
  afterAll(() => {
    cluster.stop();
    cluster = shared;
  });

  it("never run a legacy role's aggregate as the server admin: the deploy prepares the database before any grant", async () => {
    // An original database, where the original's admin (legacy role mallory) had CREATE: she plants an
    // aggregate in a schema named after the server admin, first on the admin's default search path ("$user").
    const t = newTenant('adopted', { adopt: { legacyRoles: ['mallory'] } });
    originalDatabase(t, 'mallory');
    cluster.psql(plantedAggregateSql(cluster.superuser, 'mallory', ownerRoleName(t.key), cluster.superuser), { database: t.database.name, user: 'mallory' });

    // The adopted tenant's first deploy: the Preparation step runs right after the database is imported, before every
    // schema and grant resource, which are the provider's first sessions in the database.
    const json = synthJson(tenantStack(t));
    const resources = json.resource as Record<string, Record<string, unknown>>;
    const preparation = Object.keys(resources.terraform_data).find((id) => id.startsWith('Preparation_')) as string;
    const inDatabase = [...Object.keys(resources.postgresql_grant).map((id) => `postgresql_grant.${id}`), ...Object.keys(resources.postgresql_schema).map((id) => `postgresql_schema.${id}`)];
    for (const address of inDatabase) expect([address, dependsOn(json, address, `terraform_data.${preparation}`)]).toEqual([address, true]);
    cluster.psql(accessSql(t).slice(0, accessSql(t).indexOf('\\connect')));
    expect(cli(['prepare', t.key, '--url', cluster.url()]).status).toBe(0);

    // Stand-in for the provider: its read of a table grant, in a fresh session of the server admin in the tenant's database.
    await rows(t.database.name, PROVIDER_GRANT_READ, [10, 'public', 'r']);

    expect(await isSuperuser('mallory')).toBe(false);
    // The original's people lost CREATE on the database with the adoption, before any grant was read.
    expect(await rows(t.database.name, "SELECT has_database_privilege('mallory', current_database(), 'CREATE') AS c")).toEqual([{ c: false }]);
  });

  it('never run it in any session of the admin once the server baseline pinned its search path everywhere', async () => {
    const baseline = cli(['server-sql']);
    expect(baseline.status).toBe(0);
    cluster.psql(baseline.stdout);
    const t = newTenant('adopted', { adopt: { legacyRoles: ['mallory'] } });
    originalDatabase(t, 'mallory');
    cluster.psql(plantedAggregateSql(cluster.superuser, 'mallory', ownerRoleName(t.key), cluster.superuser), { database: t.database.name, user: 'mallory' });
    // Not even prepared: a DBA's session, or the provider's before the Preparation step ran.
    await rows(t.database.name, PROVIDER_GRANT_READ, [10, 'public', 'r']);
    expect(await isSuperuser('mallory')).toBe(false);
  });
});

describe('a new tenant database, between its creation and the revoke of PUBLIC', () => {
  it("keeps no other tenant's login in it once the tenant's SQL and migrations have run", async () => {
    const intruderTenant = newTenant('intruder');
    cluster.psql(accessSql(intruderTenant));
    const victim = newTenant('victim');
    const intruder = personRoleName(intruderTenant.key, 'carol');

    // `tenants sql <victim> | psql`, with the intruder's login polling for the database; the poll lands
    // just after CREATE DATABASE (a race a loop of connection attempts wins most of the time with psql,
    // and every time during a Terraform deploy, where several grant resources run before PUBLIC's revoke).
    const script = accessSql(victim);
    const created = script.indexOf('\n', script.indexOf('CREATE DATABASE')) + 1;
    cluster.psql(script.slice(0, created));
    const session = await cluster.connect(victim.database.name, intruder).catch(() => undefined);
    // Ended by the server from here on, which the client reports as an error event.
    session?.on('error', () => undefined);
    expect(session).toBeDefined();
    try {
      cluster.psql(`${PIN_SEARCH_PATH}\n${script.slice(created)}`);
      expect(migrateCli(victim).status).toBe(0);
      // What the session can do from now on, with no privilege in the database: read the store's row counts
      // (pg_stat_user_tables), hold one of its connection slots (every login of the intruder's tenant can race in),
      // hold back its vacuum with an open snapshot, and hold pg_advisory_lock(<owner's oid>), on which the
      // provider's default-privilege resources wait with statement_timeout 0 on every deploy of the victim.
      await session?.query("BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT n_live_tup FROM pg_stat_user_tables WHERE relname = 'orders'").catch(() => undefined);

      const sessions = await rows('postgres', 'SELECT usename FROM pg_stat_activity WHERE datname = $1', [victim.database.name]);
      const strangers = sessions.map((r) => String(r.usename)).filter((login) => login !== cluster.superuser && !login.startsWith(`${victim.key}__`));
      expect(strangers).toEqual([]);
    } finally {
      await session?.end().catch(() => undefined);
    }
  });
});

describe('connections a tenant holds on the shared server', () => {
  it("stay within its plan's connection limit, however many people it lists, once the server baseline is applied", async () => {
    const customers = ['carol', 'dave', 'erin', 'frank', 'grace', 'heidi'].map((username) => ({ username, email: `${username}@test.example` }));
    const t = newTenant('crowd', { people: { admins: [{ username: 'alice', email: 'alice@test.example' }], customers } });
    cluster.psql(accessSql(t));
    const logins = [appRoleName(t.key), ...['alice', ...customers.map((c) => c.username)].map((u) => personRoleName(t.key, u))];
    const hold = async (): Promise<Awaited<ReturnType<Cluster['connect']>>[]> => {
      const held: Awaited<ReturnType<Cluster['connect']>>[] = [];
      // Every login up to its own limit, in every database it could reach.
      for (const database of ['postgres', 'template1', t.database.name]) {
        for (const login of logins) {
          for (;;) {
            const client = await cluster.connect(database, login).catch(() => undefined);
            if (!client) break;
            held.push(client);
          }
        }
      }
      return held;
    };
    // Without the baseline a tenant's logins may each hold sessions outside its database, and status says so.
    const before = await hold();
    const outside = before.filter((client) => (client as unknown as { database: string }).database !== t.database.name).length;
    await Promise.all(before.map((client) => client.end()));
    expect(outside).toBeGreaterThan(PLAN_PROFILES[t.plan].connectionLimit);
    const status = cli(['status', t.key, '--url', cluster.url()]);
    expect(status.stderr).toContain('warning: PUBLIC may connect to the postgres and template1 databases of this server');

    const baseline = cli(['server-sql']);
    expect(baseline.status).toBe(0);
    cluster.psql(baseline.stdout);
    const held = await hold();
    try {
      expect(held.length).toBeLessThanOrEqual(PLAN_PROFILES[t.plan].connectionLimit);
    } finally {
      await Promise.all(held.map((client) => client.end()));
    }
    expect(cli(['status', t.key, '--url', cluster.url()]).stderr).not.toContain('warning: PUBLIC may connect');
  });
});

describe('adopting a database whose legacy role made a SECURITY DEFINER function in public', () => {
  it("does not hand the function the owner's identity, callable by the tenant's admins", async () => {
    const t = newTenant('upgrade', { adopt: { legacyRoles: ['trudy'] } });
    originalDatabase(t, 'trudy');
    // Created on PostgreSQL 14 or older (as the original fleet was), where PUBLIC may create in public; pg_upgrade keeps that.
    cluster.psql('GRANT CREATE ON SCHEMA public TO PUBLIC;', { database: t.database.name });

    // The deploy creates the roles, the database's grants and PUBLIC's revoke first; the runner adopts last.
    const script = accessSql(t);
    const inDatabase = script.indexOf('\\connect');
    cluster.psql(script.slice(0, inDatabase));
    cluster.psql(
      `CREATE FUNCTION public.refresh_report() RETURNS text LANGUAGE plpgsql SECURITY DEFINER AS $fn$
BEGIN
  EXECUTE pg_catalog.format('ALTER DATABASE %I CONNECTION LIMIT -1', pg_catalog.current_database());
  RETURN current_user;
END
$fn$;
GRANT EXECUTE ON FUNCTION public.refresh_report() TO "${t.key}__admins";`,
      { database: t.database.name, user: 'trudy' },
    );
    cluster.psql(script.slice(inDatabase));
    expect(migrateCli(t).status).toBe(0);

    const alice = personRoleName(t.key, 'alice');
    const ranAs = await rows(t.database.name, 'SELECT public.refresh_report() AS role', [], alice).then(
      (r) => String(r[0].role),
      () => 'refused',
    );
    const [{ datconnlimit }] = await rows('postgres', 'SELECT datconnlimit FROM pg_database WHERE datname = $1', [t.database.name]);
    expect([ranAs, datconnlimit]).toEqual(['refused', PLAN_PROFILES[t.plan].connectionLimit]);
  });
});

describe("a tenant login holding the advisory lock the Terraform provider takes in the tenant's database", () => {
  /**
   * cyrilgdn/postgresql's pgLockRole (helpers.go), verbatim, as its
   * `postgresql_default_privileges` create, update and delete run it in the
   * tenant's database for the owner role (and `postgresql_role` delete in
   * its connection database for the role): it switches statement_timeout off
   * and waits for an advisory lock whose key is an oid any login reads from pg_roles.
   */
  const PROVIDER_LOCK_ROLE = [
    'SET statement_timeout = 0',
    'SELECT pg_advisory_xact_lock(oid::bigint) FROM pg_roles WHERE rolname = $1',
    'SELECT pg_advisory_xact_lock(member::bigint) FROM pg_auth_members JOIN pg_roles ON roleid = pg_roles.oid WHERE rolname = $1',
  ];

  it("does not hang the tenant's deploy: the provider's wait for it gives up", async () => {
    const t = newTenant('advisory');
    cluster.psql(accessSql(t));
    expect(migrateCli(t).status).toBe(0);
    const owner = ownerRoleName(t.key);
    // Any login of the tenant (here its customer) can take the key: the owner role's oid.
    const customer = await cluster.connect(t.database.name, personRoleName(t.key, 'carol'));
    // Stand-in for the provider: a fresh session of the server admin in the tenant's database.
    const provider = await cluster.connect(t.database.name);
    try {
      await customer.query('SELECT pg_advisory_lock(oid::bigint) FROM pg_roles WHERE rolname = $1', [owner]);
      await provider.query('BEGIN');
      const outcome = (async () => {
        for (const sql of PROVIDER_LOCK_ROLE) await provider.query(sql, sql.includes('$1') ? [owner] : []);
        return 'locked';
      })().catch((error: Error) => `gave up: ${error.message}`);
      // A bounded wait (the runner's own lock_timeout is 60 s) is enough; the provider's is unbounded.
      const result = await Promise.race([outcome, new Promise<string>((resolve) => setTimeout(() => resolve('still waiting after 75 s'), 75_000))]);
      expect(result).toMatch(/^gave up/);
    } finally {
      await customer.end().catch(() => undefined);
      await provider.end().catch(() => undefined);
    }
  }, 120_000);
});

describe('a person removed from the registry', () => {
  /**
   * cyrilgdn/postgresql's `postgresql_role` delete (resource_postgresql_role.go),
   * verbatim, as a superuser admin runs it (withRolesGranted is then a no-op):
   * one transaction in the provider's connection database, never in the tenant's.
   */
  const providerRoleDelete = (role: string, admin: string) => [
    'BEGIN',
    `SET statement_timeout = 0`,
    `SELECT pg_advisory_xact_lock(oid::bigint) FROM pg_roles WHERE rolname = '${role}'`,
    `SELECT pg_advisory_xact_lock(member::bigint) FROM pg_auth_members JOIN pg_roles ON roleid = pg_roles.oid WHERE rolname = '${role}'`,
    `REASSIGN OWNED BY "${role}" TO "${admin}"`,
    `DROP OWNED BY "${role}"`,
    `DROP ROLE "${role}"`,
    'COMMIT',
  ];

  it('can no longer log in once the deploy removed them, whatever they made in the database before they left', async () => {
    const t = newTenant('leaver', {
      people: {
        admins: [{ username: 'alice', email: 'alice@test.example' }],
        customers: [{ username: 'carol', email: 'carol@test.example' }],
      },
    });
    cluster.psql(accessSql(t));
    expect(migrateCli(t).status).toBe(0);
    const carol = personRoleName(t.key, 'carol');
    // Any login may create a large object, with no privilege at all; it then owns something in the tenant's database.
    await rows(t.database.name, 'SELECT pg_catalog.lo_create(0)', [], carol);

    // Carol leaves: her entry goes, the platform's SQL and migrations run, the deploy retires her login
    // (TenantStack's Retirement step, `tenants retire-logins`) and deletes her role.
    const { customers: _gone, ...people } = t.people;
    writeFileSync(path.join(registry.dir, `${t.key}.ts`), tenantSourceOf({ ...t, people: { ...people, customers: [], developers: [] } }));
    cluster.psql(accessSql(t));
    expect(migrateCli(t).status).toBe(0);
    const retire = cli(['retire-logins', t.key, '--url', cluster.url()]);
    expect([retire.status, retire.stdout]).toEqual([0, `retired: ${carol}\n`]);
    const admin = await cluster.connect('postgres');
    const deleted = await (async () => {
      for (const sql of providerRoleDelete(carol, cluster.superuser)) await admin.query(sql);
      return 'deleted';
    })().catch((error: Error) => `delete failed: ${error.message}`);
    await admin.end();

    const login = await cluster.connect(t.database.name, carol).then(
      async (client) => {
        await client.end();
        return 'carol still logs in';
      },
      () => 'refused',
    );
    expect([login, deleted]).toEqual(['refused', 'deleted']);
  });
});
