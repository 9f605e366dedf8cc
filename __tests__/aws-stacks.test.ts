/**
 * The stacks of a Lambda tenant, synthesized: network, RDS, the in-database
 * stack pointed at RDS, and the app (function, secret, HTTP API, alarms,
 * frontend). Terraform itself validates and plans them in aws-terraform.test.ts.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_POSTGRES_MAJOR, SUPPORTED_POSTGRES_MAJORS } from '../model/defaults';
import { App, Testing, type TerraformStack } from 'cdktf';
import fc from 'fast-check';
import { RDS_CA_BUNDLE } from '../constructs/aws/aws-defaults';
import { SECRET_ARN_VARIABLE, SECRET_VARIABLES } from '../constructs/stacks/tenant-app-stack';
import { TenantNetworkStack } from '../constructs/stacks/tenant-network-stack';
import { notALambdaTenant } from '../constructs/stacks/messages';
import { AWS_NAME_PARTS, AWS_NAME_PATTERN, KEY_PATTERN, MAX_AWS_NAME_LENGTH, MAX_KEY_BYTES, awsName, awsStackNames, frontendBucketPrefix } from '../model/naming';
import { PLANS, PLAN_PROFILES } from '../model/plans';
import { DEFAULT_STATE_BACKEND } from '../constructs/stacks/state-backend';
import { type TenantStacks, createTenantStacks } from '../constructs/stacks/create-tenant-stacks';
import type { TenantDefinition } from '../tenants/registry/types';
import { MIGRATIONS_CHECKSUM, PROJECT_ROOT, type SynthesizedStack, resourcesOf, tenant } from './helpers';

type Resource = Record<string, unknown>;

const ZIP = { s3Bucket: 'usualstore-builds', s3Key: 'api/1.0.0/bootstrap.zip', s3ObjectVersion: 'v1' };
const IMAGE_URI = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/usualstore/api:1.0.0';
const REQUIRED_ENVIRONMENT = ['DATABASE_DSN', 'API_PORT', 'STRIPE_KEY', 'STRIPE_SECRET', 'SECRET_FOR_FRONT', 'FRONT_URL', 'SMTP_USER', 'SMTP_PASSWORD', 'SMTP_PORT'];

/** A Lambda tenant; override any field, or the app target's. */
function lambdaTenant(overrides: Partial<TenantDefinition> = {}, app: Record<string, unknown> = {}) {
  return tenant({ app: { target: 'lambda', region: 'eu-west-1', artifact: ZIP, ...app } as TenantDefinition['app'], ...overrides });
}

function stacksOf(overrides: Partial<TenantDefinition> = {}, app: Record<string, unknown> = {}): TenantStacks {
  return createTenantStacks(Testing.app(), { tenant: lambdaTenant(overrides, app), servers: [], migrationsChecksum: MIGRATIONS_CHECKSUM });
}

/**
 * Synthesized JSON of every stack, written by the app as `cdktf synth` does:
 * only a whole-app synth turns cross-stack references into outputs and
 * remote state (and applies the policy aspect, which fails on a finding).
 */
function synthAll(stacks: TenantStacks): Record<'network' | 'database' | 'tenant' | 'app', SynthesizedStack> {
  const app = App.of(stacks.tenant) as App;
  app.synth();
  const json = (stack: TerraformStack) => JSON.parse(readFileSync(path.join(app.outdir, 'stacks', stack.node.id, 'cdk.tf.json'), 'utf8')) as SynthesizedStack;
  const aws = stacks.aws as NonNullable<TenantStacks['aws']>;
  return { app: json(aws.app), tenant: json(stacks.tenant), database: json(aws.database), network: json(aws.network) };
}

const one = (json: SynthesizedStack, type: string): Resource => {
  const found = resourcesOf(json, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0];
};

/** `${data.terraform_remote_state.<stack>.outputs.<output>}` as cdktf writes a cross-stack reference. */
const remote = (stack: string, output: RegExp) => new RegExp(`^\\$\\{data\\.terraform_remote_state\\.cross-stack-reference-input-${stack}\\.outputs\\.cross-stack-output-${output.source}\\}$`);

describe('the stacks of a Lambda tenant', () => {
  it('are <key>-network, <key>-database, <key> and <key>-app, each depending on the ones before it', () => {
    const stacks = stacksOf();
    expect(stacks.all.map((s) => [s.node.id, s.dependencies.map((d) => d.node.id)])).toEqual([
      ['test_shop-network', []],
      ['test_shop-database', ['test_shop-network']],
      ['test_shop', ['test_shop-database']],
      ['test_shop-app', ['test_shop-network', 'test_shop-database', 'test_shop']],
    ]);
    expect(awsStackNames('test_shop')).toEqual({ network: 'test_shop-network', database: 'test_shop-database', tenant: 'test_shop', app: 'test_shop-app' });
  });

  it('keeps each stack in its own state', () => {
    const json = synthAll(stacksOf());
    expect(Object.values(json).map((j) => j.terraform.backend)).toEqual(
      ['test_shop-app', 'test_shop', 'test_shop-database', 'test_shop-network'].map((name) => ({ local: { path: `../../../state/${name}.tfstate` } })),
    );
  });

  it('uses only the AWS provider in AWS stacks, with the registry region and tenant tags, and no credentials or test flags', () => {
    const json = synthAll(stacksOf({ tags: { costCenter: 'shop' } }));
    for (const stack of [json.network, json.database, json.app]) {
      expect(Object.keys(stack.provider)).toEqual(['aws']);
      expect(stack.provider.aws).toEqual([
        { region: 'eu-west-1', default_tags: [{ tags: { 'usualstore.tenant': 'test_shop', 'usualstore.plan': 'free', costCenter: 'shop' } }] },
      ]);
    }
    expect(Object.keys(json.tenant.provider).sort()).toEqual(['postgresql', 'random']);
  });

  it('synthesizes with no policy error, for every plan', () => {
    for (const plan of PLANS) {
      const app = Testing.app();
      createTenantStacks(app, { tenant: lambdaTenant({ plan }, { frontend: true }), servers: [], migrationsChecksum: MIGRATIONS_CHECKSUM });
      expect(() => app.synth()).not.toThrow();
    }
  });

  it('refuses to build AWS stacks for a docker tenant', () => {
    expect(() => new TenantNetworkStack(Testing.app(), { tenant: tenant(), stateBackend: DEFAULT_STATE_BACKEND, projectDir: '../../..' })).toThrow(
      notALambdaTenant('tenants/test_shop.ts', 'docker'),
    );
  });
});

