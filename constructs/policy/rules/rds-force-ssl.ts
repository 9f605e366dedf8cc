import type { PolicyRule } from '../policy-rule';
import { instanceParameters } from '../rds-parameters';

/** TLS on every connection. */
export const rdsForceSsl: PolicyRule = {
  id: 'RDS-FORCE-SSL',
  reason: "A PostgreSQL RDS instance's parameter group must set rds.force_ssl = 1, so no client sends the admin's or the app's password in clear.",
  appliesTo: ['aws_db_instance'],
  check: (instance, context) => {
    if (instance.config.engine !== 'postgres') return [];
    const { parameters, problem } = instanceParameters(instance, context);
    if (problem) return [problem];
    const value = parameters?.get('rds.force_ssl');
    return value === '1' || value === 1 ? [] : [`the parameter group sets rds.force_ssl to ${value === undefined ? 'nothing' : JSON.stringify(value)}, must be "1"`];
  },
};
