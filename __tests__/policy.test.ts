/**
 * The cdk-nag style policy rules: each with a compliant and a non-compliant
 * element (rules that read other elements of the stack get them through a
 * context over plain views), and the aspect that turns findings into errors
 * (or warnings) that fail (or pass) synth, for every provider's resources
 * and data sources.
 */
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { Grant } from '@cdktf/provider-postgresql/lib/grant';
import { PostgresqlProvider } from '@cdktf/provider-postgresql/lib/provider';
import { Aspects, TerraformStack, Testing, Token } from 'cdktf';
import { policyViolation, policyWarning, suppressionWithoutReason } from '../constructs/policy/messages';
import { POLICY_RULES, PolicyAspect, type PolicyRule, type ResourceView, resourceView, suppressPolicy, viewContext } from '../constructs/policy';
import { apiAccessLogs } from '../constructs/policy/rules/api-access-logs';
import { apiThrottling } from '../constructs/policy/rules/api-throttling';
import { cloudfrontTls } from '../constructs/policy/rules/cloudfront-tls';
import { containerHardened } from '../constructs/policy/rules/container-hardened';
import { containerHealthcheck } from '../constructs/policy/rules/container-healthcheck';
import { containerLimits } from '../constructs/policy/rules/container-limits';
import { containerLogRotation } from '../constructs/policy/rules/container-log-rotation';
import { containerNonRoot } from '../constructs/policy/rules/container-non-root';
import { containerRestartBounded } from '../constructs/policy/rules/container-restart-bounded';
import { iamNoWildcard } from '../constructs/policy/rules/iam-no-wildcard';
import { imageDigest } from '../constructs/policy/rules/image-digest';
import { kmsKeyPolicy } from '../constructs/policy/rules/kms-key-policy';
import { lambdaCodePinned } from '../constructs/policy/rules/lambda-code-pinned';
import { lambdaEnvironmentKms } from '../constructs/policy/rules/lambda-env-kms';
import { lambdaInVpc } from '../constructs/policy/rules/lambda-in-vpc';
import { lambdaReservedConcurrency } from '../constructs/policy/rules/lambda-reserved-concurrency';
import { lambdaTracing } from '../constructs/policy/rules/lambda-tracing';
import { logsEncrypted } from '../constructs/policy/rules/logs-encrypted';
import { logRetention } from '../constructs/policy/rules/logs-retention';
import { postgresNoPublicGrant } from '../constructs/policy/rules/postgres-no-public-grant';
import { rdsBackedUp } from '../constructs/policy/rules/rds-backed-up';
import { rdsConnectionLogs } from '../constructs/policy/rules/rds-connection-logs';
import { rdsEncrypted } from '../constructs/policy/rules/rds-encrypted';
import { rdsForceSsl } from '../constructs/policy/rules/rds-force-ssl';
import { rdsLogExports } from '../constructs/policy/rules/rds-log-exports';
import { rdsMonitoring } from '../constructs/policy/rules/rds-monitoring';
import { rdsPrivate } from '../constructs/policy/rules/rds-private';
import { rdsProtected } from '../constructs/policy/rules/rds-protected';
import { s3BlockPublicAccess } from '../constructs/policy/rules/s3-block-public-access';
import { s3TlsOnly } from '../constructs/policy/rules/s3-tls-only';
import { secretsRotation } from '../constructs/policy/rules/secrets-rotation';
import { noPublicPostgres } from '../constructs/policy/rules/sg-no-public-postgres';
import { snsEncrypted } from '../constructs/policy/rules/sns-encrypted';
import { tagsPresent } from '../constructs/policy/rules/tags-tenant-plan';
import { vpcFlowLogs } from '../constructs/policy/rules/vpc-flow-logs';
import { KUBERNETES_POLICY_CASES } from './support/kubernetes-policy-cases';
import { atlasAccessList } from '../constructs/policy/rules/atlas-access-list';
import { atlasBackedUp } from '../constructs/policy/rules/atlas-backed-up';
import { atlasProtected } from '../constructs/policy/rules/atlas-protected';
import { docdbBackedUp } from '../constructs/policy/rules/docdb-backed-up';
import { docdbEncrypted } from '../constructs/policy/rules/docdb-encrypted';
import { docdbProtected } from '../constructs/policy/rules/docdb-protected';
import { docdbTls } from '../constructs/policy/rules/docdb-tls';
import { mongoDataProtected } from '../constructs/policy/rules/mongo-data-protected';
import { mongodbUserScoped } from '../constructs/policy/rules/mongodb-user-scoped';
import { noPublicMongodb } from '../constructs/policy/rules/sg-no-public-mongodb';

const TAGS = { 'usualstore.tenant': 'shop', 'usualstore.plan': 'free' };

