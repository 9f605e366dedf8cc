/**
 * Kubernetes helpers of the tests: example Kubernetes tenants, validation
 * of an object against the OpenAPI schema of the pinned Kubernetes version
 * (kubernetes-models 4.5.1: Kubernetes 1.33.0), and the reading of a
 * kubernetes provider resource back into Kubernetes API shape, written
 * independently of constructs/kubernetes/provider-shapes.ts so that the two
 * renderings can be compared field by field.
 */
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { LimitRange } from 'kubernetes-models/v1/LimitRange';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { ResourceQuota } from 'kubernetes-models/v1/ResourceQuota';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import type { Plan } from '../../model/plans';
import type { Tenant, TenantDefinition } from '../../tenants/registry/types';
import { tenant } from '../helpers';

/** A Kubernetes tenant's app definition, every option on unless overridden. */
export function kubernetesApp(overrides: Record<string, unknown> = {}): TenantDefinition['app'] {
  return {
    target: 'kubernetes',
    frontend: {},
    ingress: { host: 'api.test-shop.example', frontendHost: 'test-shop.example', tlsSecret: 'test-shop-tls' },
    databaseServer: { host: 'db.internal.example', cidrs: ['10.20.0.15/32'] },
    ...overrides,
  } as TenantDefinition['app'];
}

/** A resolved Kubernetes tenant. */
export function kubernetesTenant(plan: Plan = 'professional', app: Record<string, unknown> = {}, tags: Record<string, string> = { team: 'north' }): Tenant {
  return tenant({ plan, app: kubernetesApp(app), tags });
}

/** The model class of each kind, with the schema it validates against. */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  Namespace,
  ResourceQuota,
  LimitRange,
  NetworkPolicy,
  Secret,
  Deployment,
  Service,
  PodDisruptionBudget,
  HorizontalPodAutoscaler,
  Ingress,
};

/** The schema's complaints about an object (none when it is valid), named by kind and name. */
export function openApiProblems(object: { kind?: string; metadata?: { name?: string } }): string[] {
  const Model = object.kind ? MODELS[object.kind] : undefined;
  if (!Model) return [`${object.kind}: no schema for this kind`];
  try {
    new Model(object as never).validate();
    return [];
  } catch (error) {
    return [`${object.kind}/${object.metadata?.name}: ${(error as Error).message}`];
  }
}

/** Kubernetes kinds of the provider's resource types. */
export const KIND_OF: Record<string, { apiVersion: string; kind: string }> = {
  kubernetes_namespace_v1: { apiVersion: 'v1', kind: 'Namespace' },
  kubernetes_resource_quota_v1: { apiVersion: 'v1', kind: 'ResourceQuota' },
  kubernetes_limit_range_v1: { apiVersion: 'v1', kind: 'LimitRange' },
  kubernetes_network_policy_v1: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
  kubernetes_secret_v1: { apiVersion: 'v1', kind: 'Secret' },
  kubernetes_deployment_v1: { apiVersion: 'apps/v1', kind: 'Deployment' },
  kubernetes_service_v1: { apiVersion: 'v1', kind: 'Service' },
  kubernetes_pod_disruption_budget_v1: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' },
  kubernetes_horizontal_pod_autoscaler_v2: { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' },
  kubernetes_ingress_v1: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' },
};

/** Maps whose keys are data (labels, quantities, environment), not field names: kept as they are. */
const MAP_FIELDS = new Set(['labels', 'annotations', 'match_labels', 'data', 'hard', 'limits', 'requests', 'default', 'default_request', 'max', 'selector']);

/** Repeated blocks the provider names in the singular, where the Kubernetes API has a list in the plural. */
const PLURALS: Record<string, string> = {
  container: 'containers',
  volume_mount: 'volumeMounts',
  volume: 'volumes',
  topology_spread_constraint: 'topologySpreadConstraints',
  sysctl: 'sysctls',
  rule: 'rules',
  path: 'paths',
  limit: 'limits',
  metric: 'metrics',
};

/** Blocks the provider keeps as a list of one, where the Kubernetes API has an object. */
const SINGLE_BLOCKS = new Set(['tcp_socket', 'label_selector']);

/** Arguments of the provider that are no part of the object (how Terraform waits, what it orders by). */
const PROVIDER_ONLY = new Set(['//', 'depends_on', 'lifecycle', 'provider', 'wait_for_rollout', 'wait_for_load_balancer', 'wait_for_default_service_account', 'timeouts']);

const camel = (name: string) => name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

function fieldName(key: string, value: unknown, parent: string): string {
  // `port` is a list of ports in a container or a Service, one number in a probe or a policy, an object in a backend.
  if (key === 'port' && Array.isArray(value) && parent !== 'tcp_socket') return 'ports';
  if (key === 'data') return 'stringData';
  return PLURALS[key] && Array.isArray(value) ? PLURALS[key] : camel(key);
}

function read(value: unknown, key: string): unknown {
  if (Array.isArray(value)) {
    const items = value.map((item) => read(item, key));
    return SINGLE_BLOCKS.has(key) ? items[0] : items;
  }
  if (value && typeof value === 'object') {
    // A Service's selector is a map of labels; a Deployment's is a block of match_labels.
    if (MAP_FIELDS.has(key) && Object.values(value).every((v) => typeof v !== 'object')) return { ...(value as object) };
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => !PROVIDER_ONLY.has(k))
        .map(([k, v]) => [fieldName(k, v, key), read(v, k)]),
    );
  }
  return value;
}

/** A synthesized kubernetes provider resource as the Kubernetes object it creates. */
export function objectOfResource(type: string, config: Record<string, unknown>): Record<string, unknown> {
  const kind = KIND_OF[type];
  if (!kind) throw new Error(`no Kubernetes kind for ${type}`);
  return { ...kind, ...(read(config, '') as Record<string, unknown>) };
}

/**
 * Every scalar as text: the provider takes int-or-string fields, user ids
 * and replicas as text where the API has numbers, so the renderings are
 * compared value by value as Terraform and Kubernetes read them.
 */
export function asText(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asText);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asText(v)]));
  return value === undefined ? value : String(value);
}
