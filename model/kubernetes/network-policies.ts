/**
 * The NetworkPolicies of a tenant's namespace: everything denied, then
 * allowed one path at a time: DNS for every pod, the API and the frontend
 * from the ingress controller's namespace only, and the API to the tenant's
 * database server only.
 */
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { INetworkPolicySpec } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicySpec';
import { API_CONTAINER_PORT, FRONTEND_CONTAINER_PORT } from '../defaults';
import { KUBERNETES_OBJECT_NAMES as NAMES } from '../naming';
import { CLUSTER_DNS, NAMESPACE_NAME_LABEL } from './defaults';
import type { KubernetesTenant } from './tenant';
import { componentLabels } from './workloads';

function policy(name: string, namespace: string, labels: Readonly<Record<string, string>>, spec: INetworkPolicySpec): INetworkPolicy {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace, labels: { ...labels } }, spec };
}

/** Every NetworkPolicy of the namespace, the deny-all first. */
export function networkPolicies(tenant: KubernetesTenant, namespace: string, labels: Readonly<Record<string, string>>): INetworkPolicy[] {
  const { app } = tenant;
  const fromIngressController = (component: string, port: number) =>
    policy(component === NAMES.api ? NAMES.apiFromIngress : NAMES.frontendFromIngress, namespace, labels, {
      podSelector: { matchLabels: componentLabels(component) },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: app.ingressNamespace } } }], ports: [{ protocol: 'TCP', port }] }],
    });
  return [
    // Selects every pod, allows nothing: whatever the policies below do not allow is refused.
    policy(NAMES.denyAll, namespace, labels, { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    policy(NAMES.allowDns, namespace, labels, {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        {
          to: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: CLUSTER_DNS.namespace } }, podSelector: { matchLabels: { ...CLUSTER_DNS.podLabels } } }],
          ports: [
            { protocol: 'UDP', port: CLUSTER_DNS.port },
            { protocol: 'TCP', port: CLUSTER_DNS.port },
          ],
        },
      ],
    }),
    fromIngressController(NAMES.api, API_CONTAINER_PORT),
    ...(app.frontend ? [fromIngressController(NAMES.frontend, FRONTEND_CONTAINER_PORT)] : []),
    policy(NAMES.apiToDatabase, namespace, labels, {
      podSelector: { matchLabels: componentLabels(NAMES.api) },
      policyTypes: ['Egress'],
      egress: [{ to: app.databaseServer.cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ protocol: 'TCP', port: app.databaseServer.port }] }],
    }),
  ];
}
