/**
 * The cdk-nag style policy rules: each with a compliant and a non-compliant
 * resource, and the aspect that turns findings into errors that fail synth.
 */
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { Aspects, TerraformStack, Testing, Token } from 'cdktf';
import { policyViolation, suppressionWithoutReason } from '../constructs/errors';
import { POLICY_RULES, PolicyAspect, type PolicyRule, type ResourceView, resourceView, suppressPolicy } from '../constructs/policy';
import { lambdaEnvironmentKms, lambdaInVpc, lambdaReservedConcurrency, lambdaTracing } from '../constructs/policy/lambda-rules';
import { apiAccessLogs, logRetention } from '../constructs/policy/logging-rules';
import { noPublicPostgres } from '../constructs/policy/network-rules';
import { rdsBackedUp, rdsEncrypted, rdsPrivate, rdsProtected } from '../constructs/policy/rds-rules';
import { tagsPresent } from '../constructs/policy/tag-rules';

const TAGS = { 'usualstore.tenant': 'shop', 'usualstore.plan': 'free' };

function view(type: string, config: Record<string, unknown>, extra: Partial<ResourceView> = {}): ResourceView {
  return { type, config, taggable: false, defaultTags: {}, ...extra };
}

const goodRds = {
  storage_encrypted: true,
  deletion_protection: true,
  skip_final_snapshot: false,
  final_snapshot_identifier: 'shop-db-final',
  publicly_accessible: false,
  backup_retention_period: 7,
};
const goodLambda = {
  vpc_config: { subnet_ids: ['subnet-1', 'subnet-2'], security_group_ids: ['sg-1'] },
  reserved_concurrent_executions: 2,
  tracing_config: { mode: 'Active' },
  environment: { variables: { API_PORT: '4000' } },
  kms_key_arn: 'arn:aws:kms:eu-west-1:123456789012:key/k',
};

