/**
 * A docker-compose file that runs one tenant's store app locally against the
 * tenant's own database (deployed by Terraform, reached on the Docker host by
 * default). Fixes what the original's generated files got wrong: it points
 * at the real tenant database, uses the tenant's own host ports (unique
 * across the fleet), and sets every variable the API requires, with secrets
 * as ${VARIABLES} that compose refuses to start without.
 */
import { API_CONTAINER_PORT, DEFAULT_SSLMODE, FRONTEND_CONTAINER_PORT } from '../model/defaults';
import { keywordDsn } from '../model/dsn';
import { appRoleName, dockerName } from '../model/naming';
import { STORE_API_VARIABLES, type StoreApiSource, storeApiEnvironment } from '../model/store-api';
import { tenantTags } from '../model/tenant-tags';
import type { ResolvedDockerTarget, Tenant } from '../tenants/registry';

/** The API's variables the env file gives as they are, by source (the DSN is built from parts, API_PORT and FRONT_URL are known). */
const FROM_ENV_FILE: readonly StoreApiSource[] = ['stripeKey', 'stripeSecret', 'secretForFront', 'smtpUser', 'smtpPassword'];

/** Variables the compose file reads from the environment or an env file, with what they are. */
export const COMPOSE_VARIABLES: Readonly<Record<string, string>> = {
  APP_DATABASE_PASSWORD: 'password of the app role: bash scripts/cdktf.sh output <key> (connection_strings, sensitive)',
  ...Object.fromEntries(STORE_API_VARIABLES.filter((v) => FROM_ENV_FILE.includes(v.source)).map((v) => [v.name, v.description])),
  DATABASE_HOST: 'optional: database host (default host.docker.internal, the Docker host)',
  DATABASE_PORT: 'optional: database port (default 5432)',
  DATABASE_SSLMODE: `optional: libpq sslmode (default ${DEFAULT_SSLMODE}; disable only for a local server without TLS)`,
  SMTP_PORT: 'optional: SMTP port (default 587)',
};

/** A variable compose refuses to start without. */
export function required(name: string): string {
  return `\${${name}:?set ${name} in the environment or an env file}`;
}

/** The store API's sources every engine's compose file shares: its port, the frontend's URL, and the secrets and mail settings from the environment. */
export function composeAppSources(app: ResolvedDockerTarget) {
  return {
    apiPort: String(API_CONTAINER_PORT),
    stripeKey: required('STRIPE_KEY'),
    stripeSecret: required('STRIPE_SECRET'),
    secretForFront: required('SECRET_FOR_FRONT'),
    frontUrl: `http://localhost:${app.frontend?.port ?? app.port}`,
    smtpUser: required('SMTP_USER'),
    smtpPassword: required('SMTP_PASSWORD'),
    smtpPort: '${SMTP_PORT:-587}',
  };
}

/** The frontend's service of a tenant that has one. */
export function frontendService(app: ResolvedDockerTarget, labels: Readonly<Record<string, string>>): Record<string, unknown> | undefined {
  if (!app.frontend) return undefined;
  return {
    image: app.frontend.image,
    restart: 'unless-stopped',
    ports: [`127.0.0.1:${app.frontend.port}:${FRONTEND_CONTAINER_PORT}`],
    environment: { API_URL: `http://localhost:${app.port}`, SECRET_FOR_FRONT: required('SECRET_FOR_FRONT') },
    depends_on: ['api'],
    labels,
    networks: ['tenant'],
  };
}

/** A tenant's compose project: its own name and network, apart from the containers Terraform runs for the same tenant. */
export function composeProject(tenantKey: string, services: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: `${dockerName(tenantKey, 'api').replace(/-api$/, '')}-local`,
    services,
    networks: { tenant: { name: `${dockerName(tenantKey, 'network')}-local` } },
    ...extra,
  };
}

/** The compose file of a docker tenant, as an object ready for YAML. */
export function composeFile(tenant: Tenant & { app: ResolvedDockerTarget }): Record<string, unknown> {
  const { app } = tenant;
  // The same labels as Terraform's containers get: tenant, plan and the tenant's own tags.
  const labels = tenantTags(tenant);
  const dsn = keywordDsn({
    host: '${DATABASE_HOST:-host.docker.internal}',
    port: '${DATABASE_PORT:-5432}',
    user: appRoleName(tenant.key),
    password: required('APP_DATABASE_PASSWORD'),
    dbname: tenant.database.name,
    sslmode: `\${DATABASE_SSLMODE:-${DEFAULT_SSLMODE}}`,
  });
  const services: Record<string, unknown> = {
    api: {
      image: app.image,
      restart: 'unless-stopped',
      ports: [`127.0.0.1:${app.port}:${API_CONTAINER_PORT}`],
      environment: storeApiEnvironment({ databaseDsn: dsn, ...composeAppSources(app) }),
      extra_hosts: ['host.docker.internal:host-gateway'],
      labels,
      networks: ['tenant'],
    },
  };
  const frontend = frontendService(app, labels);
  if (frontend) services.frontend = frontend;
  return composeProject(tenant.key, services);
}

/** An env file template: every variable, empty, with what it is. Never a value. */
export function envTemplate(tenant: Tenant): string {
  return [
    `# Variables for tenants/${tenant.key}.ts's compose file. Fill in, keep out of git, pass with --env-file.`,
    ...Object.entries(COMPOSE_VARIABLES).map(([name, what]) => `# ${what.replace('<key>', tenant.key)}\n${what.startsWith('optional') ? '# ' : ''}${name}=`),
    '',
  ].join('\n');
}
