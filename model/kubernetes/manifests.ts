/**
 * A Kubernetes tenant's objects, built once as plain objects in the shape of
 * the Kubernetes API (typed by kubernetes-models): the namespace and its
 * quota, limits and NetworkPolicies, the API's Secret, its workload and
 * the frontend's, and the Ingress. Terraform renders them as kubernetes
 * provider resources (constructs/kubernetes), `tenants manifests` as YAML;
 * the tests check that both say the same, field by field.
 */
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { IIngressRule } from 'kubernetes-models/networking.k8s.io/v1/IngressRule';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { ILimitRange } from 'kubernetes-models/v1/LimitRange';
import type { INamespace } from 'kubernetes-models/v1/Namespace';
import type { IResourceQuota } from 'kubernetes-models/v1/ResourceQuota';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import { API_CONTAINER_PORT, FRONTEND_CONTAINER_PORT, FRONTEND_CPUS, FRONTEND_MEMORY_MIB, FRONTEND_TMPFS, API_TMPFS } from '../defaults';
import { KUBERNETES_OBJECT_NAMES as NAMES, kubernetesNamespace } from '../naming';
import { PLAN_PROFILES } from '../plans';
import { type StoreApiSources, storeApiEnvironment } from '../store-api';
import { tenantTags } from '../tenant-tags';
import { FRONTEND_CPU_REQUEST_MILLIS, FRONTEND_MEMORY_REQUEST_MIB, POD_SECURITY_LEVEL } from './defaults';
import { networkPolicies } from './network-policies';
import { apiUrl } from './sources';
import type { KubernetesTenant } from './tenant';
import { type ContainerResources, type Workload, cpuQuantity, memoryQuantity, workload } from './workloads';

/** Every object of a tenant's namespace. */
export interface KubernetesManifests {
  readonly namespace: INamespace;
  readonly resourceQuota: IResourceQuota;
  readonly limitRange: ILimitRange;
  readonly networkPolicies: readonly INetworkPolicy[];
  /** The API's whole environment (model/store-api.ts), read by its pods with envFrom. */
  readonly apiEnvironment: ISecret;
  readonly api: Workload;
  readonly frontend?: Workload;
  readonly ingress?: IIngress;
}

/** The API's requests and limits by plan: limits as the Docker target's container limits. */
export function apiResources(plan: KubernetesTenant['plan']): ContainerResources {
  const profile = PLAN_PROFILES[plan];
  return {
    cpuRequestMillis: profile.podCpuRequestMillis,
    memoryRequestMiB: profile.podMemoryRequestMiB,
    cpuLimitMillis: Math.round(profile.containerCpus * 1000),
    memoryLimitMiB: profile.containerMemoryMiB,
  };
}

/** The frontend's requests and limits, whatever the plan. */
export const FRONTEND_RESOURCES: ContainerResources = {
  cpuRequestMillis: FRONTEND_CPU_REQUEST_MILLIS,
  memoryRequestMiB: FRONTEND_MEMORY_REQUEST_MIB,
  cpuLimitMillis: Math.round(FRONTEND_CPUS * 1000),
  memoryLimitMiB: FRONTEND_MEMORY_MIB,
};

/** Every path of a host to one Service. */
function ingressRule(host: string, service: string, port: number): IIngressRule {
  return { host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: service, port: { number: port } } } }] } };
}

/**
 * The tenant's objects. `sources` are the values of the API's environment
 * as the rendering has them (Terraform references, or placeholders).
 */
