import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { metadataOf, networkPolicySpecOf } from './provider-shapes';

/** Props of {@link TenantNetworkPolicies}. */
export interface TenantNetworkPoliciesProps {
  /** The model's NetworkPolicies, the deny-all first. */
  readonly policies: readonly INetworkPolicy[];
  /** Created after these (the namespace). */
  readonly dependsOn: readonly ITerraformDependable[];
}

/** `api-from-ingress-controller` → `ApiFromIngressController`: the construct id of a policy, fixed by its name. */
function idOf(name: string): string {
  return name.replace(/(^|-)([a-z0-9])/g, (_m, _dash, c: string) => c.toUpperCase());
}

/**
 * The namespace's NetworkPolicies: everything denied, then DNS for every
 * pod, the API and the frontend from the ingress controller's namespace,
 * and the API to its database server.
 */
export class TenantNetworkPolicies extends Construct {
  readonly policies: readonly NetworkPolicyV1[];

  constructor(scope: Construct, id: string, props: TenantNetworkPoliciesProps) {
    super(scope, id);
    this.policies = props.policies.map(
      (policy) =>
        new NetworkPolicyV1(this, idOf(metadataOf(policy.metadata).name), {
          metadata: metadataOf(policy.metadata),
          spec: networkPolicySpecOf(policy.spec ?? { podSelector: {} }),
          dependsOn: [...props.dependsOn],
        }),
    );
  }
}
