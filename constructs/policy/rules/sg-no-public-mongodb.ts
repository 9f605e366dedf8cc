import type { PolicyRule } from '../policy-rule';
import { publicIngressFindings, serverPorts } from '../public-ingress';

/** MongoDB's and DocumentDB's port when a cluster sets none. */
export const MONGODB_DEFAULT_PORT = 27017;

/** MongoDB is never reachable from the internet. */
export const noPublicMongodb: PolicyRule = {
  id: 'SG-NO-PUBLIC-MONGODB',
  reason: "No security group may accept MongoDB's port (each DocumentDB cluster's own, 27017 by default) from 0.0.0.0/0 or ::/0: the cluster takes connections from the tenant function only.",
  appliesTo: ['aws_security_group', 'aws_security_group_rule', 'aws_vpc_security_group_ingress_rule'],
  check: ({ type, config }, context) => publicIngressFindings(type, config, serverPorts(context, 'aws_docdb_cluster', MONGODB_DEFAULT_PORT), 'the cluster port'),
};
