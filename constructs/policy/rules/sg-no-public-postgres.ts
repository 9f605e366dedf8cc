import { type PolicyContext, type PolicyRule, blocks, isUnresolved, list } from '../policy-rule';

/** Every IPv4 and IPv6 address. */
export const ANYWHERE = ['0.0.0.0/0', '::/0'];

/** PostgreSQL's own default, and RDS's for the postgres engine: the port of a server that sets none. */
export const POSTGRES_DEFAULT_PORT = 5432;

/** An ingress rule as the three ways of writing one have it. */
export interface Ingress {
  readonly protocol: unknown;
  readonly fromPort: unknown;
  readonly toPort: unknown;
  readonly sources: readonly unknown[];
}

/**
 * The ports the app's PostgreSQL servers listen on, taken from the
 * `aws_db_instance` resources of every stack (a port known only at deploy
 * time is `undefined`: any port may be it); PostgreSQL's default when the
 * app defines no server.
 */
function databasePorts(context: PolicyContext): (number | undefined)[] {
  const ports = context
    .acrossStacks('aws_db_instance')
    .filter((db) => db.config.engine === undefined || db.config.engine === 'postgres' || isUnresolved(db.config.engine))
    .map((db) => db.config.port ?? POSTGRES_DEFAULT_PORT)
    .map((port) => (typeof port === 'number' && !isUnresolved(port) ? port : undefined));
  return ports.length ? [...new Set(ports)] : [POSTGRES_DEFAULT_PORT];
}

/** Whether the ingress may admit the port; a value known only at deploy time may. */
export function covers({ protocol, fromPort, toPort }: Ingress, port: number | undefined): boolean {
  if (isUnresolved(protocol) || isUnresolved(fromPort) || isUnresolved(toPort)) return true;
  const p = String(protocol).toLowerCase();
  if (p === '-1' || p === 'all') return true;
  if (p !== 'tcp' && p !== '6') return false;
  if (port === undefined) return true;
  return typeof fromPort === 'number' && typeof toPort === 'number' && fromPort <= port && port <= toPort;
}

/** The ingress rules of a security group, a security group rule or an ingress rule resource. */
export function ingressesOf(type: string, config: Readonly<Record<string, unknown>>): Ingress[] {
  switch (type) {
    case 'aws_security_group':
      return blocks(config.ingress).map((rule) => ({
        protocol: rule.protocol,
        fromPort: rule.from_port,
        toPort: rule.to_port,
        sources: [...list(rule.cidr_blocks), ...list(rule.ipv6_cidr_blocks)],
      }));
    case 'aws_security_group_rule':
      return config.type === 'ingress'
        ? [{ protocol: config.protocol, fromPort: config.from_port, toPort: config.to_port, sources: [...list(config.cidr_blocks), ...list(config.ipv6_cidr_blocks)] }]
        : [];
    default:
      return [{ protocol: config.ip_protocol, fromPort: config.from_port, toPort: config.to_port, sources: [config.cidr_ipv4, config.cidr_ipv6] }];
  }
}

/** PostgreSQL is never reachable from the internet. */
export const noPublicPostgres: PolicyRule = {
  id: 'SG-NO-PUBLIC-POSTGRES',
  reason: "No security group may accept the database port (each RDS instance's own, 5432 by default) from 0.0.0.0/0 or ::/0: the database takes connections from the tenant function only.",
  appliesTo: ['aws_security_group', 'aws_security_group_rule', 'aws_vpc_security_group_ingress_rule'],
  check: ({ type, config }, context) => {
    const ports = databasePorts(context);
    return ingressesOf(type, config).flatMap((ingress) => {
      const index = ports.findIndex((p) => covers(ingress, p));
      if (index < 0) return [];
      const port = ports[index];
      const shown = port === undefined ? 'the database port (known only at deploy time)' : `port ${port}`;
      return ingress.sources
        .filter((source) => source !== undefined && source !== null)
        .flatMap((source) => {
          if (ANYWHERE.includes(String(source))) return [`ingress from ${String(source)} covers ${shown}`];
          // A CIDR known only at deploy time cannot be judged: it may be the world.
          if (isUnresolved(source)) return [`ingress from a CIDR known only at deploy time may cover ${shown}; reference a security group or write the CIDR`];
          return [];
        });
    });
  },
};
