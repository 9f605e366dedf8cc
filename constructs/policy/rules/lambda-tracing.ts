import { type PolicyRule, blocks, expected } from '../policy-rule';

/** X-Ray tracing. */
export const lambdaTracing: PolicyRule = {
  id: 'LAMBDA-TRACING',
  reason: 'A Lambda function must have active X-Ray tracing, so slow requests can be followed into the database.',
  appliesTo: ['aws_lambda_function'],
  check: ({ config }) => {
    const [tracing] = blocks(config.tracing_config);
    return tracing?.mode === 'Active' ? [] : [expected('tracing_config.mode', tracing?.mode, '"Active"')];
  },
};
