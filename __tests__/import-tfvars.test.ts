/**
 * import-tfvars without a database, run in-process: the original format in,
 * tenant files in adoption mode out, every problem reported at once, nothing
 * half-written.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadRegistry } from '../tenants/registry';
import { databaseStack, exampleRegistryCopy, postgresTenants, resourcesOf, runCliInProcess } from './helpers';

const FIXTURE = path.join(__dirname, 'fixtures', 'original', 'customers.tfvars');
let registryDir: string;
let scratch: string;
beforeEach(() => {
  registryDir = mkdtempSync(path.join(tmpdir(), 'import-'));
  scratch = mkdtempSync(path.join(tmpdir(), 'tfvars-'));
});
afterEach(() => {
  rmSync(registryDir, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

function tfvars(text: string): string {
  const file = path.join(scratch, 'customers.tfvars');
  writeFileSync(file, text);
  return file;
}

describe('tenants import-tfvars', () => {
  it('round-trips four customers into tenant files that pass validation and synthesize, with the database imported', async () => {
    const result = await runCliInProcess(['import-tfvars', FIXTURE], { TENANTS_DIR: registryDir });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Ignored postgres_host, postgres_password, postgres_port, postgres_user');
    expect(result.stdout).toContain(`in adoption mode: ${path.join(registryDir, 'bookstore_2025.ts')}, ${path.join(registryDir, 'building_shop.ts')},`);
    const tenants = postgresTenants(loadRegistry(registryDir).tenants);
    expect(tenants.map((t) => [t.key, t.plan, t.people.admins.length, t.people.developers.length, t.people.customers.length])).toEqual([
      ['bookstore_2025', 'enterprise', 3, 1, 1],
      ['building_shop', 'professional', 1, 2, 1],
      ['garden_center', 'free', 1, 0, 1],
      ['hardware_store', 'starter', 1, 1, 0],
    ]);
    for (const t of tenants) {
      const json = databaseStack(t);
      const [address] = Object.keys(json.resource.postgresql_database).map((id) => `postgresql_database.${id}`);
      expect(json.import).toEqual([{ id: t.database.name, to: address }]);
      expect(resourcesOf(json, 'postgresql_database').map((d) => d.lifecycle)).toEqual([{ prevent_destroy: true }]);
    }
  });

  it('reports every problem with the customer key and field, and writes nothing', async () => {
    const file = tfvars(`
tenants = {
  no_admin = {
    database_name = "no_admin"
    tenant_name   = "No Admin Inc"
    plan          = "free"
    admins        = []
  }
  "Bad-Key" = {
    database_name = "My DB"
    tenant_name   = "Bad Key"
    plan          = "gold"
    admins        = [{ username = "ann", password = "x", email = "not-an-email" }]
  }
  twice = {
    database_name = "no_admin"
    tenant_name   = "Twice"
    plan          = "starter"
    admins        = [{ username = "sam", password = "x", email = "sam@example.com" }]
    developers    = [{ username = "sam", password = "y", email = "sam2@example.com" }]
    region        = "eu-west-1"
  }
}
`);
    const result = await runCliInProcess(['import-tfvars', file], { TENANTS_DIR: registryDir });
    expect(result.status).toBe(1);
    expect(result.stderr.split('\n').filter((l) => l.startsWith('  - '))).toEqual([
      `  - ${file}: tenants.Bad-Key "Bad-Key" must match ^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$ (lowercase letters and digits in words joined by single underscores; start with a letter)`,
      `  - ${file}: tenants.Bad-Key.plan "gold" is not a plan; use one of free, starter, professional, enterprise`,
      `  - ${file}: tenants.Bad-Key.database_name "My DB" must match ^[a-z][a-z0-9_]*$ (lowercase letters, digits, underscores; start with a letter)`,
      `  - ${file}: tenants.Bad-Key.admins[0].email "not-an-email" is not an email address; use the form name@example.com`,
      `  - ${file}: tenants.no_admin.admins [] is empty; every tenant needs at least one admin`,
      `  - ${file}: tenants.twice.region is not a field of the original format; remove it (known: database_name, tenant_name, plan, admins, developers, customers)`,
      `  - ${file}: tenants.twice.developers[0].username "sam" is already used by people.admins[0].username in this tenant; usernames must be unique within a tenant`,
      `  - ${file}: tenants.twice.database_name "no_admin" is already used by tenants/no_admin.ts (database.name); database names must be unique across the fleet`,
    ]);
    expect(readdirSync(registryDir)).toEqual([]);
  });

  it('reports people that are not a list, never showing their passwords', async () => {
    const file = tfvars(`
tenants = {
  map_shop = {
    database_name = "map_shop"
    tenant_name   = "Map Shop"
    plan          = "free"
    admins        = { username = "greta", password = "Greta-TopSecret-9", email = "greta@example.com" }
    customers     = "carl:Carl-TopSecret-7"
    developers    = ["dan:Dan-TopSecret-5"]
  }
}
`);
    const result = await runCliInProcess(['import-tfvars', file], { TENANTS_DIR: registryDir });
    expect(result.status).toBe(1);
    expect(result.stderr.split('\n').filter((l) => l.startsWith('  - '))).toEqual([
      `  - ${file}: tenants.map_shop.admins must be a list of { username, email }`,
      `  - ${file}: tenants.map_shop.developers[0] must be an object { username, email }`,
      `  - ${file}: tenants.map_shop.customers must be a list of { username, email }`,
    ]);
    expect(result.stderr).not.toMatch(/TopSecret|TypeError|at importTenants/);
    expect(readdirSync(registryDir)).toEqual([]);
  });

  it('never overwrites a tenant that is already in the registry', async () => {
    const registry = exampleRegistryCopy();
    try {
      const before = readdirSync(registry.dir).map((f) => readFileSync(path.join(registry.dir, f), 'utf8'));
      const result = await runCliInProcess(['import-tfvars', FIXTURE, '--port-start', '4101'], { TENANTS_DIR: registry.dir });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(`${FIXTURE}: tenants.building_shop is already in the registry (tenants/building_shop.ts); tenant files are never overwritten`);
      expect(readdirSync(registry.dir).map((f) => readFileSync(path.join(registry.dir, f), 'utf8'))).toEqual(before);
    } finally {
      registry.cleanup();
    }
  });

  it('refuses a file that is not HCL, naming the position', async () => {
    const result = await runCliInProcess(['import-tfvars', tfvars('tenants = {\n  shop = {\n')], { TENANTS_DIR: registryDir });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/customers\.tfvars is not valid HCL: .*customers\.tfvars:3,1-1: /);
    expect(readdirSync(registryDir)).toEqual([]);
  });
});