/** A resource (or, with `data.` before the type, a data source) as rules see it; its address is `<type>.<name>`. */
function view(type: string, config: Record<string, unknown>, extra: Partial<ResourceView> & { name?: string } = {}): ResourceView {
  const { name = 'it', ...rest } = extra;
  const data = type.startsWith('data.');
  const bare = data ? type.slice('data.'.length) : type;
  return { kind: data ? 'data' : 'resource', type: bare, address: `${data ? 'data.' : ''}${bare}.${name}`, config, taggable: false, defaultTags: {}, ...rest };
}

/** A reference to another element, as a resolved value has it. */
const ref = (address: string, attribute = 'id') => `\${${address}.${attribute}}`;

const PARAMETERS = view('aws_db_parameter_group', {
  parameter: [
    { name: 'rds.force_ssl', value: '1' },
    { name: 'log_connections', value: '1' },
    { name: 'log_disconnections', value: '1' },
  ],
});
const goodRds = {
  engine: 'postgres',
  storage_encrypted: true,
  deletion_protection: true,
  skip_final_snapshot: false,
  final_snapshot_identifier: 'shop-db-final',
  publicly_accessible: false,
  backup_retention_period: 7,
  enabled_cloudwatch_logs_exports: ['postgresql', 'upgrade'],
  parameter_group_name: ref(PARAMETERS.address, 'name'),
  monitoring_interval: 60,
  monitoring_role_arn: 'arn:aws:iam::123456789012:role/monitor',
  performance_insights_enabled: true,
  performance_insights_kms_key_id: 'arn:aws:kms:eu-west-1:123456789012:key/k',
};
const goodLambda = {
  vpc_config: { subnet_ids: ['subnet-1', 'subnet-2'], security_group_ids: ['sg-1'] },
  reserved_concurrent_executions: 2,
  tracing_config: { mode: 'Active' },
  environment: { variables: { API_PORT: '4000' } },
  kms_key_arn: 'arn:aws:kms:eu-west-1:123456789012:key/k',
  package_type: 'Zip',
  s3_bucket: 'builds',
  s3_key: 'api.zip',
  s3_object_version: 'v1',
};
const goodContainer = {
  image: ref('docker_image.api', 'image_id'),
  memory: 256,
  cpus: '0.25',
  ulimit: [{ name: 'nproc', soft: 128, hard: 128 }],
  user: '204100:204100',
  read_only: true,
  capabilities: { drop: ['ALL'] },
  security_opts: ['no-new-privileges:true'],
  log_driver: 'json-file',
  log_opts: { 'max-size': '10m', 'max-file': '3' },
  healthcheck: { test: ['CMD-SHELL', 'nc -z 127.0.0.1 4000 || exit 1'] },
  restart: 'on-failure',
  max_retry_count: 5,
  labels: [{ label: 'usualstore.plan', value: 'starter' }],
};
const DIGEST = `sha256:${'a'.repeat(64)}`;
const IMAGE = view('docker_image', { name: `ghcr.io/usualstore/api:1.0.0@${DIGEST}` }, { name: 'api' });
const TAGGED_IMAGE = view('docker_image', { name: 'ghcr.io/usualstore/api:1.0.0' }, { name: 'api' });

const VPC = view('aws_vpc', { cidr_block: '10.0.0.0/16' }, { name: 'vpc' });
const FLOW_LOG = view('aws_flow_log', { vpc_id: ref(VPC.address) });
const BUCKET = view('aws_s3_bucket', {}, { name: 'b' });
const BLOCK = view('aws_s3_bucket_public_access_block', {
  bucket: ref(BUCKET.address),
  block_public_acls: true,
  block_public_policy: true,
  ignore_public_acls: true,
  restrict_public_buckets: true,
});
const TLS_ONLY = view(
  'data.aws_iam_policy_document',
  { statement: [{ sid: 'TlsOnly', effect: 'Deny', actions: ['s3:*'], resources: ['arn:aws:s3:::b'], condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }] }] },
  { name: 'bucket_policy' },
);
const BUCKET_POLICY = view('aws_s3_bucket_policy', { bucket: ref(BUCKET.address), policy: ref(TLS_ONLY.address, 'json') });
const KEY = view('aws_kms_key', {}, { name: 'key' });
const ROOT = { type: 'AWS', identifiers: ['arn:aws:iam::123456789012:root'] };
const keyPolicyDocument = (statements: Record<string, unknown>[]) => view('data.aws_iam_policy_document', { statement: statements }, { name: 'key_policy' });
const VIA_RDS = { test: 'StringEquals', variable: 'kms:ViaService', values: ['rds.eu-west-1.amazonaws.com'] };
const GOOD_KEY_POLICY = keyPolicyDocument([
  { sid: 'Admin', principals: [ROOT], actions: ['kms:DescribeKey', 'kms:PutKeyPolicy'], resources: ['*'] },
  { sid: 'Use', principals: [ROOT], actions: ['kms:Decrypt'], resources: ['*'], condition: [VIA_RDS] },
]);
const KEY_POLICY = view('aws_kms_key_policy', { key_id: ref(KEY.address, 'key_id'), policy: ref(GOOD_KEY_POLICY.address, 'json') });
const SECRET = view('aws_secretsmanager_secret', { name: 's' }, { name: 'secret' });

