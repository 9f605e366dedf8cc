/**
 * Servers in the registry and the placement of tenants on them: every
 * problem reported at its file and field with its fix, nothing synthesized
 * from a fleet that has one; stacks configured from their tenant's server.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { formatProblem } from '../model/problems';
import { connectionDemand, serverPasswordVariable } from '../model/servers';
import { toolConnection } from '../ops/libpq-tools';
import { mapBoundedByGroup } from '../ops/fleet';
import { checkRegistry, leastLoadedServer, loadRegistry, serverOf } from '../tenants/registry';
import { setDefinitionField } from '../tenants/registry/edit';
import { PROJECT_ROOT, projectOutdir, databaseStack, postgresTenants, resourcesOf, runApp, runCliInProcess, tempFleet, tenant, tenantDefinition } from './helpers';

const SERVER = { name: 'eu-shared-1', host: 'db1.example.com', maxConnections: 100, sslmode: 'require' };
const docker = (key: string, port: number, extra: Record<string, unknown> = {}) =>
  tenantDefinition({ key, database: { name: key, ...extra } as never, app: { target: 'docker', port } });

describe('server files', () => {
  it('a fleet with servers loads: each tenant on its server, defaults resolved, the default server implicit', () => {
    const fleet = tempFleet({ a_shop: docker('a_shop', 4100, { server: 'eu-shared-1' }), b_shop: docker('b_shop', 4101) }, { 'eu-shared-1': SERVER });
    try {
      const reg = loadRegistry(fleet.dir, fleet.serversDir);
      expect(reg.servers.map((s) => [s.name, s.implicit])).toEqual([
        ['default', true],
        ['eu-shared-1', false],
      ]);
      expect(reg.servers[1]).toMatchObject({ port: 5432, sslmode: 'require', adminRole: 'postgres', reservedConnections: 3, kind: 'self-hosted', acceptsNewTenants: true, passwordVariable: 'PGPASSWORD_EU_SHARED_1' });
      expect(reg.tenants.map((t) => [t.key, serverOf(t)])).toEqual([
        ['a_shop', 'eu-shared-1'],
        ['b_shop', 'default'],
      ]);
    } finally {
      fleet.cleanup();
    }
  });

  it('reports every problem of every server file at once, each with file, field, value and fix', () => {
    const fleet = tempFleet(
      {},
      {
        'eu-shared-1': { ...SERVER, name: 'eu-shared-9', sslmode: 'verify-full', port: 70000, kind: 'mainframe', reservedConnections: 100, password: 'hunter2' },
        'eu-shared-2': { name: 'eu-shared-2', maxConnections: 50, rootCertificate: 'certs/missing.pem' },
        default: { name: 'default', host: 'db.example.com', maxConnections: 50 },
      },
    );
    try {
      const { problems } = checkRegistry(fleet.dir, fleet.serversDir);
      const shown = problems.map((p) => [path.basename(p.file), p.field, p.value]);
      expect(shown).toEqual(
        expect.arrayContaining([
          ['default.ts', 'host', 'db.example.com'],
          ['eu-shared-1.ts', 'password', undefined],
          ['eu-shared-1.ts', 'port', 70000],
          ['eu-shared-1.ts', 'kind', 'mainframe'],
          ['eu-shared-1.ts', 'rootCertificate', undefined],
          ['eu-shared-1.ts', 'reservedConnections', 100],
          ['eu-shared-1.ts', 'name', 'eu-shared-9'],
          ['eu-shared-2.ts', 'host', undefined],
          ['eu-shared-2.ts', 'rootCertificate', 'certs/missing.pem'],
        ]),
      );
      expect(problems).toHaveLength(9);
      const text = problems.map(formatProblem).join('\n');
      expect(text).toContain('password is not a known field; remove it');
      expect(text).toContain('name "eu-shared-9" must equal the file name "eu-shared-1"');
      expect(text).toContain('rootCertificate is missing, but sslmode is verify-full');
      expect(text).toContain('host is missing; add host: "<host name or address>"');
      expect(text).toContain('host "db.example.com" is not set in servers/default.ts: the default server is reached through the deploying environment');
    } finally {
      fleet.cleanup();
    }
  });
});

describe('placement', () => {
  /** The problems of a fleet, as `file: field value rule` lines. */
  function problemsOf(tenants: Record<string, unknown>, servers: Record<string, unknown>): string[] {
    const fleet = tempFleet(tenants, servers);
    try {
      return checkRegistry(fleet.dir, fleet.serversDir).problems.map((p) => formatProblem({ ...p, file: path.basename(p.file) }));
    } finally {
      fleet.cleanup();
    }
  }

  it('refuses an unknown server, naming the ones there are', () => {
    expect(problemsOf({ a_shop: docker('a_shop', 4100, { server: 'eu-shared-7' }) }, { 'eu-shared-1': SERVER })).toEqual([
      'a_shop.ts: database.server "eu-shared-7" is not a server of the fleet; use one of default, eu-shared-1 (servers/<name>.ts; "default" is the deploying environment\'s PGHOST)',
    ]);
  });

  it('refuses an over-full server: the tenants\' connection limits added up against maxConnections less the reserved slots', () => {
    const professional = (key: string, port: number) => ({ ...docker(key, port, { server: 'eu-shared-1' }), plan: 'professional' });
    // Each professional tenant with three people can hold min(25, 15 + 3 * 3 + 2) = 25 connections: two fit 53 - 3 slots, not 52 - 3.
    expect(connectionDemand(tenant({ plan: 'professional' }))).toBe(25);
    expect(problemsOf({ a_shop: professional('a_shop', 4100), b_shop: professional('b_shop', 4101) }, { 'eu-shared-1': { ...SERVER, maxConnections: 53 } })).toEqual([]);
    expect(problemsOf({ a_shop: professional('a_shop', 4100), b_shop: professional('b_shop', 4101) }, { 'eu-shared-1': { ...SERVER, maxConnections: 52 } })).toEqual([
      'eu-shared-1.ts: maxConnections 52 leaves 49 connections for tenants (maxConnections less reservedConnections), but the tenants placed here can hold 50 (a_shop 25, b_shop 25): raise maxConnections on the server, or move tenants to another server (npx tenants move <key> --to <server>)',
    ]);
  });

  it('refuses a new tenant on a closed server, keeps the ones it lists, and refuses a listed tenant the registry lacks', () => {
    const closed = { ...SERVER, acceptsNewTenants: false, existingTenants: ['a_shop', 'gone_shop'] };
    expect(problemsOf({ a_shop: docker('a_shop', 4100, { server: 'eu-shared-1' }), b_shop: docker('b_shop', 4101, { server: 'eu-shared-1' }) }, { 'eu-shared-1': closed })).toEqual([
      'b_shop.ts: database.server "eu-shared-1" names server "eu-shared-1", which takes no new tenants (acceptsNewTenants: false); place the tenant on an open server (default), or add it to the server\'s existingTenants if it is already there',
      'eu-shared-1.ts: existingTenants[1] "gone_shop" is not a tenant of the registry; remove it (tenants: a_shop, b_shop)',
    ]);
  });

  it('refuses duplicate database names on one server (names are unique fleet-wide, so any move stays possible)', () => {
    expect(
      problemsOf({ a_shop: docker('a_shop', 4100, { server: 'eu-shared-1' }), b_shop: { ...docker('b_shop', 4101, { server: 'eu-shared-1' }), database: { name: 'a_shop', server: 'eu-shared-1' } } }, { 'eu-shared-1': SERVER }),
    ).toEqual([expect.stringMatching(/^b_shop\.ts: database\.name "a_shop" .*a_shop\.ts \(database\.name\)/)]);
  });

  it('refuses a server on a lambda tenant: it has its own RDS instance', () => {
    const lambda = tenantDefinition({
      key: 'l_shop',
      database: { name: 'l_shop', server: 'eu-shared-1' } as never,
      app: { target: 'lambda', region: 'eu-central-1', artifact: { s3Bucket: 'l-shop-artifacts', s3Key: 'api.zip', s3ObjectVersion: 'v1' } },
    });
    expect(problemsOf({ l_shop: lambda }, { 'eu-shared-1': SERVER })).toEqual([
      'l_shop.ts: database.server "eu-shared-1" applies to tenants on a shared server; a lambda tenant\'s database is on its own RDS instance, so remove it',
    ]);
  });

  it('synthesizes nothing from a fleet with a placement problem, and validate names it', async () => {
    const fleet = tempFleet({ a_shop: docker('a_shop', 4100, { server: 'eu-shared-7' }) }, { 'eu-shared-1': SERVER });
    const outdir = projectOutdir('servers-');
    try {
      const app = runApp({ ...fleet.env, CDKTF_OUTDIR: outdir });
      expect(app.status).toBe(1);
      expect(app.stderr).toContain('a_shop.ts: database.server "eu-shared-7" is not a server of the fleet');
      expect(existsSync(path.join(outdir, 'stacks'))).toBe(false);
      const validate = await runCliInProcess(['validate'], fleet.env);
      expect(validate.status).toBe(1);
      expect(validate.stderr).toContain('database.server "eu-shared-7" is not a server of the fleet');
    } finally {
      rmSync(outdir, { recursive: true, force: true });
      fleet.cleanup();
    }
  });

  it('suggests the open server with the most free connections', () => {
    const fleet = tempFleet(
      { a_shop: docker('a_shop', 4100, { server: 'eu-shared-1' }) },
      { 'eu-shared-1': { ...SERVER, maxConnections: 100 }, 'eu-shared-2': { ...SERVER, name: 'eu-shared-2', maxConnections: 100 }, 'eu-shared-3': { ...SERVER, name: 'eu-shared-3', maxConnections: 500, acceptsNewTenants: false } },
    );
    try {
      const reg = loadRegistry(fleet.dir, fleet.serversDir);
      expect(leastLoadedServer(reg.servers, reg.tenants)).toBe('eu-shared-2');
    } finally {
      fleet.cleanup();
    }
  });
});