describe('policy rules', () => {
  const cases: [PolicyRule, ResourceView, ResourceView, string[]][] = [
    [rdsEncrypted, view('aws_db_instance', goodRds), view('aws_db_instance', { ...goodRds, storage_encrypted: false }), ['storage_encrypted is false, must be true']],
    [
      rdsProtected,
      view('aws_db_instance', goodRds),
      view('aws_db_instance', { ...goodRds, deletion_protection: false, skip_final_snapshot: true, final_snapshot_identifier: undefined }),
      ['deletion_protection is false, must be true', 'skip_final_snapshot is true, must be false', 'final_snapshot_identifier is not set, must be a snapshot name'],
    ],
    [rdsPrivate, view('aws_db_instance', goodRds), view('aws_db_instance', { ...goodRds, publicly_accessible: true }), ['publicly_accessible is true, must be false']],
    [rdsBackedUp, view('aws_db_instance', goodRds), view('aws_db_instance', { ...goodRds, backup_retention_period: 1 }), ['backup_retention_period is 1, must be at least 7']],
    [lambdaInVpc, view('aws_lambda_function', goodLambda), view('aws_lambda_function', { ...goodLambda, vpc_config: undefined }), ['vpc_config is not set, must be subnet_ids and security_group_ids']],
    [
      lambdaReservedConcurrency,
      view('aws_lambda_function', goodLambda),
      view('aws_lambda_function', { ...goodLambda, reserved_concurrent_executions: -1 }),
      ['reserved_concurrent_executions is -1, must be at least 1'],
    ],
    [lambdaTracing, view('aws_lambda_function', goodLambda), view('aws_lambda_function', { ...goodLambda, tracing_config: { mode: 'PassThrough' } }), ['tracing_config.mode is "PassThrough", must be "Active"']],
    [lambdaEnvironmentKms, view('aws_lambda_function', goodLambda), view('aws_lambda_function', { ...goodLambda, kms_key_arn: undefined }), ["kms_key_arn is not set, must be the tenant's KMS key"]],
    [
      noPublicPostgres,
      view('aws_vpc_security_group_ingress_rule', { ip_protocol: 'tcp', from_port: 5432, to_port: 5432, referenced_security_group_id: 'sg-1' }),
      view('aws_vpc_security_group_ingress_rule', { ip_protocol: 'tcp', from_port: 5432, to_port: 5432, cidr_ipv4: '0.0.0.0/0' }),
      ['ingress from 0.0.0.0/0 covers port 5432'],
    ],
    [
      apiAccessLogs,
      view('aws_apigatewayv2_stage', { name: '$default', access_log_settings: { destination_arn: 'arn:aws:logs:eu-west-1:123456789012:log-group:a', format: '{}' } }),
      view('aws_apigatewayv2_stage', { name: '$default' }),
      ['access_log_settings is not set, must be a destination_arn and a format'],
    ],
    [
      logRetention,
      view('aws_cloudwatch_log_group', { name: 'g', retention_in_days: 14 }),
      view('aws_cloudwatch_log_group', { name: 'g' }),
      ['retention_in_days is not set, must be a number of days'],
    ],
    [
      tagsPresent,
      view('aws_sns_topic', { name: 't' }, { taggable: true, defaultTags: TAGS }),
      view('aws_sns_topic', { name: 't', tags: { 'usualstore.tenant': 'shop' } }, { taggable: true }),
      ['tags lack usualstore.plan'],
    ],
  ];
  test.each(cases.map(([rule, ...rest]) => [rule.id, rule, ...rest] as const))('%s accepts the compliant resource and reports the non-compliant one', (_id, rule, compliant, nonCompliant, findings) => {
    expect([rule.check(compliant), rule.check(nonCompliant)]).toEqual([[], findings]);
  });

  test.each([
    ['an inline rule open to ::/0 on all ports', 'aws_security_group', { ingress: [{ protocol: '-1', from_port: 0, to_port: 0, ipv6_cidr_blocks: ['::/0'] }] }, ['ingress from ::/0 covers port 5432']],
    ['a legacy rule open to the world on a range', 'aws_security_group_rule', { type: 'ingress', protocol: 'tcp', from_port: 5000, to_port: 6000, cidr_blocks: ['0.0.0.0/0'] }, ['ingress from 0.0.0.0/0 covers port 5432']],
    ['a world-open rule on another port', 'aws_vpc_security_group_ingress_rule', { ip_protocol: 'tcp', from_port: 443, to_port: 443, cidr_ipv4: '0.0.0.0/0' }, []],
    ['an egress rule', 'aws_security_group_rule', { type: 'egress', protocol: '-1', from_port: 0, to_port: 0, cidr_blocks: ['0.0.0.0/0'] }, []],
    ['a world-open rule on a port known only at deploy time', 'aws_vpc_security_group_ingress_rule', { ip_protocol: 'tcp', from_port: Token.asNumber('${var.db_port}'), to_port: Token.asNumber('${var.db_port}'), cidr_ipv4: '0.0.0.0/0' }, ['ingress from 0.0.0.0/0 covers port 5432']],
    [
      'a rule on 5432 from a CIDR known only at deploy time',
      'aws_vpc_security_group_ingress_rule',
      { ip_protocol: 'tcp', from_port: 5432, to_port: 5432, cidr_ipv4: Token.asString('${var.allowed_cidr}') },
      ['ingress from a CIDR known only at deploy time may cover port 5432; reference a security group or write the CIDR'],
    ],
    ['a rule from another security group on a port known only at deploy time', 'aws_vpc_security_group_ingress_rule', { ip_protocol: 'tcp', from_port: Token.asNumber('${var.db_port}'), to_port: Token.asNumber('${var.db_port}'), referenced_security_group_id: 'sg-1' }, []],
  ])('SG-NO-PUBLIC-POSTGRES judges %s', (_case, type, config, findings) => {
    expect(noPublicPostgres.check(view(type, config))).toEqual(findings);
  });

  it('leaves resources that take no tags to the other rules', () => {
    expect(tagsPresent.check(view('aws_lambda_permission', {}))).toEqual([]);
  });

  it('gives every rule a unique id and a one-line reason', () => {
    const ids = POLICY_RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(POLICY_RULES.filter((rule) => !rule.reason || rule.reason.includes('\n'))).toEqual([]);
    expect(ids).toEqual([
      'RDS-ENCRYPTED',
      'RDS-PROTECTED',
      'RDS-PRIVATE',
      'RDS-BACKED-UP',
      'LAMBDA-IN-VPC',
      'LAMBDA-RESERVED-CONCURRENCY',
      'LAMBDA-TRACING',
      'LAMBDA-ENV-KMS',
      'SG-NO-PUBLIC-POSTGRES',
      'API-ACCESS-LOGS',
      'LOGS-RETENTION',
      'TAGS-TENANT-PLAN',
    ]);
  });
});