const DOCDB_PARAMETERS = view('aws_docdb_cluster_parameter_group', { parameter: [{ name: 'tls', value: 'enabled' }] }, { name: 'docdb' });
const PLAIN_DOCDB_PARAMETERS = view('aws_docdb_cluster_parameter_group', { parameter: [{ name: 'tls', value: 'disabled' }] }, { name: 'plain' });
const goodDocdb = {
  storage_encrypted: true,
  kms_key_id: 'arn:aws:kms:eu-west-1:123456789012:key/k',
  deletion_protection: true,
  skip_final_snapshot: false,
  final_snapshot_identifier: 'shop-docdb-final',
  backup_retention_period: 7,
  db_cluster_parameter_group_name: ref(DOCDB_PARAMETERS.address, 'name'),
};
const goodAtlasCluster = {
  termination_protection_enabled: true,
  backup_enabled: true,
  advanced_configuration: { javascript_enabled: false },
  tags: [
    { key: 'usualstore.tenant', value: 'shop' },
    { key: 'usualstore.plan', value: 'starter' },
  ],
};
const goodAtlasUser = {
  auth_database_name: 'admin',
  username: 'shop__alice',
  roles: [{ role_name: 'dbOwner', database_name: 'shop' }],
  scopes: [{ name: 'shop', type: 'CLUSTER' }],
};

/** [rule, compliant, non-compliant, its findings, the other elements of the stack]. */
type Case = [PolicyRule, ResourceView, ResourceView, string[], ResourceView[]?];