describe('network stack', () => {
  const { network } = synthAll(stacksOf());

  it('creates a VPC with two private subnets in two availability zones, routed through one NAT gateway', () => {
    const subnets = resourcesOf(network, 'aws_subnet').map((s) => [s.cidr_block, s.availability_zone, s.map_public_ip_on_launch]);
    expect(subnets).toEqual([
      ['10.20.0.0/20', '${element(var.availability_zones, 0)}', undefined],
      ['10.20.16.0/20', '${element(var.availability_zones, 1)}', undefined],
      ['10.20.128.0/24', '${element(var.availability_zones, 0)}', false],
    ]);
    expect(network.variable.availability_zones.default).toEqual(['eu-west-1a', 'eu-west-1b']);
    expect(resourcesOf(network, 'aws_nat_gateway')).toHaveLength(1);
    const routes = resourcesOf(network, 'aws_route_table').map((t) => [
      (t.tags as Record<string, string>).Name,
      (t.route as Resource[]).map((r) => [r.cidr_block, Object.keys(r).filter((k) => r[k] != null && k !== 'cidr_block')]),
    ]);
    expect(routes.sort()).toEqual([
      ['test-shop-vpc-private', [['0.0.0.0/0', ['nat_gateway_id']]]],
      ['test-shop-vpc-public', [['0.0.0.0/0', ['gateway_id']]]],
    ]);
  });

  it('lets the database accept 5432 from the function security group only, and from no address range', () => {
    const ingress = resourcesOf(network, 'aws_vpc_security_group_ingress_rule');
    expect(ingress).toEqual([
      {
        security_group_id: expect.stringMatching(/^\$\{aws_security_group\.SecurityGroups_Database_[0-9A-F]{8}\.id\}$/),
        description: 'PostgreSQL from the store API function',
        ip_protocol: 'tcp',
        from_port: 5432,
        to_port: 5432,
        referenced_security_group_id: expect.stringMatching(/^\$\{aws_security_group\.SecurityGroups_Api_[0-9A-F]{8}\.id\}$/),
      },
    ]);
    expect(resourcesOf(network, 'aws_security_group').map((g) => [g.name, g.ingress, g.egress])).toEqual([
      ['test-shop-api', undefined, undefined],
      ['test-shop-db', undefined, undefined],
    ]);
  });

  it('records every connection of the new VPC in a flow log, kept by plan, written by a role that may write only that group', () => {
    expect(one(network, 'aws_flow_log')).toEqual(
      expect.objectContaining({
        vpc_id: expect.stringMatching(/^\$\{aws_vpc\.Vpc_[0-9A-F]{8}\.id\}$/),
        traffic_type: 'ALL',
        log_destination_type: 'cloud-watch-logs',
        log_destination: expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.Vpc_FlowLogGroup_[0-9A-F]{8}\.arn\}$/),
      }),
    );
    expect(one(network, 'aws_cloudwatch_log_group')).toEqual(expect.objectContaining({ name: '/aws/vpc/test-shop-vpc/flow-logs', retention_in_days: 14 }));
    expect(one(network, 'aws_iam_role').name).toBe('test-shop-flow-logs');
  });

  it('lets a deploy runner reach the database when the tenant names its group, opens HTTPS only to allowed ranges, and adds Secrets Manager and KMS endpoints on request', () => {
    const json = synthAll(stacksOf({}, { deployRunnerSecurityGroupId: 'sg-0123456789abcdef0', vpcEndpoints: true, egress: { httpsCidrs: ['203.0.113.0/24'] } })).network;
    expect(resourcesOf(json, 'aws_vpc_security_group_ingress_rule').map((r) => [r.description, r.from_port, r.referenced_security_group_id]).sort()).toEqual([
      ['HTTPS from the store API function', 443, expect.stringMatching(/SecurityGroups_Api_/)],
      ['PostgreSQL from the deploy runner (roles, grants, migrations)', 5432, 'sg-0123456789abcdef0'],
      ['PostgreSQL from the store API function', 5432, expect.stringMatching(/SecurityGroups_Api_/)],
    ]);
    expect(resourcesOf(json, 'aws_vpc_security_group_egress_rule').map((r) => [r.description, r.cidr_ipv4 ?? 'group']).sort()).toEqual([
      ['HTTPS to Stripe and AWS APIs', '203.0.113.0/24'],
      ['HTTPS to the Secrets Manager and KMS endpoints', 'group'],
      ['PostgreSQL to the tenant database', 'group'],
    ]);
    expect(resourcesOf(json, 'aws_vpc_endpoint').map((e) => [e.service_name, e.vpc_endpoint_type, e.private_dns_enabled]).sort()).toEqual([
      ['com.amazonaws.eu-west-1.kms', 'Interface', true],
      ['com.amazonaws.eu-west-1.secretsmanager', 'Interface', true],
    ]);
  });

  it('empties the default security group of the VPC', () => {
    expect(Object.keys(one(network, 'aws_default_security_group')).sort()).toEqual(['tags', 'vpc_id']);
  });

  it('uses an existing VPC and its subnets when the registry names one', () => {
    const vpc = { id: 'vpc-0123456789abcdef0', privateSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'] };
    const json = synthAll(stacksOf({}, { vpc }));
    expect([resourcesOf(json.network, 'aws_vpc'), resourcesOf(json.network, 'aws_subnet'), resourcesOf(json.network, 'aws_nat_gateway')]).toEqual([[], [], []]);
    expect(resourcesOf(json.network, 'aws_security_group').map((g) => g.vpc_id)).toEqual([vpc.id, vpc.id]);
    expect(one(json.database, 'aws_db_subnet_group').subnet_ids).toEqual(vpc.privateSubnetIds);
    expect((one(json.app, 'aws_lambda_function').vpc_config as Resource).subnet_ids).toEqual(vpc.privateSubnetIds);
  });
});

