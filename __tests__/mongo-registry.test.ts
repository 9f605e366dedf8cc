/**
 * The registry's rules for MongoDB tenants: the engine, the placement and its
 * settings (only the chosen placement's), MongoDB's database-name rules,
 * Atlas ids, region and tier, DocumentDB instance classes by plan, the app
 * target each placement needs, and the fleet rules (host ports, one Atlas
 * project per tenant). Every message names file, field, value and fix.
 */
import { DEFAULT_MONGO_IMAGE } from '../model/mongo-defaults';
import { formatProblem, showValue } from '../model/problems';
import { checkDefinition, checkFleet } from '../tenants/registry/validate';
import type { TenantDefinition } from '../tenants/registry/types';
import { mongoTenant, mongoTenantDefinition, tenant } from './helpers';

const FILE = 'tenants/test_shop.ts';
const ORG = '5f1b2c3d4e5f6a7b8c9d0e1f';
const PROJECT = '6a7b8c9d0e1f5f1b2c3d4e5f';
const ATLAS = { organizationId: ORG, region: 'EU_WEST_1', ipAccessList: ['203.0.113.10/32'] };
const ENDPOINT = { vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0123456789abcdef0'], clientSecurityGroupId: 'sg-0123456789abcdef0' };
const LAMBDA = { target: 'lambda', region: 'eu-west-1', artifact: { s3Bucket: 'usualstore-builds', s3Key: 'api/1.0.0/bootstrap.zip', s3ObjectVersion: 'v1' } } as const;

/** Messages for one raw definition, as the user sees them. */
function messages(raw: unknown): string[] {
  return checkDefinition(FILE, 'test_shop', raw).problems.map(formatProblem);
}

/** A container tenant with its database replaced (fields not given are dropped, so a test says exactly what it has). */
function withDatabase(database: Record<string, unknown>, overrides: Partial<TenantDefinition> = {}): unknown {
  return { ...mongoTenantDefinition(overrides), database };
}

describe('MongoDB tenants the registry accepts', () => {
  it('resolves a container tenant with the pinned mongo image', () => {
    expect(mongoTenant().database).toEqual({ engine: 'mongodb', name: 'test_shop', placement: 'container', container: { port: 27100, image: DEFAULT_MONGO_IMAGE } });
  });

  it("resolves a DocumentDB tenant with its plan's instance class and instances", () => {
    const t = mongoTenant({ plan: 'professional', app: LAMBDA }, { placement: 'documentdb', container: undefined });
    expect(t.database).toEqual({ engine: 'mongodb', name: 'test_shop', placement: 'documentdb', documentdb: { instanceClass: 'db.r6g.large', instances: 2 } });
  });

  it("resolves an Atlas tenant with its plan's tier", () => {
    const t = mongoTenant({ plan: 'starter' }, { placement: 'atlas', container: undefined, atlas: ATLAS });
    expect(t.database).toEqual({ engine: 'mongodb', name: 'test_shop', placement: 'atlas', atlas: { ...ATLAS, tier: 'M10' } });
  });

  test.each([
    ['a name with capitals, digits, _ and -', 'Shop-2025_db'],
    ['a name of 63 bytes', 'd'.repeat(63)],
    ['a name with a character outside ASCII', 'café'],
  ])('accepts %s as a database name', (_case, name) => {
    expect(messages(withDatabase({ engine: 'mongodb', name, placement: 'container', container: { port: 27100 } }))).toEqual([]);
  });

  it('leaves every PostgreSQL tenant as it was: no engine means PostgreSQL, and postgresql may be said', () => {
    expect(tenant().database).toEqual({ name: 'test_shop', collation: 'en_US.UTF-8', server: 'default' });
    expect(messages({ ...mongoTenantDefinition(), database: { engine: 'postgresql', name: 'test_shop' } })).toEqual([]);
  });
});

describe('MongoDB tenants the registry refuses, with the exact message', () => {
  const container = (database: Record<string, unknown>) => withDatabase({ engine: 'mongodb', name: 'test_shop', placement: 'container', container: { port: 27100 }, ...database });
  const atlas = (settings: Record<string, unknown>, overrides: Partial<TenantDefinition> = {}) =>
    withDatabase({ engine: 'mongodb', name: 'test_shop', placement: 'atlas', atlas: { ...ATLAS, ...settings } }, overrides);
  const CHARACTERS = 'has a character MongoDB refuses in database names (/ \\ . " $ * < > : | ?, a space or a control character); use letters, digits, _ and -';

  test.each([
    ...['/', '\\', '.', ' ', '"', '$', '*', '<', '>', ':', '|', '?'].map((c): [string, unknown, string] => [`a name with ${JSON.stringify(c)}`, container({ name: `shop${c}db` }), `database.name ${JSON.stringify(`shop${c}db`)} ${CHARACTERS}`]),
    ['a name with a control character', container({ name: 'shop\u0000db' }), `database.name "shop\\u0000db" ${CHARACTERS}`],
    ['a name of 64 bytes', container({ name: 'd'.repeat(64) }), `database.name "${'d'.repeat(64)}" is 64 bytes; MongoDB database names must be under 64 bytes (at most 63); shorten it`],
    ['a name of 32 two-byte characters', container({ name: 'é'.repeat(32) }), `database.name "${'é'.repeat(32)}" is 64 bytes; MongoDB database names must be under 64 bytes (at most 63); shorten it`],
    ['an empty name', container({ name: '' }), 'database.name "" must not be empty; give the database name the customer chose'],
    ...['admin', 'Admin', 'local', 'config'].map((name): [string, unknown, string] => [
      `the database ${name}, whose roles would reach beyond the tenant`,
      container({ name }),
      `database.name "${name}" is reserved by MongoDB (admin, local, config, in any case): roles on it would reach beyond the tenant (dbOwner on admin is the whole server); choose another database name`,
    ]),
    ['an unknown engine', withDatabase({ engine: 'oracle', name: 'test_shop' }), 'database.engine "oracle" is not a database engine; use "postgresql" or "mongodb" (a file without engine is PostgreSQL)'],
    ['an unknown placement', container({ placement: 'mainframe', container: undefined }), 'database.placement "mainframe" is not a MongoDB placement; use one of container, documentdb, atlas'],
    ['a missing placement', container({ placement: undefined, container: undefined }), 'database.placement is missing; add placement: "container" | "documentdb" | "atlas"'],
    ["a container tenant without the container's settings", container({ container: undefined }), 'database.container is missing; placement "container" needs database.container: { port: <host port> }'],
    [
      "a container tenant with Atlas's settings",
      container({ atlas: ATLAS }),
      `database.atlas ${showValue(ATLAS)} applies to placement "atlas", not "container"; remove it, or set database.placement to "atlas"`,
    ],
    [
      "an Atlas tenant with the container's settings",
      withDatabase({ engine: 'mongodb', name: 'test_shop', placement: 'atlas', atlas: ATLAS, container: { port: 27100 } }),
      'database.container {"port":27100} applies to placement "container", not "atlas"; remove it, or set database.placement to "container"',
    ],
    [
      "a DocumentDB setting on a container tenant",
      container({ documentdb: { instanceClass: 'db.r6g.large' } }),
      'database.documentdb {"instanceClass":"db.r6g.large"} applies to placement "documentdb", not "container"; remove it, or set database.placement to "documentdb"',
    ],
    [
      "a PostgreSQL setting on a MongoDB tenant",
      container({ collation: 'C' }),
      'database.collation is not a known field; remove it (known fields: engine, name, placement, container, documentdb, atlas)',
    ],
    [
      'a person with roles of their own (the model gives each kind its role; none may name another database)',
      { ...(mongoTenantDefinition() as object), people: { admins: [{ username: 'alice', email: 'alice@test.example', roles: [{ role: 'root', db: 'admin' }] }] } },
      'people.admins[0].roles is not a known field; remove it (known fields: username, email)',
    ],
    ['a container port below 1024', container({ container: { port: 999 } }), 'database.container.port 999 must be a whole number from 1024 to 65535; choose a free host port'],
    ['a mongo image on latest', container({ container: { port: 27100, image: 'mongo:latest' } }), 'database.container.image "mongo:latest" uses the tag "latest", which changes under you; pin a version tag or a digest'],
    ['an Atlas organization id', atlas({ organizationId: 'my-org' }), 'database.atlas.organizationId "my-org" is not an Atlas organization id; use the 24 hex digits Atlas shows (Organization or Project Settings)'],
    ['an Atlas project id', atlas({ projectId: 'PROJECT' }), 'database.atlas.projectId "PROJECT" is not an Atlas project id; use the 24 hex digits Atlas shows (Organization or Project Settings)'],
    ['an Atlas region in AWS form', atlas({ region: 'eu-west-1' }), "database.atlas.region \"eu-west-1\" is not an Atlas region on AWS; use Atlas's form, e.g. EU_WEST_1, US_EAST_1 or AP_SOUTHEAST_2"],
    ['an Atlas tier that does not exist', atlas({ tier: 'M15' }), 'database.atlas.tier "M15" is not an Atlas cluster tier; use one of M0, M10, M20, M30, M40, M50, M60, M80, M140, M200, M300'],
    ['M0 on a paid plan', atlas({ tier: 'M0' }, { plan: 'starter' }), 'database.atlas.tier "M0" is the free shared tier, without backups; the starter plan needs backups, so use M10 or larger'],
    [
      'an access list open to the world',
      atlas({ ipAccessList: ['0.0.0.0/0'] }),
      "database.atlas.ipAccessList[0] \"0.0.0.0/0\" opens the cluster to every address; list the Docker host's and the deploy machine's addresses instead (or use privateEndpoint)",
    ],
    [
      'neither an access list nor a private endpoint',
      atlas({ ipAccessList: undefined }),
      `database.atlas ${showValue({ organizationId: ORG, region: 'EU_WEST_1' })} must have exactly one of ipAccessList (CIDRs allowed to connect) and privateEndpoint (a VPC endpoint from the Docker host's VPC)`,
    ],
    [
      'a private endpoint on M0',
      atlas({ ipAccessList: undefined, privateEndpoint: ENDPOINT }),
      `database.atlas.privateEndpoint ${showValue(ENDPOINT)} is not available on the M0 tier; use an ipAccessList, or a tier of M10 or larger`,
    ],
    [
      'a DocumentDB class the plan does not offer',
      withDatabase({ engine: 'mongodb', name: 'test_shop', placement: 'documentdb', documentdb: { instanceClass: 'db.r6g.16xlarge' } }, { app: LAMBDA }),
      'database.documentdb.instanceClass "db.r6g.16xlarge" is not offered on the free plan; use one of db.t3.medium, db.t4g.medium, or change the plan',
    ],
    [
      'a DocumentDB class that does not exist',
      withDatabase({ engine: 'mongodb', name: 'test_shop', placement: 'documentdb', documentdb: { instanceClass: 'db.m5.large' } }, { app: LAMBDA }),
      `database.documentdb.instanceClass "db.m5.large" is not a DocumentDB instance class; use one of db.t3.medium, db.t4g.medium, db.r5.large, db.r6g.large, db.r5.xlarge, db.r6g.xlarge, db.r5.2xlarge, db.r6g.2xlarge, db.r5.4xlarge, db.r6g.4xlarge, db.r5.8xlarge, db.r6g.8xlarge, db.r5.12xlarge, db.r6g.12xlarge, db.r5.16xlarge, db.r6g.16xlarge`,
    ],
    [
      'DocumentDB with a docker app',
      withDatabase({ engine: 'mongodb', name: 'test_shop', placement: 'documentdb' }),
      "database.placement \"documentdb\" needs app.target \"lambda\" (a DocumentDB cluster lives in the tenant's VPC, which only the Lambda function reaches); change app.target or choose another placement",
    ],
    [
      'a container with a Lambda app',
      mongoTenantDefinition({ app: LAMBDA }),
      'database.placement "container" needs app.target "docker" (the mongo container runs on the Docker host beside the app); change app.target or choose another placement',
    ],
  ])('refuses %s', (_case, raw, expected) => {
    expect(messages(raw)).toEqual([`${FILE}: ${expected}`]);
  });

  it('reports every problem of a MongoDB tenant at once', () => {
    const raw = withDatabase({ engine: 'mongodb', name: 'admin', placement: 'container', container: { port: 80 }, atlas: ATLAS }, { plan: 'gold' as never });
    expect(messages(raw).map((m) => m.split(' ').slice(0, 2).join(' '))).toEqual([
      `${FILE}: plan`,
      `${FILE}: database.name`,
      `${FILE}: database.container.port`,
      `${FILE}: database.atlas`,
    ]);
  });
});

describe('fleet rules of MongoDB tenants', () => {
  it("refuses a mongo container's host port that another tenant's app uses, naming both", () => {
    const shop = tenant({ key: 'other_shop', database: { name: 'other_shop' }, app: { target: 'docker', port: 27100 } });
    expect(checkFleet([shop, mongoTenant()]).map(formatProblem)).toEqual([
      'tenants/test_shop.ts: database.container.port 27100 is already used by tenants/other_shop.ts (app.port); host ports must be unique across the fleet',
    ]);
  });

  it('refuses an Atlas project that two tenants name: a project is one tenant\'s alone', () => {
    const settings = { placement: 'atlas' as const, container: undefined, atlas: { ...ATLAS, projectId: PROJECT } };
    const first = mongoTenant({ key: 'first_shop', app: { target: 'docker', port: 4101 } }, { ...settings, name: 'first_shop' });
    const second = mongoTenant({ key: 'second_shop', app: { target: 'docker', port: 4102 } }, { ...settings, name: 'second_shop' });
    expect(checkFleet([first, second]).map(formatProblem)).toEqual([
      `tenants/second_shop.ts: database.atlas.projectId "${PROJECT}" is already used by tenants/first_shop.ts (database.atlas.projectId); Atlas projects must be unique across the fleet`,
    ]);
  });
});