describe("a tenant's stack on a server of the fleet", () => {
  it('connects its provider to the server (host, port, sslmode, CA, admin) with the server\'s own password variable, and its app to the app host', () => {
    const fleet = tempFleet(
      { a_shop: docker('a_shop', 4100, { server: 'eu-shared-1' }) },
      { 'eu-shared-1': { ...SERVER, port: 6432, sslmode: 'verify-full', rootCertificate: 'certs/rds-ca-bundle.pem', adminRole: 'fleet_admin', appHost: '10.0.0.5' } },
    );
    try {
      const reg = loadRegistry(fleet.dir, fleet.serversDir);
      const json = databaseStack(postgresTenants(reg.tenants)[0], reg.servers);
      const provider = (json as unknown as { provider: { postgresql: Record<string, unknown>[] } }).provider.postgresql[0];
      expect(provider).toEqual({
        host: 'db1.example.com',
        port: 6432,
        sslmode: 'verify-full',
        sslrootcert: '../../../certs/rds-ca-bundle.pem',
        username: 'fleet_admin',
        password: '${var.pgpassword_eu_shared_1}',
        superuser: false,
      });
      const variables = (json as unknown as { variable: Record<string, Record<string, unknown>> }).variable;
      expect(variables.pgpassword_eu_shared_1).toEqual(expect.objectContaining({ sensitive: true, nullable: false, type: 'string' }));
      expect(variables.pgpassword_eu_shared_1.default).toBeUndefined();
      expect(Object.keys(variables)).not.toContain('postgres_admin_role');
      const container = resourcesOf(json, 'docker_container').find((c) => String(c.name).endsWith('-api'))!;
      expect((container.env as string[]).find((e) => e.startsWith('DATABASE_DSN='))).toMatch(/^DATABASE_DSN=host=10\.0\.0\.5 port=6432 /);
      // A move changes the server: every password is renewed and written to the roles there.
      const rolePasswords = Object.entries((json as unknown as { resource: { random_password: Record<string, { keepers?: Record<string, string> }> } }).resource.random_password).filter(([id]) => id.startsWith('Roles_'));
      expect(rolePasswords.length).toBe(4);
      expect(rolePasswords.every(([, p]) => p.keepers?.server === 'eu-shared-1')).toBe(true);
      // The runner reaches the same server; its password never appears, not even as a reference (it would silence the deploy's log).
      const runners = resourcesOf(json, 'terraform_data');
      for (const runner of runners) {
        const environment = (runner.provisioner as { 'local-exec': { environment: Record<string, string> } }[])[0]['local-exec'].environment;
        expect(environment).toEqual({ PGHOST: 'db1.example.com', PGPORT: '6432', PGSSLMODE: 'verify-full', PGSSLROOTCERT: 'certs/rds-ca-bundle.pem', PGUSER: 'fleet_admin' });
      }
      expect(JSON.stringify(runners)).not.toMatch(/PGPASSWORD|pgpassword/);
    } finally {
      fleet.cleanup();
    }
  });

  it('on the default server, keeps the environment\'s connection and variables as before servers existed', () => {
    const json = databaseStack(tenant(), []);
    const provider = (json as unknown as { provider: { postgresql: Record<string, unknown>[] } }).provider.postgresql[0];
    expect(provider).toEqual({ superuser: false, username: '${var.postgres_admin_role}' });
    expect(resourcesOf(json, 'random_password').every((p) => p.keepers === undefined)).toBe(true);
  });

  it('the example fleet uses two servers and the README explains placement and capacity', () => {
    const reg = loadRegistry();
    expect(new Set(reg.tenants.map(serverOf).filter(Boolean))).toEqual(new Set(['default', 'eu-shared-2']));
    const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
    expect(readme).toMatch(/## Servers: placement and capacity/);
  });
});

describe('fleet plumbing', () => {
  it('bounds a run per server and in all', async () => {
    const running = new Map<string, number>();
    let most = 0;
    const highest = new Map<string, number>();
    const items = ['a', 'a', 'a', 'a', 'b', 'b', 'c', 'a', 'b', 'c'];
    const results = await mapBoundedByGroup(items, { overall: 3, perGroup: 2, groupOf: (item) => item }, async (item) => {
      running.set(item, (running.get(item) ?? 0) + 1);
      highest.set(item, Math.max(highest.get(item) ?? 0, running.get(item)!));
      most = Math.max(most, [...running.values()].reduce((a, b) => a + b, 0));
      await new Promise((resolve) => setTimeout(resolve, 5));
      running.set(item, running.get(item)! - 1);
      return item.toUpperCase();
    });
    expect(results).toEqual(items.map((i) => i.toUpperCase()));
    expect(Math.max(...highest.values())).toBe(2);
    expect(most).toBe(3);
  });

  it('a libpq tool for a server of the fleet gets that server\'s password, never PGPASSWORD (the default server\'s)', () => {
    const server = { name: 'eu-shared-1', host: 'db1', port: 5432, user: 'admin', sslmode: 'verify-full', sslrootcert: 'ca.pem', passwordVariable: serverPasswordVariable('eu-shared-1') };
    const withOwn = toolConnection({ server }, 'shop', { PGPASSWORD: 'default-secret', PGPASSWORD_EU_SHARED_1: 'own-secret' });
    expect(withOwn.env.PGPASSWORD).toBe('own-secret');
    expect(withOwn.dbname).toBe("host='db1' port='5432' dbname='shop' user='admin' sslmode='verify-full' sslrootcert='ca.pem'");
    // None of its own: libpq reads ~/.pgpass for it.
    expect(toolConnection({ server }, 'shop', { PGPASSWORD: 'default-secret' }).env.PGPASSWORD).toBeUndefined();
    const asMigrator = toolConnection({ server }, 'shop', { PGPASSWORD: 'default-secret' }, { user: 'shop__migrator', password: 'one-off' });
    expect([asMigrator.env.PGPASSWORD, asMigrator.dbname.includes("user='shop__migrator'")]).toEqual(['one-off', true]);
  });

  it('edits a field of a tenant or server file in place, keeping the rest as written', () => {
    const tenantFile = "export default defineTenant({\n  key: 'a',\n  database: { name: 'a' }, // the customer's\n});\n";
    expect(setDefinitionField(tenantFile, 'defineTenant', ['database', 'server'], 'eu-shared-1', 'a.ts')).toBe(
      "export default defineTenant({\n  key: 'a',\n  database: { name: 'a', server: 'eu-shared-1' }, // the customer's\n});\n",
    );
    const serverFile = "export default defineServer({\n  name: 'x',\n  maxConnections: 10\n});\n";
    const closed = setDefinitionField(setDefinitionField(serverFile, 'defineServer', ['acceptsNewTenants'], false, 'x.ts'), 'defineServer', ['existingTenants'], ['a', 'b'], 'x.ts');
    expect(closed).toBe("export default defineServer({\n  name: 'x',\n  maxConnections: 10,\n  acceptsNewTenants: false,\n  existingTenants: ['a', 'b'],\n});\n");
    expect(setDefinitionField(closed, 'defineServer', ['acceptsNewTenants'], true, 'x.ts')).toContain('  acceptsNewTenants: true,\n');
  });
});
