import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { DbParameterGroup } from '@cdktf/provider-aws/lib/db-parameter-group';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import type { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { awsName, parameterGroupName, rdsLogGroupName } from '../../model/naming';
import type { PlanProfile } from '../../model/plans';
import { arnParts } from './arn-parts';
import {
  PERFORMANCE_INSIGHTS_RETENTION_DAYS,
  POSTGRES_PORT,
  RDS_CA_CERT_IDENTIFIER,
  RDS_LOG_EXPORTS,
  RDS_MASTER_USERNAME,
  RDS_MONITORING_INTERVAL_SECONDS,
  postgresParameterFamily,
} from './aws-defaults';
import type { TenantKmsKey } from './tenant-kms-key';

/** Props of {@link TenantRds}. */
export interface TenantRdsProps {
  readonly tenantKey: string;
  /** Instance class, storage, backups, Multi-AZ and log retention. */
  readonly profile: PlanProfile;
  /**
   * The PostgreSQL major version (RDS applies minor versions in the maintenance
   * window). A higher one upgrades the server in place; a lower one RDS refuses.
   */
  readonly postgresMajor: number;
  /** Private subnets in at least two availability zones. */
  readonly subnetIds: readonly string[];
  /** The group that accepts 5432 from the function only. */
  readonly securityGroup: SecurityGroup;
  /** Encrypts storage, snapshots, Performance Insights, the master secret and the exported logs. */
  readonly kmsKey: TenantKmsKey;
  /**
   * Deletion protection and `prevent_destroy`. Lifted only while the tenant
   * is offboarding; the final snapshot is taken either way.
   * @default true
   */
  readonly protect?: boolean;
}

/** The log groups RDS exports a tenant server's logs to, by the instance's identifier. */
export function rdsLogGroupNames(tenantKey: string): string[] {
  return RDS_LOG_EXPORTS.map((log) => rdsLogGroupName(awsName(tenantKey, 'db'), log));
}

/**
 * A tenant's own RDS PostgreSQL server: encrypted with the tenant's key, not
 * publicly accessible, TLS forced (`rds.force_ssl`) with the RDS CA the
 * bundle in this repository trusts, every connection and disconnection
 * logged, its `postgresql` and `upgrade` logs exported to log groups of its
 * own (retention by plan, the tenant key), Enhanced Monitoring and
 * Performance Insights (the tenant key), backups kept by plan, deletion
 * protection and a final snapshot named with the time of the instance's
 * creation (so a second destroy of a re-created tenant cannot collide with
 * the first one's snapshot), the master password generated and rotated by
 * RDS in Secrets Manager (never in Terraform), IAM database authentication on.
 */
export class TenantRds extends Construct {
  readonly instance: DbInstance;
  readonly parameterGroup: DbParameterGroup;
  readonly logGroups: readonly CloudwatchLogGroup[];

  constructor(scope: Construct, id: string, props: TenantRdsProps) {
    super(scope, id);
    const protect = props.protect ?? true;
    const { profile, tenantKey } = props;
    const name = awsName(tenantKey, 'db');
    const key = props.kmsKey.key;

    const subnets = new DbSubnetGroup(this, 'SubnetGroup', {
      name,
      description: `Private subnets of ${tenantKey}'s database`,
      subnetIds: [...props.subnetIds],
    });
    const family = postgresParameterFamily(props.postgresMajor);
    this.parameterGroup = new DbParameterGroup(this, 'ParameterGroup', {
      name: parameterGroupName(tenantKey, family),
      family,
      // A major upgrade needs a group of the new family before the instance moves to it and lets go of the old one.
      lifecycle: { createBeforeDestroy: true },
      description: `${tenantKey}: TLS required, connections logged`,
      parameter: [
        { name: 'rds.force_ssl', value: '1' },
        { name: 'log_connections', value: '1' },
        { name: 'log_disconnections', value: '1' },
      ],
    });
    // Created before the instance, so RDS exports into groups with retention and encryption instead of creating bare ones.
    this.logGroups = RDS_LOG_EXPORTS.map(
      (log, index) =>
        new CloudwatchLogGroup(this, `LogGroup${index}`, {
          name: rdsLogGroupName(name, log),
          retentionInDays: profile.logRetentionDays,
          kmsKeyId: key.arn,
          dependsOn: [props.kmsKey.policy],
        }),
    );

    const monitoring = new IamRole(this, 'MonitoringRole', {
      name: awsName(tenantKey, 'db-monitor'),
      description: `Enhanced Monitoring of ${tenantKey}'s database`,
      assumeRolePolicy: new DataAwsIamPolicyDocument(this, 'MonitoringAssumeRole', {
        statement: [{ actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['monitoring.rds.amazonaws.com'] }] }],
      }).json,
    });
    const monitoringPolicy = new IamRolePolicyAttachment(this, 'MonitoringPolicy', {
      role: monitoring.name,
      policyArn: `arn:${arnParts(key.arn).partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`,
    });

    this.instance = new DbInstance(this, 'Instance', {
      identifier: name,
      engine: 'postgres',
      engineVersion: String(props.postgresMajor),
      autoMinorVersionUpgrade: true,
      // Only an explicit change of database.postgresVersion in the tenant's file changes the major.
      allowMajorVersionUpgrade: true,
      instanceClass: profile.databaseInstanceClass,
      storageType: 'gp3',
      allocatedStorage: profile.databaseStorageGiB,
      maxAllocatedStorage: profile.databaseMaxStorageGiB,
      storageEncrypted: true,
      kmsKeyId: key.arn,
      username: RDS_MASTER_USERNAME,
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: key.arn,
      iamDatabaseAuthenticationEnabled: true,
      port: POSTGRES_PORT,
      caCertIdentifier: RDS_CA_CERT_IDENTIFIER,
      dbSubnetGroupName: subnets.name,
      vpcSecurityGroupIds: [props.securityGroup.id],
      parameterGroupName: this.parameterGroup.name,
      publiclyAccessible: false,
      multiAz: profile.databaseMultiAz,
      backupRetentionPeriod: profile.backupRetentionDays,
      copyTagsToSnapshot: true,
      enabledCloudwatchLogsExports: [...RDS_LOG_EXPORTS],
      monitoringInterval: RDS_MONITORING_INTERVAL_SECONDS,
      monitoringRoleArn: monitoring.arn,
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: key.arn,
      performanceInsightsRetentionPeriod: PERFORMANCE_INSIGHTS_RETENTION_DAYS,
      deletionProtection: protect,
      skipFinalSnapshot: false,
      // The time the instance is created, kept (ignore_changes): each instance's final snapshot has a name of its own.
      finalSnapshotIdentifier: `${awsName(tenantKey, 'db-final')}-${Fn.formatdate('YYYYMMDDhhmmss', Fn.timestamp())}`,
      lifecycle: { preventDestroy: protect, ignoreChanges: ['final_snapshot_identifier'] },
      dependsOn: [...this.logGroups, monitoringPolicy, props.kmsKey.policy],
    });
  }
}
