/**
 * The stacks of a Lambda tenant, synthesized: network, RDS, the in-database
 * stack pointed at RDS, and the app (function, secret, HTTP API, alarms,
 * frontend). Terraform itself validates and plans them in aws-terraform.test.ts.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, Testing, type TerraformStack } from 'cdktf';
import fc from 'fast-check';
import { SECRET_ARN_VARIABLE, SECRET_VARIABLES } from '../constructs/aws/tenant-app-stack';
import { TenantNetworkStack } from '../constructs/aws/tenant-network-stack';
import { notALambdaTenant } from '../constructs/errors';
import { AWS_NAME_PARTS, AWS_NAME_PATTERN, KEY_PATTERN, MAX_AWS_NAME_LENGTH, MAX_KEY_BYTES, awsName, awsStackNames, frontendBucketPrefix } from '../constructs/naming';
import { PLANS, PLAN_PROFILES } from '../constructs/plans';
import { DEFAULT_STATE_BACKEND } from '../constructs/state-backend';
import { type TenantStacks, createTenantStacks } from '../constructs/tenant-stacks';
import type { TenantDefinition } from '../tenants/registry/types';
import { MIGRATIONS_CHECKSUM, type SynthesizedStack, resourcesOf, tenant } from './helpers';

type Resource = Record<string, unknown>;

const ZIP = { s3Bucket: 'usualstore-builds', s3Key: 'api/1.0.0/bootstrap.zip' };
const IMAGE_URI = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/usualstore/api:1.0.0';
const REQUIRED_ENVIRONMENT = ['DATABASE_DSN', 'API_PORT', 'STRIPE_KEY', 'STRIPE_SECRET', 'SECRET_FOR_FRONT', 'FRONT_URL', 'SMTP_USER', 'SMTP_PASSWORD', 'SMTP_PORT'];

/** A Lambda tenant; override any field, or the app target's. */
function lambdaTenant(overrides: Partial<TenantDefinition> = {}, app: Record<string, unknown> = {}) {
  return tenant({ app: { target: 'lambda', region: 'eu-west-1', artifact: ZIP, ...app } as TenantDefinition['app'], ...overrides });
}