describe('PolicyAspect', () => {
  function stackWith(build: (stack: TerraformStack) => void) {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'policy');
    new AwsProvider(stack, 'Aws', { region: 'eu-west-1', defaultTags: [{ tags: TAGS }] });
    build(stack);
    Aspects.of(stack).add(new PolicyAspect(POLICY_RULES));
    return { app, stack };
  }
  const database = (stack: TerraformStack, overrides: Partial<ConstructorParameters<typeof DbInstance>[2]> = {}) =>
    new DbInstance(stack, 'Db', {
      instanceClass: 'db.t4g.micro',
      engine: 'postgres',
      storageEncrypted: true,
      deletionProtection: true,
      finalSnapshotIdentifier: 'shop-db-final',
      publiclyAccessible: false,
      backupRetentionPeriod: 7,
      ...overrides,
    });

  it('reads the synthesized arguments and the provider default tags', () => {
    const { stack } = stackWith(() => undefined);
    const topic = new SnsTopic(stack, 'Topic', { name: 't' });
    expect(resourceView(topic)).toEqual({ type: 'aws_sns_topic', config: expect.objectContaining({ name: 't' }), taggable: true, defaultTags: TAGS });
  });

  it('synthesizes a compliant stack', () => {
    const { app } = stackWith((stack) => database(stack));
    expect(() => app.synth()).not.toThrow();
  });

  it('fails synth with the rule id, reason and finding of a non-compliant resource', () => {
    const { app } = stackWith((stack) => database(stack, { publiclyAccessible: true }));
    expect(() => app.synth()).toThrow(`[policy/Db] ${policyViolation(rdsPrivate.id, rdsPrivate.reason, 'publicly_accessible is true, must be false')}`);
  });

  it('sees values set through escape hatches', () => {
    const { app } = stackWith((stack) => database(stack).addOverride('storage_encrypted', false));
    expect(() => app.synth()).toThrow(policyViolation(rdsEncrypted.id, rdsEncrypted.reason, 'storage_encrypted is false, must be true'));
  });

  it('lets a suppression with a reason exempt one resource from one rule, and reports it', () => {
    let db: DbInstance | undefined;
    const { app } = stackWith((stack) => {
      db = database(stack, { deletionProtection: false });
      suppressPolicy(db, 'RDS-PROTECTED', 'offboarding');
    });
    expect(() => app.synth()).not.toThrow();
    expect(db?.node.metadata.filter((m) => m.type === '@cdktf/info').map((m) => m.data)).toEqual(['RDS-PROTECTED suppressed: offboarding']);
  });

  it('refuses a suppression without a reason', () => {
    const { stack } = stackWith(() => undefined);
    const topic = new SnsTopic(stack, 'Topic', { name: 't' });
    expect(() => suppressPolicy(topic, 'TAGS-TENANT-PLAN', ' ')).toThrow(suppressionWithoutReason('policy/Topic', 'TAGS-TENANT-PLAN'));
  });
});