describe('database stack', () => {
  test.each(SUPPORTED_POSTGRES_MAJORS.map((major) => [major]))('runs PostgreSQL %i when the tenant asks, with a parameter group of its family made before the old one goes', (major) => {
    const { database } = synthAll(stacksOf({ database: { name: 'test_shop', postgresVersion: major } }));
    expect(one(database, 'aws_db_instance')).toEqual(expect.objectContaining({ engine_version: String(major), allow_major_version_upgrade: true }));
    expect(one(database, 'aws_db_parameter_group')).toEqual(
      expect.objectContaining({ family: `postgres${major}`, name: `test-shop-db-postgres${major}`, lifecycle: { create_before_destroy: true } }),
    );
  });

  it('keeps PostgreSQL 15 when the file names no version, so no deployed server is upgraded by an update of this project', () => {
    expect(one(synthAll(stacksOf()).database, 'aws_db_instance').engine_version).toBe(String(DEFAULT_POSTGRES_MAJOR));
    expect(DEFAULT_POSTGRES_MAJOR).toBe(15);
  });

  it('creates an encrypted, private, protected RDS PostgreSQL with RDS-managed master password and IAM authentication', () => {
    const { database } = synthAll(stacksOf());
    const key = expect.stringMatching(/^\$\{aws_kms_key\.Key_[0-9A-F]{8}\.arn\}$/);
    expect(one(database, 'aws_db_instance')).toEqual({
      identifier: 'test-shop-db',
      engine: 'postgres',
      engine_version: '15',
      allow_major_version_upgrade: true,
      auto_minor_version_upgrade: true,
      instance_class: 'db.t4g.micro',
      storage_type: 'gp3',
      allocated_storage: 20,
      max_allocated_storage: 50,
      storage_encrypted: true,
      kms_key_id: key,
      username: 'postgres',
      manage_master_user_password: true,
      master_user_secret_kms_key_id: key,
      iam_database_authentication_enabled: true,
      port: 5432,
      ca_cert_identifier: 'rds-ca-rsa2048-g1',
      db_subnet_group_name: expect.stringMatching(/^\$\{aws_db_subnet_group\.Rds_SubnetGroup_[0-9A-F]{8}\.name\}$/),
      vpc_security_group_ids: [expect.stringMatching(remote('test_shop-network', /aws_security_groupSecurityGroups_Database_[0-9A-F]{8}id/))],
      parameter_group_name: expect.stringMatching(/^\$\{aws_db_parameter_group\.Rds_ParameterGroup_[0-9A-F]{8}\.name\}$/),
      publicly_accessible: false,
      multi_az: false,
      backup_retention_period: 7,
      copy_tags_to_snapshot: true,
      enabled_cloudwatch_logs_exports: ['postgresql', 'upgrade'],
      monitoring_interval: 60,
      monitoring_role_arn: expect.stringMatching(/^\$\{aws_iam_role\.Rds_MonitoringRole_[0-9A-F]{8}\.arn\}$/),
      performance_insights_enabled: true,
      performance_insights_kms_key_id: key,
      performance_insights_retention_period: 7,
      deletion_protection: true,
      skip_final_snapshot: false,
      final_snapshot_identifier: 'test-shop-db-final-${formatdate("YYYYMMDDhhmmss", timestamp())}',
      lifecycle: { prevent_destroy: true, ignore_changes: ['final_snapshot_identifier'] },
      depends_on: [
        expect.stringMatching(/^aws_cloudwatch_log_group\.Rds_LogGroup0_/),
        expect.stringMatching(/^aws_cloudwatch_log_group\.Rds_LogGroup1_/),
        expect.stringMatching(/^aws_iam_role_policy_attachment\.Rds_MonitoringPolicy_/),
        expect.stringMatching(/^aws_kms_key_policy\.Key_Policy_/),
      ],
    });
    expect(one(database, 'aws_db_parameter_group')).toEqual(
      expect.objectContaining({
        name: 'test-shop-db-postgres15',
        family: 'postgres15',
        parameter: [
          { name: 'rds.force_ssl', value: '1' },
          { name: 'log_connections', value: '1' },
          { name: 'log_disconnections', value: '1' },
        ],
      }),
    );
    expect(one(database, 'aws_kms_key')).toEqual(expect.objectContaining({ enable_key_rotation: true, deletion_window_in_days: 30 }));
  });

  it('exports the postgresql and upgrade logs to log groups of its own, kept by plan and encrypted with the tenant key once its policy allows it', () => {
    const { database } = synthAll(stacksOf());
    expect(resourcesOf(database, 'aws_cloudwatch_log_group').map((g) => [g.name, g.retention_in_days, g.kms_key_id, g.depends_on])).toEqual(
      ['postgresql', 'upgrade'].map((log) => [
        `/aws/rds/instance/test-shop-db/${log}`,
        14,
        expect.stringMatching(/^\$\{aws_kms_key\.Key_[0-9A-F]{8}\.arn\}$/),
        [expect.stringMatching(/^aws_kms_key_policy\.Key_Policy_/)],
      ]),
    );
  });

  it('monitors the host through a role only RDS monitoring can assume, with the AWS-managed policy', () => {
    const { database } = synthAll(stacksOf());
    expect(one(database, 'aws_iam_role').name).toBe('test-shop-db-monitor');
    expect(one(database, 'aws_iam_role_policy_attachment').policy_arn).toMatch(/^arn:\$\{element\(split\(":", aws_kms_key\.Key_[0-9A-F]{8}\.arn\), 1\)\}:iam::aws:policy\/service-role\/AmazonRDSEnhancedMonitoringRole$/);
    const documents = (database as unknown as { data: Record<string, Record<string, Resource>> }).data.aws_iam_policy_document;
    const assume = Object.entries(documents).find(([id]) => id.startsWith('Rds_MonitoringAssumeRole_'))?.[1] as Resource;
    expect(assume.statement).toEqual([{ actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['monitoring.rds.amazonaws.com'] }] }]);
  });

  it("gives the tenant key an explicit policy: the account manages it, uses it only through the tenant's services, logs and alarms for the tenant's own groups and topic", () => {
    const { database } = synthAll(stacksOf());
    expect(one(database, 'aws_kms_key_policy')).toEqual({
      key_id: expect.stringMatching(/^\$\{aws_kms_key\.Key_[0-9A-F]{8}\.key_id\}$/),
      policy: expect.stringMatching(/^\$\{data\.aws_iam_policy_document\.Key_PolicyDocument_[0-9A-F]{8}\.json\}$/),
    });
    const documents = (database as unknown as { data: Record<string, Record<string, Resource>> }).data.aws_iam_policy_document;
    const policy = Object.entries(documents).find(([id]) => id.startsWith('Key_PolicyDocument_'))?.[1] as Resource;
    const statements = Object.fromEntries(
      (policy.statement as Resource[]).map((st) => [
        st.sid,
        {
          principals: (st.principals as Resource[]).map((p) => `${String(p.type)}:${(p.identifiers as string[]).join(',').replace(/\$\{[^}]+\}/g, '<x>')}`),
          uses: (st.actions as string[]).filter((a) => /Decrypt|Encrypt|GenerateDataKey|CreateGrant/.test(a)),
          conditions: ((st.condition as Resource[] | undefined) ?? []).map((c) => `${String(c.test)} ${String(c.variable)} ${(c.values as string[]).join(',').replace(/\$\{[^}]+\}/g, '<x>')}`),
        },
      ]),
    );
    const via = 'StringEquals kms:ViaService rds.eu-west-1.amazonaws.com,secretsmanager.eu-west-1.amazonaws.com,lambda.eu-west-1.amazonaws.com,sns.eu-west-1.amazonaws.com,s3.eu-west-1.amazonaws.com';
    expect(statements).toEqual({
      KeyAdministration: { principals: ['AWS:arn:<x>:iam::<x>:root'], uses: [], conditions: [] },
      UseThroughTenantServices: {
        principals: ['AWS:arn:<x>:iam::<x>:root'],
        uses: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext'],
        conditions: [via, 'StringEquals kms:CallerAccount <x>'],
      },
      GrantsForTenantServices: {
        principals: ['AWS:arn:<x>:iam::<x>:root'],
        uses: ['kms:CreateGrant'],
        conditions: [via, 'StringEquals kms:CallerAccount <x>', 'Bool kms:GrantIsForAWSResource true'],
      },
      TenantLogGroups: {
        principals: ['Service:logs.eu-west-1.amazonaws.com'],
        uses: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext'],
        conditions: [
          'ArnEquals kms:EncryptionContext:aws:logs:arn ' +
            ['/aws/rds/instance/test-shop-db/postgresql', '/aws/rds/instance/test-shop-db/upgrade', '/aws/lambda/test-shop-api', '/aws/apigateway/test-shop-api/access']
              .map((name) => `arn:<x>:logs:eu-west-1:<x>:log-group:${name}`)
              .join(','),
        ],
      },
      AlarmsToTenantTopic: { principals: ['Service:cloudwatch.amazonaws.com'], uses: ['kms:Decrypt', 'kms:GenerateDataKey'], conditions: [] },
    });
  });

  test.each(PLANS.map((plan) => [plan, PLAN_PROFILES[plan]] as const))('sizes a %s database by its plan', (plan, profile) => {
    const db = one(synthAll(stacksOf({ plan })).database, 'aws_db_instance');
    expect([db.instance_class, db.allocated_storage, db.max_allocated_storage, db.backup_retention_period, db.multi_az]).toEqual([
      profile.databaseInstanceClass,
      profile.databaseStorageGiB,
      profile.databaseMaxStorageGiB,
      profile.backupRetentionDays,
      profile.databaseMultiAz,
    ]);
  });

  it('keeps backups longer on higher plans, never less than a week', () => {
    expect(PLANS.map((plan) => PLAN_PROFILES[plan].backupRetentionDays)).toEqual([7, 7, 14, 35]);
  });

  it('lifts deletion protection only while the tenant is offboarding, and still takes the final snapshot', () => {
    const stacks = stacksOf({ lifecycle: 'offboarding' });
    const db = one(synthAll(stacks).database, 'aws_db_instance');
    expect([db.deletion_protection, db.lifecycle, db.skip_final_snapshot, db.final_snapshot_identifier]).toEqual([
      false,
      { prevent_destroy: false, ignore_changes: ['final_snapshot_identifier'] },
      false,
      'test-shop-db-final-${formatdate("YYYYMMDDhhmmss", timestamp())}',
    ]);
  });

  it('never lets Terraform destroy the KMS key that encrypts the final snapshot, offboarding or not', () => {
    for (const lifecycle of ['active', 'offboarding'] as const) {
      expect(one(synthAll(stacksOf({ lifecycle })).database, 'aws_kms_key').lifecycle).toEqual({ prevent_destroy: true });
    }
  });
});

