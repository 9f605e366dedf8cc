import { type PolicyRule, blocks, expected, isUnresolved } from '../policy-rule';

const nonEmpty = (value: unknown) => isUnresolved(value) || (Array.isArray(value) && value.length > 0);

/** Runs in the tenant's private subnets. */
export const lambdaInVpc: PolicyRule = {
  id: 'LAMBDA-IN-VPC',
  reason: 'A Lambda function must run in the VPC, with subnets and security groups, so only it can reach the tenant database.',
  appliesTo: ['aws_lambda_function'],
  check: ({ config }) => {
    const [vpc] = blocks(config.vpc_config);
    if (!vpc) return [expected('vpc_config', undefined, 'subnet_ids and security_group_ids')];
    return [
      ...(nonEmpty(vpc.subnet_ids) ? [] : [expected('vpc_config.subnet_ids', vpc.subnet_ids, 'a non-empty list')]),
      ...(nonEmpty(vpc.security_group_ids) ? [] : [expected('vpc_config.security_group_ids', vpc.security_group_ids, 'a non-empty list')]),
    ];
  },
};
