import type { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import type { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { PostgresTenant } from '../../tenants/registry';
import { DEFAULT_POSTGRES_MAJOR } from '../../model/defaults';
import { awsStackNames } from '../../model/naming';
import { PLAN_PROFILES } from '../../model/plans';
import { suppressPolicy } from '../policy';
import { type AwsStackProps, configureAwsStack, tenantDatabaseKey } from './aws-stack';
import type { TenantNetworkStack } from './tenant-network-stack';
import { TenantKmsKey } from '../aws/tenant-kms-key';
import { TenantRds, rdsLogGroupNames } from '../aws/tenant-rds';

/** Props of {@link TenantDatabaseStack}. */
export interface TenantDatabaseStackProps extends AwsStackProps {
  /** The validated tenant; its database is PostgreSQL and its app target `lambda`. */
  readonly tenant: PostgresTenant;
  /** Subnets and the database's security group. */
  readonly network: TenantNetworkStack;
}

/**
 * The tenant's KMS key and RDS PostgreSQL server, in their own stack
 * `<key>-database`, so that the function and API can change without a plan
 * that touches the database.
 */
export class TenantDatabaseStack extends TerraformStack {
  readonly tenantKmsKey: TenantKmsKey;
  readonly kmsKey: KmsKey;
  readonly instance: DbInstance;

  constructor(scope: Construct, props: TenantDatabaseStackProps) {
    const name = awsStackNames(props.tenant.key).database;
    super(scope, name);
    const { tenant, network } = props;
    configureAwsStack(this, name, props);
    this.addDependency(network);

    this.tenantKmsKey = tenantDatabaseKey(this, tenant, rdsLogGroupNames(tenant.key));
    this.kmsKey = this.tenantKmsKey.key;
    const protect = tenant.lifecycle !== 'offboarding';
    const rds = new TenantRds(this, 'Rds', {
      tenantKey: tenant.key,
      profile: PLAN_PROFILES[tenant.plan],
      postgresMajor: tenant.database.postgresVersion ?? DEFAULT_POSTGRES_MAJOR,
      subnetIds: network.privateSubnetIds,
      securityGroup: network.databaseSecurityGroup,
      kmsKey: this.tenantKmsKey,
      protect,
    });
    this.instance = rds.instance;
    if (!protect) suppressPolicy(rds.instance, 'RDS-PROTECTED', `${tenant.file} is offboarding; the final snapshot is still taken`);

    new TerraformOutput(this, 'database_address', { value: this.instance.address, description: 'Host name of the tenant database (without the port).' });
    new TerraformOutput(this, 'master_user_secret_arn', {
      value: this.instance.masterUserSecret.get(0).secretArn,
      description: 'Secrets Manager secret with the RDS-managed master password (feed it to PGPASSWORD).',
    });
  }
}