const cases: Case[] = [
  [rdsEncrypted, view('aws_db_instance', goodRds), view('aws_db_instance', { ...goodRds, storage_encrypted: false }), ['storage_encrypted is false, must be true']],
  [
    rdsProtected,
    view('aws_db_instance', goodRds),
    view('aws_db_instance', { ...goodRds, deletion_protection: false, skip_final_snapshot: true, final_snapshot_identifier: undefined }),
    ['deletion_protection is false, must be true', 'skip_final_snapshot is true, must be false', 'final_snapshot_identifier is not set, must be a snapshot name'],
  ],
  [rdsPrivate, view('aws_db_instance', goodRds), view('aws_db_instance', { ...goodRds, publicly_accessible: true }), ['publicly_accessible is true, must be false']],
  [rdsBackedUp, view('aws_db_instance', goodRds), view('aws_db_instance', { ...goodRds, backup_retention_period: 1 }), ['backup_retention_period is 1, must be at least 7']],
  [rdsLogExports, view('aws_db_instance', goodRds), view('aws_db_instance', { ...goodRds, enabled_cloudwatch_logs_exports: ['postgresql'] }), ['enabled_cloudwatch_logs_exports lacks upgrade']],
  [
    rdsForceSsl,
    view('aws_db_instance', goodRds),
    view('aws_db_instance', { ...goodRds, parameter_group_name: undefined }),
    ["parameter_group_name is not set, so the engine's default group applies"],
    [PARAMETERS],
  ],
  [
    rdsConnectionLogs,
    view('aws_db_instance', goodRds),
    view('aws_db_instance', { ...goodRds, parameter_group_name: 'shared-group' }),
    ['parameter_group_name names a group outside this stack, which cannot be checked; define the group here'],
    [PARAMETERS],
  ],
  [
    rdsMonitoring,
    view('aws_db_instance', goodRds),
    view('aws_db_instance', { ...goodRds, monitoring_interval: 0, monitoring_role_arn: undefined, performance_insights_kms_key_id: undefined }),
    [
      'monitoring_interval is 0, must be one of 1, 5, 10, 15, 30, 60',
      'monitoring_role_arn is not set, must be a role RDS can assume',
      "performance_insights_kms_key_id is not set, must be the tenant's KMS key",
    ],
  ],
  [lambdaInVpc, view('aws_lambda_function', goodLambda), view('aws_lambda_function', { ...goodLambda, vpc_config: undefined }), ['vpc_config is not set, must be subnet_ids and security_group_ids']],
  [
    lambdaReservedConcurrency,
    view('aws_lambda_function', goodLambda),
    view('aws_lambda_function', { ...goodLambda, reserved_concurrent_executions: -1 }),
    ['reserved_concurrent_executions is -1, must be at least 1'],
  ],
  [lambdaTracing, view('aws_lambda_function', goodLambda), view('aws_lambda_function', { ...goodLambda, tracing_config: { mode: 'PassThrough' } }), ['tracing_config.mode is "PassThrough", must be "Active"']],
  [lambdaEnvironmentKms, view('aws_lambda_function', goodLambda), view('aws_lambda_function', { ...goodLambda, kms_key_arn: undefined }), ["kms_key_arn is not set, must be the tenant's KMS key"]],
  [lambdaCodePinned, view('aws_lambda_function', goodLambda), view('aws_lambda_function', { ...goodLambda, s3_object_version: undefined }), ['neither s3_object_version nor source_code_hash is set']],
  [
    noPublicPostgres,
    view('aws_vpc_security_group_ingress_rule', { ip_protocol: 'tcp', from_port: 5432, to_port: 5432, referenced_security_group_id: 'sg-1' }),
    view('aws_vpc_security_group_ingress_rule', { ip_protocol: 'tcp', from_port: 5432, to_port: 5432, cidr_ipv4: '0.0.0.0/0' }),
    ['ingress from 0.0.0.0/0 covers port 5432'],
  ],
  [vpcFlowLogs, VPC, view('aws_vpc', {}, { name: 'other' }), ['no aws_flow_log in this stack refers to the VPC'], [VPC, FLOW_LOG]],
  [
    apiAccessLogs,
    view('aws_apigatewayv2_stage', { name: '$default', access_log_settings: { destination_arn: 'arn:aws:logs:eu-west-1:123456789012:log-group:a', format: '{}' } }),
    view('aws_apigatewayv2_stage', { name: '$default' }),
    ['access_log_settings is not set, must be a destination_arn and a format'],
  ],
  [
    apiThrottling,
    view('aws_apigatewayv2_stage', { default_route_settings: { throttling_rate_limit: 10, throttling_burst_limit: 20 } }),
    view('aws_apigatewayv2_stage', { default_route_settings: { throttling_rate_limit: 10 } }),
    ['default_route_settings.throttling_burst_limit is not set, must be a burst above 0'],
  ],
  [
    cloudfrontTls,
    view('aws_cloudfront_distribution', { viewer_certificate: { acm_certificate_arn: 'arn:aws:acm:us-east-1:123456789012:certificate/c', minimum_protocol_version: 'TLSv1.2_2021' } }),
    view('aws_cloudfront_distribution', { viewer_certificate: { cloudfront_default_certificate: true } }),
    ['viewer_certificate uses the default *.cloudfront.net certificate, whose security policy is TLSv1'],
  ],
  [s3BlockPublicAccess, BUCKET, view('aws_s3_bucket', {}, { name: 'other' }), ['no aws_s3_bucket_public_access_block in this stack refers to the bucket'], [BUCKET, BLOCK]],
  [s3TlsOnly, BUCKET, view('aws_s3_bucket', {}, { name: 'other' }), ['no aws_s3_bucket_policy in this stack refers to the bucket'], [BUCKET, BUCKET_POLICY, TLS_ONLY]],
  [
    iamNoWildcard,
    view('data.aws_iam_policy_document', { statement: [{ sid: 'Read', actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] }] }),
    view('data.aws_iam_policy_document', { statement: [{ sid: 'Everything', actions: ['s3:*'], resources: ['*'] }] }),
    ['statement "Everything" allows the wildcard action "s3:*"', 'statement "Everything" allows "s3:*" on resource "*"'],
  ],
  [kmsKeyPolicy, KEY, view('aws_kms_key', {}, { name: 'bare' }), ["no key policy: the key has AWS's default policy; set policy, or add an aws_kms_key_policy referring to the key"], [KEY, KEY_POLICY, GOOD_KEY_POLICY]],
  [
    secretsRotation,
    SECRET,
    view('aws_secretsmanager_secret', {}, { name: 'other' }),
    ['no aws_secretsmanager_secret_rotation in this stack refers to the secret'],
    [SECRET, view('aws_secretsmanager_secret_rotation', { secret_id: ref(SECRET.address) })],
  ],
  [logRetention, view('aws_cloudwatch_log_group', { name: 'g', retention_in_days: 14 }), view('aws_cloudwatch_log_group', { name: 'g' }), ['retention_in_days is not set, must be a number of days']],
  [logsEncrypted, view('aws_cloudwatch_log_group', { kms_key_id: 'arn:aws:kms:eu-west-1:123456789012:key/k' }), view('aws_cloudwatch_log_group', {}), ["kms_key_id is not set, must be the tenant's KMS key"]],
  [snsEncrypted, view('aws_sns_topic', { kms_master_key_id: 'arn:aws:kms:eu-west-1:123456789012:key/k' }), view('aws_sns_topic', {}), ["kms_master_key_id is not set, must be the tenant's KMS key"]],
  [
    tagsPresent,
    view('aws_sns_topic', { name: 't' }, { taggable: true, defaultTags: TAGS }),
    view('aws_sns_topic', { name: 't', tags: { 'usualstore.tenant': 'shop' } }, { taggable: true }),
    ['tags lack usualstore.plan'],
  ],
  [
    containerLimits,
    view('docker_container', goodContainer),
    view('docker_container', { ...goodContainer, memory: undefined, cpus: undefined, ulimit: undefined }),
    ['memory is not set, must be a limit in MB', 'cpus is not set, must be a CPU limit (or cpu_quota)', 'ulimit nproc is not set, must be a hard process limit'],
  ],
  [containerNonRoot, view('docker_container', goodContainer), view('docker_container', { ...goodContainer, user: '0:0' }), ['user is "0:0", must be a user other than root, e.g. "10001:10001"']],
  [
    containerHardened,
    view('docker_container', goodContainer),
    view('docker_container', { ...goodContainer, read_only: false, capabilities: { drop: ['NET_RAW'] }, security_opts: [], privileged: true, network_mode: 'host' }),
    ['read_only is not true', 'capabilities.drop does not include "ALL"', 'security_opts lacks "no-new-privileges:true"', 'privileged is true', 'network_mode is "host"'],
  ],
  [containerLogRotation, view('docker_container', goodContainer), view('docker_container', { ...goodContainer, log_opts: { 'max-size': '10m' } }), ['log_opts lacks max-file']],
  [containerHealthcheck, view('docker_container', goodContainer), view('docker_container', { ...goodContainer, healthcheck: undefined }), ['healthcheck.test is not set']],
  [
    containerRestartBounded,
    view('docker_container', goodContainer),
    view('docker_container', { ...goodContainer, restart: 'unless-stopped' }),
    ['restart is "unless-stopped", must be "on-failure" with max_retry_count above 0'],
  ],
  [
    imageDigest,
    view('docker_container', goodContainer),
    view('docker_container', goodContainer, { name: 'tagged' }),
    [`image "ghcr.io/usualstore/api:1.0.0" is pinned by tag only, on plan "starter"; add @sha256:<digest>`],
  ],
  [
    postgresNoPublicGrant,
    view('postgresql_grant', { role: 'public', object_type: 'database', privileges: [] }),
    view('postgresql_grant', { role: 'PUBLIC', object_type: 'schema', privileges: ['CREATE', 'USAGE'] }),
    ['grants PUBLIC CREATE, USAGE on schema'],
  ],
  ...KUBERNETES_POLICY_CASES,
  [
    docdbEncrypted,
    view('aws_docdb_cluster', goodDocdb),
    view('aws_docdb_cluster', { ...goodDocdb, storage_encrypted: undefined, kms_key_id: undefined }),
    ['storage_encrypted is not set, must be true', "kms_key_id is not set, must be the tenant's KMS key"],
  ],
  [
    docdbProtected,
    view('aws_docdb_cluster', goodDocdb),
    view('aws_docdb_cluster', { ...goodDocdb, deletion_protection: false, skip_final_snapshot: true, final_snapshot_identifier: undefined }),
    ['deletion_protection is false, must be true', 'skip_final_snapshot is true, must be false', 'final_snapshot_identifier is not set, must be a snapshot name'],
  ],
  [docdbBackedUp, view('aws_docdb_cluster', goodDocdb), view('aws_docdb_cluster', { ...goodDocdb, backup_retention_period: 1 }), ['backup_retention_period is 1, must be at least 7']],
  [
    docdbTls,
    view('aws_docdb_cluster', goodDocdb),
    view('aws_docdb_cluster', { ...goodDocdb, db_cluster_parameter_group_name: ref(PLAIN_DOCDB_PARAMETERS.address, 'name') }),
    ['the parameter group sets tls to "disabled", must be "enabled"'],
    [DOCDB_PARAMETERS, PLAIN_DOCDB_PARAMETERS],
  ],
  [
    noPublicMongodb,
    view('aws_vpc_security_group_ingress_rule', { ip_protocol: 'tcp', from_port: 27017, to_port: 27017, referenced_security_group_id: 'sg-1' }),
    view('aws_vpc_security_group_ingress_rule', { ip_protocol: 'tcp', from_port: 27017, to_port: 27017, cidr_ipv4: '0.0.0.0/0' }),
    ['ingress from 0.0.0.0/0 covers port 27017'],
  ],
  [
    atlasProtected,
    view('mongodbatlas_advanced_cluster', goodAtlasCluster),
    view('mongodbatlas_advanced_cluster', { ...goodAtlasCluster, termination_protection_enabled: false, advanced_configuration: undefined }),
    ['termination_protection_enabled is false, must be true', 'advanced_configuration.javascript_enabled is not set, must be false'],
  ],
  [
    atlasBackedUp,
    view('mongodbatlas_advanced_cluster', goodAtlasCluster),
    view('mongodbatlas_advanced_cluster', { ...goodAtlasCluster, backup_enabled: false }),
    ['backup_enabled is false, must be true (plan "starter")'],
  ],
  [
    atlasAccessList,
    view('mongodbatlas_project_ip_access_list', { cidr_block: '203.0.113.10/32' }),
    view('mongodbatlas_project_ip_access_list', { cidr_block: '0.0.0.0/0' }),
    ["the access list admits 0.0.0.0/0, every address; list the Docker host's and the deploy machine's addresses"],
  ],
  [
    mongodbUserScoped,
    view('mongodbatlas_database_user', goodAtlasUser),
    view('mongodbatlas_database_user', { ...goodAtlasUser, roles: [{ role_name: 'dbOwner', database_name: 'shop' }, { role_name: 'readWrite', database_name: 'admin' }], scopes: [] }),
    [
      'a role on the "admin" database, which reaches beyond the tenant',
      'roles on 2 databases (shop, admin), must be on the tenant database only',
      "scopes has no CLUSTER, so the user reaches every cluster of the project; scope it to the tenant's cluster",
    ],
  ],
  [
    mongoDataProtected,
    view('docker_volume', { name: 'usualstore-shop-mongo-data', lifecycle: { prevent_destroy: true } }),
    view('docker_volume', { name: 'usualstore-shop-mongo-data' }),
    ['lifecycle.prevent_destroy is not set, must be true'],
  ],
];

