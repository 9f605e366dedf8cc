/**
 * The review's comparison (ops/review), pure, on stacks synthesized in this
 * process from tenant variants: which changes raise which flag, which are
 * expected of an offboarding tenant, and that no secret-bearing value is
 * ever shown.
 */
import { Testing } from 'cdktf';
import { createTenantStacks } from '../constructs/stacks/create-tenant-stacks';
import type { StateBackendConfig } from '../model/state-config';
import { type FleetReview, type MigrationChanges, compareMigrations, reviewFleet } from '../ops/review/fleet-review';
import type { Flag } from '../ops/review/flags';
import { reviewMarkdown } from '../cli/review-markdown';
import type { PostgresTenant as Tenant } from '../tenants/registry/types';
import { resolveServer } from '../tenants/registry/servers';
import { MIGRATIONS_CHECKSUM, mongoTenant, tenant } from './helpers';

type Doc = Record<string, Record<string, Record<string, Record<string, unknown>>>>;

/** Every stack of a tenant, synthesized: name → parsed JSON. */
function stacksOf(t: Tenant, stateBackend?: StateBackendConfig, servers: Parameters<typeof createTenantStacks>[1]['servers'] = []): Record<string, Doc> {
  const stacks = createTenantStacks(Testing.app(), { tenant: t, servers, migrationsChecksum: MIGRATIONS_CHECKSUM, stateBackend });
  return Object.fromEntries(stacks.all.map((stack) => [stack.node.id, JSON.parse(Testing.synth(stack)) as Doc]));
}

const NO_MIGRATION_CHANGES: MigrationChanges = { added: [], edited: [], removed: [] };

/** Reviews two versions of a fleet given as parsed stacks. */
function compare(base: Record<string, Doc>, head: Record<string, Doc>, options: { offboarding?: string[]; migrations?: MigrationChanges } = {}): FleetReview {
  const side = (stacks: Record<string, Doc>) => ({ stacks: new Map(Object.entries(stacks).map(([name, doc]) => [name, JSON.stringify(doc)])) });
  return reviewFleet(side(base), side(head), {
    base: 'main',
    head: 'working tree',
    lifecycles: { base: new Set(), head: new Set(options.offboarding ?? []) },
    migrations: options.migrations ?? NO_MIGRATION_CHANGES,
  });
}

/** The one resource of a type in a stack whose id starts with `prefix`. */
function resource(doc: Doc, type: string, prefix: string): Record<string, unknown> {
  const id = Object.keys(doc.resource[type]).find((key) => key.startsWith(prefix));
  if (!id) throw new Error(`no ${type} ${prefix}`);
  return doc.resource[type][id];
}

const ids = (flags: readonly Flag[]) => flags.map((f) => f.id);
const shop = () => tenant({ key: 'shop', database: { name: 'shop' } });

