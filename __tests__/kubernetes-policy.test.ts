/**
 * The Kubernetes policy rules beyond their basic cases (policy.test.ts):
 * what they read through references and autoscalers, and the whole set
 * applied by the aspect to a tenant's real Kubernetes resources: the model
 * passes, and each weakening fails synthesis with the rule's id and fix.
 */
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { Aspects, TerraformStack, Testing } from 'cdktf';
import { POLICY_RULES, PolicyAspect, viewContext } from '../constructs/policy';
import { policyViolation } from '../constructs/policy/messages';
import { k8sContainerLimits } from '../constructs/policy/rules/k8s-container-limits';
import { k8sDisruptionBudget } from '../constructs/policy/rules/k8s-disruption-budget';
import { k8sHardened } from '../constructs/policy/rules/k8s-hardened';
import { k8sImagePinned } from '../constructs/policy/rules/k8s-image-pinned';
import { k8sNetworkPolicy } from '../constructs/policy/rules/k8s-network-policy';
import { k8sNonRoot } from '../constructs/policy/rules/k8s-non-root';
import { KubernetesApp } from '../constructs/kubernetes/kubernetes-app';
import { type KubernetesManifests, kubernetesManifests } from '../model/kubernetes/manifests';
import { MANIFEST_PLACEHOLDERS, kubernetesApiSources } from '../model/kubernetes/sources';
import type { KubernetesTenant } from '../model/kubernetes/tenant';
import type { Plan } from '../model/plans';
import { BUDGET, DENY_ALL, deployment, k8sView } from './support/kubernetes-policy-cases';
import { kubernetesTenant } from './support/kubernetes';

describe('the Kubernetes rules', () => {
  it('K8S-NETWORK-POLICY follows a namespace given as a reference to the namespace resource', () => {
    const namespace = k8sView('kubernetes_namespace_v1', { metadata: { name: 'shop' } }, 'ns');
    const byReference = deployment();
    const config = { ...byReference.config, metadata: { name: 'api', namespace: '${kubernetes_namespace_v1.ns.metadata[0].name}' } };
    const referring = { ...byReference, config };
    expect([k8sNetworkPolicy.check(referring, viewContext([namespace, DENY_ALL])), k8sNetworkPolicy.check(referring, viewContext([namespace]))]).toEqual([
      [],
      ['no NetworkPolicy in this stack selects every pod of namespace "shop" for Ingress and Egress'],
    ]);
  });

  it('K8S-NETWORK-POLICY takes only a policy for every pod and both directions as the deny-all', () => {
    const ingressOnly = k8sView('kubernetes_network_policy_v1', { metadata: { namespace: 'shop' }, spec: { pod_selector: {}, policy_types: ['Ingress'] } }, 'in');
    const apiOnly = k8sView('kubernetes_network_policy_v1', { metadata: { namespace: 'shop' }, spec: { pod_selector: { match_labels: { a: 'b' } }, policy_types: ['Ingress', 'Egress'] } }, 'api');
    expect(k8sNetworkPolicy.check(deployment(), viewContext([ingressOnly, apiOnly]))).toHaveLength(1);
  });

  test.each([
    ['one replica', deployment({}, '1'), [], []],
    ['no count and no autoscaler (Kubernetes runs one)', deployment({}, null), [], []],
    [
      'no count and an autoscaler with a minimum of 2',
      deployment({}, null),
      [k8sView('kubernetes_horizontal_pod_autoscaler_v2', { metadata: { name: 'api', namespace: 'shop' }, spec: { min_replicas: 2, max_replicas: 4, scale_target_ref: { kind: 'Deployment', name: 'api' } } }, 'hpa')],
      ['it runs 2 replicas and no PodDisruptionBudget in this stack selects its pods'],
    ],
    ['a budget that selects other pods', deployment({}, '2'), [k8sView('kubernetes_pod_disruption_budget_v1', { metadata: { namespace: 'shop' }, spec: { selector: { match_labels: { 'app.kubernetes.io/name': 'frontend' } } } }, 'other')], ['it runs 2 replicas and no PodDisruptionBudget in this stack selects its pods']],
    ['a budget for its pods', deployment({}, '2'), [BUDGET], []],
  ])('K8S-DISRUPTION-BUDGET judges %s', (_case, workload, others, findings) => {
    expect(k8sDisruptionBudget.check(workload, viewContext([workload, ...others]))).toEqual(findings);
  });

  test.each([
    ['a digest', 'ghcr.io/usualstore/api@sha256:' + 'a'.repeat(64), []],
    ['a registry port and a tag', 'registry.internal:5000/usualstore/api:1.2.3', []],
    ['no tag', 'registry.internal:5000/usualstore/api', ['container "api" runs "registry.internal:5000/usualstore/api", without a tag (latest)']],
  ])('K8S-IMAGE-PINNED judges %s', (_case, image, findings) => {
    expect(k8sImagePinned.check(deployment({ image }), viewContext([]))).toEqual(findings);
  });

  it("K8S-NON-ROOT takes the pod's run_as_non_root for a container that sets none, and a container's own over the pod's", () => {
    const { run_as_non_root: _dropped, ...rest } = (deployment().config.spec as never as { template: { spec: { container: { security_context: Record<string, unknown> }[] } } }).template.spec.container[0].security_context;
    expect(k8sNonRoot.check(deployment({ security_context: rest }), viewContext([]))).toEqual([]);
    expect(k8sNonRoot.check(deployment({ security_context: { ...rest, run_as_non_root: false } }), viewContext([]))).toEqual(['container "api" does not set run_as_non_root = true']);
  });
});