describe('in-database stack of a Lambda tenant', () => {
  const { tenant: json } = synthAll(stacksOf());
  const address = remote('test_shop-database', /aws_db_instanceRds_Instance_[0-9A-F]{8}address/);

  it('points the postgresql provider and the migration runner at the RDS address (not its endpoint), port 5432, checking its certificate against the RDS CA bundle', () => {
    expect(json.provider.postgresql).toEqual([
      {
        superuser: false,
        username: '${var.postgres_admin_role}',
        host: expect.stringMatching(address),
        port: 5432,
        sslmode: 'verify-full',
        // The provider runs in cdktf.out/stacks/<key>, the runner in the project root.
        sslrootcert: '../../../certs/rds-ca-bundle.pem',
      },
    ]);
    const [runner] = resourcesOf(json, 'terraform_data');
    const exec = (runner.provisioner as { 'local-exec': { environment: Record<string, string> } }[])[0]['local-exec'];
    expect(exec.environment).toEqual({
      PGUSER: '${var.postgres_admin_role}',
      PGHOST: expect.stringMatching(address),
      PGPORT: '5432',
      PGSSLMODE: 'verify-full',
      PGSSLROOTCERT: 'certs/rds-ca-bundle.pem',
    });
  });

  it('requires the Terraform version with write-only attributes, as the AWS stacks do', () => {
    expect((json as unknown as { terraform: { required_version: string } }).terraform.required_version).toBe('>= 1.11.1');
  });

  it('creates no Docker resources', () => {
    expect([json.provider.docker, Object.keys(json.resource).filter((type) => type.startsWith('docker_'))]).toEqual([undefined, []]);
  });
});

