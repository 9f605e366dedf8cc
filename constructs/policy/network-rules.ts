import { POSTGRES_PORT } from '../aws/aws-defaults';
import { type PolicyRule, blocks, isUnresolved } from './policy-rule';

const ANYWHERE = ['0.0.0.0/0', '::/0'];

/** An ingress rule as the three ways of writing one have it. */
interface Ingress {
  readonly protocol: unknown;
  readonly fromPort: unknown;
  readonly toPort: unknown;
  readonly sources: readonly unknown[];
}

/** Whether the ingress may admit PostgreSQL's port; a value known only at deploy time may. */
function coversPostgres({ protocol, fromPort, toPort }: Ingress): boolean {
  if (isUnresolved(protocol) || isUnresolved(fromPort) || isUnresolved(toPort)) return true;
  const p = String(protocol).toLowerCase();
  if (p === '-1' || p === 'all') return true;
  if (p !== 'tcp' && p !== '6') return false;
  return typeof fromPort === 'number' && typeof toPort === 'number' && fromPort <= POSTGRES_PORT && POSTGRES_PORT <= toPort;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
}

function ingressesOf(type: string, config: Readonly<Record<string, unknown>>): Ingress[] {
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
  reason: `No security group may accept PostgreSQL (${POSTGRES_PORT}) from 0.0.0.0/0 or ::/0: the database takes connections from the tenant function only.`,
  appliesTo: ['aws_security_group', 'aws_security_group_rule', 'aws_vpc_security_group_ingress_rule'],
  check: ({ type, config }) =>
    ingressesOf(type, config)
      .filter((ingress) => coversPostgres(ingress))
      .flatMap((ingress) => ingress.sources.filter((source) => source !== undefined && source !== null))
      .flatMap((source) => {
        if (ANYWHERE.includes(String(source))) return [`ingress from ${String(source)} covers port ${POSTGRES_PORT}`];
        // A CIDR (or port) known only at deploy time cannot be judged: it may be the world.
        if (isUnresolved(source)) return [`ingress from a CIDR known only at deploy time may cover port ${POSTGRES_PORT}; reference a security group or write the CIDR`];
        return [];
      }),
};

/** The network rule family. */
export const NETWORK_RULES: readonly PolicyRule[] = [noPublicPostgres];