describe('the rules over a tenant’s Kubernetes resources', () => {
  /** A tenant's KubernetesApp in a stack of its own with every rule applied; `weaken` changes the model first. */
  function synthesize(plan: Plan, weaken: (m: KubernetesManifests) => KubernetesManifests = (m) => m): () => void {
    const t = kubernetesTenant(plan) as ReturnType<typeof kubernetesTenant> & KubernetesTenant;
    const app = Testing.app();
    const stack = new TerraformStack(app, 'shop-k8s');
    new KubernetesProvider(stack, 'Kubernetes', {});
    new KubernetesApp(stack, 'App', { manifests: weaken(kubernetesManifests(t, kubernetesApiSources(t, MANIFEST_PLACEHOLDERS))) });
    Aspects.of(stack).add(new PolicyAspect(POLICY_RULES));
    return () => app.synth();
  }
  /** The model with the API container changed. */
  const apiContainer = (change: (c: Record<string, unknown>) => Record<string, unknown>) => (m: KubernetesManifests): KubernetesManifests => {
    const spec = m.api.deployment.spec!;
    const pod = spec.template.spec!;
    const [container, ...rest] = pod.containers;
    const changed = { ...spec, template: { ...spec.template, spec: { ...pod, containers: [change(container as never) as never, ...rest] } } };
    return { ...m, api: { ...m.api, deployment: { ...m.api.deployment, spec: changed } } };
  };

  test.each(['free', 'starter', 'professional', 'enterprise'] as const)('passes every rule on the %s plan', (plan) => {
    expect(synthesize(plan)).not.toThrow();
  });

  test.each([
    ['the securityContext removed', apiContainer(({ securityContext: _gone, ...c }) => c), k8sNonRoot, 'container "api" does not set allow_privilege_escalation = false'],
    ['the limits removed', apiContainer((c) => ({ ...c, resources: { requests: { cpu: '100m', memory: '128Mi' } } })), k8sContainerLimits, 'container "api" has no resources.limits.cpu; container "api" has no resources.limits.memory'],
    ['a latest image', apiContainer((c) => ({ ...c, image: 'ghcr.io/usualstore/api:latest' })), k8sImagePinned, 'container "api" runs "ghcr.io/usualstore/api:latest"'],
    ['a writable root filesystem', apiContainer((c) => ({ ...c, securityContext: { ...(c.securityContext as object), readOnlyRootFilesystem: false } })), k8sHardened, 'container "api" has a writable root filesystem'],
    ['no deny-all NetworkPolicy', (m: KubernetesManifests) => ({ ...m, networkPolicies: m.networkPolicies.slice(1) }), k8sNetworkPolicy, 'no NetworkPolicy in this stack selects every pod of namespace "usualstore-test-shop" for Ingress and Egress'],
  ])('fails synthesis with the rule id and the fix: %s', (_case, weaken, rule, finding) => {
    expect(synthesize('starter', weaken)).toThrow(`[shop-k8s/App/Api/Deployment] ${policyViolation(rule.id, rule.reason, finding)}`);
  });

  it('fails synthesis when a workload of several replicas has no PodDisruptionBudget', () => {
    const noBudget = (m: KubernetesManifests): KubernetesManifests => ({ ...m, api: { ...m.api, podDisruptionBudget: { ...m.api.podDisruptionBudget, spec: { ...m.api.podDisruptionBudget.spec, selector: { matchLabels: { nothing: 'here' } } } } } });
    expect(synthesize('starter', noBudget)).toThrow(policyViolation(k8sDisruptionBudget.id, k8sDisruptionBudget.reason, 'it runs 2 replicas and no PodDisruptionBudget in this stack selects its pods'));
  });
});
