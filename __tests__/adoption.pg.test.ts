/**
 * Taking over what the original system left behind, on a real PostgreSQL:
 * databases created by a superuser with its schema (applied twice, as its
 * deploys re-ran it) and sample rows, bare-username roles shared across
 * tenants with their grants, PUBLIC still able to connect. Then
 * import-tfvars, the adoption SQL and the migrations, as a user runs them.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { migrateTenant } from '../ops/fleet';
import { parseTfvars } from '../ops/import-tfvars';
import { readMigrations } from '../ops/migration-files';
import { loadRegistry } from '../tenants/registry';
import type { PostgresTenant as Tenant } from '../tenants/registry/types';
import { postgresTenants, runCliInProcess, tenant } from './helpers';
import { type Cluster, startCluster } from '../testbed/pg-cluster';
import { adminOf, pgCases } from './support/pg-matrix';
import { EXPECTED, logins, privilegeOutcomes } from './support/privileges';
import { applyAccessSql, catalogSnapshot, connectAs, migrationsWith } from './support/tenant-db';

const FIXTURES = path.join(__dirname, 'fixtures', 'original');
const TFVARS = path.join(FIXTURES, 'customers.tfvars');
const SCHEMA = readFileSync(path.join(FIXTURES, 'database-schema.sql'), 'utf8');
const STORE_TABLES = ['customers', 'widgets', 'transaction_statuses', 'transactions', 'statuses', 'orders'];

interface LegacyCustomer {
  database_name: string;
  admins: { username: string; password: string }[];
  developers: { username: string; password: string }[];
  customers: { username: string; password: string }[];
}

const SAMPLE_ROWS = `
INSERT INTO customers (first_name, last_name, email) VALUES ('Ada', 'Lovelace', 'ada@example.com'), ('Alan', 'Turing', 'alan@example.com');
INSERT INTO widgets (name, description, inventory_level, price, image, is_recurring, plan_id)
  VALUES ('Widget', 'A very nice widget', 10, 1000, 'widget.png', false, ''), ('Bronze Plan', 'Monthly', 0, 2000, '', true, 'price_bronze');
INSERT INTO transactions (amount, currency, last_four, bank_return_code, transaction_status_id, expiry_month, expiry_year, payment_intent, payment_method)
  VALUES (1000, 'cad', '4242', 'ch_1', 2, 12, 2030, 'pi_1', 'pm_1'), (2000, 'cad', '1881', 'ch_2', 2, 1, 2031, 'pi_2', 'pm_2');
INSERT INTO orders (widget_id, transaction_id, status_id, quantity, amount, customer_id) VALUES (1, 1, 1, 1, 1000, 1), (2, 2, 1, 1, 2000, 2);
`;

/** The original's grants per kind of person, to roles named after bare usernames. */
function originalGrants(database: string, role: string, kind: 'admins' | 'developers' | 'customers'): string {
  const grants = {
    admins: ['CREATE, CONNECT, TEMPORARY', 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER', 'SELECT, UPDATE, USAGE'],
    developers: ['CONNECT, TEMPORARY', 'SELECT, INSERT, UPDATE', 'SELECT, USAGE'],
    customers: ['CONNECT', 'SELECT', ''],
  }[kind];
  return [
    `GRANT ${grants[0]} ON DATABASE ${database} TO "${role}";`,
    `GRANT ${grants[1]} ON ALL TABLES IN SCHEMA public TO "${role}";`,
    grants[2] ? `GRANT ${grants[2]} ON ALL SEQUENCES IN SCHEMA public TO "${role}";` : '',
  ].join('\n');
}

describe.each(pgCases())('on $label', ({ server, admin: adminKind }) => {
  let cluster: Cluster;
  /** The server admin: the original system's owner of everything (the RDS master user on RDS), and the platform's. */
  let admin: string;
  let registryDir: string;
  let legacy: Record<string, LegacyCustomer>;
  let tenants: Tenant[];
  const rowsBefore = new Map<string, unknown>();

  async function tableRows(database: string): Promise<Record<string, unknown[]>> {
    const client = await cluster.connect(database);
    try {
      const rows: Record<string, unknown[]> = {};
      for (const table of STORE_TABLES) rows[table] = (await client.query(`SELECT * FROM public.${table} ORDER BY id`)).rows;
      return rows;
    } finally {
      await client.end();
    }
  }

  /** Runs each tenant's SQL, then migrates the fleet; returns the migrate summary. */
  async function deployAll(): Promise<string> {
    for (const t of tenants) {
      const sql = await runCliInProcess(['sql', t.key], { TENANTS_DIR: registryDir });
      expect(sql.status).toBe(0);
      cluster.psql(sql.stdout, { user: admin });
    }
    const migrate = await runCliInProcess(['migrate', '--all', '--url', cluster.url('postgres', admin)], { TENANTS_DIR: registryDir });
    expect(migrate.stderr).toBe('');
    expect(migrate.status).toBe(0);
    return migrate.stdout;
  }

  beforeAll(async () => {
    cluster = await startCluster({ server });
    admin = adminOf(cluster, adminKind);
    registryDir = mkdtempSync(path.join(tmpdir(), 'adopted-'));
    const parsed = await parseTfvars(TFVARS, readFileSync(TFVARS, 'utf8'));
    legacy = (parsed.document as { tenants: Record<string, LegacyCustomer> }).tenants;
    const created = new Set<string>();
    for (const customer of Object.values(legacy)) {
      const db = customer.database_name;
      cluster.psql(`CREATE DATABASE ${db} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'en_US.UTF-8' LC_CTYPE 'en_US.UTF-8';`, { user: admin });
      // The original re-applied its schema on every deploy and ignored the errors: seeds doubled.
      cluster.psql(SCHEMA, { database: db, stopOnError: false, user: admin });
      cluster.psql(SCHEMA, { database: db, stopOnError: false, user: admin });
      cluster.psql(SAMPLE_ROWS, { database: db, user: admin });
      for (const kind of ['admins', 'developers', 'customers'] as const) {
        for (const person of customer[kind]) {
          // Roles named after bare usernames, created once and shared by every tenant with that user.
          if (!created.has(person.username)) cluster.psql(`CREATE ROLE "${person.username}" LOGIN PASSWORD '${person.password}';`, { user: admin });
          created.add(person.username);
          cluster.psql(originalGrants(db, person.username, kind), { database: db, user: admin });
        }
      }
      rowsBefore.set(db, await tableRows(db));
    }
    cluster.psql('CREATE ROLE outsider LOGIN');
  });

  afterAll(() => {
    cluster?.stop();
    if (registryDir) rmSync(registryDir, { recursive: true, force: true });
  });

  describe('adopting the original fleet', () => {
    it('starts from the original flaws: a user of one tenant can connect to another, and so can anyone', async () => {
      expect(await connectAs(cluster, 'garden_center', 'bob')).toBe('ok');
      expect(await connectAs(cluster, 'building_shop', 'outsider')).toBe('ok');
    });

    it('imports the customers as tenant files in adoption mode, copying no password', async () => {
      const result = await runCliInProcess(['import-tfvars', TFVARS, '--port-start', '4101'], { TENANTS_DIR: registryDir });
      expect(result.status).toBe(0);
      expect(result.stdout).toContain('Dropped 14 passwords from customers.tfvars; none was copied.');
      tenants = postgresTenants(loadRegistry(registryDir).tenants);
      expect(tenants.map((t) => [t.key, t.app.target === 'docker' && t.app.port, t.adopt?.legacyRoles])).toEqual([
        ['bookstore_2025', 4101, ['alice', 'grace', 'henry', 'heidi', 'ivan']],
        ['building_shop', 4102, ['bob', 'dana', 'eli', 'carol']],
        ['garden_center', 4103, ['greta', 'otto']],
        ['hardware_store', 4104, ['alice', 'frank']],
      ]);
      const written = tenants.map((t) => readFileSync(path.join(registryDir, `${t.key}.ts`), 'utf8')).join('\n');
      expect(written).not.toMatch(/password|Secret|postgres-admin-secret/i);
    });

    let firstDeploy = '';
    it('adopts every database without losing or changing a row, and adds only what was missing', async () => {
      firstDeploy = await deployAll();
      for (const t of tenants) {
        const before = rowsBefore.get(t.database.name) as Record<string, unknown[]>;
        const after = await tableRows(t.database.name);
        for (const table of STORE_TABLES) expect(after[table]).toEqual(expect.arrayContaining(before[table]));
        // The one row adoption adds: the transaction status the original lacked.
        expect(STORE_TABLES.map((table) => after[table].length - before[table].length)).toEqual([0, 0, 1, 0, 0, 0]);
        const client = await cluster.connect(t.database.name);
        try {
          const history = await client.query('SELECT version FROM usual_store_meta.schema_migrations WHERE version > 0 ORDER BY version');
          expect(history.rows.map((r) => Number(r.version))).toEqual([1, 2, 3, 4, 5]);
          const added = await client.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('users', 'tokens', 'sessions')`);
          expect(added.rows).toEqual([{ n: 3 }]);
          const fixed = await client.query('SELECT id, name FROM public.statuses WHERE id <= 3 ORDER BY id');
          expect(fixed.rows.map((r) => r.name)).toEqual(['Cleared', 'Refunded', 'Cancelled']);
          const partial = await client.query(`SELECT count(*)::int AS n FROM public.transaction_statuses WHERE name = 'Partially refunded'`);
          expect(partial.rows).toEqual([{ n: 1 }]);
        } finally {
          await client.end();
        }
      }
    });

    it('records the original tables as the first migration instead of running it', async () => {
      const rows = firstDeploy.split('\n').filter((line) => /^ default +(bookstore_2025|building_shop|garden_center|hardware_store) /.test(line));
      expect(rows.map((row) => row.trim().split(/\s{2,}/).slice(0, 6))).toEqual(tenants.map((t) => ['default', t.key, t.database.name, '0', '5', '2,3,4,5 (baselined 1)']));
      const again = await runCliInProcess(['status', '--json', '--url', cluster.url('postgres', admin)], { TENANTS_DIR: registryDir });
      expect(JSON.parse(again.stdout).map((s: { version: number; pending: number[] }) => [s.version, s.pending])).toEqual(tenants.map(() => [5, []]));
    });

    it('gives the new roles exactly the access model, on old and new tables', async () => {
      for (const t of tenants) {
        for (const [kind, role] of logins(t)) {
          expect(await privilegeOutcomes(cluster, t.database.name, role, ['widgets', 'users'])).toEqual({ widgets: EXPECTED[kind], users: EXPECTED[kind] });
        }
      }
    });

    it('isolates the tenants: no legacy role, other tenant or outsider can connect, and PUBLIC holds nothing', async () => {
      const legacyRoles = [...new Set(tenants.flatMap((t) => t.adopt?.legacyRoles ?? []))];
      for (const t of tenants) {
        const db = t.database.name;
        const others = tenants.filter((o) => o.key !== t.key).flatMap((o) => logins(o).map(([, role]) => role));
        const refused = await Promise.all([...legacyRoles, ...others, 'outsider'].map((role) => connectAs(cluster, db, role)));
        expect(refused.filter((o) => o !== 'denied')).toEqual([]);
        const client = await cluster.connect(db);
        try {
          const publicGrants = await client.query(`
            SELECT 'database' AS on, privilege_type FROM pg_database, aclexplode(datacl) WHERE datname = current_database() AND grantee = 0
            UNION ALL SELECT 'schema', privilege_type FROM pg_namespace, aclexplode(nspacl) WHERE nspname = 'public' AND grantee = 0
            UNION ALL SELECT c.relname, privilege_type FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, aclexplode(c.relacl) WHERE n.nspname = 'public' AND grantee = 0
            UNION ALL SELECT 'default ' || defaclobjtype::text, privilege_type FROM pg_default_acl, aclexplode(defaclacl) WHERE grantee = 0`);
          expect(publicGrants.rows).toEqual([]);
          const owners = await client.query(`
            SELECT DISTINCT pg_get_userbyid(relowner) AS owner FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE nspname = 'public' AND relkind IN ('r', 'S', 'i')
            UNION SELECT DISTINCT pg_get_userbyid(proowner) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE nspname = 'public'`);
          expect(owners.rows).toEqual([{ owner: `${t.key}__owner` }]);
        } finally {
          await client.end();
        }
      }
    });

    it('keeps the legacy roles, for the operator to retire, and lists them in tenants show', async () => {
      const client = await cluster.connect('postgres');
      try {
        const { rows } = await client.query(`SELECT rolname FROM pg_roles WHERE rolname = ANY ($1) ORDER BY 1`, [['alice', 'bob', 'otto']]);
        expect(rows.map((r) => r.rolname)).toEqual(['alice', 'bob', 'otto']);
      } finally {
        await client.end();
      }
      const shown = await runCliInProcess(['show', 'hardware_store'], { TENANTS_DIR: registryDir });
      expect(shown.stdout).toMatch(/Legacy roles .*\n {2}alice, frank/);
    });

    it('changes nothing when everything runs again', async () => {
      const before = await Promise.all(tenants.map(async (t) => [await catalogSnapshot(cluster, t), await tableRows(t.database.name)]));
      await deployAll();
      const after = await Promise.all(tenants.map(async (t) => [await catalogSnapshot(cluster, t), await tableRows(t.database.name)]));
      expect(after).toEqual(before);
    });
  });

  describe('an adoption that stopped half-way', () => {
    it('resumes after the fix the error asks for, baselining what the database already has', async () => {
      const t = tenant({ key: 'resume_shop', database: { name: 'resume_shop' }, app: { target: 'docker', port: 4390 }, adopt: { legacyRoles: [] } });
      cluster.psql(`CREATE DATABASE resume_shop TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'en_US.UTF-8' LC_CTYPE 'en_US.UTF-8';`, { user: admin });
      cluster.psql(SCHEMA, { database: 'resume_shop', stopOnError: false, user: admin });
      // The app's auth tables (migration 5) were created by hand, and an order status holds a name the app does not expect.
      cluster.psql("CREATE TABLE users (id serial); CREATE TABLE tokens (id serial); CREATE TABLE sessions (token text);\nUPDATE statuses SET name = 'Paid' WHERE id = 1;", {
        database: 'resume_shop',
        user: admin,
      });
      applyAccessSql(cluster, t, admin);
      const run = () => migrateTenant(t, { url: cluster.url('postgres', admin) }, readMigrations());

      const first = await run();
      expect(first.error).toMatch(/statuses id 1 is "Paid", but the store app expects "Cleared": fix that row .* then migrate again/);
      expect([first.fromVersion, first.toVersion, first.applied, first.baselined]).toEqual([0, 3, [1, 2, 3], [1]]);

      cluster.psql("UPDATE public.statuses SET name = 'Cleared' WHERE id = 1;", { database: 'resume_shop', user: admin });
      const second = await run();
      expect(second.error).toBeUndefined();
      expect([second.fromVersion, second.toVersion, second.applied, second.baselined]).toEqual([3, 5, [4, 5], [5]]);

      // A migration added after the adoption runs, even when the table it names exists: only what the database had when adopted is baselined.
      const later = migrationsWith({ '0006.do.user_nickname.sql': 'CREATE TABLE IF NOT EXISTS users (id serial);\nALTER TABLE users ADD COLUMN nickname text;\n' });
      try {
        const third = await migrateTenant(t, { url: cluster.url('postgres', admin) }, later.set);
        expect([third.error, third.applied, third.baselined]).toEqual([undefined, [6], undefined]);
        const client = await cluster.connect('resume_shop');
        try {
          expect((await client.query("SELECT column_name FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'nickname'")).rowCount).toBe(1);
        } finally {
          await client.end();
        }
      } finally {
        later.cleanup();
      }
    });
  });
});
