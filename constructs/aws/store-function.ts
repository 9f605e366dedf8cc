import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { LambdaCodeSigningConfig } from '@cdktf/provider-aws/lib/lambda-code-signing-config';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import type { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import type { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Construct } from 'constructs';
import type { CodeSigning, LambdaArchitecture, LambdaArtifact } from '../../tenants/registry';
import { awsName, functionLogGroupName } from '../../model/naming';
import type { PlanProfile } from '../../model/plans';
import { suppressPolicy } from '../policy';
import { arnParts } from './arn-parts';

/** Props of {@link StoreFunction}. */
export interface StoreFunctionProps {
  readonly tenantKey: string;
  /** The tenant's region. */
  readonly region: string;
  /** Memory, timeout, reserved concurrency and log retention. */
  readonly profile: PlanProfile;
  /** The API build: a zip in S3 (pinned by version or hash) or an image in ECR. */
  readonly artifact: LambdaArtifact;
  /** Private subnets the function runs in. */
  readonly subnetIds: readonly string[];
  /** The function's security group. */
  readonly securityGroup: SecurityGroup;
  /** Encrypts the environment and the log group; the function may decrypt with it only through Secrets Manager (its secret) and Lambda (its environment). */
  readonly kmsKey: KmsKey;
  /** The one secret the function may read. */
  readonly secret: SecretsmanagerSecret;
  /** Plain (non-secret) environment variables. */
  readonly environment: Readonly<Record<string, string>>;
  /**
   * Instruction set of the build.
   * @default "x86_64"
   */
  readonly architecture?: LambdaArchitecture;
  /**
   * Deploy only code signed by these AWS Signer profiles (Enforce).
   * @default - no code signing
   */
  readonly codeSigning?: CodeSigning;
}

/** The findings IAM-NO-WILDCARD reports for the actions that take no resource, suppressed with that reason. */
const ACTIONS_WITHOUT_RESOURCES = [
  'statement "DescribeNetworkInterfaces" allows "ec2:DescribeNetworkInterfaces" on resource "*"',
  'statement "Tracing" allows "xray:PutTraceSegments", "xray:PutTelemetryRecords" on resource "*"',
];

/**
 * The store API as a Lambda function on `provided.al2023`, in the tenant's
 * private subnets, with a log group of its own (retention by plan, the
 * tenant key), active tracing, reserved concurrency, an environment
 * encrypted with the tenant's key, code pinned by S3 object version or
 * hash (and optionally signed), and a role that may: write its own log
 * group; create network interfaces in its own subnets with its own
 * security group and manage interfaces of the account and region (Lambda
 * gives them no name to scope by); describe interfaces and write traces
 * (actions that take no resource); read its own secret; decrypt with the
 * tenant key only through Secrets Manager for that secret and through Lambda
 * for its environment. Nothing else: the app logs in to PostgreSQL with the
 * password in its DSN, so it has no `rds-db:connect`.
 */
export class StoreFunction extends Construct {
  readonly function: LambdaFunction;
  readonly role: IamRole;
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: StoreFunctionProps) {
    super(scope, id);
    const architecture = props.architecture ?? 'x86_64';
    const { profile, region } = props;
    const functionName = awsName(props.tenantKey, 'api');
    const { partition, account } = arnParts(props.kmsKey.arn);
    const ec2 = (resource: string) => `arn:${partition}:ec2:${region}:${account}:${resource}`;

    this.logGroup = new CloudwatchLogGroup(this, 'LogGroup', {
      name: functionLogGroupName(functionName),
      retentionInDays: profile.logRetentionDays,
      kmsKeyId: props.kmsKey.arn,
    });

    const assume = new DataAwsIamPolicyDocument(this, 'AssumeRole', {
      statement: [{ actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['lambda.amazonaws.com'] }] }],
    });
    this.role = new IamRole(this, 'Role', {
      name: functionName,
      description: `Store API of ${props.tenantKey}`,
      assumeRolePolicy: assume.json,
    });
    const viaService = (service: string) => ({ test: 'StringEquals', variable: 'kms:ViaService', values: [`${service}.${region}.amazonaws.com`] });
    const permissions = new DataAwsIamPolicyDocument(this, 'Permissions', {
      statement: [
        { sid: 'OwnLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [`${this.logGroup.arn}:*`] },
        {
          // Lambda creates the function's interfaces with the role's rights: in its subnets, with its group.
          sid: 'CreateNetworkInterfaces',
          actions: ['ec2:CreateNetworkInterface'],
          resources: [ec2('network-interface/*'), ...props.subnetIds.map((subnet) => ec2(`subnet/${subnet}`)), props.securityGroup.arn],
        },
        {
          sid: 'ManageNetworkInterfaces',
          actions: ['ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
          resources: [ec2('network-interface/*')],
        },
        { sid: 'DescribeNetworkInterfaces', actions: ['ec2:DescribeNetworkInterfaces'], resources: ['*'] },
        { sid: 'Tracing', actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: ['*'] },
        { sid: 'OwnSecret', actions: ['secretsmanager:GetSecretValue'], resources: [props.secret.arn] },
        {
          sid: 'OwnSecretThroughSecretsManager',
          actions: ['kms:Decrypt'],
          resources: [props.kmsKey.arn],
          condition: [viaService('secretsmanager'), { test: 'StringEquals', variable: 'kms:EncryptionContext:SecretARN', values: [props.secret.arn] }],
        },
        { sid: 'OwnEnvironmentThroughLambda', actions: ['kms:Decrypt'], resources: [props.kmsKey.arn], condition: [viaService('lambda')] },
      ],
    });
    suppressPolicy(permissions, 'IAM-NO-WILDCARD', 'ec2:DescribeNetworkInterfaces and the X-Ray actions take no resource (AWS accepts only "*")', ACTIONS_WITHOUT_RESOURCES);
    const policy = new IamRolePolicy(this, 'Policy', { name: 'store-api', role: this.role.id, policy: permissions.json });

    const signing =
      props.codeSigning &&
      new LambdaCodeSigningConfig(this, 'CodeSigning', {
        description: `Signed builds of ${props.tenantKey}'s store API only`,
        allowedPublishers: { signingProfileVersionArns: [...props.codeSigning.signingProfileVersionArns] },
        policies: { untrustedArtifactOnDeployment: 'Enforce' },
      });
    const { artifact } = props;
    const code =
      'imageUri' in artifact
        ? { packageType: 'Image', imageUri: artifact.imageUri }
        : {
            packageType: 'Zip',
            runtime: 'provided.al2023',
            handler: 'bootstrap',
            s3Bucket: artifact.s3Bucket,
            s3Key: artifact.s3Key,
            ...(artifact.s3ObjectVersion && { s3ObjectVersion: artifact.s3ObjectVersion }),
            ...(artifact.sourceCodeHash && { sourceCodeHash: artifact.sourceCodeHash }),
          };
    this.function = new LambdaFunction(this, 'Function', {
      functionName,
      description: `Store API of ${props.tenantKey}`,
      role: this.role.arn,
      ...code,
      ...(signing && { codeSigningConfigArn: signing.arn }),
      architectures: [architecture],
      memorySize: profile.functionMemoryMiB,
      timeout: profile.functionTimeoutSeconds,
      reservedConcurrentExecutions: profile.functionReservedConcurrency,
      vpcConfig: { subnetIds: [...props.subnetIds], securityGroupIds: [props.securityGroup.id] },
      environment: { variables: { ...props.environment } },
      kmsKeyArn: props.kmsKey.arn,
      tracingConfig: { mode: 'Active' },
      loggingConfig: { logFormat: 'JSON', logGroup: this.logGroup.name },
      // The role's rights must exist before Lambda checks them on create.
      dependsOn: [policy],
    });
  }
}
