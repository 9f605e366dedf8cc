import { type PostgresTenant, isPostgresTenant, loadRegistry, type Registry, type Tenant, serversDir, tenantsDir } from '../tenants/registry';
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

/** Why a PostgreSQL command refuses a MongoDB tenant, and what provisions it instead. */
export function notPostgres(key: string): string {
  return `${key} is a MongoDB tenant: this command works on PostgreSQL tenants; its users and collections are provisioned by \`npx tenants mongo-provision ${key}\` (the deploy runs it)`;
}

/** One PostgreSQL tenant by key, or a usage error (unknown key, or a MongoDB tenant). */
export function postgresTenantByKey(reg: Registry, key: string): PostgresTenant {
  const tenant = tenantByKey(reg, key);
  if (!isPostgresTenant(tenant)) throw new UsageError(notPostgres(key));
  return tenant;
}

/** The PostgreSQL tenants a fleet command acts on: the given keys (a MongoDB tenant among them is a usage error), or all PostgreSQL tenants with --all. */
export function selectPostgresTenants(reg: Registry, keys: readonly string[], all: boolean | undefined): PostgresTenant[] {
  const selected = selectTenants(reg, keys, all);
  if (all) return selected.filter(isPostgresTenant);
  return selected.map((tenant) => postgresTenantByKey(reg, tenant.key));
}
