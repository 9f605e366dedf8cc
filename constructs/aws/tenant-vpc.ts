import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { awsName, vpcFlowLogGroupName } from '../../model/naming';
import { suppressPolicy } from '../policy';
import { PRIVATE_SUBNET_CIDRS, PUBLIC_SUBNET_CIDR, VPC_CIDR } from './aws-defaults';

/** Props of {@link TenantVpc}. */
export interface TenantVpcProps {
  readonly tenantKey: string;
  /** Two availability zones (names may be Terraform tokens); a private subnet goes into each. */
  readonly availabilityZones: readonly string[];
  /**
   * Address range of the VPC.
   * @default "10.20.0.0/16"
   */
  readonly cidr?: string;
  /** Days the flow log is kept (the plan's log retention). */
  readonly logRetentionDays: number;
}

/**
 * A tenant's own VPC: two private subnets in two availability zones for the
 * function and the database, and one NAT gateway (in a small public subnet)
 * through which the function reaches Stripe, SMTP and AWS APIs. The VPC's
 * default security group is emptied, so nothing uses it by accident.
 *
 * One NAT gateway, not one per zone: a zone outage stops outbound calls
 * until it recovers, for a fraction of the cost.
 *
 * A flow log records every accepted and rejected connection (addresses,
 * ports, bytes; no payload) in a log group of its own.
 */
export class TenantVpc extends Construct {
  readonly vpc: Vpc;
  readonly privateSubnets: readonly Subnet[];
  readonly flowLog: FlowLog;

  constructor(scope: Construct, id: string, props: TenantVpcProps) {
    super(scope, id);
    const cidr = props.cidr ?? VPC_CIDR;
    const name = awsName(props.tenantKey, 'vpc');
    const zone = (index: number): string => Fn.element(props.availabilityZones, index);

    this.vpc = new Vpc(this, 'Vpc', { cidrBlock: cidr, enableDnsSupport: true, enableDnsHostnames: true, tags: { Name: name } });
    new DefaultSecurityGroup(this, 'DefaultSecurityGroup', { vpcId: this.vpc.id, tags: { Name: `${name}-default-unused` } });
    this.flowLog = this.flowLogOf(props.tenantKey, name, props.logRetentionDays);

    const gateway = new InternetGateway(this, 'InternetGateway', { vpcId: this.vpc.id, tags: { Name: name } });
    const publicSubnet = new Subnet(this, 'PublicSubnet', {
      vpcId: this.vpc.id,
      cidrBlock: PUBLIC_SUBNET_CIDR,
      availabilityZone: zone(0),
      mapPublicIpOnLaunch: false,
      tags: { Name: `${name}-public` },
    });
    const publicRoutes = new RouteTable(this, 'PublicRoutes', {
      vpcId: this.vpc.id,
      route: [{ cidrBlock: '0.0.0.0/0', gatewayId: gateway.id }],
      tags: { Name: `${name}-public` },
    });
    new RouteTableAssociation(this, 'PublicRoutesAssociation', { subnetId: publicSubnet.id, routeTableId: publicRoutes.id });

    const natAddress = new Eip(this, 'NatAddress', { domain: 'vpc', tags: { Name: `${name}-nat` }, dependsOn: [gateway] });
    const nat = new NatGateway(this, 'NatGateway', { allocationId: natAddress.allocationId, subnetId: publicSubnet.id, tags: { Name: name } });
    const privateRoutes = new RouteTable(this, 'PrivateRoutes', {
      vpcId: this.vpc.id,
      route: [{ cidrBlock: '0.0.0.0/0', natGatewayId: nat.id }],
      tags: { Name: `${name}-private` },
    });

    this.privateSubnets = PRIVATE_SUBNET_CIDRS.map((cidrBlock, index) => {
      const subnet = new Subnet(this, `PrivateSubnet${index}`, {
        vpcId: this.vpc.id,
        cidrBlock,
        availabilityZone: zone(index),
        tags: { Name: `${name}-private-${index}` },
      });
      new RouteTableAssociation(this, `PrivateRoutesAssociation${index}`, { subnetId: subnet.id, routeTableId: privateRoutes.id });
      return subnet;
    });
  }

  private flowLogOf(tenantKey: string, vpcName: string, retentionInDays: number): FlowLog {
    const logGroup = new CloudwatchLogGroup(this, 'FlowLogGroup', { name: vpcFlowLogGroupName(vpcName), retentionInDays });
    suppressPolicy(
      logGroup,
      'LOGS-ENCRYPTED',
      "the tenant key is created by the database stack, which is deployed after this one; flow logs hold addresses and ports, no payload, and CloudWatch Logs encrypts them with its own key",
    );
    const role = new IamRole(this, 'FlowLogRole', {
      name: awsName(tenantKey, 'flow-logs'),
      description: `VPC flow log of ${tenantKey}`,
      assumeRolePolicy: new DataAwsIamPolicyDocument(this, 'FlowLogAssumeRole', {
        statement: [{ actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['vpc-flow-logs.amazonaws.com'] }] }],
      }).json,
    });
    const groupArn = Fn.split(':', logGroup.arn);
    // arn:<partition>:logs:<region>:<account>:log-group:<name>: every group of the account and region, for the describe call.
    const groups = `arn:${Fn.element(groupArn, 1)}:logs:${Fn.element(groupArn, 3)}:${Fn.element(groupArn, 4)}:log-group:*`;
    new IamRolePolicy(this, 'FlowLogPolicy', {
      name: 'flow-log',
      role: role.id,
      policy: new DataAwsIamPolicyDocument(this, 'FlowLogPermissions', {
        statement: [
          { sid: 'OwnLogGroup', actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], resources: [logGroup.arn, `${logGroup.arn}:*`] },
          { sid: 'FindLogGroup', actions: ['logs:DescribeLogGroups'], resources: [groups] },
        ],
      }).json,
    });
    return new FlowLog(this, 'FlowLog', {
      vpcId: this.vpc.id,
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: logGroup.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 60,
      tags: { Name: `${vpcName}-flow-log` },
    });
  }
}
