import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { DbParameterGroup } from '@cdktf/provider-aws/lib/db-parameter-group';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import type { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import type { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Construct } from 'constructs';
import { awsName, parameterGroupName } from '../naming';
import type { PlanProfile } from '../plans';
import { POSTGRES_MAJOR_VERSION, POSTGRES_PARAMETER_FAMILY, POSTGRES_PORT, RDS_MASTER_USERNAME } from './aws-defaults';

/** Props of {@link TenantRds}. */
export interface TenantRdsProps {
  readonly tenantKey: string;
  /** Instance class, storage, backups and Multi-AZ. */
  readonly profile: PlanProfile;
  /** Private subnets in at least two availability zones. */
  readonly subnetIds: readonly string[];
  /** The group that accepts 5432 from the function only. */
  readonly securityGroup: SecurityGroup;
  /** Encrypts storage, snapshots and the master secret. */
  readonly kmsKey: KmsKey;
  /**
   * Deletion protection and `prevent_destroy`. Lifted only while the tenant
   * is offboarding; the final snapshot is taken either way.
   * @default true
   */
  readonly protect?: boolean;
}

/**
 * A tenant's own RDS PostgreSQL server: encrypted with the tenant's key, not
 * publicly accessible, TLS forced (`rds.force_ssl`), backups kept by plan,
 * deletion protection and a final snapshot, the master password generated
 * and rotated by RDS in Secrets Manager (never in Terraform), IAM database
 * authentication on.
 */
export class TenantRds extends Construct {
  readonly instance: DbInstance;
  readonly parameterGroup: DbParameterGroup;

  constructor(scope: Construct, id: string, props: TenantRdsProps) {
    super(scope, id);
    const protect = props.protect ?? true;
    const { profile, tenantKey } = props;
    const name = awsName(tenantKey, 'db');

    const subnets = new DbSubnetGroup(this, 'SubnetGroup', {
      name,
      description: `Private subnets of ${tenantKey}'s database`,
      subnetIds: [...props.subnetIds],
    });
    this.parameterGroup = new DbParameterGroup(this, 'ParameterGroup', {
      name: parameterGroupName(tenantKey, POSTGRES_PARAMETER_FAMILY),
      family: POSTGRES_PARAMETER_FAMILY,
      description: `${tenantKey}: TLS required`,
      parameter: [{ name: 'rds.force_ssl', value: '1' }],
    });
    this.instance = new DbInstance(this, 'Instance', {
      identifier: name,
      engine: 'postgres',
      engineVersion: POSTGRES_MAJOR_VERSION,
      autoMinorVersionUpgrade: true,
      instanceClass: profile.databaseInstanceClass,
      storageType: 'gp3',
      allocatedStorage: profile.databaseStorageGiB,
      maxAllocatedStorage: profile.databaseMaxStorageGiB,
      storageEncrypted: true,
      kmsKeyId: props.kmsKey.arn,
      username: RDS_MASTER_USERNAME,
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: props.kmsKey.arn,
      iamDatabaseAuthenticationEnabled: true,
      port: POSTGRES_PORT,
      dbSubnetGroupName: subnets.name,
      vpcSecurityGroupIds: [props.securityGroup.id],
      parameterGroupName: this.parameterGroup.name,
      publiclyAccessible: false,
      multiAz: profile.databaseMultiAz,
      backupRetentionPeriod: profile.backupRetentionDays,
      copyTagsToSnapshot: true,
      deletionProtection: protect,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: awsName(tenantKey, 'db-final'),
      lifecycle: { preventDestroy: protect },
    });
  }
}
