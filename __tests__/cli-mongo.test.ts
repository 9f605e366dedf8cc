/**
 * The CLI with a MongoDB tenant, in-process: add, list, show, compose and
 * offboard know the engine; the PostgreSQL commands refuse a MongoDB tenant;
 * mongo-provision says what it needs before connecting anywhere. (Its work
 * against a server is tested on a recording stand-in, mongo-provision.test.ts:
 * no MongoDB server runs on this machine.)
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { loadRegistry } from '../tenants/registry';
import type { MongoTenant } from '../tenants/registry/types';
import { exampleRegistryCopy, runCliInProcess, tenantSource, mongoTenantDefinition } from './helpers';
import { literalUriPasswords } from './support/secrets';

let registry: { dir: string; cleanup: () => void };
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  registry = exampleRegistryCopy();
  env = { TENANTS_DIR: registry.dir };
});
afterEach(() => registry.cleanup());

const ADD = ['add', '--key', 'leaf_shop', '--company', 'Leaf Shop', '--database', 'Leaf-Shop', '--plan', 'starter', '--admin', 'alice:alice@leaf.example', '--customer', 'carl:carl@leaf.example', '--engine', 'mongodb', '--port', '4091', '--mongo-port', '27102', '--yes'];

describe('tenants add --engine mongodb', () => {
  it('writes a container tenant that passes the registry, and lists the users it will get with their roles', async () => {
    const result = await runCliInProcess([...ADD.slice(0, -1), '--dry-run'], env);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("  database: {\n    engine: 'mongodb',\n    name: 'Leaf-Shop',\n    placement: 'container',\n    container: { port: 27102 },\n  },");
    expect(result.stdout).toContain('Users it would get:\n  leaf_shop__app (readWrite), leaf_shop__migrator (dbAdmin, readWrite), leaf_shop__alice (dbOwner), leaf_shop__carl (read)');
    expect((await runCliInProcess(ADD, env)).status).toBe(0);
    const written = loadRegistry(registry.dir).tenants.find((t) => t.key === 'leaf_shop') as MongoTenant;
    expect(written.database).toEqual({ engine: 'mongodb', name: 'Leaf-Shop', placement: 'container', container: { port: 27102, image: 'mongo:7.0.14' } });
  });

  it('writes an Atlas tenant from its flags', async () => {
    const args = [...ADD.filter((a, i) => a !== '--mongo-port' && ADD[i - 1] !== '--mongo-port'), '--placement', 'atlas', '--atlas-org', '5f1b2c3d4e5f6a7b8c9d0e1f', '--atlas-region', 'EU_WEST_1', '--atlas-access', '203.0.113.10/32'];
    expect((await runCliInProcess(args, env)).status).toBe(0);
    const written = loadRegistry(registry.dir).tenants.find((t) => t.key === 'leaf_shop') as MongoTenant;
    expect(written.database).toEqual({
      engine: 'mongodb',
      name: 'Leaf-Shop',
      placement: 'atlas',
      atlas: { organizationId: '5f1b2c3d4e5f6a7b8c9d0e1f', region: 'EU_WEST_1', ipAccessList: ['203.0.113.10/32'], tier: 'M10' },
    });
  });

  it('refuses a bad name, a port already taken and another placement\'s flags at once, naming flag, field, value and fix, and writes nothing', async () => {
    const args = ADD.map((a, i) => (ADD[i - 1] === '--database' ? 'leaf.shop' : ADD[i - 1] === '--mongo-port' ? '27101' : a));
    const result = await runCliInProcess([...args, '--atlas-tier', 'M10'], env);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('3 problems with the flags; nothing was written:\n');
    expect(result.stderr).toContain('--database (database.name) "leaf.shop" has a character MongoDB refuses in database names');
    expect(result.stderr).toContain(`--mongo-port (database.container.port) 27101 is already used by ${path.join(registry.dir, 'tea_house.ts')} (database.container.port); host ports must be unique across the fleet`);
    expect(result.stderr).toContain('--atlas-org/--atlas-region/--atlas-access (database.atlas) {"tier":"M10"} applies to placement "atlas", not "container"; remove it, or set database.placement to "atlas"');
    expect(existsSync(path.join(registry.dir, 'leaf_shop.ts'))).toBe(false);
  });

  it('refuses a MongoDB flag without --engine mongodb, rather than ignore it', async () => {
    const args = ADD.filter((a, i) => a !== '--engine' && ADD[i - 1] !== '--engine');
    const result = await runCliInProcess(args, env);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--mongo-port applies to --engine mongodb; remove it, or add --engine mongodb');
  });
});

describe('tenants list and show with a MongoDB tenant', () => {
  it('lists its engine and placement, and leaves the PostgreSQL tenants as they were', async () => {
    const entries = JSON.parse((await runCliInProcess(['list', '--json'], env)).stdout) as Record<string, unknown>[];
    expect(entries.map((e) => [e.key, e.engine, e.placement])).toEqual([
      ['bookstore_2025', 'postgresql', undefined],
      ['building_shop', 'postgresql', undefined],
      ['flower_shop', 'postgresql', undefined],
      ['hardware_store', 'postgresql', undefined],
      ['online_store_2025', 'postgresql', undefined],
      ['tea_house', 'mongodb', 'container'],
    ]);
    const table = (await runCliInProcess(['list'], env)).stdout;
    expect(table).toMatch(/^ tea_house +Tea House KG +tea-house \(mongodb, container\) +free +docker +http:\/\/localhost:4090 +2\/1\/1/m);
    expect(table).toMatch(/^ building_shop +Building Shop Inc +building_shop +professional/m);
  });

  it('shows its users and their roles on its database only, and no PostgreSQL role', async () => {
    const text = (await runCliInProcess(['show', 'tea_house'], env)).stdout;
    expect(text).toContain('tea-house: its own mongo:7.0.14 container on the Docker host, port 127.0.0.1:27101, protected');
    expect(text).toContain('tea_house__greta  admin greta <greta@teahouse.example>: dbOwner on tea-house');
    expect(text).toContain('tea_house__pia  customer pia <pia@teahouse.example>: read on tea-house');
    expect(text).not.toContain('__owner');
    const shown = JSON.parse((await runCliInProcess(['show', 'tea_house', '--json'], env)).stdout);
    expect(shown.users.map((u: { name: string; roles: { role: string; db: string }[] }) => [u.name, u.roles.map((r) => `${r.role}@${r.db}`)])).toEqual([
      ['tea_house__app', ['readWrite@tea-house']],
      ['tea_house__migrator', ['dbAdmin@tea-house', 'readWrite@tea-house']],
      ['tea_house__greta', ['dbOwner@tea-house']],
      ['tea_house__hugo', ['dbOwner@tea-house']],
      ['tea_house__ole', ['readWrite@tea-house']],
      ['tea_house__pia', ['read@tea-house']],
    ]);
    expect(shown.stacks).toEqual([{ name: 'tea_house', state: 'state/tea_house.tfstate' }]);
  });
});

describe('tenants compose with a MongoDB tenant', () => {
  it("runs the container tenant's own mongo on 127.0.0.1 and the app against it, with secrets only as ${VARIABLES}", async () => {
    const file = path.join(registry.dir, 'tea.compose.yml');
    const result = await runCliInProcess(['compose', 'tea_house', '--out', file], env);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('npx tenants mongo-provision tea_house');
    const doc = parse(readFileSync(file, 'utf8'));
    expect(Object.keys(doc.services)).toEqual(['mongo', 'api']);
    expect(doc.services.mongo).toEqual(
      expect.objectContaining({ image: 'mongo:7.0.14', ports: ['127.0.0.1:27101:27017'], command: ['mongod', '--noscripting', '--maxConns', '5', '--wiredTigerCacheSizeGB', '0.25'] }),
    );
    expect(doc.services.api.environment.MONGODB_URI).toBe(
      'mongodb://tea_house__app:${APP_DATABASE_PASSWORD:?set APP_DATABASE_PASSWORD in the environment or an env file}@mongo:27017/tea-house?authSource=admin',
    );
    expect([doc.services.api.environment.DATABASE_NAME, doc.services.api.environment.TENANT_NAME, doc.services.api.environment.DATABASE_DSN]).toEqual(['tea-house', 'tea_house', undefined]);
    expect(doc.services.mongo.environment.MONGO_INITDB_ROOT_PASSWORD).toMatch(/^\$\{MONGO_ROOT_PASSWORD:\?/);
    expect(literalUriPasswords(doc)).toEqual([]);
    const template = readFileSync(path.join(registry.dir, 'tea.env.example'), 'utf8');
    expect(template.split('\n').filter((l) => /^[A-Z_]+=./.test(l))).toEqual([]);
    expect(template).toContain('MONGODB_USER_PASSWORDS=');
  });

  it("runs an Atlas tenant's app against its cluster, from the app user's connection string", async () => {
    const atlas = mongoTenantDefinition({ key: 'leaf_shop', app: { target: 'docker', port: 4091 } }, {
      name: 'leaf',
      placement: 'atlas',
      container: undefined,
      atlas: { organizationId: '5f1b2c3d4e5f6a7b8c9d0e1f', region: 'EU_WEST_1', ipAccessList: ['203.0.113.10/32'] },
    });
    writeFileSync(path.join(registry.dir, 'leaf_shop.ts'), tenantSource(atlas));
    const file = path.join(registry.dir, 'leaf.compose.yml');
    expect((await runCliInProcess(['compose', 'leaf_shop', '--out', file], env)).status).toBe(0);
    const doc = parse(readFileSync(file, 'utf8'));
    expect(Object.keys(doc.services)).toEqual(['api']);
    expect(doc.services.api.environment.MONGODB_URI).toBe('${MONGODB_URI:?set MONGODB_URI in the environment or an env file}');
  });
});

describe('tenants offboard with a MongoDB tenant', () => {
  it('backs up with mongodump, the password asked for, and lifts the data volume\'s protection before destroying', async () => {
    const result = await runCliInProcess(['offboard', 'tea_house', '--dry-run'], env);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("mongodump --host localhost --port 27101 --username usualstore_root --authenticationDatabase admin --db 'tea-house' --gzip");
    expect(result.stdout).toContain("bash scripts/cdktf.sh deploy tea_house    # first: lifts the data volume's prevent_destroy");
    expect(result.stdout).not.toMatch(/pg_dump|--password/);
  });
});

describe('the PostgreSQL commands and mongo-provision', () => {
  test.each([['sql'], ['prepare'], ['retire-logins'], ['migrate']])('%s refuses a MongoDB tenant as a usage error, saying what provisions it', async (command) => {
    const result = await runCliInProcess([command, 'tea_house'], env);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('tea_house is a MongoDB tenant: this command works on PostgreSQL tenants; its users and collections are provisioned by `npx tenants mongo-provision tea_house`');
  });

  it('mongo-provision refuses a PostgreSQL tenant', async () => {
    const result = await runCliInProcess(['mongo-provision', 'building_shop'], env);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('building_shop is a PostgreSQL tenant');
  });

  test.each([
    [{}, 'MONGODB_SERVER_URI is not set'],
    [{ MONGODB_SERVER_URI: 'mongodb://localhost:27101/' }, "MONGODB_ADMIN_PASSWORD is not set; the mongo container's root password"],
    [{ MONGODB_SERVER_URI: 'mongodb://localhost:27101/', MONGODB_ADMIN_PASSWORD: 'x' }, 'MONGODB_USER_PASSWORDS is not set'],
    [{ MONGODB_SERVER_URI: 'mongodb://localhost:27101/', MONGODB_ADMIN_PASSWORD: 'x', MONGODB_USER_PASSWORDS: '{not json' }, 'MONGODB_USER_PASSWORDS is not JSON'],
    [{ MONGODB_SERVER_URI: 'mongodb://localhost:27101/', MONGODB_ADMIN_PASSWORD: 'x', MONGODB_USER_PASSWORDS: '{"tea_house__app":"a"}' }, 'MONGODB_USER_PASSWORDS has no password for tea_house__greta'],
  ])('mongo-provision says what is missing before connecting: %j', async (variables, message) => {
    const result = await runCliInProcess(['mongo-provision', 'tea_house'], { ...env, ...variables });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(message);
  });
});
