/**
 * Where the API's environment comes from on Kubernetes: the same contract
 * (model/store-api.ts) as the Docker and Lambda targets, with the DSN
 * pointed at the server as the pods reach it. Terraform fills the sources
 * with references; the plain manifests with `${VARIABLE}` placeholders.
 */
import { API_CONTAINER_PORT } from '../defaults';
import { keywordDsn } from '../dsn';
import { KUBERNETES_OBJECT_NAMES, appRoleName, kubernetesNamespace } from '../naming';
import type { StoreApiSources } from '../store-api';
import type { KubernetesTenant } from './tenant';

/** What only the deploying environment knows: the generated secrets and the Stripe and mail settings. */
export interface DeployTimeValues {
  /** The app role's password. */
  readonly appPassword: string;
  readonly secretForFront: string;
  readonly stripeKey: string;
  readonly stripeSecret: string;
  readonly smtpUser: string;
  readonly smtpPassword: string;
  readonly smtpPort: string;
}

/** The placeholders of the plain manifests, named as the compose file and the Terraform variables name them. */
export const MANIFEST_PLACEHOLDERS: DeployTimeValues = {
  appPassword: '${APP_DATABASE_PASSWORD}',
  secretForFront: '${SECRET_FOR_FRONT}',
  stripeKey: '${STRIPE_KEY}',
  stripeSecret: '${STRIPE_SECRET}',
  smtpUser: '${SMTP_USER}',
  smtpPassword: '${SMTP_PASSWORD}',
  smtpPort: '${SMTP_PORT}',
};

/** In-cluster address of one of the tenant's Services. */
function serviceUrl(key: string, service: string, port?: number): string {
  return `http://${service}.${kubernetesNamespace(key)}.svc.cluster.local${port === undefined ? '' : `:${port}`}`;
}

/** Where the API answers: its Ingress host, else its Service inside the cluster. */
export function apiUrl(tenant: KubernetesTenant): string {
  const { ingress } = tenant.app;
  return ingress ? `https://${ingress.host}` : serviceUrl(tenant.key, KUBERNETES_OBJECT_NAMES.api, API_CONTAINER_PORT);
}

/** Where the frontend answers (the API's `FRONT_URL`): its Ingress host, else its Service; the API's when there is no frontend, as on Docker. */
export function frontUrl(tenant: KubernetesTenant): string {
  const { ingress, frontend } = tenant.app;
  if (!frontend) return apiUrl(tenant);
  if (ingress?.frontendHost) return `https://${ingress.frontendHost}`;
  return serviceUrl(tenant.key, KUBERNETES_OBJECT_NAMES.frontend);
}

/** Every source of the API's environment on Kubernetes. */
export function kubernetesApiSources(tenant: KubernetesTenant, values: DeployTimeValues): StoreApiSources {
  const server = tenant.app.databaseServer;
  return {
    databaseDsn: keywordDsn({
      host: server.host,
      port: server.port,
      user: appRoleName(tenant.key),
      password: values.appPassword,
      dbname: tenant.database.name,
      sslmode: server.sslmode,
    }),
    apiPort: String(API_CONTAINER_PORT),
    stripeKey: values.stripeKey,
    stripeSecret: values.stripeSecret,
    secretForFront: values.secretForFront,
    frontUrl: frontUrl(tenant),
    smtpUser: values.smtpUser,
    smtpPassword: values.smtpPassword,
    smtpPort: values.smtpPort,
  };
}
