import { namespaceOf, POD_WORKLOAD_TYPES } from '../kubernetes-pods';
import { type PolicyRule, blocks, list } from '../policy-rule';

const POLICY_TYPES = ['kubernetes_network_policy_v1', 'kubernetes_network_policy'];

/** A pod's namespace denies whatever is not allowed. */
export const k8sNetworkPolicy: PolicyRule = {
  id: 'K8S-NETWORK-POLICY',
  reason:
    "Every workload's namespace must have, in the same stack, a NetworkPolicy that selects every pod (an empty pod_selector) for both Ingress and Egress: without it any pod of the cluster can reach the tenant's pods and they can reach anything. Add a deny-all policy, then allow each path.",
  appliesTo: POD_WORKLOAD_TYPES,
  check: (element, context) => {
    const namespace = namespaceOf(element, context);
    if (namespace === undefined) return [`its namespace is known only at deploy time; name it, or refer to a namespace resource of the stack`];
    const denyAll = context.elements.some((policy) => {
      if (!POLICY_TYPES.includes(policy.type) || namespaceOf(policy, context) !== namespace) return false;
      const [spec] = blocks(policy.config.spec);
      const selector = blocks(spec?.pod_selector)[0] ?? {};
      const selectsAll = Object.keys((selector.match_labels as object | undefined) ?? {}).length === 0 && blocks(selector.match_expressions).length === 0;
      const types = list(spec?.policy_types);
      return selectsAll && types.includes('Ingress') && types.includes('Egress');
    });
    return denyAll ? [] : [`no NetworkPolicy in this stack selects every pod of namespace ${JSON.stringify(namespace)} for Ingress and Egress`];
  },
};
