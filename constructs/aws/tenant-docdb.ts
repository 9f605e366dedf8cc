import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DocdbCluster } from '@cdktf/provider-aws/lib/docdb-cluster';
import { DocdbClusterInstance } from '@cdktf/provider-aws/lib/docdb-cluster-instance';
import { DocdbClusterParameterGroup } from '@cdktf/provider-aws/lib/docdb-cluster-parameter-group';
import { DocdbSubnetGroup } from '@cdktf/provider-aws/lib/docdb-subnet-group';
import type { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { DOCDB_ENGINE_VERSION, DOCDB_LOG_EXPORTS, DOCDB_MASTER_USERNAME, DOCDB_PARAMETER_FAMILY, MONGO_PORT } from '../../model/mongo-defaults';
import { awsName, docdbLogGroupName, docdbParameterGroupName } from '../../model/naming';
import { RDS_CA_CERT_IDENTIFIER } from './aws-defaults';
import type { TenantKmsKey } from './tenant-kms-key';

/** Props of {@link TenantDocdb}. */
export interface TenantDocdbProps {
  readonly tenantKey: string;
  /** The instances' class (the plan's, or the tenant's choice among the plan's). */
  readonly instanceClass: string;
  /** Instances: the primary and replicas in other zones. */
  readonly instances: number;
  /** Days automated backups are kept. */
  readonly backupRetentionDays: number;
  /** Days the exported logs are kept. */
  readonly logRetentionDays: number;
  /** Private subnets in at least two availability zones. */
  readonly subnetIds: readonly string[];
  /** The group that accepts 27017 from the function only. */
  readonly securityGroup: SecurityGroup;
  /** Encrypts storage, snapshots and the exported logs. */
  readonly kmsKey: TenantKmsKey;
  /**
   * Deletion protection and `prevent_destroy`. Lifted only while the tenant
   * is offboarding; the final snapshot is taken either way.
   * @default true
   */
  readonly protect?: boolean;
}

/** The log groups DocumentDB exports a tenant cluster's logs to. */
export function docdbLogGroupNames(tenantKey: string): string[] {
  return DOCDB_LOG_EXPORTS.map((log) => docdbLogGroupName(awsName(tenantKey, 'docdb'), log));
}

/**
 * A MongoDB tenant's own Amazon DocumentDB cluster: encrypted with the
 * tenant's key, in the private subnets behind a security group that admits
 * 27017 from the function only, TLS enforced by its cluster parameter group
 * (`tls = enabled`; clients check the certificate against the RDS CA bundle
 * in this repository), audit and profiler logs exported to log groups of
 * its own (retention by plan, the tenant key), backups kept by plan,
 * deletion protection and a final snapshot named with the time of the
 * cluster's creation, and the master password generated and kept by AWS in
 * Secrets Manager (`manage_master_user_password`), never in Terraform. One
 * instance on free and starter, a replica in another zone from professional up.
 */
export class TenantDocdb extends Construct {
  readonly cluster: DocdbCluster;
  readonly parameterGroup: DocdbClusterParameterGroup;
  readonly instances: readonly DocdbClusterInstance[];
  readonly logGroups: readonly CloudwatchLogGroup[];

  constructor(scope: Construct, id: string, props: TenantDocdbProps) {
    super(scope, id);
    const protect = props.protect ?? true;
    const name = awsName(props.tenantKey, 'docdb');
    const key = props.kmsKey.key;

    const subnets = new DocdbSubnetGroup(this, 'SubnetGroup', { name, description: `Private subnets of ${props.tenantKey}'s DocumentDB cluster`, subnetIds: [...props.subnetIds] });
    this.parameterGroup = new DocdbClusterParameterGroup(this, 'ParameterGroup', {
      name: docdbParameterGroupName(props.tenantKey, DOCDB_PARAMETER_FAMILY),
      family: DOCDB_PARAMETER_FAMILY,
      description: `${props.tenantKey}: TLS required, audit and profiler logs`,
      lifecycle: { createBeforeDestroy: true },
      parameter: [
        { name: 'tls', value: 'enabled' },
        { name: 'audit_logs', value: 'enabled' },
        { name: 'profiler', value: 'enabled' },
      ],
    });
    // Created before the cluster, so DocumentDB exports into groups with retention and encryption instead of creating bare ones.
    this.logGroups = DOCDB_LOG_EXPORTS.map(
      (log, index) =>
        new CloudwatchLogGroup(this, `LogGroup${index}`, {
          name: docdbLogGroupName(name, log),
          retentionInDays: props.logRetentionDays,
          kmsKeyId: key.arn,
          dependsOn: [props.kmsKey.policy],
        }),
    );
    this.cluster = new DocdbCluster(this, 'Cluster', {
      clusterIdentifier: name,
      engine: 'docdb',
      engineVersion: DOCDB_ENGINE_VERSION,
      port: MONGO_PORT,
      masterUsername: DOCDB_MASTER_USERNAME,
      manageMasterUserPassword: true,
      storageEncrypted: true,
      kmsKeyId: key.arn,
      dbSubnetGroupName: subnets.name,
      vpcSecurityGroupIds: [props.securityGroup.id],
      dbClusterParameterGroupName: this.parameterGroup.name,
      backupRetentionPeriod: props.backupRetentionDays,
      enabledCloudwatchLogsExports: [...DOCDB_LOG_EXPORTS],
      deletionProtection: protect,
      skipFinalSnapshot: false,
      // The time the cluster is created, kept (ignore_changes): each cluster's final snapshot has a name of its own.
      finalSnapshotIdentifier: `${awsName(props.tenantKey, 'docdb-final')}-${Fn.formatdate('YYYYMMDDhhmmss', Fn.timestamp())}`,
      lifecycle: { preventDestroy: protect, ignoreChanges: ['final_snapshot_identifier'] },
      dependsOn: [...this.logGroups, props.kmsKey.policy],
    });
    this.instances = Array.from(
      { length: props.instances },
      (_, index) =>
        new DocdbClusterInstance(this, `Instance${index}`, {
          identifier: `${name}-${index}`,
          clusterIdentifier: this.cluster.id,
          instanceClass: props.instanceClass,
          caCertIdentifier: RDS_CA_CERT_IDENTIFIER,
          autoMinorVersionUpgrade: true,
        }),
    );
  }
}
