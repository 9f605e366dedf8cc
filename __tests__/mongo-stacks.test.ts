/**
 * The stacks of MongoDB tenants, synthesized as `cdktf synth` writes them
 * (a whole-app synth, policy aspect included), for each placement and plan:
 * users, roles and scopes, the app's environment, protections on, no secret
 * in the JSON. DocumentDB's AWS stacks are also validated and planned by the
 * real Terraform (docdb-terraform.test.ts); the container's and Atlas's
 * providers are not on this machine, so their stacks are checked here only.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, Testing, type TerraformStack } from 'cdktf';
import { type MongoTenantStacks } from '../constructs/stacks/create-mongo-tenant-stacks';
import { createTenantStacks } from '../constructs/stacks/create-tenant-stacks';
import { MONGO_KIND_ROLES } from '../model/mongo-access-model';
import { DOCDB_MASTER_USERNAME, MONGO_ROOT_USERNAME } from '../model/mongo-defaults';
import { MONGO_PLAN_PROFILES } from '../model/mongo-plans';
import { PLANS, type Plan } from '../model/plans';
import { MONGO_STORE_API_VARIABLES } from '../model/store-api';
import { loadRegistry } from '../tenants/registry';
import { DEFAULT_TENANTS_DIR } from '../tenants/registry/load';
import type { MongoDatabaseSettings, MongoTenant, TenantDefinition } from '../tenants/registry/types';
import { MIGRATIONS_CHECKSUM, type SynthesizedStack, mongoTenant, resourcesOf } from './helpers';
import { literalSecrets, literalUriPasswords } from './support/secrets';

type Resource = Record<string, unknown>;

const ORG = '5f1b2c3d4e5f6a7b8c9d0e1f';
const ATLAS = { organizationId: ORG, region: 'EU_WEST_1', ipAccessList: ['203.0.113.10/32', '198.51.100.7/32'] };
const ENDPOINT = { vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0123456789abcdef0'], clientSecurityGroupId: 'sg-0123456789abcdef0' };
const LAMBDA = { target: 'lambda', region: 'eu-west-1', artifact: { s3Bucket: 'usualstore-builds', s3Key: 'api/1.0.0/bootstrap.zip', s3ObjectVersion: 'v1' } } as const;

const atlasTenant = (overrides: Partial<TenantDefinition> = {}, atlas: Record<string, unknown> = {}) =>
  mongoTenant(overrides, { placement: 'atlas', container: undefined, atlas: { ...ATLAS, ...atlas } as MongoDatabaseSettings['atlas'] });
const docdbTenant = (overrides: Partial<TenantDefinition> = {}) => mongoTenant({ app: LAMBDA, ...overrides }, { placement: 'documentdb', container: undefined });

/** Every stack of a tenant, written by a whole-app synth (cross-stack references, the policy aspect, which throws on a finding). */
function synthAll(t: MongoTenant): Record<string, SynthesizedStack> {
  const app = Testing.app();
  const stacks = createTenantStacks(app, { tenant: t, servers: [], migrationsChecksum: MIGRATIONS_CHECKSUM }) as MongoTenantStacks;
  (app as App).synth();
  const json = (stack: TerraformStack) => JSON.parse(readFileSync(path.join(app.outdir, 'stacks', stack.node.id, 'cdk.tf.json'), 'utf8')) as SynthesizedStack;
  return Object.fromEntries(stacks.all.map((stack) => [stack.node.id, json(stack)]));
}

const one = (json: SynthesizedStack, type: string): Resource => {
  const found = resourcesOf(json, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0];
};

/** The runner's terraform_data: its environment and triggers. */
function runnerOf(json: SynthesizedStack): { environment: Record<string, string>; triggers: Record<string, unknown>; dependsOn: string[] } {
  const runner = one(json, 'terraform_data');
  const [provisioner] = runner.provisioner as { 'local-exec': { command: string; environment: Record<string, string> } }[];
  expect(provisioner['local-exec'].command).toBe('npm run --silent tenants -- mongo-provision test_shop');
  return { environment: provisioner['local-exec'].environment, triggers: runner.triggers_replace as Record<string, unknown>, dependsOn: (runner.depends_on ?? []) as string[] };
}

/** The store API's environment of a docker tenant, as name to value. */
function apiEnvironment(json: SynthesizedStack): Record<string, string> {
  const api = resourcesOf(json, 'docker_container').find((c) => c.name === 'usualstore-test-shop-api') as Resource;
  return Object.fromEntries((api.env as string[]).map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]));
}

