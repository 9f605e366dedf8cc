import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { KmsKeyPolicy } from '@cdktf/provider-aws/lib/kms-key-policy';
import { Construct } from 'constructs';
import { kmsAliasName } from '../../model/naming';
import { arnParts } from './arn-parts';

/** Props of {@link TenantKmsKey}. */
export interface TenantKmsKeyProps {
  readonly tenantKey: string;
  /** The tenant's region: the services that may use the key are this region's. */
  readonly region: string;
  /** The tenant's log groups, which CloudWatch Logs may encrypt with the key (their names; no other group can use it). */
  readonly logGroupNames: readonly string[];
  /**
   * Days a deleted key can still be restored (7 to 30).
   * @default 30
   */
  readonly deletionWindowDays?: number;
}

/** What the account's administrators may do with the key: manage it, never use it. */
export const KEY_ADMINISTRATION_ACTIONS: readonly string[] = [
  'kms:DescribeKey',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListResourceTags',
  'kms:ListKeyPolicies',
  'kms:ListKeyRotations',
  'kms:ListGrants',
  'kms:PutKeyPolicy',
  'kms:EnableKey',
  'kms:DisableKey',
  'kms:EnableKeyRotation',
  'kms:DisableKeyRotation',
  'kms:RotateKeyOnDemand',
  'kms:UpdateKeyDescription',
  'kms:CreateAlias',
  'kms:UpdateAlias',
  'kms:DeleteAlias',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:RevokeGrant',
  'kms:RetireGrant',
];

/** Encrypting and decrypting with the key. */
const USE_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey'];

/** Services through which the account's principals (their IAM policies permitting) may use the key. */
export const KEY_SERVICES = ['rds', 'secretsmanager', 'lambda', 'sns', 's3'] as const;

/**
 * The tenant's own KMS key, rotated yearly: it encrypts the database storage,
 * snapshots and Performance Insights, the RDS-managed master secret, the
 * app's secret, the function's environment, the tenant's log groups, its
 * alarm topic and its backups in S3 (`tenants backup --to s3://…`). It is never destroyed by Terraform: it must outlive the
 * database's final snapshot.
 *
 * Its key policy (an `aws_kms_key_policy`, since the policy needs the
 * account, read from the key's own ARN) isolates the tenant: the account's
 * administrators may manage the key but not use it; the account's
 * principals may use it only through RDS, Secrets Manager, Lambda, SNS and S3
 * in the tenant's region (`kms:ViaService`, and grants only for AWS
 * resources), so `kms:*` in someone's IAM policy decrypts no snapshot
 * directly; CloudWatch Logs may use it for the tenant's own log groups, and
 * CloudWatch for publishing alarms to the tenant's encrypted topic.
 */
export class TenantKmsKey extends Construct {
  readonly key: KmsKey;
  /** The key policy: log groups and the topic must wait for it before using the key. */
  readonly policy: KmsKeyPolicy;

  constructor(scope: Construct, id: string, props: TenantKmsKeyProps) {
    super(scope, id);
    this.key = new KmsKey(this, 'Key', {
      description: `usual-store tenant ${props.tenantKey}: database, secrets, function environment, logs and alarms`,
      enableKeyRotation: true,
      deletionWindowInDays: props.deletionWindowDays ?? 30,
      // It encrypts the final snapshot an offboarded tenant leaves behind: destroying it
      // would make that snapshot unreadable. Offboarding takes it out of state instead.
      lifecycle: { preventDestroy: true },
    });
    new KmsAlias(this, 'Alias', { name: kmsAliasName(props.tenantKey), targetKeyId: this.key.keyId });

    const { partition, account } = arnParts(this.key.arn);
    const accountRoot = { type: 'AWS', identifiers: [`arn:${partition}:iam::${account}:root`] };
    const viaTenantServices = {
      test: 'StringEquals',
      variable: 'kms:ViaService',
      values: KEY_SERVICES.map((service) => `${service}.${props.region}.amazonaws.com`),
    };
    const inAccount = { test: 'StringEquals', variable: 'kms:CallerAccount', values: [account] };
    const document = new DataAwsIamPolicyDocument(this, 'PolicyDocument', {
      statement: [
        { sid: 'KeyAdministration', principals: [accountRoot], actions: [...KEY_ADMINISTRATION_ACTIONS], resources: ['*'] },
        { sid: 'UseThroughTenantServices', principals: [accountRoot], actions: USE_ACTIONS, resources: ['*'], condition: [viaTenantServices, inAccount] },
        {
          sid: 'GrantsForTenantServices',
          principals: [accountRoot],
          actions: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
          resources: ['*'],
          condition: [viaTenantServices, inAccount, { test: 'Bool', variable: 'kms:GrantIsForAWSResource', values: ['true'] }],
        },
        {
          sid: 'TenantLogGroups',
          principals: [{ type: 'Service', identifiers: [`logs.${props.region}.amazonaws.com`] }],
          actions: USE_ACTIONS,
          resources: ['*'],
          condition: [
            {
              test: 'ArnEquals',
              variable: 'kms:EncryptionContext:aws:logs:arn',
              values: props.logGroupNames.map((name) => `arn:${partition}:logs:${props.region}:${account}:log-group:${name}`),
            },
          ],
        },
        {
          // CloudWatch publishes alarm notifications to the tenant's encrypted topic.
          sid: 'AlarmsToTenantTopic',
          principals: [{ type: 'Service', identifiers: ['cloudwatch.amazonaws.com'] }],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: ['*'],
        },
      ],
    });
    this.policy = new KmsKeyPolicy(this, 'Policy', { keyId: this.key.keyId, policy: document.json });
  }
}
