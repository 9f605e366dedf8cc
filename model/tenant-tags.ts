/**
 * The labels (Docker) and tags (AWS) that name a tenant's resources. The
 * keys under `usualstore.` are the fleet's own: the registry refuses them in
 * a tenant's `tags`, and they are never taken from there, so they always
 * name the tenant and plan the resource belongs to.
 */
/** Prefix of the keys the fleet sets itself. */
export const RESERVED_TAG_PREFIX = 'usualstore.';

/** Tag and label keys naming tenant and plan on every resource. */
export const TENANT_TAG = `${RESERVED_TAG_PREFIX}tenant`;
export const PLAN_TAG = `${RESERVED_TAG_PREFIX}plan`;

/** Tenant and plan, then the tenant's own tags (none under the reserved prefix). */
export function tenantTags(tenant: { readonly key: string; readonly plan: string; readonly tags?: Readonly<Record<string, string>> }): Record<string, string> {
  const own = Object.entries(tenant.tags ?? {}).filter(([key]) => !isReservedTag(key));
  return { [TENANT_TAG]: tenant.key, [PLAN_TAG]: tenant.plan, ...Object.fromEntries(own) };
}

/** Whether a tag key is the fleet's own (compared as AWS does for its own prefix: ignoring case). */
export function isReservedTag(key: string): boolean {
  return key.toLowerCase().startsWith(RESERVED_TAG_PREFIX);
}
