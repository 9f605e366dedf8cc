import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { PrivatelinkEndpoint } from '@cdktf/provider-mongodbatlas/lib/privatelink-endpoint';
import { PrivatelinkEndpointService } from '@cdktf/provider-mongodbatlas/lib/privatelink-endpoint-service';
import { Construct } from 'constructs';
import type { AtlasPrivateEndpoint as AtlasPrivateEndpointSettings } from '../../tenants/registry';
import { awsName } from '../../model/naming';

/** Ports Atlas's private endpoints use: each node of a cluster behind PrivateLink listens on a port of its own in this range. */
export const ATLAS_PRIVATE_ENDPOINT_PORTS = { from: 1024, to: 65535 } as const;

/** An Atlas region on AWS in AWS's own form: `EU_WEST_1` → `eu-west-1`. */
export function awsRegionOfAtlas(region: string): string {
  return region.toLowerCase().replace(/_/g, '-');
}

/** Props of {@link AtlasPrivateEndpoint}. */
export interface AtlasPrivateEndpointProps {
  readonly tenantKey: string;
  /** The tenant's Atlas project. */
  readonly projectId: string;
  /** The Atlas region of the cluster (`EU_WEST_1`); the VPC is in the same AWS region. */
  readonly region: string;
  /** The Docker host's VPC, subnets and security group. */
  readonly settings: AtlasPrivateEndpointSettings;
}

/**
 * A private endpoint (AWS PrivateLink) from the Docker host's VPC into the
 * tenant's Atlas project, instead of an IP access list: Atlas's endpoint
 * service, an interface endpoint in the VPC whose security group admits the
 * Docker host's group only, and the link between the two. The cluster is
 * then reached at its private-endpoint connection string.
 */
export class AtlasPrivateEndpoint extends Construct {
  readonly endpointService: PrivatelinkEndpointService;

  constructor(scope: Construct, id: string, props: AtlasPrivateEndpointProps) {
    super(scope, id);
    const service = new PrivatelinkEndpoint(this, 'Service', { projectId: props.projectId, providerName: 'AWS', region: awsRegionOfAtlas(props.region) });
    const group = new SecurityGroup(this, 'SecurityGroup', {
      name: awsName(props.tenantKey, 'endpoints'),
      description: 'Atlas private endpoint: MongoDB from the Docker host only',
      vpcId: props.settings.vpcId,
      revokeRulesOnDelete: true,
    });
    new VpcSecurityGroupIngressRule(this, 'FromDockerHost', {
      securityGroupId: group.id,
      description: 'MongoDB (Atlas private endpoint ports) from the Docker host',
      ipProtocol: 'tcp',
      fromPort: ATLAS_PRIVATE_ENDPOINT_PORTS.from,
      toPort: ATLAS_PRIVATE_ENDPOINT_PORTS.to,
      referencedSecurityGroupId: props.settings.clientSecurityGroupId,
    });
    const endpoint = new VpcEndpoint(this, 'Endpoint', {
      vpcId: props.settings.vpcId,
      serviceName: service.endpointServiceName,
      vpcEndpointType: 'Interface',
      subnetIds: [...props.settings.subnetIds],
      securityGroupIds: [group.id],
    });
    this.endpointService = new PrivatelinkEndpointService(this, 'Link', {
      projectId: props.projectId,
      privateLinkId: service.privateLinkId,
      endpointServiceId: endpoint.id,
      providerName: 'AWS',
    });
  }
}
