import type { Tenant } from '../tenants/registry';

/** Where a tenant's app answers, as `list` and `show` print it. */
export function endpointOf(tenant: Tenant): string {
  return tenant.app.target === 'docker' ? `http://localhost:${tenant.app.port}` : `API Gateway, ${tenant.app.region}`;
}
