import { type PolicyRule, isUnresolved } from '../policy-rule';
import { publicIngressFindings, serverPorts } from '../public-ingress';

/** PostgreSQL's own default, and RDS's for the postgres engine: the port of a server that sets none. */
export const POSTGRES_DEFAULT_PORT = 5432;

/** An `aws_db_instance` of PostgreSQL (or of an engine known only at deploy time). */
const isPostgres = (config: Readonly<Record<string, unknown>>) => config.engine === undefined || config.engine === 'postgres' || isUnresolved(config.engine);

/** PostgreSQL is never reachable from the internet. */
export const noPublicPostgres: PolicyRule = {
  id: 'SG-NO-PUBLIC-POSTGRES',
  reason: "No security group may accept the database port (each RDS instance's own, 5432 by default) from 0.0.0.0/0 or ::/0: the database takes connections from the tenant function only.",
  appliesTo: ['aws_security_group', 'aws_security_group_rule', 'aws_vpc_security_group_ingress_rule'],
  check: ({ type, config }, context) => publicIngressFindings(type, config, serverPorts(context, 'aws_db_instance', POSTGRES_DEFAULT_PORT, isPostgres), 'the database port'),
};
