import { type PolicyRule, expected } from '../policy-rule';

/** No public endpoint. */
export const rdsPrivate: PolicyRule = {
  id: 'RDS-PRIVATE',
  reason: 'An RDS instance must not be publicly accessible: only the tenant function reaches it, inside the VPC.',
  appliesTo: ['aws_db_instance'],
  check: ({ config }) =>
    config.publicly_accessible === false || config.publicly_accessible === undefined ? [] : [expected('publicly_accessible', config.publicly_accessible, 'false')],
};
