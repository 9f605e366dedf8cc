import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct } from 'constructs';
import { awsName } from '../naming';
import { POSTGRES_PORT } from './aws-defaults';

/** Props of {@link TenantSecurityGroups}. */
export interface TenantSecurityGroupsProps {
  readonly tenantKey: string;
  /** The VPC both groups belong to. */
  readonly vpcId: string;
}

/**
 * The two security groups of a tenant: the database accepts PostgreSQL
 * (5432) from the function's group only and sends nothing; the function may
 * reach the database and HTTPS anywhere (Stripe, Secrets Manager). The SMTP
 * port, a deploy-time variable, is opened by the app stack.
 */
export class TenantSecurityGroups extends Construct {
  readonly api: SecurityGroup;
  readonly database: SecurityGroup;

  constructor(scope: Construct, id: string, props: TenantSecurityGroupsProps) {
    super(scope, id);
    this.api = new SecurityGroup(this, 'Api', {
      name: awsName(props.tenantKey, 'api'),
      description: 'Store API function: no inbound; outbound to its database and HTTPS',
      vpcId: props.vpcId,
      // Rules are separate resources below; inline rules would fight them.
      revokeRulesOnDelete: true,
    });
    this.database = new SecurityGroup(this, 'Database', {
      name: awsName(props.tenantKey, 'db'),
      description: 'Tenant database: PostgreSQL from the store API function only',
      vpcId: props.vpcId,
      revokeRulesOnDelete: true,
    });

    new VpcSecurityGroupIngressRule(this, 'DatabaseFromApi', {
      securityGroupId: this.database.id,
      description: 'PostgreSQL from the store API function',
      ipProtocol: 'tcp',
      fromPort: POSTGRES_PORT,
      toPort: POSTGRES_PORT,
      referencedSecurityGroupId: this.api.id,
    });
    new VpcSecurityGroupEgressRule(this, 'ApiToDatabase', {
      securityGroupId: this.api.id,
      description: 'PostgreSQL to the tenant database',
      ipProtocol: 'tcp',
      fromPort: POSTGRES_PORT,
      toPort: POSTGRES_PORT,
      referencedSecurityGroupId: this.database.id,
    });
    new VpcSecurityGroupEgressRule(this, 'ApiToHttps', {
      securityGroupId: this.api.id,
      description: 'HTTPS to Stripe and AWS APIs',
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      cidrIpv4: '0.0.0.0/0',
    });
  }
}