describe('flags', () => {
  it('raises nothing for a fleet that does not change', () => {
    const stacks = stacksOf(shop());
    const result = compare(stacks, stacksOf(shop()));
    expect([result.flags, result.stacks, result.unchangedStacks]).toEqual([[], [], 1]);
  });

  it('flags a changed collation as a replaced database, and a changed address as a destroy and a create', () => {
    const base = stacksOf(shop());
    expect(compare(base, stacksOf(tenant({ key: 'shop', database: { name: 'shop', collation: 'C' } }))).flags.map((f) => [f.id, f.message])).toEqual([
      ['database-destroyed', expect.stringContaining('is replaced: lc_collate changes from "en_US.UTF-8" to "C"')],
      ['database-destroyed', expect.stringContaining('is replaced: lc_ctype changes from "en_US.UTF-8" to "C"')],
    ]);
    const moved = structuredClone(base);
    const databases = moved.shop.resource.postgresql_database;
    const [id] = Object.keys(databases);
    databases.Renamed_Database = databases[id];
    delete databases[id];
    expect(compare(base, moved).flags.map((f) => f.message)).toEqual([expect.stringContaining(`postgresql_database.${id} moves to postgresql_database.Renamed_Database`)]);
  });

  it("lists an offboarding tenant's lifted prevent_destroy as expected, and flags it for any other tenant", () => {
    const base = stacksOf(shop());
    const offboarding = stacksOf(tenant({ key: 'shop', database: { name: 'shop' }, lifecycle: 'offboarding' }));
    const expected = compare(base, offboarding, { offboarding: ['shop'] });
    expect(expected.flags).toEqual([]);
    expect(ids(expected.expected)).toEqual(['protection-off']);
    expect(ids(compare(base, offboarding).flags)).toEqual(['protection-off']);
  });

  it("flags an RDS instance's deletion protection turned off and a changed engine", () => {
    const lambda = tenant({
      key: 'cloud_shop',
      database: { name: 'cloud_shop' },
      app: { target: 'lambda', region: 'eu-west-1', artifact: { s3Bucket: 'builds', s3Key: 'api.zip', s3ObjectVersion: '3' } },
    });
    const base = stacksOf(lambda);
    const head = structuredClone(base);
    const instance = resource(head['cloud_shop-database'], 'aws_db_instance', 'Rds');
    instance.deletion_protection = false;
    instance.engine = 'mysql';
    expect(compare(base, head).flags.map((f) => [f.id, f.message])).toEqual([
      ['database-destroyed', expect.stringContaining('is replaced: engine changes from "postgres" to "mysql"')],
      ['protection-off', expect.stringContaining('deletion_protection changes from true to false')],
    ]);
  });

  it('flags grants widened: privileges gained, a person promoted, a role attribute, a new grant to PUBLIC; not a new person', () => {
    const base = stacksOf(shop());
    const gained = structuredClone(base);
    const appTables = resource(gained.shop, 'postgresql_grant', 'Access_GrantApp_table');
    appTables.privileges = [...(appTables.privileges as string[]), 'TRUNCATE'];
    resource(gained.shop, 'postgresql_role', 'Roles_RoleApp').create_role = true;
    gained.shop.resource.postgresql_grant.Extra_Public = { role: 'public', database: 'shop', schema: 'public', object_type: 'table', privileges: ['SELECT'] };
    expect(compare(base, gained).flags.map((f) => f.message)).toEqual([
      expect.stringContaining('shop__app gains TRUNCATE on tables in schema public'),
      'postgresql_role.Roles_RoleApp_BDAE2D3F: shop__app gains create_role',
      'postgresql_grant.Extra_Public: public gains SELECT on tables in schema public of shop',
    ]);

    const people = shop().people;
    const promoted = tenant({ key: 'shop', database: { name: 'shop' }, people: { ...people, admins: [...people.admins, people.developers[0]], developers: [] } });
    expect(compare(base, stacksOf(promoted)).flags.map((f) => f.message)).toEqual([expect.stringContaining('shop__bob becomes a member of shop__admins')]);

    const newPerson = tenant({ key: 'shop', database: { name: 'shop' }, people: { ...people, customers: [...people.customers, { username: 'dora', email: 'dora@test.example' }] } });
    const added = compare(base, stacksOf(newPerson));
    expect(added.flags).toEqual([]);
    expect(added.stacks[0].added.map((e) => e.address)).toEqual(expect.arrayContaining([expect.stringMatching(/^postgresql_role\.Roles_RolePerson_dora_/)]));
  });

  it('flags a grant whose target widens with the same privileges: another schema, database or object type, every object instead of some, another owner', () => {
    const base = stacksOf(shop());
    const head = structuredClone(base);
    // The admins' USAGE, CREATE on their workspace, pointed at the store's schema: CREATE where the app resolves its tables.
    resource(head.shop, 'postgresql_grant', 'Access_GrantGroup_admin_schema_workspace').schema = 'public';
    const flagged = compare(base, head).flags;
    expect(flagged.map((f) => [f.id, f.message])).toEqual([['grants-widened', expect.stringContaining('shop__admins gains CREATE, USAGE on schemas in schema public of shop')]]);

    const objects = structuredClone(base);
    const grant = resource(objects.shop, 'postgresql_grant', 'Access_GrantApp_table');
    const narrowed = structuredClone(base);
    resource(narrowed.shop, 'postgresql_grant', 'Access_GrantApp_table').objects = ['orders'];
    grant.objects = [];
    // From one table to every table of the schema.
    expect(ids(compare(narrowed, objects).flags)).toEqual(['grants-widened']);
    // And the other way narrows: nothing to flag.
    expect(compare(objects, narrowed).flags).toEqual([]);
  });

  it("flags a database or schema handed to another owner than the tenant's owner role", () => {
    const base = stacksOf(shop());
    const head = structuredClone(base);
    resource(head.shop, 'postgresql_database', 'Database').owner = 'shop__admins';
    resource(head.shop, 'postgresql_schema', 'Schemas_Workspace').owner = 'shop__admins';
    expect(compare(base, head).flags.map((f) => [f.id, f.message])).toEqual([
      ['grants-widened', expect.stringContaining('shop__admins becomes the owner of database shop')],
      ['grants-widened', expect.stringContaining('shop__admins becomes the owner of schema workspace')],
    ]);
  });

  it('flags a DocumentDB cluster or an Atlas cluster destroyed, replaced or unprotected, as it flags an RDS instance', () => {
    const docdb = mongoTenant({ key: 'doc_shop', app: { target: 'lambda', region: 'eu-west-1', artifact: { s3Bucket: 'b', s3Key: 'k.zip', s3ObjectVersion: '1' } } as never }, {
      name: 'doc_shop',
      placement: 'documentdb',
      container: undefined,
    });
    const base = stacksOf(docdb as never);
    const unprotected = structuredClone(base);
    const cluster = resource(unprotected['doc_shop-database'], 'aws_docdb_cluster', 'Docdb');
    cluster.deletion_protection = false;
    cluster.skip_final_snapshot = true;
    cluster.cluster_identifier = 'doc-shop-docdb-2';
    expect(compare(base, unprotected).flags.map((f) => [f.id, f.message])).toEqual([
      ['database-destroyed', expect.stringContaining('is replaced: cluster_identifier changes from "doc-shop-docdb" to "doc-shop-docdb-2"')],
      ['protection-off', expect.stringContaining('deletion_protection changes from true to false')],
      ['protection-off', expect.stringContaining('skip_final_snapshot changes from false to true')],
    ]);
    const removed = structuredClone(base);
    const clusters = removed['doc_shop-database'].resource.aws_docdb_cluster;
    delete clusters[Object.keys(clusters).find((id) => id.startsWith('Docdb')) as string];
    expect(compare(base, removed).flags.map((f) => f.id)).toContain('database-destroyed');

    const atlas = mongoTenant({ key: 'atlas_shop' }, {
      name: 'atlas_shop',
      placement: 'atlas',
      container: undefined,
      atlas: { organizationId: '5f1b2c3d4e5f6a7b8c9d0e1f', region: 'EU_WEST_1', ipAccessList: ['203.0.113.10/32'] },
    } as never);
    const atlasBase = stacksOf(atlas as never);
    const atlasHead = structuredClone(atlasBase);
    const [stack] = Object.keys(atlasHead).filter((name) => atlasHead[name].resource?.mongodbatlas_advanced_cluster);
    const atlasClusters = atlasHead[stack].resource.mongodbatlas_advanced_cluster;
    const [clusterId] = Object.keys(atlasClusters);
    atlasClusters[clusterId].termination_protection_enabled = false;
    expect(compare(atlasBase, atlasHead).flags.map((f) => [f.id, f.message])).toEqual([['protection-off', expect.stringContaining('termination_protection_enabled changes from true to false')]]);
    delete atlasClusters[clusterId];
    expect(compare(atlasBase, atlasHead).flags.map((f) => f.id)).toContain('database-destroyed');
  });

  it("flags a tenant's state location that changes", () => {
    const base = stacksOf(shop());
    const head = stacksOf(shop(), { kind: 's3', bucket: 'fleet-state', region: 'eu-west-1', keyPrefix: 'usual-store-tenants' });
    expect(compare(base, head).flags.map((f) => [f.id, f.message])).toEqual([['state-moved', expect.stringContaining('the state of shop moves from')]]);
  });

  it("flags a tenant whose server changes (a deploy would create it empty there unless tenants move copied it), and only that", () => {
    const server = resolveServer({ name: 'eu-shared-2', host: 'db2.internal.example', port: 5433, adminRole: 'fleet_admin', sslmode: 'verify-full', maxConnections: 200 } as never, 'servers/eu-shared-2.ts');
    const base = stacksOf(shop());
    const moved = tenant({ key: 'shop', database: { name: 'shop', server: 'eu-shared-2' } });
    const review = compare(base, stacksOf(moved, undefined, [server]));
    const moves = review.flags.filter((f) => f.id === 'server-changed');
    expect(moves.map((f) => f.address)).toEqual(['provider.postgresql']);
    expect(moves[0].message).toContain('shop moves from the default server (PGHOST) to db2.internal.example:5433');
    expect(moves[0].message).toContain('npx tenants move shop --to <server> --execute');
    // The new server's admin role takes the admin's place: that shows too, and nothing else does.
    expect(review.flags.filter((f) => f.id !== 'server-changed').map((f) => [f.id, f.message])).toEqual([
      ['grants-widened', expect.stringContaining('fleet_admin gains')],
      ['grants-widened', expect.stringContaining('fleet_admin becomes a member of shop__owner')],
    ]);
    // The same server on both sides raises nothing.
    expect(compare(stacksOf(moved, undefined, [server]), stacksOf(moved, undefined, [server])).flags).toEqual([]);
  });

  it('flags a shipped migration edited or removed, and lets a new one through', () => {
    const base = [
      { file: '0001.do.a.sql', version: 1, md5: 'a' },
      { file: '0002.do.b.sql', version: 2, md5: 'b' },
    ];
    const changes = compareMigrations(base, [
      { file: '0001.do.a.sql', version: 1, md5: 'edited' },
      { file: '0003.do.c.sql', version: 3, md5: 'c' },
    ]);
    expect(changes).toEqual({ added: ['0003.do.c.sql'], edited: ['0001.do.a.sql'], removed: ['0002.do.b.sql'] });
    const stacks = stacksOf(shop());
    expect(compare(stacks, stacks, { migrations: changes }).flags.map((f) => f.message)).toEqual([
      expect.stringContaining('0001.do.a.sql has shipped and is edited'),
      expect.stringContaining('0002.do.b.sql has shipped and is removed or renamed'),
    ]);
  });
});

