/** The registry's rules and defaults of the Kubernetes target, beyond its shape (schema.ts). */
import { DEFAULT_API_IMAGE, DEFAULT_FRONTEND_IMAGE } from '../../model/defaults';
import { DEFAULT_DATABASE_PORT, DEFAULT_INGRESS_NAMESPACE } from '../../model/kubernetes/defaults';
import { isDns1123Label, isKubernetesLabelKey, isKubernetesLabelValue, kubernetesNamespace } from '../../model/naming';
import type { Problem } from '../../model/problems';
import { rules } from './messages';
import type { KubernetesTarget, ResolvedKubernetesTarget, TenantDefinition } from './types';

/**
 * What a Kubernetes tenant needs besides a valid shape: a namespace name
 * Kubernetes accepts (the key's length rule already keeps it within 63
 * characters; checked here so that a change of either cannot slip by), and
 * tags that are valid labels, since they label every object.
 */
export function kubernetesProblems(file: string, definition: Pick<TenantDefinition, 'key' | 'tags'>): Problem[] {
  const problems: Problem[] = [];
  const namespace = kubernetesNamespace(definition.key);
  if (!isDns1123Label(namespace)) problems.push({ file, field: 'key', value: definition.key, rule: rules.namespaceTooLong(namespace) });
  // Tags of the wrong shape have their own problem from the schema.
  const tags = typeof definition.tags === 'object' && definition.tags !== null ? definition.tags : {};
  for (const [key, value] of Object.entries(tags)) {
    if (typeof value !== 'string') continue;
    if (!isKubernetesLabelKey(key)) problems.push({ file, field: 'tags', value: key, rule: rules.invalidKubernetesLabel() });
    else if (!isKubernetesLabelValue(value)) problems.push({ file, field: `tags.${key}`, value, rule: rules.invalidKubernetesLabel() });
  }
  return problems;
}

/** The target with every default filled in. */
export function resolveKubernetesApp(app: KubernetesTarget): ResolvedKubernetesTarget {
  return {
    target: 'kubernetes',
    image: app.image ?? DEFAULT_API_IMAGE,
    ...(app.frontend && { frontend: { image: app.frontend.image ?? DEFAULT_FRONTEND_IMAGE } }),
    ingressNamespace: app.ingressNamespace ?? DEFAULT_INGRESS_NAMESPACE,
    ...(app.ingress && { ingress: app.ingress }),
    databaseServer: {
      host: app.databaseServer.host,
      port: app.databaseServer.port ?? DEFAULT_DATABASE_PORT,
      cidrs: app.databaseServer.cidrs,
      sslmode: app.databaseServer.sslmode ?? 'require',
    },
  };
}
