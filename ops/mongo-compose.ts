/**
 * A docker-compose file that runs one MongoDB tenant locally: for a
 * container tenant its own `mongo` (the same pinned image, root user,
 * `--noscripting`, a volume, its port on 127.0.0.1 only) and the store app on
 * the tenant's network; for an Atlas tenant the store app against the
 * tenant's cluster. The app gets the MongoDB contract (model/store-api.ts);
 * secrets are `${VARIABLES}` that compose refuses to start without, never
 * values.
 */
import { API_CONTAINER_PORT } from '../model/defaults';
import { mongoAccessModel } from '../model/mongo-access-model';
import { MONGO_PORT, MONGO_ROOT_USERNAME, mongodArguments } from '../model/mongo-defaults';
import { MONGO_PLAN_PROFILES } from '../model/mongo-plans';
import { mongoUri } from '../model/mongo-uri';
import { dockerName } from '../model/naming';
import { MONGO_STORE_API_VARIABLES, mongoStoreApiEnvironment } from '../model/store-api';
import { tenantTags } from '../model/tenant-tags';
import { composeAppSources, composeProject, frontendService, required } from './compose';
import type { MongoTenant, ResolvedDockerTarget } from '../tenants/registry';


/** A MongoDB tenant on the Docker host: container or Atlas, docker target. */
export type LocalMongoTenant = MongoTenant & { readonly app: ResolvedDockerTarget };

/** Variables the compose file of a MongoDB tenant reads, with what they are. */
export function mongoComposeVariables(tenant: LocalMongoTenant): Record<string, string> {
  const app = mongoAccessModel(tenant).users.find((u) => u.purpose === 'app')?.name as string;
  const common = Object.fromEntries(
    MONGO_STORE_API_VARIABLES.filter((v) => v.secret && v.source !== 'mongodbUri').map((v) => [v.name, v.description] as const),
  );
  const plain = { STRIPE_KEY: 'Stripe publishable key', SMTP_USER: 'SMTP user', SMTP_PORT: 'optional: SMTP port (default 587)' };
  if (tenant.database.placement === 'atlas') {
    return { MONGODB_URI: `the app user's connection string: bash scripts/cdktf.sh output ${tenant.key} (connection_strings, ${app})`, ...common, ...plain };
  }
  return {
    MONGO_ROOT_PASSWORD: 'password of the local mongo root user, set on its first start (any long random string)',
    APP_DATABASE_PASSWORD: `password of ${app}: the same as its entry in MONGODB_USER_PASSWORDS`,
    MONGODB_USER_PASSWORDS: `every user's password for \`npx tenants mongo-provision ${tenant.key}\`, as JSON in single quotes: '${JSON.stringify(Object.fromEntries(mongoAccessModel(tenant).users.filter((u) => u.generatedPassword).map((u) => [u.name, '…'])))}'`,
    ...common,
    ...plain,
  };
}

/** The compose file of a MongoDB tenant on the Docker host, as an object ready for YAML. */
export function mongoComposeFile(tenant: LocalMongoTenant): Record<string, unknown> {
  const { app, database } = tenant;
  const labels = tenantTags(tenant);
  const appUser = mongoAccessModel(tenant).users.find((u) => u.purpose === 'app')?.name as string;
  const services: Record<string, unknown> = {};
  const volumes: Record<string, unknown> = {};
  let mongodbUri: string;
  if (database.placement === 'container') {
    const profile = MONGO_PLAN_PROFILES[tenant.plan];
    services.mongo = {
      image: database.container.image,
      restart: 'unless-stopped',
      command: mongodArguments(profile.maxConnections, profile.containerCacheSizeGiB),
      ports: [`127.0.0.1:${database.container.port}:${MONGO_PORT}`],
      environment: { MONGO_INITDB_ROOT_USERNAME: MONGO_ROOT_USERNAME, MONGO_INITDB_ROOT_PASSWORD: required('MONGO_ROOT_PASSWORD') },
      volumes: ['data:/data/db'],
      labels,
      networks: ['tenant'],
    };
    volumes.data = { name: `${dockerName(tenant.key, 'mongo-data')}-local` };
    mongodbUri = mongoUri('container', { host: `mongo:${MONGO_PORT}`, user: appUser, password: required('APP_DATABASE_PASSWORD'), database: database.name });
  } else {
    mongodbUri = required('MONGODB_URI');
  }
  services.api = {
    image: app.image,
    restart: 'unless-stopped',
    ports: [`127.0.0.1:${app.port}:${API_CONTAINER_PORT}`],
    environment: mongoStoreApiEnvironment({ mongodbUri, databaseName: database.name, tenantName: tenant.key, ...composeAppSources(app) }),
    ...(database.placement === 'container' && { depends_on: ['mongo'] }),
    labels,
    networks: ['tenant'],
  };
  const frontend = frontendService(app, labels);
  if (frontend) services.frontend = frontend;
  return composeProject(tenant.key, services, Object.keys(volumes).length ? { volumes } : {});
}

/** An env file template for a MongoDB tenant: every variable, empty, with what it is. Never a value. */
export function mongoEnvTemplate(tenant: LocalMongoTenant): string {
  return [
    `# Variables for tenants/${tenant.key}.ts's compose file. Fill in, keep out of git, pass with --env-file.`,
    ...Object.entries(mongoComposeVariables(tenant)).map(([name, what]) => `# ${what}\n${what.startsWith('optional') ? '# ' : ''}${name}=`),
    '',
  ].join('\n');
}

/** The commands that start a MongoDB tenant locally: its database first, then its users and collections, then the app. */
export function mongoComposeSteps(tenant: LocalMongoTenant, composeFile: string, envFile: string): string[] {
  const up = `docker compose --env-file ${envFile} -f ${composeFile} up -d`;
  if (tenant.database.placement !== 'container') return [`  ${up}`];
  return [
    `  ${up} mongo`,
    `  set -a && . ${envFile.startsWith('/') ? envFile : `./${envFile}`} && set +a && MONGODB_SERVER_URI=mongodb://localhost:${tenant.database.container.port}/ MONGODB_ADMIN_PASSWORD="$MONGO_ROOT_PASSWORD" npx tenants mongo-provision ${tenant.key}`,
    `  ${up}`,
  ];
}