const EXPECTED_USERS = ['test_shop__app=readWrite@test_shop', 'test_shop__migrator=dbAdmin@test_shop,readWrite@test_shop', 'test_shop__alice=dbOwner@test_shop', 'test_shop__bob=readWrite@test_shop', 'test_shop__carol=read@test_shop'];

describe.each(PLANS)('a container tenant on the %s plan', (plan: Plan) => {
  const json = synthAll(mongoTenant({ plan })).test_shop;
  const profile = MONGO_PLAN_PROFILES[plan];

  it('is one stack with the docker and random providers only, and no secret in the JSON', () => {
    expect(Object.keys(json.provider).sort()).toEqual(['docker', 'random']);
    expect([...literalSecrets(json), ...literalUriPasswords(json)]).toEqual([]);
  });

  it('runs its own pinned mongo on its own network and protected volume, on 127.0.0.1 only, with auth, no server-side JavaScript and limits by plan', () => {
    const mongo = resourcesOf(json, 'docker_container').find((c) => c.name === 'usualstore-test-shop-mongo') as Resource;
    expect(one(json, 'docker_volume')).toEqual(expect.objectContaining({ name: 'usualstore-test-shop-mongo-data', lifecycle: { prevent_destroy: true } }));
    expect(resourcesOf(json, 'docker_image').map((i) => i.name).sort()).toEqual(['ghcr.io/usualstore/api:1.0.0', 'mongo:7.0.14']);
    expect(mongo).toEqual(
      expect.objectContaining({
        ports: [{ internal: 27017, external: 27100, ip: '127.0.0.1' }],
        networks_advanced: [{ name: '${docker_network.Network.name}' }],
        command: ['mongod', '--noscripting', '--maxConns', String(profile.maxConnections), '--wiredTigerCacheSizeGB', String(profile.containerCacheSizeGiB)],
        env: [`MONGO_INITDB_ROOT_USERNAME=${MONGO_ROOT_USERNAME}`, 'MONGO_INITDB_ROOT_PASSWORD=${random_password.RootPassword.result}'],
        memory: profile.containerMemoryMiB,
        user: '999:999',
        read_only: true,
      }),
    );
    expect(one(json, 'docker_network').name).toBe('usualstore-test-shop-network');
  });

  it("provisions a user per person, the app and the runner, with each kind's role on the tenant database, after mongo is up, as root", () => {
    const runner = runnerOf(json);
    expect(runner.triggers.users).toEqual(EXPECTED_USERS);
    expect(runner.dependsOn).toEqual([expect.stringMatching(/^docker_container\.Mongo_/)]);
    expect(runner.environment).toEqual({
      MONGODB_SERVER_URI: 'mongodb://${var.mongodb_host}:27100/',
      MONGODB_ADMIN_USER: MONGO_ROOT_USERNAME,
      MONGODB_ADMIN_PASSWORD: '${random_password.RootPassword.result}',
      MONGODB_USER_PASSWORDS: expect.stringMatching(/^\$\{jsonencode\(\{"test_shop__app" = random_password\.Passwords_Password_test_shop__app_[0-9A-F]{8}\.result, /),
    });
  });

  it('gives the app the MongoDB contract (its own user, no TLS on the tenant network), started after provisioning, and no DATABASE_DSN', () => {
    const environment = apiEnvironment(json);
    expect(Object.keys(environment)).toEqual(MONGO_STORE_API_VARIABLES.map((v) => v.name));
    expect(environment.MONGODB_URI).toMatch(/^mongodb:\/\/test_shop__app:\$\{random_password\.Passwords_Password_test_shop__app_[0-9A-F]{8}\.result\}@usualstore-test-shop-mongo:27017\/test_shop\?authSource=admin$/);
    expect([environment.DATABASE_NAME, environment.TENANT_NAME]).toEqual(['test_shop', 'test_shop']);
    const api = resourcesOf(json, 'docker_container').find((c) => c.name === 'usualstore-test-shop-api') as Resource;
    expect(api.depends_on).toEqual([expect.stringMatching(/^terraform_data\.Provision_Runner_/)]);
    expect(api.networks_advanced).toEqual([{ name: '${docker_network.Network.name}' }]);
  });

  it('outputs every connection string as sensitive', () => {
    expect(json.output.connection_strings.sensitive).toBe(true);
    expect(Object.keys(json.output.connection_strings.value as object).sort()).toEqual(['test_shop__alice', 'test_shop__app', 'test_shop__bob', 'test_shop__carol']);
  });
});

describe.each(PLANS)('an Atlas tenant on the %s plan', (plan: Plan) => {
  const profile = MONGO_PLAN_PROFILES[plan];
  const json = synthAll(atlasTenant({ plan })).test_shop;
  const cluster = one(json, 'mongodbatlas_advanced_cluster');

  it('gets a project of its own, a cluster of its plan with termination protection, no server-side JavaScript and TLS 1.2', () => {
    expect(Object.keys(json.provider).sort()).toEqual(['docker', 'mongodbatlas', 'random']);
    expect(json.provider.mongodbatlas).toEqual([{}]);
    expect(one(json, 'mongodbatlas_project')).toEqual(expect.objectContaining({ name: 'usualstore-test-shop', org_id: ORG, lifecycle: { prevent_destroy: true } }));
    const [spec] = (cluster.replication_specs as { region_configs: Resource[] }[])[0].region_configs;
    expect([spec.provider_name, spec.region_name, (spec.electable_specs as Resource).instance_size]).toEqual([plan === 'free' ? 'TENANT' : 'AWS', 'EU_WEST_1', profile.atlasTier]);
    expect(cluster).toEqual(expect.objectContaining({ termination_protection_enabled: true, advanced_configuration: { javascript_enabled: false, minimum_enabled_tls_protocol: 'TLS1_2' }, lifecycle: { prevent_destroy: true } }));
  });

  it(`backs the cluster up ${plan === 'free' ? 'not at all (M0 has no backups)' : `daily, kept ${profile.backupRetentionDays} days`}`, () => {
    expect([cluster.backup_enabled, cluster.pit_enabled]).toEqual([profile.atlasBackups, profile.atlasPointInTime]);
    const schedules = resourcesOf(json, 'mongodbatlas_cloud_backup_schedule');
    expect(schedules.map((s) => (s.policy_item_daily as Resource).retention_value)).toEqual(profile.atlasBackups ? [profile.backupRetentionDays] : []);
  });

  it('gives each person, the app and the runner an Atlas user in admin with its role on the tenant database only, scoped to the cluster', () => {
    const users = resourcesOf(json, 'mongodbatlas_database_user');
    expect(users.map((u) => `${String(u.username)}=${(u.roles as Resource[]).map((r) => `${String(r.role_name)}@${String(r.database_name)}`).join(',')}`).sort()).toEqual([...EXPECTED_USERS].sort());
    for (const user of users) {
      expect(user.auth_database_name).toBe('admin');
      expect(user.scopes).toEqual([{ name: expect.stringMatching(/^\$\{mongodbatlas_advanced_cluster\.Atlas_Cluster_[0-9A-F]{8}\.name\}$/), type: 'CLUSTER' }]);
      expect(user.password).toMatch(/^\$\{random_password\.Passwords_Password_test_shop__[a-z]+_[0-9A-F]{8}\.result\}$/);
    }
  });

  it('admits the listed addresses only, and gives the app a TLS (mongodb+srv) connection string', () => {
    expect(resourcesOf(json, 'mongodbatlas_project_ip_access_list').map((e) => e.cidr_block)).toEqual(ATLAS.ipAccessList);
    expect(apiEnvironment(json).MONGODB_URI).toMatch(/^mongodb\+srv:\/\/test_shop__app:\$\{random_password\.[^}]+\}@\$\{replace\(mongodbatlas_advanced_cluster\.Atlas_Cluster_[0-9A-F]{8}\.connection_strings\[0\]\.standard_srv, "mongodb\+srv:\/\/", ""\)\}\/test_shop\?authSource=admin&retryWrites=true&w=majority$/);
    expect([...literalSecrets(json), ...literalUriPasswords(json)]).toEqual([]);
  });

  it('runs the runner for collections only, as the migrator, after its users exist', () => {
    const runner = runnerOf(json);
    expect(Object.keys(runner.environment).sort()).toEqual(['MONGODB_MIGRATOR_PASSWORD', 'MONGODB_SERVER_URI']);
    expect(runner.dependsOn.filter((d) => d.startsWith('mongodbatlas_database_user.'))).toHaveLength(5);
  });
});

describe('Atlas options', () => {
  it('uses an existing project of the tenant instead of creating one', () => {
    const json = synthAll(atlasTenant({ plan: 'starter' }, { projectId: '6a7b8c9d0e1f5f1b2c3d4e5f' })).test_shop;
    expect(resourcesOf(json, 'mongodbatlas_project')).toEqual([]);
    expect(one(json, 'mongodbatlas_advanced_cluster').project_id).toBe('6a7b8c9d0e1f5f1b2c3d4e5f');
  });

  it("reaches the cluster through a private endpoint from the Docker host's VPC, admitting the Docker host's group only", () => {
    const json = synthAll(atlasTenant({ plan: 'professional' }, { ipAccessList: undefined, privateEndpoint: ENDPOINT })).test_shop;
    expect(resourcesOf(json, 'mongodbatlas_project_ip_access_list')).toEqual([]);
    expect(one(json, 'mongodbatlas_privatelink_endpoint')).toEqual(expect.objectContaining({ provider_name: 'AWS', region: 'eu-west-1' }));
    expect(one(json, 'aws_vpc_endpoint')).toEqual(expect.objectContaining({ vpc_id: ENDPOINT.vpcId, vpc_endpoint_type: 'Interface', subnet_ids: ENDPOINT.subnetIds }));
    expect(one(json, 'aws_vpc_security_group_ingress_rule').referenced_security_group_id).toBe(ENDPOINT.clientSecurityGroupId);
    expect(one(json, 'mongodbatlas_advanced_cluster').depends_on).toEqual([expect.stringMatching(/^mongodbatlas_privatelink_endpoint_service\./)]);
    expect(apiEnvironment(json).MONGODB_URI).toContain('connection_strings[0].private_endpoint[0].srv_connection_string');
    expect(json.provider.aws).toEqual([{ region: 'eu-west-1', default_tags: [{ tags: { 'usualstore.tenant': 'test_shop', 'usualstore.plan': 'professional' } }] }]);
  });

  it('lifts termination protection while the tenant is offboarding, with the suppression on record', () => {
    const json = synthAll(atlasTenant({ plan: 'starter', lifecycle: 'offboarding' })).test_shop;
    expect(one(json, 'mongodbatlas_advanced_cluster')).toEqual(expect.objectContaining({ termination_protection_enabled: false, lifecycle: { prevent_destroy: false } }));
  });
});

describe.each(PLANS)('a DocumentDB tenant on the %s plan', (plan: Plan) => {
  const profile = MONGO_PLAN_PROFILES[plan];
  const stacks = synthAll(docdbTenant({ plan }));
  const database = stacks['test_shop-database'];
  const cluster = one(database, 'aws_docdb_cluster');

  it('gets <key>-network, <key>-database, <key> and <key>-app; the AWS stacks use the AWS provider only', () => {
    expect(Object.keys(stacks)).toEqual(['test_shop-network', 'test_shop-database', 'test_shop', 'test_shop-app']);
    for (const name of ['test_shop-network', 'test_shop-database', 'test_shop-app']) expect(Object.keys(stacks[name].provider)).toEqual(['aws']);
    expect(Object.keys(stacks.test_shop.provider)).toEqual(['random']);
    for (const json of Object.values(stacks)) expect([...literalSecrets(json), ...literalUriPasswords(json)]).toEqual([]);
  });

  it("encrypts the cluster with the tenant's key, protects it, keeps backups by plan and an AWS-managed master password", () => {
    expect(cluster).toEqual(
      expect.objectContaining({
        cluster_identifier: 'test-shop-docdb',
        engine: 'docdb',
        storage_encrypted: true,
        kms_key_id: expect.stringMatching(/^\$\{aws_kms_key\.Key_[0-9A-F]{8}\.arn\}$/),
        deletion_protection: true,
        skip_final_snapshot: false,
        final_snapshot_identifier: 'test-shop-docdb-final-${formatdate("YYYYMMDDhhmmss", timestamp())}',
        backup_retention_period: profile.backupRetentionDays,
        master_username: DOCDB_MASTER_USERNAME,
        manage_master_user_password: true,
        lifecycle: { prevent_destroy: true, ignore_changes: ['final_snapshot_identifier'] },
      }),
    );
    expect(cluster.master_password).toBeUndefined();
  });

  it('enforces TLS through its own cluster parameter group, and runs the instances of its plan', () => {
    expect(one(database, 'aws_docdb_cluster_parameter_group').parameter).toEqual(expect.arrayContaining([{ name: 'tls', value: 'enabled' }]));
    expect(resourcesOf(database, 'aws_docdb_cluster_instance').map((i) => i.instance_class)).toEqual(Array(profile.docdbInstances).fill(profile.docdbInstanceClass));
  });

  it('lets the cluster accept 27017 from the function only, in the private subnets', () => {
    const ingress = resourcesOf(stacks['test_shop-network'], 'aws_vpc_security_group_ingress_rule');
    expect(ingress.map((r) => [r.description, r.from_port, r.to_port, r.cidr_ipv4])).toEqual([['MongoDB from the store API function', 27017, 27017, undefined]]);
    expect(ingress[0].referenced_security_group_id).toMatch(/SecurityGroups_Api_/);
    expect(one(database, 'aws_docdb_subnet_group').subnet_ids).toEqual([expect.stringContaining('cross-stack-output-aws_subnetVpc_PrivateSubnet0'), expect.stringContaining('PrivateSubnet1')]);
  });

  it('provisions users and collections over TLS against the RDS CA bundle, with the master password from the deploying shell', () => {
    const runner = runnerOf(stacks.test_shop);
    expect(runner.triggers.users).toEqual(EXPECTED_USERS);
    expect(runner.environment.MONGODB_SERVER_URI).toMatch(/^mongodb:\/\/\$\{data\.terraform_remote_state\.[^}]+\}:27017\/\?tls=true&tlsCAFile=certs%2Frds-ca-bundle\.pem&replicaSet=rs0&readPreference=secondaryPreferred&retryWrites=false$/);
    expect(runner.environment.MONGODB_ADMIN_USER).toBe(DOCDB_MASTER_USERNAME);
    expect(runner.environment.MONGODB_ADMIN_PASSWORD).toBeUndefined();
  });

  it('gives the function the MongoDB contract: MONGODB_URI (TLS) in the secret, DATABASE_NAME and TENANT_NAME in its environment', () => {
    const fn = one(stacks['test_shop-app'], 'aws_lambda_function');
    const variables = (fn.environment as { variables: Record<string, string> }).variables;
    expect(Object.keys(variables).sort()).toEqual([...MONGO_STORE_API_VARIABLES.filter((v) => !v.secret).map((v) => v.name), 'APP_SECRET_ARN'].sort());
    expect([variables.DATABASE_NAME, variables.TENANT_NAME]).toEqual(['test_shop', 'test_shop']);
    const secret = String(one(stacks['test_shop-app'], 'aws_secretsmanager_secret_version').secret_string_wo);
    expect(secret).toBeDefined();
    const local = JSON.stringify((stacks['test_shop-app'] as SynthesizedStack & { locals?: unknown }).locals ?? {});
    expect(local).toMatch(/MONGODB_URI.*mongodb:\/\/test_shop__app:\$\{data\.terraform_remote_state\.[^}]+\}@\$\{data\.terraform_remote_state\.[^}]+\}:27017\/test_shop\?authSource=admin&tls=true&tlsCAFile=%2Fvar%2Ftask%2Fcerts%2Frds-ca-bundle\.pem/);
    expect(local).not.toContain('DATABASE_DSN');
    const alarm = resourcesOf(stacks['test_shop-app'], 'aws_cloudwatch_metric_alarm').find((a) => a.metric_name === 'CPUUtilization') as Resource;
    expect([alarm.namespace, Object.keys(alarm.dimensions as object)]).toEqual(['AWS/DocDB', ['DBClusterIdentifier']]);
  });
});

