import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct } from 'constructs';
import { awsName } from '../../model/naming';
import { ANYWHERE_IPV4 } from '../../model/defaults';
import { POSTGRES_PORT } from './aws-defaults';

/** AWS services the function calls, which an interface endpoint can serve inside the VPC. */
export const ENDPOINT_SERVICES = ['secretsmanager', 'kms'] as const;

/** Props of {@link TenantSecurityGroups}. */
export interface TenantSecurityGroupsProps {
  readonly tenantKey: string;
  /** The tenant's region (the endpoints' service names). */
  readonly region: string;
  /** The VPC both groups belong to. */
  readonly vpcId: string;
  /** The private subnets (where endpoints go). */
  readonly subnetIds: readonly string[];
  /**
   * Ranges the function may reach on 443.
   * @default ["0.0.0.0/0"] - Stripe's API (which publishes no stable ranges) and, through the NAT, AWS APIs
   */
  readonly httpsCidrs?: readonly string[];
  /**
   * A deploy runner's security group, admitted to the database port.
   * @default - none
   */
  readonly deployRunnerSecurityGroupId?: string;
  /**
   * Interface endpoints for Secrets Manager and KMS in the private subnets, with private DNS.
   * @default false
   */
  readonly vpcEndpoints?: boolean;
  /**
   * The database's port and engine, as the rules and their descriptions name them.
   * @default - PostgreSQL on 5432
   */
  readonly database?: { readonly port: number; readonly engine: string };
}

/**
 * The security groups of a tenant: the database accepts PostgreSQL (5432;
 * a DocumentDB tenant's, MongoDB on 27017) from the function's group only
 * (and from a deploy runner's group, when the tenant names one) and sends nothing; the function may reach the database
 * and HTTPS in the allowed ranges (Stripe, AWS APIs). With `vpcEndpoints`,
 * Secrets Manager and KMS are reached through interface endpoints, whose own
 * group accepts HTTPS from the function only. The SMTP port, a deploy-time
 * variable, is opened by the app stack.
 */
export class TenantSecurityGroups extends Construct {
  readonly api: SecurityGroup;
  readonly database: SecurityGroup;
  readonly endpoints?: SecurityGroup;

  constructor(scope: Construct, id: string, props: TenantSecurityGroupsProps) {
    super(scope, id);
    const { port: databasePort, engine } = props.database ?? { port: POSTGRES_PORT, engine: 'PostgreSQL' };
    this.api = new SecurityGroup(this, 'Api', {
      name: awsName(props.tenantKey, 'api'),
      description: 'Store API function: no inbound; outbound to its database and HTTPS',
      vpcId: props.vpcId,
      // Rules are separate resources below; inline rules would fight them.
      revokeRulesOnDelete: true,
    });
    this.database = new SecurityGroup(this, 'Database', {
      name: awsName(props.tenantKey, 'db'),
      description: `Tenant database: ${engine} from the store API function only`,
      vpcId: props.vpcId,
      revokeRulesOnDelete: true,
    });

    new VpcSecurityGroupIngressRule(this, 'DatabaseFromApi', {
      securityGroupId: this.database.id,
      description: `${engine} from the store API function`,
      ipProtocol: 'tcp',
      fromPort: databasePort,
      toPort: databasePort,
      referencedSecurityGroupId: this.api.id,
    });
    if (props.deployRunnerSecurityGroupId) {
      new VpcSecurityGroupIngressRule(this, 'DatabaseFromDeployRunner', {
        securityGroupId: this.database.id,
        description: `${engine} from the deploy runner (roles, grants, migrations)`,
        ipProtocol: 'tcp',
        fromPort: databasePort,
        toPort: databasePort,
        referencedSecurityGroupId: props.deployRunnerSecurityGroupId,
      });
    }
    new VpcSecurityGroupEgressRule(this, 'ApiToDatabase', {
      securityGroupId: this.api.id,
      description: `${engine} to the tenant database`,
      ipProtocol: 'tcp',
      fromPort: databasePort,
      toPort: databasePort,
      referencedSecurityGroupId: this.database.id,
    });
    (props.httpsCidrs ?? [ANYWHERE_IPV4]).forEach((cidr, index) => {
      // The first keeps the id it always had, so an existing rule is not replaced.
      new VpcSecurityGroupEgressRule(this, index === 0 ? 'ApiToHttps' : `ApiToHttps${index}`, {
        securityGroupId: this.api.id,
        description: 'HTTPS to Stripe and AWS APIs',
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        cidrIpv4: cidr,
      });
    });

    if (props.vpcEndpoints) {
      this.endpoints = new SecurityGroup(this, 'Endpoints', {
        name: awsName(props.tenantKey, 'endpoints'),
        description: 'Secrets Manager and KMS endpoints: HTTPS from the store API function only',
        vpcId: props.vpcId,
        revokeRulesOnDelete: true,
      });
      new VpcSecurityGroupIngressRule(this, 'EndpointsFromApi', {
        securityGroupId: this.endpoints.id,
        description: 'HTTPS from the store API function',
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        referencedSecurityGroupId: this.api.id,
      });
      new VpcSecurityGroupEgressRule(this, 'ApiToEndpoints', {
        securityGroupId: this.api.id,
        description: 'HTTPS to the Secrets Manager and KMS endpoints',
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        referencedSecurityGroupId: this.endpoints.id,
      });
      for (const service of ENDPOINT_SERVICES) {
        new VpcEndpoint(this, `Endpoint_${service}`, {
          vpcId: props.vpcId,
          serviceName: `com.amazonaws.${props.region}.${service}`,
          vpcEndpointType: 'Interface',
          privateDnsEnabled: true,
          subnetIds: [...props.subnetIds],
          securityGroupIds: [this.endpoints.id],
        });
      }
    }
  }
}
