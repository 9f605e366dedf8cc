import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import type { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import type { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Construct } from 'constructs';
import type { LambdaArchitecture, LambdaArtifact } from '../../tenants/registry/types';
import { awsName, functionLogGroupName } from '../naming';
import type { PlanProfile } from '../plans';

/** Props of {@link StoreFunction}. */
export interface StoreFunctionProps {
  readonly tenantKey: string;
  /** Memory, timeout, reserved concurrency and log retention. */
  readonly profile: PlanProfile;
  /** The API build: a zip in S3 or an image in ECR. */
  readonly artifact: LambdaArtifact;
  /** Private subnets the function runs in. */
  readonly subnetIds: readonly string[];
  /** The function's security group. */
  readonly securityGroup: SecurityGroup;
  /** Encrypts the environment; the function may decrypt with it (its secret is encrypted with it too). */
  readonly kmsKey: KmsKey;
  /** The one secret the function may read. */
  readonly secret: SecretsmanagerSecret;
  /** Plain (non-secret) environment variables. */
  readonly environment: Readonly<Record<string, string>>;
  /** `arn:…:rds-db:<region>:<account>:dbuser:<resource id>/<app role>`: the only database user it may get IAM tokens for. */
  readonly databaseUserArn: string;
  /**
   * Instruction set of the build.
   * @default "x86_64"
   */
  readonly architecture?: LambdaArchitecture;
}

/**
 * The store API as a Lambda function on `provided.al2023`, in the tenant's
 * private subnets, with a log group of its own (retention by plan), active
 * tracing, reserved concurrency, an environment encrypted with the tenant's
 * key, and a role that may read this tenant's secret, decrypt with this
 * tenant's key and connect as this tenant's app role, and nothing else.
 */
export class StoreFunction extends Construct {
  readonly function: LambdaFunction;
  readonly role: IamRole;
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: StoreFunctionProps) {
    super(scope, id);
    const architecture = props.architecture ?? 'x86_64';
    const { profile } = props;
    const functionName = awsName(props.tenantKey, 'api');

    this.logGroup = new CloudwatchLogGroup(this, 'LogGroup', { name: functionLogGroupName(functionName), retentionInDays: profile.logRetentionDays });

    const assume = new DataAwsIamPolicyDocument(this, 'AssumeRole', {
      statement: [{ actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['lambda.amazonaws.com'] }] }],
    });
    this.role = new IamRole(this, 'Role', {
      name: functionName,
      description: `Store API of ${props.tenantKey}`,
      assumeRolePolicy: assume.json,
    });
    const permissions = new DataAwsIamPolicyDocument(this, 'Permissions', {
      statement: [
        { sid: 'OwnLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [`${this.logGroup.arn}:*`] },
        {
          // Lambda manages the function's network interfaces with the role's
          // rights; these actions take no resource-level restriction that Lambda accepts.
          sid: 'VpcNetworkInterfaces',
          actions: ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
          resources: ['*'],
        },
        { sid: 'Tracing', actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: ['*'] },
        { sid: 'OwnSecret', actions: ['secretsmanager:GetSecretValue'], resources: [props.secret.arn] },
        { sid: 'OwnKey', actions: ['kms:Decrypt'], resources: [props.kmsKey.arn] },
        { sid: 'OwnDatabaseUser', actions: ['rds-db:connect'], resources: [props.databaseUserArn] },
      ],
    });
    const policy = new IamRolePolicy(this, 'Policy', { name: 'store-api', role: this.role.id, policy: permissions.json });

    const code =
      'imageUri' in props.artifact
        ? { packageType: 'Image', imageUri: props.artifact.imageUri }
        : { packageType: 'Zip', runtime: 'provided.al2023', handler: 'bootstrap', s3Bucket: props.artifact.s3Bucket, s3Key: props.artifact.s3Key };
    this.function = new LambdaFunction(this, 'Function', {
      functionName,
      description: `Store API of ${props.tenantKey}`,
      role: this.role.arn,
      ...code,
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
