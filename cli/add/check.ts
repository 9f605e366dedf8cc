/**
 * The registry's own rules, applied to a tenant that is not written yet:
 * its file's checks plus the fleet rules against every existing tenant.
 */
import * as path from 'node:path';
import type { Problem } from '../../model/problems';
import type { Registry } from '../../tenants/registry';
import { displayPath } from '../../tenants/registry';
import { checkDefinition, checkNewAgainstFleet, checkNewPlacement, partialFacts } from '../../tenants/registry';

/** Where a new tenant's file goes. */
export function tenantFile(registry: Registry, key: string): string {
  return path.join(registry.dir, `${key}.ts`);
}

/** Every problem a new tenant definition would have, as the registry would report it. */
export function checkNewTenant(registry: Registry, raw: Record<string, unknown>): Problem[] {
  const key = typeof raw.key === 'string' ? raw.key : '';
  const file = displayPath(tenantFile(registry, key || '<key>'));
  // The file is named after the key, so the key always matches it.
  const { tenant, problems: own } = checkDefinition(file, key, raw);
  const placement = tenant ? checkNewPlacement(registry.servers, registry.tenants, tenant) : [];
  return [...own, ...checkNewAgainstFleet(registry.tenants, [partialFacts(file, raw, own)]), ...placement];
}
