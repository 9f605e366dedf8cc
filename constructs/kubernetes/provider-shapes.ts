/**
 * Kubernetes objects (model/kubernetes) in the shape of the kubernetes
 * provider's resources: the same fields, named as the provider names them
 * (`containers` → `container`, `ports` → `port`), and the numbers it takes
 * as text (int-or-string fields, user ids, replicas) as text. Only what the
 * model sets is carried over; the tests read the synthesized resources
 * back and compare them with the model field by field, so a field dropped
 * here fails them.
 */
import type { DeploymentV1Spec, DeploymentV1SpecTemplateSpec, DeploymentV1SpecTemplateSpecContainer } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import type { HorizontalPodAutoscalerV2Spec } from '@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2';
import type { IngressV1Spec } from '@cdktf/provider-kubernetes/lib/ingress-v1';
import type { LimitRangeV1Spec } from '@cdktf/provider-kubernetes/lib/limit-range-v1';
import type { NetworkPolicyV1Spec } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import type { PodDisruptionBudgetV1Spec } from '@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1';
import type { ServiceV1Spec } from '@cdktf/provider-kubernetes/lib/service-v1';
import type { IObjectMeta } from '@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta';
import type { IDeploymentSpec } from 'kubernetes-models/apps/v1/DeploymentSpec';
import type { IHorizontalPodAutoscalerSpec } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscalerSpec';
import type { IIngressSpec } from 'kubernetes-models/networking.k8s.io/v1/IngressSpec';
import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';
import type { INetworkPolicyPort } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort';
import type { INetworkPolicySpec } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicySpec';
import type { IPodDisruptionBudgetSpec } from 'kubernetes-models/policy/v1/PodDisruptionBudgetSpec';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { ILimitRangeSpec } from 'kubernetes-models/v1/LimitRangeSpec';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { IServiceSpec } from 'kubernetes-models/v1/ServiceSpec';

type Labels = { [key: string]: string };

/** Metadata as every resource of the provider takes it. */
export interface ProviderMetadata {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Labels;
  readonly annotations?: Labels;
}

/** An int-or-string (a port, a count or a percentage) as the provider takes it. */
function text(value: number | string | undefined): string | undefined {
  return value === undefined ? undefined : String(value);
}

/** Drops fields the model leaves out, so the synthesized JSON says only what the model says. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** `metadata`; every object of the model has a name. */
export function metadataOf(meta: IObjectMeta | undefined): ProviderMetadata {
  if (!meta?.name) throw new Error('a Kubernetes object of the model has no metadata.name');
  return defined({ name: meta.name, namespace: meta.namespace, labels: meta.labels && { ...meta.labels }, annotations: meta.annotations && { ...meta.annotations } });
}

function matchLabels(selector: { matchLabels?: Labels } | undefined): { matchLabels?: Labels } {
  return defined({ matchLabels: selector?.matchLabels && { ...selector.matchLabels } });
}

function containerOf(c: IContainer): DeploymentV1SpecTemplateSpecContainer {
  const security = c.securityContext;
  const probe = (p: IContainer['readinessProbe']) =>
    p &&
    defined({
      initialDelaySeconds: p.initialDelaySeconds,
      periodSeconds: p.periodSeconds,
      timeoutSeconds: p.timeoutSeconds,
      failureThreshold: p.failureThreshold,
      tcpSocket: p.tcpSocket && [{ port: String(p.tcpSocket.port) }],
    });
  return defined({
    name: c.name,
    image: c.image,
    imagePullPolicy: c.imagePullPolicy,
    port: c.ports?.map((p) => defined({ name: p.name, containerPort: p.containerPort, protocol: p.protocol })),
    env: c.env?.map((e) =>
      defined({
        name: e.name,
        value: e.value,
        valueFrom: e.valueFrom?.secretKeyRef && { secretKeyRef: { name: e.valueFrom.secretKeyRef.name, key: e.valueFrom.secretKeyRef.key } },
      }),
    ),
    envFrom: c.envFrom?.map((e) => defined({ secretRef: e.secretRef && { name: e.secretRef.name ?? '' } })),
    resources: c.resources && defined({ requests: c.resources.requests && { ...c.resources.requests }, limits: c.resources.limits && { ...c.resources.limits } }) as DeploymentV1SpecTemplateSpecContainer['resources'],
    securityContext:
      security &&
      defined({
        runAsNonRoot: security.runAsNonRoot,
        runAsUser: text(security.runAsUser),
        runAsGroup: text(security.runAsGroup),
        privileged: security.privileged,
        allowPrivilegeEscalation: security.allowPrivilegeEscalation,
        readOnlyRootFilesystem: security.readOnlyRootFilesystem,
        capabilities: security.capabilities && defined({ drop: security.capabilities.drop && [...security.capabilities.drop], add: security.capabilities.add && [...security.capabilities.add] }),
        seccompProfile: security.seccompProfile && { type: security.seccompProfile.type },
      }),
    readinessProbe: probe(c.readinessProbe),
    livenessProbe: probe(c.livenessProbe),
    volumeMount: c.volumeMounts?.map((m) => defined({ name: m.name, mountPath: m.mountPath, readOnly: m.readOnly })),
  });
}

