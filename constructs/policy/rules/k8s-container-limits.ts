import { containersOf, podSpecOf, POD_WORKLOAD_TYPES } from '../kubernetes-pods';
import { type PolicyRule, blocks, isUnresolved } from '../policy-rule';

/** One tenant's pods cannot starve the others of a shared node. */
export const k8sContainerLimits: PolicyRule = {
  id: 'K8S-CONTAINER-LIMITS',
  reason:
    "Every container must have CPU and memory limits (resources.limits.cpu and .memory): tenants share the cluster's nodes, and a container without limits can take a node's whole CPU and memory from every other. Set them from the plan (model/plans.ts).",
  appliesTo: POD_WORKLOAD_TYPES,
  check: (element) =>
    containersOf(podSpecOf(element)).flatMap(({ label, config }) => {
      const limits = (blocks(config.resources)[0]?.limits as Record<string, unknown> | undefined) ?? {};
      return ['cpu', 'memory']
        .filter((resource) => !isUnresolved(limits[resource]) && (typeof limits[resource] !== 'string' || limits[resource] === ''))
        .map((resource) => `${label} has no resources.limits.${resource}`);
    }),
};
