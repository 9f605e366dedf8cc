import type { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import { awsStackNames } from '../../model/naming';
import { PLAN_PROFILES } from '../../model/plans';
import { type AwsStackProps, configureAwsStack, lambdaTarget } from './aws-stack';
import { TenantSecurityGroups } from '../aws/tenant-security-groups';
import { TenantVpc } from '../aws/tenant-vpc';

/** Props of {@link TenantNetworkStack}. */
export interface TenantNetworkStackProps extends AwsStackProps {
  /**
   * The database's port and engine, for its security group's rules.
   * @default - PostgreSQL on 5432
   */
  readonly database?: { readonly port: number; readonly engine: string };
}

/**
 * The network of a Lambda tenant, in its own stack `<key>-network`: a new
 * VPC (two private subnets, one NAT gateway, a flow log) unless the registry
 * names an existing one (`app.vpc`, whose flow logs are its owner's), and
 * the security groups of the function and the database in either case
 * (with interface endpoints for Secrets Manager and KMS when asked).
 *
 * The availability zones of a new VPC are the variable `availability_zones`
 * (default `<region>a`, `<region>b`), so that a plan needs no AWS call;
 * set `TF_VAR_availability_zones` where an account lacks those zones.
 */
export class TenantNetworkStack extends TerraformStack {
  readonly vpcId: string;
  /** Two or more private subnets in different availability zones. */
  readonly privateSubnetIds: readonly string[];
  readonly apiSecurityGroup: SecurityGroup;
  readonly databaseSecurityGroup: SecurityGroup;

  constructor(scope: Construct, props: TenantNetworkStackProps) {
    const name = awsStackNames(props.tenant.key).network;
    super(scope, name);
    const { tenant } = props;
    const target = lambdaTarget(tenant);
    configureAwsStack(this, name, props);

    if (target.vpc) {
      this.vpcId = target.vpc.id;
      this.privateSubnetIds = target.vpc.privateSubnetIds;
    } else {
      const zones = new TerraformVariable(this, 'availability_zones', {
        type: 'list(string)',
        default: [`${target.region}a`, `${target.region}b`],
        description: 'Two availability zones of the region for the private subnets.',
      });
      zones.overrideLogicalId('availability_zones');
      const vpc = new TenantVpc(this, 'Vpc', { tenantKey: tenant.key, availabilityZones: zones.listValue, logRetentionDays: PLAN_PROFILES[tenant.plan].logRetentionDays });
      this.vpcId = vpc.vpc.id;
      this.privateSubnetIds = vpc.privateSubnets.map((subnet) => subnet.id);
    }
    const groups = new TenantSecurityGroups(this, 'SecurityGroups', {
      tenantKey: tenant.key,
      region: target.region,
      vpcId: this.vpcId,
      subnetIds: this.privateSubnetIds,
      httpsCidrs: target.egress.httpsCidrs,
      deployRunnerSecurityGroupId: target.deployRunnerSecurityGroupId,
      vpcEndpoints: target.vpcEndpoints,
      database: props.database,
    });
    this.apiSecurityGroup = groups.api;
    this.databaseSecurityGroup = groups.database;

    new TerraformOutput(this, 'vpc_id', { value: this.vpcId, description: 'The VPC of the tenant.' });
    new TerraformOutput(this, 'private_subnet_ids', { value: this.privateSubnetIds, description: 'Private subnets of the function and the database.' });
  }
}