function podSpecOf(pod: IPodSpec): DeploymentV1SpecTemplateSpec {
  const security = pod.securityContext;
  return defined({
    automountServiceAccountToken: pod.automountServiceAccountToken,
    enableServiceLinks: pod.enableServiceLinks,
    securityContext:
      security &&
      defined({
        runAsNonRoot: security.runAsNonRoot,
        runAsUser: text(security.runAsUser),
        runAsGroup: text(security.runAsGroup),
        fsGroup: text(security.fsGroup),
        seccompProfile: security.seccompProfile && { type: security.seccompProfile.type },
        sysctl: security.sysctls?.map((s) => ({ name: s.name, value: s.value })),
      }),
    container: pod.containers.map(containerOf),
    volume: pod.volumes?.map((v) => defined({ name: v.name, emptyDir: v.emptyDir && defined({ medium: v.emptyDir.medium, sizeLimit: text(v.emptyDir.sizeLimit) }) })),
    topologySpreadConstraint: pod.topologySpreadConstraints?.map((t) =>
      defined({ maxSkew: t.maxSkew, topologyKey: t.topologyKey, whenUnsatisfiable: t.whenUnsatisfiable, labelSelector: t.labelSelector && [matchLabels(t.labelSelector)] }),
    ),
  });
}

/** A Deployment's `spec`. */
export function deploymentSpecOf(spec: IDeploymentSpec): DeploymentV1Spec {
  const rolling = spec.strategy?.rollingUpdate;
  return defined({
    replicas: text(spec.replicas),
    revisionHistoryLimit: spec.revisionHistoryLimit,
    selector: matchLabels(spec.selector),
    strategy: spec.strategy && defined({ type: spec.strategy.type, rollingUpdate: rolling && defined({ maxUnavailable: text(rolling.maxUnavailable), maxSurge: text(rolling.maxSurge) }) }),
    template: { metadata: spec.template.metadata ? defined({ labels: spec.template.metadata.labels && { ...spec.template.metadata.labels } }) : {}, spec: podSpecOf(spec.template.spec ?? { containers: [] }) },
  });
}

/** A Service's `spec`. */
export function serviceSpecOf(spec: IServiceSpec): ServiceV1Spec {
  return defined({
    type: spec.type,
    selector: spec.selector && { ...spec.selector },
    port: spec.ports?.map((p) => defined({ name: p.name, port: p.port, targetPort: text(p.targetPort), protocol: p.protocol })),
  });
}

/** A PodDisruptionBudget's `spec`. */
export function podDisruptionBudgetSpecOf(spec: IPodDisruptionBudgetSpec): PodDisruptionBudgetV1Spec {
  return defined({ maxUnavailable: text(spec.maxUnavailable), minAvailable: text(spec.minAvailable), selector: matchLabels(spec.selector) });
}

/** A HorizontalPodAutoscaler's (autoscaling/v2) `spec`. */
export function autoscalerSpecOf(spec: IHorizontalPodAutoscalerSpec): HorizontalPodAutoscalerV2Spec {
  return defined({
    scaleTargetRef: { apiVersion: spec.scaleTargetRef.apiVersion, kind: spec.scaleTargetRef.kind, name: spec.scaleTargetRef.name },
    minReplicas: spec.minReplicas,
    maxReplicas: spec.maxReplicas,
    metric: spec.metrics?.map((m) =>
      defined({
        type: m.type,
        resource: m.resource && {
          name: m.resource.name,
          target: defined({ type: m.resource.target.type, averageUtilization: m.resource.target.averageUtilization }),
        },
      }),
    ),
  });
}

function peerOf(peer: INetworkPolicyPeer) {
  return defined({
    namespaceSelector: peer.namespaceSelector && matchLabels(peer.namespaceSelector),
    podSelector: peer.podSelector && matchLabels(peer.podSelector),
    ipBlock: peer.ipBlock && { cidr: peer.ipBlock.cidr },
  });
}

function portOf(port: INetworkPolicyPort) {
  return defined({ protocol: port.protocol, port: text(port.port) });
}

/** A NetworkPolicy's `spec`; an empty pod selector (every pod) stays an empty block. */
export function networkPolicySpecOf(spec: INetworkPolicySpec): NetworkPolicyV1Spec {
  return defined({
    podSelector: matchLabels(spec.podSelector),
    policyTypes: [...(spec.policyTypes ?? [])],
    ingress: spec.ingress?.map((rule) => defined({ from: rule.from?.map(peerOf), ports: rule.ports?.map(portOf) })),
    egress: spec.egress?.map((rule) => defined({ to: rule.to?.map(peerOf), ports: rule.ports?.map(portOf) })),
  });
}

/** A LimitRange's `spec`. */
export function limitRangeSpecOf(spec: ILimitRangeSpec): LimitRangeV1Spec {
  return {
    limit: spec.limits.map((l) =>
      defined({
        type: l.type,
        default: l.default && (Object.fromEntries(Object.entries(l.default).map(([k, v]) => [k, String(v)])) as Labels),
        defaultRequest: l.defaultRequest && (Object.fromEntries(Object.entries(l.defaultRequest).map(([k, v]) => [k, String(v)])) as Labels),
        max: l.max && (Object.fromEntries(Object.entries(l.max).map(([k, v]) => [k, String(v)])) as Labels),
      }),
    ),
  };
}

/** An Ingress's `spec`. */
export function ingressSpecOf(spec: IIngressSpec): IngressV1Spec {
  return defined({
    ingressClassName: spec.ingressClassName,
    tls: spec.tls?.map((t) => defined({ hosts: t.hosts && [...t.hosts], secretName: t.secretName })),
    rule: spec.rules?.map((r) =>
      defined({
        host: r.host,
        http: r.http && {
          path: r.http.paths.map((p) =>
            defined({
              path: p.path,
              pathType: p.pathType,
              backend: { service: p.backend.service && { name: p.backend.service.name, port: defined({ number: p.backend.service.port?.number }) } },
            }),
          ),
        },
      }),
    ),
  });
}

/** Quantities (resource quotas, limit ranges) as text. */
export function quantities(values: { [key: string]: number | string } | undefined): Labels | undefined {
  return values && Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)]));
}
