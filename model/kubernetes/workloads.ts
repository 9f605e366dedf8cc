/**
 * The store's workloads on Kubernetes: a hardened pod (non-root, read-only
 * root filesystem, no privilege escalation, every capability dropped,
 * seccomp RuntimeDefault, no service account token, TCP probes since the
 * API has no health endpoint), its Deployment (rolling updates that never
 * take a pod away before its replacement is ready, spread across nodes),
 * Service, PodDisruptionBudget and, for the plans that scale, autoscaler.
 */
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IObjectMeta } from '@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta';
import { AUTOSCALING_CPU_UTILIZATION, POD_USER_ID, SCRATCH_VOLUME_SIZE } from './defaults';

/** Labels that select one component's pods; never changed, as a Deployment's selector cannot be. */
export function componentLabels(component: string): Record<string, string> {
  return { 'app.kubernetes.io/name': component, 'app.kubernetes.io/part-of': 'usualstore' };
}

/** CPU and memory of one container: requests guaranteed, limits enforced. */
export interface ContainerResources {
  readonly cpuRequestMillis: number;
  readonly memoryRequestMiB: number;
  readonly cpuLimitMillis: number;
  readonly memoryLimitMiB: number;
}

/** `250m` */
export function cpuQuantity(millis: number): string {
  return `${millis}m`;
}

/** `256Mi` */
export function memoryQuantity(mib: number): string {
  return `${mib}Mi`;
}

/** One component of the store (the API or the frontend) as the model builds it. */
export interface WorkloadSpec {
  /** Object name and `app.kubernetes.io/name` of its pods. */
  readonly name: string;
  readonly namespace: string;
  /** Labels on every object (tenant, plan, tags). */
  readonly labels: Readonly<Record<string, string>>;
  readonly image: string;
  /** The port the container listens on, probed over TCP and served by the Service. */
  readonly port: number;
  readonly resources: ContainerResources;
  /** Pods when no autoscaler runs, or the autoscaler's minimum. */
  readonly replicas: number;
  /** The autoscaler's maximum; no autoscaler when equal to {@link replicas}. */
  readonly maxReplicas: number;
  /** Writable paths on the read-only root filesystem: each an in-memory emptyDir. */
  readonly scratchPaths: readonly string[];
  readonly env?: IContainer['env'];
  readonly envFrom?: IContainer['envFrom'];
  /** Namespaced sysctls of the pod, e.g. the unprivileged port start of a web server on port 80. */
  readonly sysctls?: Readonly<Record<string, string>>;
}

/** The objects of one component. */
export interface Workload {
  readonly deployment: IDeployment;
  readonly service: IService;
  readonly podDisruptionBudget: IPodDisruptionBudget;
  readonly autoscaler?: IHorizontalPodAutoscaler;
}

function metadata(spec: WorkloadSpec): IObjectMeta {
  return { name: spec.name, namespace: spec.namespace, labels: { ...spec.labels, ...componentLabels(spec.name) } };
}

/** `/var/cache/nginx` → `var-cache-nginx` */
function volumeName(path: string): string {
  return path.replace(/^\//, '').replace(/[^a-z0-9]+/g, '-');
}

function container(spec: WorkloadSpec): IContainer {
  const probe = { tcpSocket: { port: spec.port } };
  return {
    name: spec.name,
    image: spec.image,
    imagePullPolicy: 'IfNotPresent',
    ports: [{ name: 'http', containerPort: spec.port, protocol: 'TCP' }],
    ...(spec.env && { env: spec.env }),
    ...(spec.envFrom && { envFrom: spec.envFrom }),
    resources: {
      requests: { cpu: cpuQuantity(spec.resources.cpuRequestMillis), memory: memoryQuantity(spec.resources.memoryRequestMiB) },
      limits: { cpu: cpuQuantity(spec.resources.cpuLimitMillis), memory: memoryQuantity(spec.resources.memoryLimitMiB) },
    },
    securityContext: {
      runAsNonRoot: true,
      runAsUser: POD_USER_ID,
      runAsGroup: POD_USER_ID,
      privileged: false,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    readinessProbe: { ...probe, initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
    livenessProbe: { ...probe, initialDelaySeconds: 30, periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 3 },
    volumeMounts: spec.scratchPaths.map((path) => ({ name: volumeName(path), mountPath: path })),
  };
}

function podSpec(spec: WorkloadSpec): IPodSpec {
  const selector = { matchLabels: componentLabels(spec.name) };
  return {
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: POD_USER_ID,
      runAsGroup: POD_USER_ID,
      fsGroup: POD_USER_ID,
      seccompProfile: { type: 'RuntimeDefault' },
      ...(spec.sysctls && { sysctls: Object.entries(spec.sysctls).map(([name, value]) => ({ name, value })) }),
    },
    containers: [container(spec)],
    volumes: spec.scratchPaths.map((path) => ({ name: volumeName(path), emptyDir: { medium: 'Memory', sizeLimit: SCRATCH_VOLUME_SIZE } })),
    // One pod per node while there are nodes enough: a node's loss takes at most one.
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: selector }],
  };
}

/** The Deployment, Service, PodDisruptionBudget and (when it scales) autoscaler of one component. */
export function workload(spec: WorkloadSpec): Workload {
  const selector = { matchLabels: componentLabels(spec.name) };
  const scales = spec.maxReplicas > spec.replicas;
  const deployment: IDeployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: metadata(spec),
    spec: {
      // An autoscaler owns the count: a fixed one here would be reset on every apply.
      ...(!scales && { replicas: spec.replicas }),
      revisionHistoryLimit: 5,
      selector,
      // A new pod is ready before an old one goes: no capacity is lost during a rollout.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: { metadata: { labels: { ...spec.labels, ...componentLabels(spec.name) } }, spec: podSpec(spec) },
    },
  };
  const service: IService = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata(spec),
    spec: { type: 'ClusterIP', selector: componentLabels(spec.name), ports: [{ name: 'http', port: spec.port, targetPort: spec.port, protocol: 'TCP' }] },
  };
  // One pod at a time may be evicted (a node drain): with one replica the drain is not blocked forever.
  const podDisruptionBudget: IPodDisruptionBudget = {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: metadata(spec),
    spec: { maxUnavailable: 1, selector },
  };
  const autoscaler: IHorizontalPodAutoscaler | undefined = scales
    ? {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: metadata(spec),
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: spec.name },
          minReplicas: spec.replicas,
          maxReplicas: spec.maxReplicas,
          metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: AUTOSCALING_CPU_UTILIZATION } } }],
        },
      }
    : undefined;
  return { deployment, service, podDisruptionBudget, ...(autoscaler && { autoscaler }) };
}