describe('policy rules', () => {
  test.each(cases.map(([rule, ...rest]) => [rule.id, rule, ...rest] as const))(
    '%s accepts the compliant element and reports the non-compliant one',
    (_id, rule, compliant, nonCompliant, findings, others = []) => {
      // The tagged-image case needs its own stack: the container refers to docker_image.api there too.
      const stack = rule === imageDigest ? [IMAGE] : others;
      const taggedStack = rule === imageDigest ? [TAGGED_IMAGE] : others;
      expect([rule.check(compliant, viewContext(stack)), rule.check(nonCompliant, viewContext(taggedStack))]).toEqual([[], findings]);
    },
  );

  it('covers every rule with a compliant and a non-compliant case', () => {
    expect(POLICY_RULES.filter((rule) => !cases.some(([r]) => r === rule)).map((r) => r.id)).toEqual([]);
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
    expect(noPublicPostgres.check(view(type, config), viewContext([]))).toEqual(findings);
  });

  it("SG-NO-PUBLIC-POSTGRES takes the port from the app's database instances, in any stack", () => {
    const open6543 = view('aws_vpc_security_group_ingress_rule', { ip_protocol: 'tcp', from_port: 6543, to_port: 6543, cidr_ipv4: '0.0.0.0/0' });
    const open5432 = view('aws_vpc_security_group_ingress_rule', { ip_protocol: 'tcp', from_port: 5432, to_port: 5432, cidr_ipv4: '0.0.0.0/0' });
    const onPort = (port: unknown) => viewContext([], [view('aws_db_instance', { engine: 'postgres', port })]);
    expect([noPublicPostgres.check(open6543, onPort(6543)), noPublicPostgres.check(open5432, onPort(6543)), noPublicPostgres.check(open6543, onPort(undefined))]).toEqual([
      ['ingress from 0.0.0.0/0 covers port 6543'],
      [],
      [],
    ]);
    expect(noPublicPostgres.check(open6543, onPort(Token.asNumber('${var.port}')))).toEqual(['ingress from 0.0.0.0/0 covers the database port (known only at deploy time)']);
  });

  test.each([
    ['a Deny with a wildcard', { statement: [{ effect: 'Deny', actions: ['s3:*'], resources: ['*'] }] }, []],
    ['not_actions in an Allow', { statement: [{ not_actions: ['iam:*'], resources: ['arn:aws:s3:::b'] }] }, ['statement 1 allows every action but "iam:*"']],
    ['a trust policy', { statement: [{ actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['lambda.amazonaws.com'] }] }] }, []],
  ])('IAM-NO-WILDCARD judges %s', (_case, config, findings) => {
    expect(iamNoWildcard.check(view('data.aws_iam_policy_document', config), viewContext([]))).toEqual(findings);
  });

  it('IAM-NO-WILDCARD reads policies written as JSON, and takes "*" in a key policy for the key', () => {
    const json = JSON.stringify({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
    expect(iamNoWildcard.check(view('aws_iam_role_policy', { policy: json }), viewContext([]))).toEqual([
      'statement 1 allows the wildcard action "*"',
      'statement 1 allows "*" on resource "*"',
    ]);
    expect(iamNoWildcard.check(GOOD_KEY_POLICY, viewContext([KEY, KEY_POLICY, GOOD_KEY_POLICY]))).toEqual([]);
    // The same document used by no key: "*" is every resource again.
    expect(iamNoWildcard.check(GOOD_KEY_POLICY, viewContext([GOOD_KEY_POLICY]))).toEqual([
      'statement "Admin" allows "kms:DescribeKey", "kms:PutKeyPolicy" on resource "*"',
      'statement "Use" allows "kms:Decrypt" on resource "*"',
    ]);
  });

  it("KMS-KEY-POLICY refuses a policy that lets the account decrypt directly, as AWS's default does", () => {
    const open = keyPolicyDocument([{ sid: 'Default', principals: [ROOT], actions: ['kms:*'], resources: ['*'] }]);
    const withPolicy = view('aws_kms_key', { policy: ref(open.address, 'json') });
    expect(kmsKeyPolicy.check(withPolicy, viewContext([withPolicy, open]))).toEqual([
      'statement "Default" lets any IAM principal of the account kms:* directly, without a kms:ViaService condition',
    ]);
  });

  it('S3-BLOCK-PUBLIC-ACCESS and S3-TLS-ONLY judge the block and the policy they find', () => {
    const halfBlock = view('aws_s3_bucket_public_access_block', { ...BLOCK.config, restrict_public_buckets: false }, { name: 'half' });
    const allowOnly = view('data.aws_iam_policy_document', { statement: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] }] }, { name: 'allow' });
    const policy = view('aws_s3_bucket_policy', { bucket: ref(BUCKET.address), policy: ref(allowOnly.address, 'json') }, { name: 'p2' });
    expect([s3BlockPublicAccess.check(BUCKET, viewContext([halfBlock])), s3TlsOnly.check(BUCKET, viewContext([policy, allowOnly]))]).toEqual([
      ['the public access block leaves restrict_public_buckets off'],
      ['the bucket policy has no Deny statement on aws:SecureTransport = false'],
    ]);
  });

  test.each([
    ['a free tenant', { ...goodContainer, labels: [{ label: 'usualstore.plan', value: 'free' }] }, []],
    ['a digest', goodContainer, []],
  ])('IMAGE-DIGEST leaves alone %s', (_case, config, findings) => {
    const images = _case === 'a digest' ? [IMAGE] : [TAGGED_IMAGE];
    expect(imageDigest.check(view('docker_container', config), viewContext(images))).toEqual(findings);
  });

  it('IMAGE-DIGEST reads a function image and the plan from the default tags', () => {
    const fn = view('aws_lambda_function', { package_type: 'Image', image_uri: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1.0.0' }, { defaultTags: { 'usualstore.plan': 'enterprise' } });
    expect(imageDigest.check(fn, viewContext([]))).toEqual(['image "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1.0.0" is pinned by tag only, on plan "enterprise"; add @sha256:<digest>']);
  });

  test.each([
    ['a default privilege to PUBLIC', 'postgresql_default_privileges', { role: 'public', object_type: 'function', privileges: ['EXECUTE'] }, ['grants PUBLIC EXECUTE on function']],
    ['a revoke of default privileges', 'postgresql_default_privileges', { role: 'public', object_type: 'function', privileges: [] }, []],
    ['a membership for PUBLIC', 'postgresql_grant_role', { role: 'public', grant_role: 'shop__owner' }, ['grants membership in "shop__owner" to PUBLIC']],
    ['privileges known only at deploy time', 'postgresql_grant', { role: 'public', object_type: 'table', privileges: Token.asList('${var.p}') }, ['grants PUBLIC privileges known only at deploy time']],
    ['a grant to a tenant role', 'postgresql_grant', { role: 'shop__app', object_type: 'table', privileges: ['SELECT'] }, []],
  ])('POSTGRES-NO-PUBLIC-GRANT judges %s', (_case, type, config, findings) => {
    expect(postgresNoPublicGrant.check(view(type, config), viewContext([]))).toEqual(findings);
  });

  it('leaves resources that take no tags, and other providers, to the other rules', () => {
    expect([tagsPresent.check(view('aws_lambda_permission', {}), viewContext([])), tagsPresent.check(view('docker_container', {}, { taggable: true }), viewContext([]))]).toEqual([[], []]);
  });

  it('gives every rule a unique id and a one-line reason', () => {
    const ids = POLICY_RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(POLICY_RULES.filter((rule) => !rule.reason || rule.reason.includes('\n')).map((r) => r.id)).toEqual([]);
    expect(POLICY_RULES.filter((rule) => rule.level === 'warning').map((r) => r.id)).toEqual(['IMAGE-DIGEST']);
  });
});

