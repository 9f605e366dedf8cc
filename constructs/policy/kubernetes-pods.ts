/**
 * What the Kubernetes rules read of the kubernetes provider's resources:
 * the pod specs of a workload, their containers, the namespace an object
 * lives in and the replicas a workload runs, all from the synthesized
 * arguments (snake_case; a block is an object or a list of one).
 */
import { type PolicyContext, type ResourceView, addressesIn, blocks, isUnresolved } from './policy-rule';

/** Resources that run pods, by where their pod spec is. */
const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  kubernetes_pod: ['spec'],
  kubernetes_pod_v1: ['spec'],
  kubernetes_deployment: ['spec', 'template', 'spec'],
  kubernetes_deployment_v1: ['spec', 'template', 'spec'],
  kubernetes_stateful_set: ['spec', 'template', 'spec'],
  kubernetes_stateful_set_v1: ['spec', 'template', 'spec'],
  kubernetes_daemonset: ['spec', 'template', 'spec'],
  kubernetes_daemon_set_v1: ['spec', 'template', 'spec'],
  kubernetes_replication_controller: ['spec', 'template', 'spec'],
  kubernetes_replication_controller_v1: ['spec', 'template', 'spec'],
  kubernetes_job: ['spec', 'template', 'spec'],
  kubernetes_job_v1: ['spec', 'template', 'spec'],
  kubernetes_cron_job: ['spec', 'job_template', 'spec', 'template', 'spec'],
  kubernetes_cron_job_v1: ['spec', 'job_template', 'spec', 'template', 'spec'],
};

/** Every resource type that runs pods. */
export const POD_WORKLOAD_TYPES: readonly string[] = Object.keys(POD_SPEC_PATHS);

/** Workloads that keep a number of replicas running, and so may need a disruption budget. */
export const REPLICATED_WORKLOAD_TYPES: readonly string[] = [
  'kubernetes_deployment',
  'kubernetes_deployment_v1',
  'kubernetes_stateful_set',
  'kubernetes_stateful_set_v1',
  'kubernetes_replication_controller',
  'kubernetes_replication_controller_v1',
];

/** The first block at a path of nested blocks. */
export function blockAt(config: Readonly<Record<string, unknown>>, path: readonly string[]): Record<string, unknown> | undefined {
  let current: Record<string, unknown> | undefined = config as Record<string, unknown>;
  for (const part of path) current = current && blocks(current[part])[0];
  return current;
}

/** The pod spec of a workload. */
export function podSpecOf(element: ResourceView): Record<string, unknown> | undefined {
  const path = POD_SPEC_PATHS[element.type];
  return path && blockAt(element.config, path);
}

/** One container of a pod, init containers included, with what the findings call it. */
export interface PodContainer {
  readonly label: string;
  readonly config: Record<string, unknown>;
}

/** Every container of a pod spec. */
export function containersOf(pod: Record<string, unknown> | undefined): PodContainer[] {
  if (!pod) return [];
  const named = (kind: string) => blocks(pod[kind]).map((config, index) => ({ label: `${kind} ${JSON.stringify(config.name ?? index)}`, config }));
  return [...named('init_container'), ...named('container')];
}

/** A value of a container's security context, else of its pod's (Kubernetes lets the container's override the pod's). */
export function securityValue(container: Record<string, unknown>, pod: Record<string, unknown> | undefined, field: string): unknown {
  const own = blocks(container.security_context)[0]?.[field];
  return own !== undefined ? own : blocks(pod?.security_context)[0]?.[field];
}

/**
 * The namespace an object lives in, as a name: its `metadata.namespace`,
 * read through a reference to a namespace resource of the stack; `default`
 * when it names none, as Kubernetes does. Undefined when only the deploy knows.
 */
export function namespaceOf(element: ResourceView, context: PolicyContext): string | undefined {
  const value = blocks(element.config.metadata)[0]?.namespace;
  if (value === undefined) return 'default';
  const resolved = context.resolve(value);
  const [address] = addressesIn(resolved);
  if (address) {
    const namespace = context.elements.find((e) => e.address === address && /^kubernetes_namespace(_v1)?$/.test(e.type));
    const name = namespace && blocks(namespace.config.metadata)[0]?.name;
    return typeof name === 'string' && !isUnresolved(name) ? name : undefined;
  }
  return typeof resolved === 'string' && !isUnresolved(value) ? resolved : undefined;
}

/** The labels of a selector block (`match_labels`). */
export function matchLabelsOf(selector: unknown): Record<string, unknown> {
  return (blocks(selector)[0]?.match_labels as Record<string, unknown> | undefined) ?? {};
}
