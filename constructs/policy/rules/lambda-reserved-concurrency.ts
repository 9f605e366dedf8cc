import { type PolicyRule, expected, isUnresolved } from '../policy-rule';

/** Bounded concurrency. */
export const lambdaReservedConcurrency: PolicyRule = {
  id: 'LAMBDA-RESERVED-CONCURRENCY',
  reason: 'A Lambda function must reserve (and so cap) its concurrency, so one tenant neither starves the account nor exhausts its database connections.',
  appliesTo: ['aws_lambda_function'],
  check: ({ config }) => {
    const reserved = config.reserved_concurrent_executions;
    if (isUnresolved(reserved) || (typeof reserved === 'number' && reserved >= 1)) return [];
    return [expected('reserved_concurrent_executions', reserved, 'at least 1')];
  },
};
