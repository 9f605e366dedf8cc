import type { PolicyRule } from '../policy-rule';
import { instanceParameters } from '../rds-parameters';

const LOGGED = ['log_connections', 'log_disconnections'];

/** Who connected, and when. */
export const rdsConnectionLogs: PolicyRule = {
  id: 'RDS-CONNECTION-LOGS',
  reason: "A PostgreSQL RDS instance's parameter group must set log_connections and log_disconnections = 1, so every login to a tenant's database is on record.",
  appliesTo: ['aws_db_instance'],
  check: (instance, context) => {
    if (instance.config.engine !== 'postgres') return [];
    const { parameters, problem } = instanceParameters(instance, context);
    if (problem) return [problem];
    return LOGGED.filter((name) => !['1', 1, 'on'].includes(parameters?.get(name) as string)).map((name) => `the parameter group does not set ${name} = 1`);
  },
};
