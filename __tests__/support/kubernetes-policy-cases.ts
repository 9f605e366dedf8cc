/**
 * Compliant and non-compliant elements of the Kubernetes policy rules, as
 * the rules see them (synthesized arguments of the kubernetes provider):
 * policy.test.ts runs them with every other rule's cases.
 */
import type { PolicyRule, ResourceView } from '../../constructs/policy';
import { k8sContainerLimits } from '../../constructs/policy/rules/k8s-container-limits';
import { k8sDisruptionBudget } from '../../constructs/policy/rules/k8s-disruption-budget';
import { k8sHardened } from '../../constructs/policy/rules/k8s-hardened';
import { k8sImagePinned } from '../../constructs/policy/rules/k8s-image-pinned';
import { k8sNetworkPolicy } from '../../constructs/policy/rules/k8s-network-policy';
import { k8sNonRoot } from '../../constructs/policy/rules/k8s-non-root';

/** A kubernetes provider resource as rules see it; its address is `<type>.<name>`. */
export function k8sView(type: string, config: Record<string, unknown>, name = 'it'): ResourceView {
  return { kind: 'resource', type, address: `${type}.${name}`, config, taggable: false, defaultTags: {} };
}

const LABELS = { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/part-of': 'usualstore' };

/** A hardened container, as the provider synthesizes it. */
export const GOOD_CONTAINER = {
  name: 'api',
  image: 'ghcr.io/usualstore/api:1.0.0',
  resources: { limits: { cpu: '500m', memory: '512Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
  security_context: {
    run_as_non_root: true,
    run_as_user: '10001',
    privileged: false,
    allow_privilege_escalation: false,
    read_only_root_filesystem: true,
    capabilities: { drop: ['ALL'] },
    seccomp_profile: { type: 'RuntimeDefault' },
  },
};

/** A Deployment of `replicas` hardened pods (null: no count) in a namespace (`shop`), with `container` overriding the good one's fields. */
export function deployment(container: Record<string, unknown> = {}, replicas: string | null = '2', namespace = 'shop'): ResourceView {
  return k8sView(
    'kubernetes_deployment_v1',
    {
      metadata: { name: 'api', namespace },
      spec: {
        ...(replicas !== null && { replicas }),
        selector: { match_labels: LABELS },
        template: { metadata: { labels: { ...LABELS, 'usualstore.tenant': 'shop' } }, spec: { security_context: { run_as_non_root: true }, container: [{ ...GOOD_CONTAINER, ...container }] } },
      },
    },
    `api_${namespace}`,
  );
}

export const DENY_ALL = k8sView('kubernetes_network_policy_v1', { metadata: { name: 'deny-all', namespace: 'shop' }, spec: { pod_selector: {}, policy_types: ['Ingress', 'Egress'] } }, 'deny');
export const BUDGET = k8sView('kubernetes_pod_disruption_budget_v1', { metadata: { name: 'api', namespace: 'shop' }, spec: { max_unavailable: '1', selector: { match_labels: LABELS } } }, 'pdb');

/** [rule, compliant, non-compliant, its findings, the other elements of the stack]. */
export const KUBERNETES_POLICY_CASES: [PolicyRule, ResourceView, ResourceView, string[], ResourceView[]?][] = [
  [
    k8sContainerLimits,
    deployment(),
    deployment({ resources: { requests: { cpu: '100m' } } }),
    ['container "api" has no resources.limits.cpu', 'container "api" has no resources.limits.memory'],
  ],
  [
    k8sNonRoot,
    deployment(),
    deployment({ security_context: { privileged: true, run_as_user: '0' } }),
    ['container "api" is privileged', 'container "api" does not set allow_privilege_escalation = false', 'container "api" runs as user 0 (root)'],
  ],
  [
    k8sHardened,
    deployment(),
    deployment({ security_context: undefined }),
    ['container "api" has a writable root filesystem', 'container "api" does not drop "ALL" capabilities', 'container "api" runs without a seccomp profile'],
  ],
  [k8sImagePinned, deployment(), deployment({ image: 'ghcr.io/usualstore/api:latest' }), ['container "api" runs "ghcr.io/usualstore/api:latest"']],
  [
    k8sNetworkPolicy,
    deployment(),
    deployment({}, '2', 'other'),
    ['no NetworkPolicy in this stack selects every pod of namespace "other" for Ingress and Egress'],
    [DENY_ALL],
  ],
  [k8sDisruptionBudget, deployment(), deployment({}, '3', 'other'), ['it runs 3 replicas and no PodDisruptionBudget in this stack selects its pods'], [BUDGET]],
];