function stacksOf(overrides: Partial<TenantDefinition> = {}, app: Record<string, unknown> = {}): TenantStacks {
  return createTenantStacks(Testing.app(), { tenant: lambdaTenant(overrides, app), migrationsChecksum: MIGRATIONS_CHECKSUM });
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
      createTenantStacks(app, { tenant: lambdaTenant({ plan }, { frontend: true }), migrationsChecksum: MIGRATIONS_CHECKSUM });
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
  it('creates an encrypted, private, protected RDS PostgreSQL with RDS-managed master password and IAM authentication', () => {
    const { database } = synthAll(stacksOf());
    const key = expect.stringMatching(/^\$\{aws_kms_key\.Key_[0-9A-F]{8}\.arn\}$/);
    expect(one(database, 'aws_db_instance')).toEqual({
      identifier: 'test-shop-db',
      engine: 'postgres',
      engine_version: '15',
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
      db_subnet_group_name: expect.stringMatching(/^\$\{aws_db_subnet_group\.Rds_SubnetGroup_[0-9A-F]{8}\.name\}$/),
      vpc_security_group_ids: [expect.stringMatching(remote('test_shop-network', /aws_security_groupSecurityGroups_Database_[0-9A-F]{8}id/))],
      parameter_group_name: expect.stringMatching(/^\$\{aws_db_parameter_group\.Rds_ParameterGroup_[0-9A-F]{8}\.name\}$/),
      publicly_accessible: false,
      multi_az: false,
      backup_retention_period: 7,
      copy_tags_to_snapshot: true,
      deletion_protection: true,
      skip_final_snapshot: false,
      final_snapshot_identifier: 'test-shop-db-final',
      lifecycle: { prevent_destroy: true },
    });
    expect(one(database, 'aws_db_parameter_group')).toEqual(
      expect.objectContaining({ name: 'test-shop-db-postgres15', family: 'postgres15', parameter: [{ name: 'rds.force_ssl', value: '1' }] }),
    );
    expect(one(database, 'aws_kms_key')).toEqual(expect.objectContaining({ enable_key_rotation: true, deletion_window_in_days: 30 }));
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
    expect([db.deletion_protection, db.lifecycle, db.skip_final_snapshot, db.final_snapshot_identifier]).toEqual([false, { prevent_destroy: false }, false, 'test-shop-db-final']);
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

  it("points the postgresql provider and the migration runner at the RDS address (not its endpoint), port 5432", () => {
    expect(json.provider.postgresql).toEqual([{ superuser: false, username: '${var.postgres_admin_role}', host: expect.stringMatching(address), port: 5432 }]);
    const [runner] = resourcesOf(json, 'terraform_data');
    const exec = (runner.provisioner as { 'local-exec': { environment: Record<string, string> } }[])[0]['local-exec'];
    expect(exec.environment).toEqual({ PGUSER: '${var.postgres_admin_role}', PGHOST: expect.stringMatching(address), PGPORT: '5432' });
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
        ref('test_shop', 'postgresql_databaseDatabasename') + '} sslmode=require", "STRIPE_SECRET" = var.stripe_secret, "SECRET_FOR_FRONT" = ' +
        ref('test_shop', 'random_passwordSecretForFrontresult') + ', "SMTP_PASSWORD" = var.smtp_password})}',
    );
  });

  it("lets the function read only its own secret and key, and connect only as its tenant's app role", () => {
    const documents = (app as unknown as { data: Record<string, Record<string, Resource>> }).data.aws_iam_policy_document;
    const permissions = Object.entries(documents).find(([id]) => id.startsWith('Function_Permissions_'))?.[1] as Resource;
    const statements = Object.fromEntries((permissions.statement as Resource[]).map((s) => [s.sid, [s.actions, s.resources]]));
    expect(statements).toEqual({
      OwnLogs: [['logs:CreateLogStream', 'logs:PutLogEvents'], [expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.Function_LogGroup_[0-9A-F]{8}\.arn\}:\*$/)]],
      VpcNetworkInterfaces: [['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'], ['*']],
      Tracing: [['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], ['*']],
      OwnSecret: [['secretsmanager:GetSecretValue'], [expect.stringMatching(/^\$\{aws_secretsmanager_secret\.Secrets_Secret_[0-9A-F]{8}\.arn\}$/)]],
      OwnKey: [['kms:Decrypt'], [expect.stringMatching(remote('test_shop-database', /aws_kms_keyKey_[0-9A-F]{8}arn/))]],
      OwnDatabaseUser: [['rds-db:connect'], [expect.stringMatching(/^arn:\$\{element\(split\(":", .+aws_db_instanceRds_Instance_[0-9A-F]{8}arn\), 1\)\}:rds-db:.*:dbuser:\$\{.+resource_id\}\/\$\{.+postgresql_roleRoles_RoleApp_[0-9A-F]{8}name\}$/)]],
    });
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
    expect(one(app, 'aws_s3_bucket_public_access_block')).toEqual(
      expect.objectContaining({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true }),
    );
    expect(one(app, 'aws_s3_bucket').bucket_prefix).toBe('test-shop-');
    const distribution = one(app, 'aws_cloudfront_distribution');
    expect((distribution.default_cache_behavior as Resource).viewer_protocol_policy).toBe('https-only');
    expect((distribution.origin as Resource[])[0].origin_access_control_id).toMatch(/^\$\{aws_cloudfront_origin_access_control\.Frontend_OriginAccessControl_[0-9A-F]{8}\.id\}$/);
    expect(one(app, 'aws_cloudfront_origin_access_control')).toEqual(expect.objectContaining({ origin_access_control_origin_type: 's3', signing_behavior: 'always', signing_protocol: 'sigv4' }));
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
