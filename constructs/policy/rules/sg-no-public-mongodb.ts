import { type PolicyContext, type PolicyRule, isUnresolved } from '../policy-rule';
import { ANYWHERE, covers, ingressesOf } from './sg-no-public-postgres';

/** MongoDB's and DocumentDB's port when a cluster sets none. */
export const MONGODB_DEFAULT_PORT = 27017;

/** The ports the app's DocumentDB clusters listen on (undefined: known only at deploy time); MongoDB's default when there is none. */
function clusterPorts(context: PolicyContext): (number | undefined)[] {
  const ports = context
    .acrossStacks('aws_docdb_cluster')
    .map((cluster) => cluster.config.port ?? MONGODB_DEFAULT_PORT)
    .map((port) => (typeof port === 'number' && !isUnresolved(port) ? port : undefined));
  return ports.length ? [...new Set(ports)] : [MONGODB_DEFAULT_PORT];
}

/** MongoDB is never reachable from the internet. */
export const noPublicMongodb: PolicyRule = {
  id: 'SG-NO-PUBLIC-MONGODB',
  reason: "No security group may accept MongoDB's port (each DocumentDB cluster's own, 27017 by default) from 0.0.0.0/0 or ::/0: the cluster takes connections from the tenant function only.",
  appliesTo: ['aws_security_group', 'aws_security_group_rule', 'aws_vpc_security_group_ingress_rule'],
  check: ({ type, config }, context) => {
    const ports = clusterPorts(context);
    return ingressesOf(type, config).flatMap((ingress) => {
      const index = ports.findIndex((p) => covers(ingress, p));
      if (index < 0) return [];
      const port = ports[index];
      const shown = port === undefined ? 'the cluster port (known only at deploy time)' : `port ${port}`;
      return ingress.sources
        .filter((source) => source !== undefined && source !== null)
        .flatMap((source) => {
          if (ANYWHERE.includes(String(source))) return [`ingress from ${String(source)} covers ${shown}`];
          if (isUnresolved(source)) return [`ingress from a CIDR known only at deploy time may cover ${shown}; reference a security group or write the CIDR`];
          return [];
        });
    });
  },
};