describe('PolicyAspect', () => {
  function stackWith(build: (stack: TerraformStack) => void, tags: Record<string, string> = TAGS) {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'policy');
    new AwsProvider(stack, 'Aws', { region: 'eu-west-1', defaultTags: [{ tags }] });
    build(stack);
    Aspects.of(stack).add(new PolicyAspect(POLICY_RULES));
    return { app, stack };
  }
  const database = (stack: TerraformStack, overrides: Partial<ConstructorParameters<typeof DbInstance>[2]> = {}) =>
    new DbInstance(stack, 'Db', {
      instanceClass: 'db.t4g.micro',
      engine: 'mysql',
      storageEncrypted: true,
      deletionProtection: true,
      finalSnapshotIdentifier: 'shop-db-final',
      publiclyAccessible: false,
      backupRetentionPeriod: 7,
      monitoringInterval: 60,
      monitoringRoleArn: 'arn:aws:iam::123456789012:role/monitor',
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/k',
      ...overrides,
    });

  it('reads the synthesized arguments, the address and the provider default tags', () => {
    const { stack } = stackWith(() => undefined);
    const topic = new SnsTopic(stack, 'Topic', { name: 't' });
    expect(resourceView(topic)).toEqual({
      kind: 'resource',
      type: 'aws_sns_topic',
      address: `aws_sns_topic.${topic.friendlyUniqueId}`,
      config: expect.objectContaining({ name: 't' }),
      taggable: true,
      defaultTags: TAGS,
    });
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

  it('sees data sources: an IAM policy document with a wildcard fails synth', () => {
    const { app } = stackWith((stack) => new DataAwsIamPolicyDocument(stack, 'Doc', { statement: [{ sid: 'All', actions: ['*'], resources: ['*'] }] }));
    expect(() => app.synth()).toThrow(
      `[policy/Doc] ${policyViolation(iamNoWildcard.id, iamNoWildcard.reason, 'statement "All" allows the wildcard action "*"; statement "All" allows "*" on resource "*"')}`,
    );
  });

  it('sees other providers: a postgresql grant to PUBLIC fails synth', () => {
    const { app } = stackWith((stack) => {
      new PostgresqlProvider(stack, 'Postgresql', {});
      new Grant(stack, 'Grant', { role: 'public', database: 'shop', objectType: 'database', privileges: ['CONNECT'] });
    });
    expect(() => app.synth()).toThrow(`[policy/Grant] ${policyViolation(postgresNoPublicGrant.id, postgresNoPublicGrant.reason, 'grants PUBLIC CONNECT on database')}`);
  });

  it('resolves references between elements of the stack: a VPC passes with the flow log that names it, and fails without', () => {
    const build = (withFlowLog: boolean) =>
      stackWith((stack) => {
        const vpc = new Vpc(stack, 'Vpc', { cidrBlock: '10.0.0.0/16' });
        if (withFlowLog) new FlowLog(stack, 'FlowLog', { vpcId: vpc.id, trafficType: 'ALL', logDestinationType: 's3', logDestination: 'arn:aws:s3:::logs' });
      }).app;
    expect(() => build(true).synth()).not.toThrow();
    expect(() => build(false).synth()).toThrow(`[policy/Vpc] ${policyViolation(vpcFlowLogs.id, vpcFlowLogs.reason, 'no aws_flow_log in this stack refers to the VPC')}`);
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

  it('lets a suppression name the findings it exempts, and still fails on the others', () => {
    const { app } = stackWith((stack) => {
      const doc = new DataAwsIamPolicyDocument(stack, 'Doc', {
        statement: [
          { sid: 'Describe', actions: ['ec2:DescribeNetworkInterfaces'], resources: ['*'] },
          { sid: 'Write', actions: ['s3:PutObject'], resources: ['*'] },
        ],
      });
      suppressPolicy(doc, 'IAM-NO-WILDCARD', 'describe takes no resource', ['statement "Describe" allows "ec2:DescribeNetworkInterfaces" on resource "*"']);
    });
    expect(() => app.synth()).toThrow(`[policy/Doc] ${policyViolation(iamNoWildcard.id, iamNoWildcard.reason, 'statement "Write" allows "s3:PutObject" on resource "*"')}`);
  });

  it('shows a warning-level finding and synthesizes', () => {
    const { app, stack } = stackWith(() => undefined, { ...TAGS, 'usualstore.plan': 'starter' });
    const fn = new LambdaFunction(stack, 'Fn', {
      functionName: 'f',
      role: 'arn:aws:iam::123456789012:role/r',
      packageType: 'Image',
      imageUri: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1.0.0',
      reservedConcurrentExecutions: 1,
      tracingConfig: { mode: 'Active' },
      vpcConfig: { subnetIds: ['subnet-1'], securityGroupIds: ['sg-1'] },
    });
    expect(() => app.synth()).not.toThrow();
    expect(fn.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => m.data)).toEqual([
      policyWarning(imageDigest.id, imageDigest.reason, 'image "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1.0.0" is pinned by tag only, on plan "starter"; add @sha256:<digest>'),
    ]);
  });

  it('refuses a suppression without a reason', () => {
    const { stack } = stackWith(() => undefined);
    const topic = new SnsTopic(stack, 'Topic', { name: 't' });
    expect(() => suppressPolicy(topic, 'TAGS-TENANT-PLAN', ' ')).toThrow(suppressionWithoutReason('policy/Topic', 'TAGS-TENANT-PLAN'));
  });
});
