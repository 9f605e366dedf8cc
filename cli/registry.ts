import { loadRegistry, type Registry, type Tenant, serversDir, tenantsDir } from '../tenants/registry';
import { UsageError } from './errors';

/**
 * The validated registry (TENANTS_DIR or tenants/, SERVERS_DIR or servers/); a {@link RegistryError}
 * (exit 1) lists every problem.
 * @param env @default process.env
 */
export function registry(env: NodeJS.ProcessEnv = process.env): Registry {
  return loadRegistry(tenantsDir(env), serversDir(env));
}

/** One tenant by key, or a usage error naming the keys there are. */
export function tenantByKey(reg: Registry, key: string): Tenant {
  const found = reg.tenants.find((t) => t.key === key);
  if (!found) {
    throw new UsageError(`no tenant "${key}" in ${reg.dir}; known tenants: ${reg.tenants.map((t) => t.key).join(', ') || '(none)'}`);
  }
  return found;
}

/** The tenants a fleet command acts on: the given keys, or all with --all. */
export function selectTenants(reg: Registry, keys: readonly string[], all: boolean | undefined): Tenant[] {
  if (all && keys.length) throw new UsageError('give tenant keys or --all, not both');
  if (all) return [...reg.tenants];
  if (!keys.length) throw new UsageError('name at least one tenant key, or pass --all');
  return keys.map((key) => tenantByKey(reg, key));
}
