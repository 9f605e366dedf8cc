/**
 * `tenants drift` on a real PostgreSQL, on every major and kind of server
 * admin of the matrix: a tenant set up by its SQL and migrated is in sync
 * (no false alarm, also where PostgreSQL 16 gives a CREATEROLE admin
 * memberships of its own); drift injected by hand is found, each kind once;
 * and a hostile tenant's planted operator and aggregate never run in the
 * admin's catalog sessions.
 */
import { migratorRoleName, ownerRoleName, personRoleName } from '../model/naming';
import type { Tenant } from '../tenants/registry/types';
import { runCliInProcess, tempRegistry, tenant, tenantSourceOf } from './helpers';
import { plantedAggregateSql, plantedOperatorSql } from './support/attacks';
import { adminOf, pgCases } from './support/pg-matrix';
import { applyAccessSql, migrate, migrationsWith } from './support/tenant-db';
import { type Cluster, startCluster } from '../testbed/pg-cluster';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';

interface DriftJson {
  key: string;
  findings: { area: string; message: string }[];
  error?: string;
}

let counter = 0;

describe.each(pgCases())('tenants drift on $label', ({ server, admin: adminKind }) => {
  let cluster: Cluster;
  let admin: string;
  let registry: { dir: string; cleanup: () => void };
  beforeAll(async () => {
    cluster = await startCluster({ server });
    admin = adminOf(cluster, adminKind);
    registry = tempRegistry({});
  });
  afterAll(() => {
    cluster?.stop();
    registry?.cleanup();
  });

  /** A tenant in the registry, its SQL applied by the admin and its migrations run. */
  async function deployed(): Promise<Tenant> {
    counter += 1;
    const key = `drift_${counter}`;
    const t = tenant({ key, database: { name: key }, app: { target: 'docker', port: 4700 + counter } });
    writeFileSync(path.join(registry.dir, `${key}.ts`), tenantSourceOf(t));
    applyAccessSql(cluster, t, admin);
    await migrate(cluster, t, undefined, { admin });
    return t;
  }

  async function drift(t: Tenant, extra: string[] = []): Promise<{ status: number | null; result: DriftJson }> {
    const run = await runCliInProcess(['drift', t.key, '--json', '--url', cluster.url('postgres', admin), ...extra], { TENANTS_DIR: registry.dir });
    const [result] = JSON.parse(run.stdout) as DriftJson[];
    return { status: run.status, result };
  }

  it('finds nothing on a tenant deployed as the registry says, and exits 0', async () => {
    const t = await deployed();
    const { status, result } = await drift(t);
    expect(result).toEqual({ server: 'default', key: t.key, database: t.database.name, findings: [] });
    expect(status).toBe(0);
  });

  it('finds each kind of drift injected by hand, and exits 1', async () => {
    const t = await deployed();
    const db = t.database.name;
    const owner = ownerRoleName(t.key);
    cluster.psql(
      [
        `GRANT TRUNCATE ON public.statuses TO ${t.key}__app;`,
        `ALTER ROLE ${personRoleName(t.key, 'carol')} CONNECTION LIMIT 99;`,
        `GRANT ${t.key}__admins TO ${t.key}__app;`,
        `CREATE ROLE ${t.key}__intruder LOGIN;`,
        `ALTER DATABASE ${db} CONNECTION LIMIT 77;`,
        `ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA public GRANT DELETE ON TABLES TO ${t.key}__customers;`,
        'CREATE SCHEMA stray;',
        `CREATE FUNCTION workspace.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;`,
        `ALTER FUNCTION workspace.touch() OWNER TO ${t.key}__admins;`,
        'CREATE TRIGGER planted BEFORE UPDATE ON public.statuses FOR EACH ROW EXECUTE FUNCTION workspace.touch();',
        'CREATE FUNCTION public.helper() RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$;',
      ].join('\n'),
      // By hand, as whoever can: the server's superuser.
      { database: db, user: cluster.superuser },
    );
    cluster.psql(`ALTER ROLE CURRENT_USER IN DATABASE ${db} RESET lock_timeout;`, { user: admin });
    const newer = migrationsWith({ '0006.do.add_gift_cards.sql': 'CREATE TABLE gift_cards (id serial PRIMARY KEY);\n' });
    try {
      const { status, result } = await drift(t, ['--schema-dir', newer.set.dir]);
      expect(status).toBe(1);
      const messages = result.findings.map((f) => `[${f.area}] ${f.message}`);
      expect(messages).toEqual(
        expect.arrayContaining([
          `[privileges] table public.statuses: ${t.key}__app has TRUNCATE`,
          `[roles] role ${t.key}__carol: connection limit is 99, the registry says 2`,
          `[memberships] ${t.key}__app is a member of ${t.key}__admins, which the registry does not say`,
          `[roles] login ${t.key}__intruder is not in the registry; retire it: npx tenants retire-logins <key>`,
          `[database] database ${db}: connection limit is 77, the registry says 5`,
          `[default privileges] default privileges on tables in schema public created by ${owner}: ${t.key}__customers has DELETE`,
          `[schemas] schema stray (of ${cluster.superuser}) is not one the platform makes`,
          `[objects] trigger public.statuses.planted runs a function of ${t.key}__admins, not of the tenant's owner role`,
          `[objects] function public.helper belongs to ${cluster.superuser}, not the tenant's owner role: nobody but migrations should make objects there`,
          expect.stringMatching(/^\[settings\] the server admin's settings in \w+ are search_path=pg_catalog, pg_temp, not pinned/),
          `[schema version] schema version 5, latest 6: 1 pending (6); npx tenants migrate <key>`,
        ]),
      );
      expect(messages).toHaveLength(11);
    } finally {
      newer.cleanup();
    }
    // The human output names each tenant's findings under it.
    const text = await runCliInProcess(['drift', t.key, '--url', cluster.url('postgres', admin)], { TENANTS_DIR: registry.dir });
    expect(text.stdout).toContain(`${t.key}:\n  - [roles] role ${t.key}__carol: connection limit is 99, the registry says 2\n`);
    expect(text.stderr).toContain('1 of 1 tenants drifted from the registry or could not be read');
  });

  it('reports a tenant whose database is missing, and keeps going with the others', async () => {
    const t = await deployed();
    counter += 1;
    const missing = tenant({ key: `drift_${counter}`, database: { name: `drift_${counter}` }, app: { target: 'docker', port: 4700 + counter } });
    writeFileSync(path.join(registry.dir, `${missing.key}.ts`), tenantSourceOf(missing));
    const run = await runCliInProcess(['drift', t.key, missing.key, '--json', '--url', cluster.url('postgres', admin)], { TENANTS_DIR: registry.dir });
    const results = JSON.parse(run.stdout) as DriftJson[];
    expect(results[0].findings).toEqual([]);
    expect(results[1].findings.map((f) => f.message)).toEqual(expect.arrayContaining([`role ${ownerRoleName(missing.key)} is missing; deploy the tenant (or npx tenants sql <key> | psql)`, `database ${missing.database.name} does not exist; deploy the tenant first`]));
    expect(run.status).toBe(1);
  });

  it("never runs a tenant's planted operator or aggregate in the admin's catalog sessions", async () => {
    const t = await deployed();
    const db = t.database.name;
    const attacker = personRoleName(t.key, 'alice');
    // Planted where a session that searched them would find them: a schema named after the admin, and public; the database's own search path points there.
    for (const schema of [admin, 'public']) {
      cluster.psql(`${plantedOperatorSql(schema, attacker, ownerRoleName(t.key), admin)}\n${plantedAggregateSql(schema, attacker, ownerRoleName(t.key), admin, false)}`, { database: db, user: cluster.superuser });
    }
    cluster.psql(`ALTER DATABASE ${db} SET search_path TO "${admin}", public;`, { user: cluster.superuser });
    // As in a database deployed before the Preparation pinned the admin's settings there: only drift's own sessions protect it.
    cluster.psql(`ALTER ROLE "${admin}" IN DATABASE ${db} RESET ALL;`, { user: cluster.superuser });
    // Not vacuous: they do run in a session that searches those schemas.
    const probe = await cluster.connect(db, migratorRoleName(t.key));
    try {
      await probe.query(`SET search_path TO "${admin}", public; SELECT array_agg(x) FROM (VALUES ('a'::text)) v(x); SELECT 1 WHERE 'pg_class'::regclass::oid = 1259;`);
    } finally {
      await probe.end();
    }
    const recorded = async () => {
      const client = await cluster.connect(db);
      try {
        return (await client.query(`SELECT DISTINCT session_login FROM "${admin}".fired UNION SELECT DISTINCT session_login FROM public.fired ORDER BY 1`)).rows.map((r) => r.session_login);
      } finally {
        await client.end();
      }
    };
    expect(await recorded()).toEqual([migratorRoleName(t.key)]);

    const { result } = await drift(t);
    expect(await recorded()).toEqual([migratorRoleName(t.key)]);
    const client = await cluster.connect('postgres');
    try {
      const { rows } = await client.query('SELECT rolsuper, rolcreaterole FROM pg_roles WHERE rolname = $1', [attacker]);
      expect(rows).toEqual([{ rolsuper: false, rolcreaterole: false }]);
    } finally {
      await client.end();
    }
    // And drift names what was planted.
    expect(result.findings.map((f) => f.message)).toEqual(
      expect.arrayContaining([`schema ${admin} (of ${cluster.superuser}) is not one the platform makes`, expect.stringMatching(/^operator public\.= belongs to /), expect.stringMatching(/^function public\.array_agg belongs to /)]),
    );
  });
});
