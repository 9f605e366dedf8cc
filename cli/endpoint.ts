import { kubernetesNamespace } from '../model/naming';
import type { Tenant } from '../tenants/registry';

/** Where a tenant's app answers, as `list` and `show` print it. */
export function endpointOf(tenant: Tenant): string {
  const { app } = tenant;
  if (app.target === 'docker') return `http://localhost:${app.port}`;
  if (app.target === 'kubernetes') return app.ingress ? `https://${app.ingress.host}` : `namespace ${kubernetesNamespace(tenant.key)} (no Ingress)`;
  return `API Gateway, ${app.region}`;
}
