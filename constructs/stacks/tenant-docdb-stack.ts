import type { DocdbCluster } from '@cdktf/provider-aws/lib/docdb-cluster';
import type { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { MongoTenant } from '../../tenants/registry';
import { MONGO_PLAN_PROFILES } from '../../model/mongo-plans';
import { awsStackNames } from '../../model/naming';
import { PLAN_PROFILES } from '../../model/plans';
import { suppressPolicy } from '../policy';
import { type AwsStackProps, configureAwsStack, tenantDatabaseKey } from './aws-stack';
import type { TenantNetworkStack } from './tenant-network-stack';
import { TenantDocdb, docdbLogGroupNames } from '../aws/tenant-docdb';
import { TenantKmsKey } from '../aws/tenant-kms-key';

/** Props of {@link TenantDocdbStack}. */
export interface TenantDocdbStackProps extends AwsStackProps {
  /** The validated tenant: MongoDB on DocumentDB, app target `lambda`. */
  readonly tenant: MongoTenant;
  /** Subnets and the database's security group (27017 from the function only). */
  readonly network: TenantNetworkStack;
}

/**
 * A DocumentDB tenant's KMS key and DocumentDB cluster, in their own stack
 * `<key>-database` (the name every Lambda tenant's database stack has), so
 * that the function and API can change without a plan that touches the
 * database. Only the AWS provider, like the Lambda target's other stacks.
 */
export class TenantDocdbStack extends TerraformStack {
  readonly tenantKmsKey: TenantKmsKey;
  readonly kmsKey: KmsKey;
  readonly cluster: DocdbCluster;

  constructor(scope: Construct, props: TenantDocdbStackProps) {
    const name = awsStackNames(props.tenant.key).database;
    super(scope, name);
    const { tenant, network } = props;
    if (tenant.database.placement !== 'documentdb') throw new Error(`${tenant.file}: database.placement "${tenant.database.placement}" has no DocumentDB stack`);
    configureAwsStack(this, name, props);
    this.addDependency(network);

    this.tenantKmsKey = tenantDatabaseKey(this, tenant, docdbLogGroupNames(tenant.key));
    this.kmsKey = this.tenantKmsKey.key;
    const protect = tenant.lifecycle !== 'offboarding';
    const docdb = new TenantDocdb(this, 'Docdb', {
      tenantKey: tenant.key,
      instanceClass: tenant.database.documentdb.instanceClass,
      instances: tenant.database.documentdb.instances,
      backupRetentionDays: MONGO_PLAN_PROFILES[tenant.plan].backupRetentionDays,
      logRetentionDays: PLAN_PROFILES[tenant.plan].logRetentionDays,
      subnetIds: network.privateSubnetIds,
      securityGroup: network.databaseSecurityGroup,
      kmsKey: this.tenantKmsKey,
      protect,
    });
    this.cluster = docdb.cluster;
    if (!protect) suppressPolicy(docdb.cluster, 'DOCDB-PROTECTED', `${tenant.file} is offboarding; the final snapshot is still taken`);

    new TerraformOutput(this, 'cluster_endpoint', { value: this.cluster.endpoint, description: 'Host name of the DocumentDB cluster (writer).' });
    new TerraformOutput(this, 'master_user_secret_arn', {
      value: this.cluster.masterUserSecret.get(0).secretArn,
      description: 'Secrets Manager secret with the AWS-managed master password (feed it to MONGODB_ADMIN_PASSWORD for the deploy).',
    });
  }
}
