import { type PolicyRule, referrers } from '../policy-rule';

/** Traffic metadata of every VPC recorded. */
export const vpcFlowLogs: PolicyRule = {
  id: 'VPC-FLOW-LOGS',
  reason: 'A VPC must have a flow log (an aws_flow_log in its stack naming it), so connections to and from a tenant network can be investigated.',
  appliesTo: ['aws_vpc'],
  check: (vpc, context) => (referrers(context, vpc, ['aws_flow_log'], 'vpc_id').length ? [] : ['no aws_flow_log in this stack refers to the VPC']),
};
