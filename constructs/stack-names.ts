/**
 * The stacks a tenant gets, in deploy order. The stack named after the key
 * holds its database; AWS-only stacks of a Lambda tenant start with the key.
 */
import type { Tenant } from '../tenants/registry/types';

/** Stack names of one tenant, in the order they deploy. */
export function tenantStackNames(tenant: Pick<Tenant, 'key' | 'app'>): string[] {
  return [tenant.key];
}
