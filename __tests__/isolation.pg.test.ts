/**
 * The access model on a real PostgreSQL, on every major and kind of server
 * admin of the matrix (support/pg-matrix.ts): every example tenant gets its
 * SQL rendering, applied by that admin, and its migrations, then every kind
 * of login is tried against every privilege, and every login against every
 * other tenant's database.
 */
import { appRoleName } from '../model/naming';
import { loadRegistry } from '../tenants/registry';
import { DEFAULT_TENANTS_DIR } from '../tenants/registry/load';
import { type Cluster, startCluster } from '../testbed/pg-cluster';
import { adminOf, pgCases } from './support/pg-matrix';
import { EXPECTED, logins, privilegeOutcomes } from './support/privileges';
import { applyAccessSql, catalogSnapshot, connectAs, migrate, migrationsWith, tryAs } from './support/tenant-db';
import { postgresTenants } from './helpers';

const tenants = postgresTenants(loadRegistry(DEFAULT_TENANTS_DIR).tenants);
const later = migrationsWith({
  '0006.do.add_gift_cards.sql': 'CREATE TABLE gift_cards (id serial PRIMARY KEY, code text NOT NULL, balance integer NOT NULL);\n',
});
afterAll(() => later.cleanup());

describe.each(pgCases())('on $label', ({ server, admin: adminKind }) => {
  let cluster: Cluster;
  let admin: string;

  beforeAll(async () => {
    cluster = await startCluster({ server });
    admin = adminOf(cluster, adminKind);
    for (const tenant of tenants) {
      applyAccessSql(cluster, tenant, admin);
      await migrate(cluster, tenant, undefined, { admin });
      // A table added by a later migration, after every grant was made.
      await migrate(cluster, tenant, later.set, { admin });
    }
    cluster.psql('CREATE ROLE outsider LOGIN');
  });

  afterAll(() => cluster?.stop());

  describe.each(tenants.map((t) => [t.key, t] as const))('tenant %s', (_key, tenant) => {
    const db = tenant.database.name;

    test.each(logins(tenant))('a %s login (%s) gets exactly its privileges on existing and later tables', async (kind, role) => {
      expect(await privilegeOutcomes(cluster, db, role, ['widgets', 'gift_cards'])).toEqual({ widgets: EXPECTED[kind], gift_cards: EXPECTED[kind] });
    });

    it('lets the app draw ids from sequences but not reset them', async () => {
      const app = appRoleName(tenant.key);
      expect(await tryAs(cluster, db, app, "SELECT nextval('widgets_id_seq')")).toBe('ok');
      expect(await tryAs(cluster, db, app, "SELECT setval('widgets_id_seq', 1)")).toBe('denied');
    });

    it('refuses every login of every other tenant (flaw 3)', async () => {
      const others = tenants.filter((t) => t.key !== tenant.key).flatMap((t) => logins(t).map(([, role]) => role));
      const outcomes = await Promise.all(others.map(async (role) => [role, await connectAs(cluster, db, role)]));
      expect(outcomes).toEqual(others.map((role) => [role, 'denied']));
    });

    it('refuses a login that belongs to no tenant', async () => {
      expect(await connectAs(cluster, db, 'outsider')).toBe('denied');
    });

    it('lets its own logins connect, and never the NOLOGIN owner and group roles', async () => {
      const own = await Promise.all(logins(tenant).map(async ([, role]) => connectAs(cluster, db, role)));
      expect(own.every((o) => o === 'ok')).toBe(true);
      for (const role of [`${tenant.key}__owner`, `${tenant.key}__admins`]) expect(await connectAs(cluster, db, role)).toBe('denied');
    });

    it('leaves PUBLIC no privilege on the database, the public schema or new functions', async () => {
      const client = await cluster.connect(db);
      try {
        const { rows } = await client.query(`
          SELECT 'database' AS object, privilege_type FROM pg_database, aclexplode(datacl) WHERE datname = current_database() AND grantee = 0
          UNION ALL
          SELECT 'schema', privilege_type FROM pg_namespace, aclexplode(nspacl) WHERE nspname = 'public' AND grantee = 0
          UNION ALL
          SELECT 'function', privilege_type FROM pg_proc, aclexplode(coalesce(proacl, acldefault('f', proowner))) WHERE proname = 'set_updated_at' AND grantee = 0`);
        expect(rows).toEqual([]);
      } finally {
        await client.end();
      }
    });

    it('owns every table, sequence and function through the tenant owner role', async () => {
      const client = await cluster.connect(db);
      try {
        const { rows } = await client.query(`
          SELECT DISTINCT pg_get_userbyid(relowner) AS owner FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE nspname IN ('public', 'usual_store_meta') AND relkind IN ('r', 'S', 'i')
          UNION SELECT DISTINCT pg_get_userbyid(proowner) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE nspname = 'public'`);
        expect(rows).toEqual([{ owner: `${tenant.key}__owner` }]);
      } finally {
        await client.end();
      }
    });
  });

  describe('re-applying', () => {
    it('changes nothing when the SQL and the migrations run again', async () => {
      for (const tenant of tenants) {
        const before = await catalogSnapshot(cluster, tenant);
        applyAccessSql(cluster, tenant, admin);
        const run = await migrate(cluster, tenant, later.set, { admin });
        expect(run.applied).toEqual([]);
        expect(await catalogSnapshot(cluster, tenant)).toEqual(before);
      }
    });

    it('inserts the lookup rows once, with the ids the app hard-codes', async () => {
      const client = await cluster.connect(tenants[0].database.name);
      try {
        const statuses = await client.query('SELECT id, name FROM public.statuses ORDER BY id');
        const transactionStatuses = await client.query('SELECT id, name FROM public.transaction_statuses ORDER BY id');
        expect(statuses.rows).toEqual([
          { id: 1, name: 'Cleared' },
          { id: 2, name: 'Refunded' },
          { id: 3, name: 'Cancelled' },
        ]);
        expect(transactionStatuses.rows).toEqual([
          { id: 1, name: 'Pending' },
          { id: 2, name: 'Cleared' },
          { id: 3, name: 'Declined' },
          { id: 4, name: 'Refunded' },
          { id: 5, name: 'Partially refunded' },
        ]);
      } finally {
        await client.end();
      }
    });
  });
});
