import { FREE_PLAN } from '../../../model/plans';
import { PLAN_TAG } from '../../../model/tenant-tags';
import { type PolicyRule, type ResourceView, blocks, isUnresolved, referenced } from '../policy-rule';

/** Whether an image reference names a digest. */
export function hasDigest(image: string): boolean {
  return /@sha256:[a-f0-9]{64}$/.test(image);
}

function planOf(element: ResourceView): unknown {
  if (element.type === 'docker_container') return blocks(element.config.labels).find((l) => l.label === PLAN_TAG)?.value;
  return { ...element.defaultTags, ...((element.config.tags as Record<string, unknown> | undefined) ?? {}) }[PLAN_TAG];
}

/** Images of paying tenants by digest. */
export const imageDigest: PolicyRule = {
  id: 'IMAGE-DIGEST',
  reason:
    "A paying tenant's container or function image should be pinned by digest: a tag can be moved to other code by anyone who can push to the registry, and the next deploy or container restart runs it.",
  appliesTo: ['docker_container', 'aws_lambda_function'],
  level: 'warning',
  check: (element, context) => {
    const plan = planOf(element);
    if (plan === FREE_PLAN || isUnresolved(plan)) return [];
    const image =
      element.type === 'docker_container' ? (referenced(context, element.config.image)?.config.name ?? element.config.image) : element.config.image_uri;
    if (typeof image !== 'string' || isUnresolved(image) || hasDigest(image)) return [];
    return [`image ${JSON.stringify(image)} is pinned by tag only, on plan ${JSON.stringify(plan)}; add @sha256:<digest>`];
  },
};