describe('app stack', () => {
  const { app } = synthAll(stacksOf({}, { frontend: true }));
  const fn = one(app, 'aws_lambda_function');
  const environment = (fn.environment as { variables: Record<string, string> }).variables;

  it('runs the API on provided.al2023 from the zip in S3, in the private subnets, traced, with reserved concurrency and a KMS-encrypted environment', () => {
    expect(fn).toEqual(
      expect.objectContaining({
        function_name: 'test-shop-api',
        package_type: 'Zip',
        runtime: 'provided.al2023',
        handler: 'bootstrap',
        s3_bucket: ZIP.s3Bucket,
        s3_key: ZIP.s3Key,
        s3_object_version: ZIP.s3ObjectVersion,
        kms_key_arn: expect.stringMatching(remote('test_shop-database', /aws_kms_keyKey_[0-9A-F]{8}arn/)),
        tracing_config: { mode: 'Active' },
        logging_config: { log_format: 'JSON', log_group: expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.Function_LogGroup_[0-9A-F]{8}\.name\}$/) },
        vpc_config: {
          subnet_ids: [expect.stringMatching(/PrivateSubnet0/), expect.stringMatching(/PrivateSubnet1/)],
          security_group_ids: [expect.stringMatching(remote('test_shop-network', /aws_security_groupSecurityGroups_Api_[0-9A-F]{8}id/))],
        },
      }),
    );
  });

  test.each(PLANS.map((plan) => [plan, PLAN_PROFILES[plan]] as const))('sizes a %s function and its log retention by plan', (plan, profile) => {
    const json = synthAll(stacksOf({ plan })).app;
    const f = one(json, 'aws_lambda_function');
    expect([f.memory_size, f.timeout, f.reserved_concurrent_executions]).toEqual([profile.functionMemoryMiB, profile.functionTimeoutSeconds, profile.functionReservedConcurrency]);
    // The function's log and the API's access log.
    expect(resourcesOf(json, 'aws_cloudwatch_log_group').map((g) => [g.name, g.retention_in_days]).sort()).toEqual([
      ['/aws/apigateway/test-shop-api/access', profile.logRetentionDays],
      ['/aws/lambda/test-shop-api', profile.logRetentionDays],
    ]);
    expect(profile.functionReservedConcurrency).toBeLessThan(profile.connectionLimit);
  });

  it('runs on x86_64 unless the tenant asks for arm64, the processor its artifact is built for', () => {
    expect(one(app, 'aws_lambda_function').architectures).toEqual(['x86_64']);
    expect(one(synthAll(stacksOf({}, { architecture: 'arm64' })).app, 'aws_lambda_function').architectures).toEqual(['arm64']);
  });

  it('runs an image from ECR when the artifact is one', () => {
    const f = one(synthAll(stacksOf({}, { artifact: { imageUri: IMAGE_URI } })).app, 'aws_lambda_function');
    expect([f.package_type, f.image_uri, f.runtime, f.handler, f.s3_bucket]).toEqual(['Image', IMAGE_URI, undefined, undefined, undefined]);
  });

  it('gives the API every variable it requires: plain ones in the environment, secrets in Secrets Manager only (flaw 13)', () => {
    const plain = Object.keys(environment).filter((name) => name !== SECRET_ARN_VARIABLE);
    expect(plain.sort()).toEqual(['API_PORT', 'FRONT_URL', 'SMTP_PORT', 'SMTP_USER', 'STRIPE_KEY']);
    expect([...plain, ...SECRET_VARIABLES].sort()).toEqual([...REQUIRED_ENVIRONMENT].sort());
    expect(environment[SECRET_ARN_VARIABLE]).toMatch(/^\$\{aws_secretsmanager_secret\.Secrets_Secret_[0-9A-F]{8}\.arn\}$/);
    expect(environment.FRONT_URL).toMatch(/^https:\/\/\$\{aws_cloudfront_distribution\.Frontend_Distribution_[0-9A-F]{8}\.domain_name\}$/);
  });

  it('writes the secrets write-only into a KMS-encrypted secret, the DSN built from the RDS address and the app role (flaw 13)', () => {
    expect(one(app, 'aws_secretsmanager_secret')).toEqual(
      expect.objectContaining({ name: 'usualstore/test_shop/api', kms_key_id: expect.stringMatching(remote('test_shop-database', /aws_kms_keyKey_[0-9A-F]{8}arn/)) }),
    );
    const version = one(app, 'aws_secretsmanager_secret_version');
    expect([version.secret_string, version.secret_string_wo, version.secret_string_wo_version]).toEqual([
      undefined,
      expect.stringMatching(/^\$\{local\.Secrets_Value_[0-9A-F]{8}\}$/),
      // Derived from a hash of the value, so a new value writes itself.
      expect.stringMatching(/^\$\{parseint\(substr\(sha256\(local\.Secrets_Value_[0-9A-F]{8}\), 0, 12\), 16\)\}$/),
    ]);
    const [value] = Object.values((app as unknown as { locals: Record<string, string> }).locals);
    const ref = (stack: string, output: string) => `data.terraform_remote_state.cross-stack-reference-input-${stack}.outputs.cross-stack-output-${output}`;
    expect(value.replace(/_[0-9A-F]{8}/g, '')).toBe(
      '${jsonencode({"DATABASE_DSN" = "host=${' + ref('test_shop-database', 'aws_db_instanceRds_Instanceaddress') + '} port=5432 user=${' +
        ref('test_shop', 'postgresql_roleRoles_RoleAppname') + '} password=${' + ref('test_shop', 'random_passwordRoles_PasswordAppresult') + '} dbname=${' +
        ref('test_shop', 'postgresql_databaseDatabasename') + '} sslmode=verify-full sslrootcert=/var/task/certs/rds-ca-bundle.pem", "STRIPE_SECRET" = var.stripe_secret, "SECRET_FOR_FRONT" = ' +
        ref('test_shop', 'random_passwordSecretForFrontresult') + ', "SMTP_PASSWORD" = var.smtp_password})}',
    );
  });

  it('lets the function read only its own secret, decrypt only through Secrets Manager (that secret) and Lambda, and manage network interfaces only in its own subnets; no rds-db:connect', () => {
    const documents = (app as unknown as { data: Record<string, Record<string, Resource>> }).data.aws_iam_policy_document;
    const permissions = Object.entries(documents).find(([id]) => id.startsWith('Function_Permissions_'))?.[1] as Resource;
    const short = (values: unknown) => (values as string[]).map((v) => v.replace(/\$\{[^}]*\}/g, '<x>'));
    const statements = Object.fromEntries(
      (permissions.statement as Resource[]).map((st) => [
        st.sid,
        [st.actions, short(st.resources), ((st.condition as Resource[] | undefined) ?? []).map((c) => `${String(c.test)} ${String(c.variable)} ${short(c.values).join(',')}`)],
      ]),
    );
    expect(statements).toEqual({
      OwnLogs: [['logs:CreateLogStream', 'logs:PutLogEvents'], ['<x>:*'], []],
      CreateNetworkInterfaces: [
        ['ec2:CreateNetworkInterface'],
        ['arn:<x>:ec2:eu-west-1:<x>:network-interface/*', 'arn:<x>:ec2:eu-west-1:<x>:subnet/<x>', 'arn:<x>:ec2:eu-west-1:<x>:subnet/<x>', '<x>'],
        [],
      ],
      ManageNetworkInterfaces: [['ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'], ['arn:<x>:ec2:eu-west-1:<x>:network-interface/*'], []],
      DescribeNetworkInterfaces: [['ec2:DescribeNetworkInterfaces'], ['*'], []],
      Tracing: [['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], ['*'], []],
      OwnSecret: [['secretsmanager:GetSecretValue'], ['<x>'], []],
      OwnSecretThroughSecretsManager: [
        ['kms:Decrypt'],
        ['<x>'],
        ['StringEquals kms:ViaService secretsmanager.eu-west-1.amazonaws.com', 'StringEquals kms:EncryptionContext:SecretARN <x>'],
      ],
      OwnEnvironmentThroughLambda: [['kms:Decrypt'], ['<x>'], ['StringEquals kms:ViaService lambda.eu-west-1.amazonaws.com']],
    });
    const resources = (sid: string) => ((permissions.statement as Resource[]).find((st) => st.sid === sid)?.resources as string[]) ?? [];
    expect(resources('OwnSecretThroughSecretsManager')[0]).toMatch(remote('test_shop-database', /aws_kms_keyKey_[0-9A-F]{8}arn/));
    expect(resources('CreateNetworkInterfaces')[3]).toMatch(remote('test_shop-network', /aws_security_groupSecurityGroups_Api_[0-9A-F]{8}arn/));
  });

  it('throttles the default route by plan, and encrypts both log groups and the alarm topic with the tenant key', () => {
    const key = expect.stringMatching(remote('test_shop-database', /aws_kms_keyKey_[0-9A-F]{8}arn/));
    expect(one(app, 'aws_apigatewayv2_stage').default_route_settings).toEqual({ throttling_rate_limit: 10, throttling_burst_limit: 20 });
    expect(resourcesOf(app, 'aws_cloudwatch_log_group').map((g) => g.kms_key_id)).toEqual([key, key]);
    expect(one(app, 'aws_sns_topic').kms_master_key_id).toEqual(key);
  });

  test.each(PLANS.map((plan) => [plan, PLAN_PROFILES[plan]] as const))('throttles a %s API by its plan', (plan, profile) => {
    expect(one(synthAll(stacksOf({ plan })).app, 'aws_apigatewayv2_stage').default_route_settings).toEqual({
      throttling_rate_limit: profile.apiRateLimitPerSecond,
      throttling_burst_limit: profile.apiBurstLimit,
    });
    expect(profile.apiBurstLimit).toBeGreaterThanOrEqual(profile.apiRateLimitPerSecond);
  });

  it('puts an HTTP API in front of the function, with a permission for it to invoke the function (flaw 13)', () => {
    expect(one(app, 'aws_apigatewayv2_api')).toEqual(expect.objectContaining({ name: 'test-shop-api', protocol_type: 'HTTP' }));
    expect(one(app, 'aws_apigatewayv2_integration')).toEqual(
      expect.objectContaining({ integration_type: 'AWS_PROXY', integration_uri: expect.stringMatching(/^\$\{aws_lambda_function\.Function_[0-9A-F]{8}\.invoke_arn\}$/), payload_format_version: '2.0' }),
    );
    expect(one(app, 'aws_apigatewayv2_route').route_key).toBe('$default');
    expect(one(app, 'aws_lambda_permission')).toEqual({
      statement_id: 'AllowHttpApiInvoke',
      action: 'lambda:InvokeFunction',
      function_name: expect.stringMatching(/^\$\{aws_lambda_function\.Function_[0-9A-F]{8}\.function_name\}$/),
      principal: 'apigateway.amazonaws.com',
      source_arn: expect.stringMatching(/^\$\{aws_apigatewayv2_api\.HttpApi_[0-9A-F]{8}\.execution_arn\}\/\*\/\*$/),
    });
  });

  it('logs every request to the API as one JSON line, without headers, query strings or bodies', () => {
    const stage = one(app, 'aws_apigatewayv2_stage');
    expect([stage.name, stage.auto_deploy]).toEqual(['$default', true]);
    const settings = stage.access_log_settings as Resource;
    expect(settings.destination_arn).toMatch(/^\$\{aws_cloudwatch_log_group\.HttpApi_AccessLog_[0-9A-F]{8}\.arn\}$/);
    const line = JSON.parse(String(settings.format)) as Record<string, string>;
    expect(line).toEqual(expect.objectContaining({ requestId: '$context.requestId', status: '$context.status', integrationError: '$context.integrationErrorMessage' }));
    expect(Object.values(line).filter((v) => /header|querystring|body|authorizer/i.test(v))).toEqual([]);
  });

  it('alarms on function errors and database CPU, notifying one topic', () => {
    const alarms = resourcesOf(app, 'aws_cloudwatch_metric_alarm')
      .map((a) => [a.alarm_name, a.namespace, a.metric_name, Object.keys(a.dimensions as object), a.threshold, a.alarm_actions])
      .sort();
    const topic = [expect.stringMatching(/^\$\{aws_sns_topic\.Alarms_Topic_[0-9A-F]{8}\.arn\}$/)];
    expect(alarms).toEqual([
      ['test-shop-api-errors', 'AWS/Lambda', 'Errors', ['FunctionName'], 1, topic],
      ['test-shop-db-cpu', 'AWS/RDS', 'CPUUtilization', ['DBInstanceIdentifier'], 80, topic],
    ]);
  });

  it('opens the function to the SMTP port of the deploy only', () => {
    expect(one(app, 'aws_vpc_security_group_egress_rule')).toEqual(
      expect.objectContaining({ ip_protocol: 'tcp', from_port: '${var.smtp_port}', to_port: '${var.smtp_port}', cidr_ipv4: '0.0.0.0/0' }),
    );
  });

  it('serves the frontend from a private bucket through CloudFront, HTTPS only, with origin access control', () => {
    expect(resourcesOf(app, 'aws_s3_bucket_public_access_block')).toEqual(
      [1, 2].map(() => expect.objectContaining({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true })),
    );
    expect(resourcesOf(app, 'aws_s3_bucket').find((b) => b.bucket_prefix === 'test-shop-')).toBeDefined();
    const distribution = one(app, 'aws_cloudfront_distribution');
    expect((distribution.default_cache_behavior as Resource).viewer_protocol_policy).toBe('https-only');
    expect((distribution.origin as Resource[])[0].origin_access_control_id).toMatch(/^\$\{aws_cloudfront_origin_access_control\.Frontend_OriginAccessControl_[0-9A-F]{8}\.id\}$/);
    expect(one(app, 'aws_cloudfront_origin_access_control')).toEqual(expect.objectContaining({ origin_access_control_origin_type: 's3', signing_behavior: 'always', signing_protocol: 'sigv4' }));
  });

  it('adds the managed security headers and writes access logs to a private bucket that expires them by plan', () => {
    const distribution = one(app, 'aws_cloudfront_distribution');
    expect((distribution.default_cache_behavior as Resource).response_headers_policy_id).toBe('67f7725c-6f97-4210-82d7-5512b31e9d03');
    expect(distribution.logging_config).toEqual({
      bucket: expect.stringMatching(/^\$\{aws_s3_bucket\.Frontend_LogBucket_[0-9A-F]{8}\.bucket_domain_name\}$/),
      prefix: 'cloudfront/',
      include_cookies: false,
    });
    expect(resourcesOf(app, 'aws_s3_bucket').map((b) => b.bucket_prefix).sort()).toEqual(['test-shop-', 'test-shop-logs-']);
    expect(resourcesOf(app, 'aws_s3_bucket_ownership_controls').map((c) => (c.rule as Resource).object_ownership).sort()).toEqual(['BucketOwnerEnforced', 'BucketOwnerPreferred']);
    expect(one(app, 'aws_s3_bucket_lifecycle_configuration').rule).toEqual([{ id: 'expire-access-logs', status: 'Enabled', filter: [{ prefix: '' }], expiration: [{ days: 14 }] }]);
  });

  it("serves the frontend on the *.cloudfront.net certificate by default, and the tenant's domain with TLSv1.2_2021 and a web ACL when asked", () => {
    expect(one(app, 'aws_cloudfront_distribution').viewer_certificate).toEqual({ cloudfront_default_certificate: true });
    const certificateArn = 'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012';
    const webAclArn = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/shop/12345678-1234-1234-1234-123456789012';
    const json = synthAll(stacksOf({}, { frontend: true, frontendDomain: { name: 'shop.example.com', certificateArn }, frontendWebAclArn: webAclArn })).app;
    const distribution = one(json, 'aws_cloudfront_distribution');
    expect([distribution.aliases, distribution.viewer_certificate, distribution.web_acl_id]).toEqual([
      ['shop.example.com'],
      { acm_certificate_arn: certificateArn, ssl_support_method: 'sni-only', minimum_protocol_version: 'TLSv1.2_2021' },
      webAclArn,
    ]);
    expect((one(json, 'aws_lambda_function').environment as { variables: Record<string, string> }).variables.FRONT_URL).toBe('https://shop.example.com');
  });

  it('protects the routes the tenant names with a JWT authorizer, and leaves $default to the app', () => {
    const authorizer = { issuer: 'https://idp.example.com/pool', audience: ['store'], routes: ['ANY /admin/{proxy+}'] };
    const json = synthAll(stacksOf({}, { authorizer })).app;
    expect(one(json, 'aws_apigatewayv2_authorizer')).toEqual(
      expect.objectContaining({ name: 'test-shop-api-jwt', authorizer_type: 'JWT', identity_sources: ['$request.header.Authorization'], jwt_configuration: { issuer: authorizer.issuer, audience: ['store'] } }),
    );
    expect(resourcesOf(json, 'aws_apigatewayv2_route').map((r) => [r.route_key, r.authorization_type ?? 'NONE', r.authorizer_id]).sort()).toEqual([
      ['$default', 'NONE', undefined],
      ['ANY /admin/{proxy+}', 'JWT', expect.stringMatching(/^\$\{aws_apigatewayv2_authorizer\.HttpApi_JwtAuthorizer_[0-9A-F]{8}\.id\}$/)],
    ]);
  });

  it('enforces code signing when the tenant names signing profiles, and pins a zip by hash instead of version', () => {
    const profile = 'arn:aws:signer:eu-west-1:123456789012:/signing-profiles/usualstore/abcdefghij';
    const hash = `${'A'.repeat(43)}=`;
    const json = synthAll(stacksOf({}, { artifact: { s3Bucket: ZIP.s3Bucket, s3Key: ZIP.s3Key, sourceCodeHash: hash }, codeSigning: { signingProfileVersionArns: [profile] } })).app;
    expect(one(json, 'aws_lambda_code_signing_config')).toEqual(
      expect.objectContaining({ allowed_publishers: { signing_profile_version_arns: [profile] }, policies: { untrusted_artifact_on_deployment: 'Enforce' } }),
    );
    const f = one(json, 'aws_lambda_function');
    expect([f.code_signing_config_arn, f.source_code_hash, f.s3_object_version]).toEqual([
      expect.stringMatching(/^\$\{aws_lambda_code_signing_config\.Function_CodeSigning_[0-9A-F]{8}\.arn\}$/),
      hash,
      undefined,
    ]);
  });

  it('narrows the SMTP egress to the ranges the tenant allows', () => {
    const json = synthAll(stacksOf({}, { egress: { smtpCidrs: ['198.51.100.0/24', '203.0.113.0/24'] } })).app;
    expect(resourcesOf(json, 'aws_vpc_security_group_egress_rule').map((r) => r.cidr_ipv4)).toEqual(['198.51.100.0/24', '203.0.113.0/24']);
  });

  it('creates no frontend unless the registry asks, and points FRONT_URL at the API then', () => {
    const json = synthAll(stacksOf()).app;
    expect(Object.keys(json.resource).filter((type) => /s3|cloudfront/.test(type))).toEqual([]);
    expect((one(json, 'aws_lambda_function').environment as { variables: Record<string, string> }).variables.FRONT_URL).toMatch(
      /^\$\{aws_apigatewayv2_api\.HttpApi_[0-9A-F]{8}\.api_endpoint\}$/,
    );
  });

  it('takes app secrets from sensitive variables without defaults', () => {
    expect([app.variable.stripe_secret, app.variable.smtp_password]).toEqual([
      { type: 'string', sensitive: true, description: 'Stripe secret key (STRIPE_SECRET).' },
      { type: 'string', sensitive: true, description: 'SMTP password (SMTP_PASSWORD).' },
    ]);
  });
});

