/**
 * Security-group ingress as the rules that keep a database off the internet
 * read it: the three ways of writing an ingress rule, whether one admits a
 * port, and which of its sources are the world (or may be).
 */
import { type PolicyContext, blocks, isUnresolved, list } from './policy-rule';

/** Every IPv4 and IPv6 address. */
export const ANYWHERE = ['0.0.0.0/0', '::/0'];

/** An ingress rule as the three ways of writing one have it. */
export interface Ingress {
  readonly protocol: unknown;
  readonly fromPort: unknown;
  readonly toPort: unknown;
  readonly sources: readonly unknown[];
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

/**
 * What an ingress of a security group (or rule) admits from the world to one
 * of `ports` (undefined: a port known only at deploy time), one line each;
 * `portName` names such a port in the message ("the database port").
 */
export function publicIngressFindings(type: string, config: Readonly<Record<string, unknown>>, ports: readonly (number | undefined)[], portName: string): string[] {
  return ingressesOf(type, config).flatMap((ingress) => {
    const index = ports.findIndex((p) => covers(ingress, p));
    if (index < 0) return [];
    const port = ports[index];
    const shown = port === undefined ? `${portName} (known only at deploy time)` : `port ${port}`;
    return ingress.sources
      .filter((source) => source !== undefined && source !== null)
      .flatMap((source) => {
        if (ANYWHERE.includes(String(source))) return [`ingress from ${String(source)} covers ${shown}`];
        // A CIDR known only at deploy time cannot be judged: it may be the world.
        if (isUnresolved(source)) return [`ingress from a CIDR known only at deploy time may cover ${shown}; reference a security group or write the CIDR`];
        return [];
      });
  });
}

/**
 * The ports the app's servers of a resource type listen on, across every
 * stack (a port known only at deploy time is `undefined`: any port may be
 * it); `defaultPort` for a server that sets none, and when the app has none.
 */
export function serverPorts(context: PolicyContext, type: string, defaultPort: number, include: (config: Readonly<Record<string, unknown>>) => boolean = () => true): (number | undefined)[] {
  const ports = context
    .acrossStacks(type)
    .filter((server) => include(server.config))
    .map((server) => server.config.port ?? defaultPort)
    .map((port) => (typeof port === 'number' && !isUnresolved(port) ? port : undefined));
  return ports.length ? [...new Set(ports)] : [defaultPort];
}