describe('a DocumentDB tenant offboarding', () => {
  it('lifts deletion protection and prevent_destroy, and still takes the final snapshot', () => {
    const cluster = one(synthAll(docdbTenant({ plan: 'starter', lifecycle: 'offboarding' }))['test_shop-database'], 'aws_docdb_cluster');
    expect([cluster.deletion_protection, cluster.skip_final_snapshot, (cluster.lifecycle as Resource).prevent_destroy]).toEqual([false, false, false]);
  });
});

describe('a container tenant offboarding', () => {
  it("lifts the data volume's prevent_destroy, with the suppression on record", () => {
    const json = synthAll(mongoTenant({ lifecycle: 'offboarding' })).test_shop;
    expect(one(json, 'docker_volume').lifecycle).toEqual({ prevent_destroy: false });
  });
});

describe('the example MongoDB tenant, tea_house', () => {
  const teaHouse = loadRegistry(DEFAULT_TENANTS_DIR).tenants.find((t) => t.key === 'tea_house') as MongoTenant;

  it('synthesizes as in its snapshot', () => {
    expect(synthAll(teaHouse).tea_house).toMatchSnapshot();
  });

  it('gives its admins dbOwner, its developer readWrite and its customer read, on tea-house', () => {
    expect(runnerUsers(synthAll(teaHouse).tea_house)).toEqual([
      'tea_house__app=readWrite@tea-house',
      'tea_house__migrator=dbAdmin@tea-house,readWrite@tea-house',
      `tea_house__greta=${MONGO_KIND_ROLES.admin}@tea-house`,
      `tea_house__hugo=${MONGO_KIND_ROLES.admin}@tea-house`,
      `tea_house__ole=${MONGO_KIND_ROLES.developer}@tea-house`,
      `tea_house__pia=${MONGO_KIND_ROLES.customer}@tea-house`,
    ]);
  });
});

function runnerUsers(json: SynthesizedStack): unknown {
  return (one(json, 'terraform_data').triggers_replace as Record<string, unknown>).users;
}