describe('the RDS CA bundle the provider, the runner and the artifact trust', () => {
  const pems = readFileSync(path.join(PROJECT_ROOT, RDS_CA_BUNDLE), 'utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  const certificates = pems.map((pem) => new X509Certificate(pem));

  it('holds only CA certificates, all Amazon RDS ones', () => {
    expect(certificates.length).toBeGreaterThan(100);
    expect(certificates.filter((c) => !c.ca || !/^OU=Amazon RDS$/m.test(c.subject) || !/CN=Amazon RDS /.test(c.subject)).map((c) => c.subject)).toEqual([]);
  });

  test.each(['eu-central-1', 'eu-west-1', 'us-east-1'])('holds a current root of the CA tenant servers use (%s, RSA2048 G1)', (region) => {
    const root = certificates.find((c) => c.subject.includes(`CN=Amazon RDS ${region} Root CA RSA2048 G1`));
    expect(root && new Date(root.validTo) > new Date() && root.checkIssued(root)).toBe(true);
  });
});

describe('AWS names', () => {
  const key = fc
    .tuple(fc.stringMatching(/^[a-z][a-z0-9]{0,20}$/), fc.array(fc.stringMatching(/^[a-z0-9]{1,10}$/), { maxLength: 5 }))
    .map(([first, rest]) => [first, ...rest].join('_'))
    .filter((k) => KEY_PATTERN.test(k) && Buffer.byteLength(k) <= MAX_KEY_BYTES);

  it('are valid RDS identifiers within 63 characters for every valid key', () => {
    const valid = (k: string) => AWS_NAME_PARTS.every((part) => AWS_NAME_PATTERN.test(awsName(k, part)) && awsName(k, part).length <= MAX_AWS_NAME_LENGTH);
    expect(() => fc.assert(fc.property(key, valid))).not.toThrow();
    expect(awsName('k'.repeat(MAX_KEY_BYTES), 'api-errors')).toHaveLength(62);
  });

  it('never collide between two keys', () => {
    expect(() => fc.assert(fc.property(key, key, (a, b) => a === b || AWS_NAME_PARTS.every((part) => awsName(a, part) !== awsName(b, part))))).not.toThrow();
    expect(awsName('shop_1', 'db')).not.toBe(awsName('shop1', 'db'));
  });

  it('give a frontend bucket prefix S3 accepts (at most 37 characters, ending in a hyphen)', () => {
    expect(() => fc.assert(fc.property(key, (k) => /^[a-z][a-z0-9-]{0,35}-$/.test(frontendBucketPrefix(k)) && !frontendBucketPrefix(k).includes('--')))).not.toThrow();
    expect(frontendBucketPrefix(`${'a'.repeat(34)}_b`)).toBe(`${'a'.repeat(34)}-`);
  });
});