export function kubernetesManifests(tenant: KubernetesTenant, sources: StoreApiSources): KubernetesManifests {
  const { app, plan } = tenant;
  const profile = PLAN_PROFILES[plan];
  const namespace = kubernetesNamespace(tenant.key);
  const labels = tenantTags(tenant);
  const meta = (name: string) => ({ name, namespace, labels: { ...labels } });
  const api = apiResources(plan);
  const quota = profile.namespaceQuota;

  const apiWorkload = workload({
    name: NAMES.api,
    namespace,
    labels,
    image: app.image,
    port: API_CONTAINER_PORT,
    resources: api,
    replicas: profile.podReplicas,
    maxReplicas: profile.podMaxReplicas,
    scratchPaths: Object.keys(API_TMPFS),
    envFrom: [{ secretRef: { name: NAMES.apiEnvironment } }],
  });
  const frontend = app.frontend
    ? workload({
        name: NAMES.frontend,
        namespace,
        labels,
        image: app.frontend.image,
        port: FRONTEND_CONTAINER_PORT,
        resources: FRONTEND_RESOURCES,
        replicas: profile.podReplicas,
        maxReplicas: profile.podReplicas,
        scratchPaths: Object.keys(FRONTEND_TMPFS),
        // The frontend signs with the secret the API checks, as on Docker.
        env: [
          { name: 'API_URL', value: apiUrl(tenant) },
          { name: 'SECRET_FOR_FRONT', valueFrom: { secretKeyRef: { name: NAMES.apiEnvironment, key: 'SECRET_FOR_FRONT' } } },
        ],
        // Its web server listens on port 80 as a non-root user, without NET_BIND_SERVICE (a safe, namespaced sysctl).
        sysctls: { 'net.ipv4.ip_unprivileged_port_start': '0' },
      })
    : undefined;

  const ingress: IIngress | undefined = app.ingress && {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: meta(NAMES.ingress),
    spec: {
      ...(app.ingress.className && { ingressClassName: app.ingress.className }),
      tls: [{ hosts: [app.ingress.host, ...(app.ingress.frontendHost ? [app.ingress.frontendHost] : [])], secretName: app.ingress.tlsSecret }],
      rules: [
        ingressRule(app.ingress.host, NAMES.api, API_CONTAINER_PORT),
        ...(app.ingress.frontendHost && app.frontend ? [ingressRule(app.ingress.frontendHost, NAMES.frontend, FRONTEND_CONTAINER_PORT)] : []),
      ],
    },
  };

  return {
    namespace: {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: namespace,
        labels: {
          ...labels,
          // Pod Security Admission refuses any pod of the namespace that is not hardened, whoever creates it.
          'pod-security.kubernetes.io/enforce': POD_SECURITY_LEVEL,
          'pod-security.kubernetes.io/warn': POD_SECURITY_LEVEL,
        },
        annotations: { 'usualstore.company': tenant.company },
      },
    },
    resourceQuota: {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: meta(NAMES.quota),
      spec: {
        hard: {
          'requests.cpu': cpuQuantity(quota.cpuMillis),
          'limits.cpu': cpuQuantity(quota.cpuMillis),
          'requests.memory': memoryQuantity(quota.memoryMiB),
          'limits.memory': memoryQuantity(quota.memoryMiB),
          pods: String(quota.pods),
          // Reached through the ingress controller only: no load balancer, no node port, no volume claims.
          'services.loadbalancers': '0',
          'services.nodeports': '0',
          persistentvolumeclaims: '0',
        },
      },
    },
    limitRange: {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: meta(NAMES.limits),
      spec: {
        limits: [
          {
            type: 'Container',
            // A container that names no resources gets the frontend's; none may exceed the plan's API limits.
            defaultRequest: { cpu: cpuQuantity(FRONTEND_RESOURCES.cpuRequestMillis), memory: memoryQuantity(FRONTEND_RESOURCES.memoryRequestMiB) },
            default: { cpu: cpuQuantity(FRONTEND_RESOURCES.cpuLimitMillis), memory: memoryQuantity(FRONTEND_RESOURCES.memoryLimitMiB) },
            max: { cpu: cpuQuantity(api.cpuLimitMillis), memory: memoryQuantity(api.memoryLimitMiB) },
          },
        ],
      },
    },
    networkPolicies: networkPolicies(tenant, namespace, labels),
    apiEnvironment: { apiVersion: 'v1', kind: 'Secret', metadata: meta(NAMES.apiEnvironment), type: 'Opaque', stringData: storeApiEnvironment(sources) },
    api: apiWorkload,
    ...(frontend && { frontend }),
    ...(ingress && { ingress }),
  };
}

/** One object of the namespace, of any kind. */
export type KubernetesObject =
  | KubernetesManifests[Exclude<keyof KubernetesManifests, 'networkPolicies' | 'api' | 'frontend'>]
  | INetworkPolicy
  | Workload[keyof Workload];

/** Every object, in the order `kubectl apply` should create them: namespace first, workloads after their Secret and policies. */
export function manifestList(manifests: KubernetesManifests): Exclude<KubernetesObject, undefined>[] {
  const workloadObjects = (w: Workload | undefined) => (w ? [w.deployment, w.service, w.podDisruptionBudget, ...(w.autoscaler ? [w.autoscaler] : [])] : []);
  return [
    manifests.namespace,
    manifests.resourceQuota,
    manifests.limitRange,
    ...manifests.networkPolicies,
    manifests.apiEnvironment,
    ...workloadObjects(manifests.api),
    ...workloadObjects(manifests.frontend),
    ...(manifests.ingress ? [manifests.ingress] : []),
  ];
}
