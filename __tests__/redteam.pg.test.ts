/**
 * A red-team review of the session model (redteam-10), on a real
 * PostgreSQL: each test is an attack that still works, written to fail
 * until the product closes it. Attacks that were tried and held are in the
 * review's report, not here.
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
import { PIN_SEARCH_PATH } from '../constructs/access-sql';
import { appRoleName, ownerRoleName, personRoleName } from '../constructs/naming';
import { PLAN_PROFILES } from '../constructs/plans';
import type { Tenant } from '../tenants/registry/types';
import { dependsOn, runCli, synthJson, tempRegistry, tenant, tenantSourceOf, tenantStack } from './helpers';
import { escalationBody, recorderSql } from './support/attacks';
import { type Cluster, startCluster } from './support/pg-cluster';

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

/**
 * cyrilgdn/postgresql's `postgresql_grant` read for object_type table
 * (resource_postgresql_grant.go, readRolePrivileges), verbatim: it runs
 * after every create and on every plan. `array_agg` and `array_remove` are
 * not schema-qualified, and the provider sets no search path.
 */
const PROVIDER_GRANT_READ = `
SELECT pg_class.relname, array_remove(array_agg(privilege_type), NULL)
FROM pg_class
JOIN pg_namespace ON pg_namespace.oid = pg_class.relnamespace
LEFT JOIN (
    SELECT acls.* FROM (
        SELECT relname, relnamespace, relkind, (aclexplode(relacl)).* FROM pg_class c
    ) as acls
    WHERE grantee=$1
) privs
USING (relname, relnamespace, relkind)
WHERE nspname = $2 AND relkind = $3
GROUP BY pg_class.relname
`;

/**
 * An `array_agg(text)` aggregate in `schema` whose transition function
 * escalates: an exact match for `array_agg(text)`, so it beats the
 * catalog's polymorphic `array_agg(anynonarray)` wherever `schema` is on the
 * search path (CVE-2018-1058's pattern).
 */
function plantedAggregateSql(schema: string, attacker: string, owner: string, serverAdmin: string): string {
  const s = `"${schema}"`;
  return [
    `CREATE SCHEMA IF NOT EXISTS ${s};`,
    recorderSql(schema),
    `CREATE FUNCTION ${s}.escalating_step(state text[], value text) RETURNS text[] LANGUAGE plpgsql AS $fn$
DECLARE saved text;
BEGIN
  ${escalationBody(schema, attacker, owner, serverAdmin)}
  RETURN pg_catalog.array_append(state, value);
END
$fn$;`,
    `GRANT EXECUTE ON FUNCTION ${s}.escalating_step(text[], text) TO PUBLIC;`,
    `CREATE AGGREGATE ${s}.array_agg(text) (SFUNC = ${s}.escalating_step, STYPE = text[]);`,
  ].join('\n');
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

  it("never run a legacy role's aggregate as the server admin (the provider's catalog queries, before the runner pinned the search path)", async () => {
    // The fleet exists and the platform has done everything it does server-wide: the baseline, a tenant migrated.
    const existing = newTenant('fleet');
    cluster.psql(accessSql(existing));
    expect(migrateCli(existing).status).toBe(0);
    const baseline = cli(['server-sql']);
    expect(baseline.status).toBe(0);
    cluster.psql(baseline.stdout);

    // An original database, where the original's admin (legacy role mallory) had CREATE: she plants an
    // aggregate in a schema named after the server admin, first on the admin's default search path ("$user").
    const t = newTenant('adopted', { adopt: { legacyRoles: ['mallory'] } });
    originalDatabase(t, 'mallory');
    cluster.psql(plantedAggregateSql(cluster.superuser, 'mallory', ownerRoleName(t.key), cluster.superuser), { database: t.database.name, user: 'mallory' });

    // The adopted tenant's first deploy: the provider reads and writes grants in the database before the
    // migration runner (which is what pins the admin's search path there) runs.
    const json = synthJson(tenantStack(t));
    const runner = `terraform_data.${Object.keys((json.resource as Record<string, Record<string, unknown>>).terraform_data)[0]}`;
    const grants = Object.keys((json.resource as Record<string, Record<string, unknown>>).postgresql_grant).map((id) => `postgresql_grant.${id}`);
    expect(grants.length).toBeGreaterThan(0);
    for (const grant of grants) expect([grant, dependsOn(json, runner, grant)]).toEqual([grant, true]);

    // Stand-in for the provider: its read of a table grant, in a fresh session of the server admin in the tenant's database.
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
  it("stay within its plan's connection limit, however many people it lists", async () => {
    const customers = ['carol', 'dave', 'erin', 'frank', 'grace', 'heidi'].map((username) => ({ username, email: `${username}@test.example` }));
    const t = newTenant('crowd', { people: { admins: [{ username: 'alice', email: 'alice@test.example' }], customers } });
    cluster.psql(accessSql(t));
    const logins = [appRoleName(t.key), ...['alice', ...customers.map((c) => c.username)].map((u) => personRoleName(t.key, u))];
    const held: Awaited<ReturnType<Cluster['connect']>>[] = [];
    try {
      // Every login up to its own limit, in the postgres database (PUBLIC may connect there unless the optional baseline ran).
      for (const login of logins) {
        for (;;) {
          const client = await cluster.connect('postgres', login).catch(() => undefined);
          if (!client) break;
          held.push(client);
        }
      }
      expect(held.length).toBeLessThanOrEqual(PLAN_PROFILES[t.plan].connectionLimit);
    } finally {
      await Promise.all(held.map((client) => client.end()));
    }
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

    // Carol leaves: her entry goes, the platform's SQL and migrations run, the deploy deletes her role.
    const { customers: _gone, ...people } = t.people;
    writeFileSync(path.join(registry.dir, `${t.key}.ts`), tenantSourceOf({ ...t, people: { ...people, customers: [], developers: [] } }));
    cluster.psql(accessSql(t));
    expect(migrateCli(t).status).toBe(0);
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
