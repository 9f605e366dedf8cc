import { PLAN_TAG, TENANT_TAG } from '../../../model/tenant-tags';
import { type PolicyRule, isUnresolved } from '../policy-rule';

/** Tags every AWS resource must carry. */
export const REQUIRED_TAGS: readonly string[] = [TENANT_TAG, PLAN_TAG];

/** Tenant and plan on everything. */
export const tagsPresent: PolicyRule = {
  id: 'TAGS-TENANT-PLAN',
  reason: `Every taggable AWS resource must carry the tags ${REQUIRED_TAGS.join(' and ')} (its own or the provider's default_tags), so cost and ownership are traceable per tenant.`,
  appliesTo: '*',
  check: ({ kind, type, config, taggable, defaultTags }) => {
    if (kind !== 'resource' || !type.startsWith('aws_') || !taggable || isUnresolved(config.tags)) return [];
    const tags = { ...defaultTags, ...((config.tags as Record<string, unknown> | undefined) ?? {}) };
    const missing = REQUIRED_TAGS.filter((tag) => typeof tags[tag] !== 'string' || tags[tag] === '');
    return missing.length ? [`tags lack ${missing.join(', ')}`] : [];
  },
};
