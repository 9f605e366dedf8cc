import { blockAt, matchLabelsOf, namespaceOf, REPLICATED_WORKLOAD_TYPES } from '../kubernetes-pods';
import { type PolicyContext, type PolicyRule, type ResourceView, addressesIn, blocks, isUnresolved } from '../policy-rule';

const BUDGET_TYPES = ['kubernetes_pod_disruption_budget_v1', 'kubernetes_pod_disruption_budget'];
const AUTOSCALER_TYPES = ['kubernetes_horizontal_pod_autoscaler_v2', 'kubernetes_horizontal_pod_autoscaler_v2beta2', 'kubernetes_horizontal_pod_autoscaler_v1', 'kubernetes_horizontal_pod_autoscaler'];

/** The replicas a workload runs at least: its own count, else its autoscaler's minimum in the stack, else Kubernetes' 1. */
function replicasOf(element: ResourceView, context: PolicyContext): number | undefined {
  const [spec] = blocks(element.config.spec);
  if (spec?.replicas !== undefined) return isUnresolved(spec.replicas) ? undefined : Number(spec.replicas);
  const name = blocks(element.config.metadata)[0]?.name;
  const autoscaler = context.elements.find((e) => {
    if (!AUTOSCALER_TYPES.includes(e.type)) return false;
    const target = blockAt(e.config, ['spec', 'scale_target_ref']);
    return namespaceOf(e, context) === namespaceOf(element, context) && (target?.name === name || addressesIn(context.resolve(target?.name)).includes(element.address));
  });
  const min = autoscaler && blockAt(autoscaler.config, ['spec'])?.min_replicas;
  return min === undefined ? 1 : isUnresolved(min) ? undefined : Number(min);
}

/** A workload of several pods keeps enough of them through a node drain. */
export const k8sDisruptionBudget: PolicyRule = {
  id: 'K8S-DISRUPTION-BUDGET',
  reason:
    'A workload of more than one replica must have a PodDisruptionBudget in its namespace, in the same stack, selecting its pods: otherwise a node drain or cluster upgrade may evict them all at once. Add one with max_unavailable = 1 and the workload\'s selector.',
  appliesTo: REPLICATED_WORKLOAD_TYPES,
  check: (element, context) => {
    const replicas = replicasOf(element, context);
    if (replicas === undefined || replicas <= 1) return [];
    const podLabels = (blockAt(element.config, ['spec', 'template', 'metadata'])?.labels as Record<string, unknown> | undefined) ?? {};
    const namespace = namespaceOf(element, context);
    const covered = context.elements.some((budget) => {
      if (!BUDGET_TYPES.includes(budget.type) || namespaceOf(budget, context) !== namespace) return false;
      const selector = matchLabelsOf(blocks(budget.config.spec)[0]?.selector);
      return Object.keys(selector).length > 0 && Object.entries(selector).every(([key, value]) => podLabels[key] === value);
    });
    return covered ? [] : [`it runs ${replicas} replicas and no PodDisruptionBudget in this stack selects its pods`];
  },
};