describe('what a review shows of secrets', () => {
  it('says that a secret-bearing value changed, never what it was or became', () => {
    const base = stacksOf(shop());
    const head = structuredClone(base);
    const api = resource(head.shop, 'docker_container', 'App_Api');
    api.env = (api.env as string[]).map((entry) =>
      entry.startsWith('STRIPE_SECRET=') ? 'STRIPE_SECRET=sk_live_leaked' : entry.startsWith('DATABASE_DSN=') ? entry.replace(/password=\S+/, 'password=hunter2') : entry,
    );
    (head.shop.variable.stripe_secret as Record<string, unknown>).default = 'sk_live_default';
    resource(head.shop, 'postgresql_role', 'Roles_RoleApp').password_wo = 'hunter3';
    const result = compare(base, head);
    const changes = result.stacks[0].changed.flatMap((e) => e.attributes.map((a) => ({ address: e.address, ...a })));
    expect(changes).toEqual([
      expect.objectContaining({ path: 'env.DATABASE_DSN', before: '(sensitive)', after: '(sensitive)', sensitive: true }),
      expect.objectContaining({ path: 'env.STRIPE_SECRET', before: '(sensitive)', after: '(sensitive)', sensitive: true }),
      expect.objectContaining({ path: 'password_wo', sensitive: true }),
      expect.objectContaining({ address: 'variable.stripe_secret', path: 'default', before: '(none)', after: '(sensitive)', sensitive: true }),
    ]);
    const shown = `${JSON.stringify(result)}\n${reviewMarkdown(result, 0)}`;
    for (const secret of ['sk_live_leaked', 'hunter2', 'hunter3', 'sk_live_default']) expect(shown).not.toContain(secret);
  });

  it("shows a new tenant's resources without their passwords", () => {
    const result = compare({}, stacksOf(shop()));
    const shown = JSON.stringify(result);
    expect(result.stacks[0].status).toBe('added');
    expect(shown).not.toMatch(/password=\$\{random_password/);
    expect(result.tenants).toEqual([{ tenant: 'shop', status: 'added', offboarding: false, stacks: ['shop'] }]);
  });
});

describe('the Markdown', () => {
  it('stays under the comment limit, naming the stacks it leaves out', () => {
    const [doc] = Object.values(stacksOf(shop()));
    const base: Record<string, Doc> = {};
    const head: Record<string, Doc> = {};
    for (let i = 0; i < 300; i++) {
      base[`shop_${i}`] = doc;
      head[`shop_${i}`] = structuredClone(doc);
      for (const block of ['variable', 'output'] as const) for (const element of Object.values(head[`shop_${i}`][block]) as Record<string, unknown>[]) element.description = `changed ${'x'.repeat(200)}`;
    }
    const markdown = reviewMarkdown(compare(base, head), 0);
    expect(markdown.length).toBeLessThan(65_536);
    expect(markdown).toMatch(/…and \d+ more stacks \(`shop_\d+`/);
    expect(markdown).toContain('Tenants: `shop_0`, `shop_1`');
  });
});
