import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { PostgresqlProvider } from '@cdktf/provider-postgresql/lib/provider';
import type { Role } from '@cdktf/provider-postgresql/lib/role';
import { Password } from '@cdktf/provider-random/lib/password';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { Tenant } from '../tenants/registry/types';
import { accessModel } from './access-model';
import { API_CONTAINER_PORT } from './defaults';
import { DockerApp } from './docker-app';
import { keywordDsn } from './dsn';
import { tenantRoleNames } from './naming';
import { DEFAULT_STATE_BACKEND, type StateBackendConfig, applyStateBackend } from './state-backend';
import { TenantAccess } from './tenant-access';
import { TenantDatabase } from './tenant-database';
import { TenantMigrations } from './tenant-migrations';
import { TenantRoles } from './tenant-roles';
import { TenantVariables } from './tenant-variables';

/** Where cdktf runs Terraform for a stack, relative to the project root. */
export const DEFAULT_PROJECT_DIR = '../../..';

/** Props of {@link TenantStack}. */
export interface TenantStackProps {
  /** The validated tenant, defaults resolved. */
  readonly tenant: Tenant;
  /** Checksum of the schema migrations; a change re-runs the migration runner on deploy. */
  readonly migrationsChecksum: string;
  /**
   * Where this tenant's state lives.
   * @default - a local file, state/<key>.tfstate
   */
  readonly stateBackend?: StateBackendConfig;
  /**
   * Path from the stack's working directory to the project root.
   * @default "../../.." - cdktf.out/stacks/<key>
   */
  readonly projectDir?: string;
}

/**
 * Everything one customer gets, in one stack named after its key with its own
 * state: the database, its roles and privileges, the schema migrations and
 * the store app. `cdktf deploy <key>` touches this customer only.
 *
 * Connections to PostgreSQL and Docker come from the deploying environment
 * (`PGHOST`, `PGUSER`, `PGPASSWORD`, `PGSSLMODE`, `DOCKER_HOST`); secrets of
 * the app from `TF_VAR_*`. None of them is written into the synthesized JSON.
 */
export class TenantStack extends TerraformStack {
  readonly tenant: Tenant;

  constructor(scope: Construct, props: TenantStackProps) {
    super(scope, props.tenant.key);
    const { tenant } = props;
    this.tenant = tenant;
    const projectDir = props.projectDir ?? DEFAULT_PROJECT_DIR;
    applyStateBackend(this, tenant.key, props.stateBackend ?? DEFAULT_STATE_BACKEND, projectDir);

    // superuser = false works on managed servers (RDS), where pg_shadow is off limits.
    new PostgresqlProvider(this, 'Postgresql', { superuser: false });
    new RandomProvider(this, 'Random');
    new DockerProvider(this, 'Docker');

    const variables = new TenantVariables(this, 'Variables');
    const model = accessModel(tenant);
    const adminRole = variables.postgresAdminRole.stringValue;
    const roles = new TenantRoles(this, 'Roles', { model, adminRole });
    const role = (name: string): Role => roles.roles.get(name) as Role;
    const database = new TenantDatabase(this, 'Database', {
      spec: model.database,
      ownerRole: role(model.database.owner).name,
      dependsOn: [roles.adminMembership],
    });
    const access = new TenantAccess(this, 'Access', {
      model,
      database: database.database.name,
      roles: roles.roles,
      adminRole,
      dependsOn: [database.database],
    });
    const migrations = new TenantMigrations(this, 'Migrations', {
      tenantKey: tenant.key,
      database: database.database.name,
      migrationsChecksum: props.migrationsChecksum,
      projectDir,
      dependsOn: access.resources.slice(-1),
    });

    const names = tenantRoleNames(tenant);
    const dsnFor = (roleName: string, host: string) =>
      keywordDsn({
        host,
        port: variables.databasePort.numberValue,
        user: role(roleName).name,
        password: (roles.passwords.get(roleName) as Password).result,
        dbname: database.database.name,
        sslmode: variables.databaseSslmode.stringValue,
      });
    const secretForFront = new Password(this, 'SecretForFront', { length: 48, special: false });
    const labels = { 'usualstore.tenant': tenant.key, 'usualstore.plan': tenant.plan, ...tenant.tags };
    const app = new DockerApp(this, 'App', {
      tenantKey: tenant.key,
      labels,
      image: tenant.app.image,
      port: tenant.app.port,
      frontend: tenant.app.frontend,
      environment: {
        DATABASE_DSN: dsnFor(names.app, variables.appDatabaseHost.stringValue),
        API_PORT: String(API_CONTAINER_PORT),
        STRIPE_KEY: variables.stripeKey.stringValue,
        STRIPE_SECRET: variables.stripeSecret.stringValue,
        SECRET_FOR_FRONT: secretForFront.result,
        FRONT_URL: tenant.app.frontend ? `http://localhost:${tenant.app.frontend.port}` : `http://localhost:${tenant.app.port}`,
        SMTP_USER: variables.smtpUser.stringValue,
        SMTP_PASSWORD: variables.smtpPassword.stringValue,
        SMTP_PORT: variables.smtpPort.stringValue,
      },
      dependsOn: [migrations.runner],
    });

    new TerraformOutput(this, 'database_name', { value: database.database.name, description: 'The tenant database.' });
    new TerraformOutput(this, 'role_names', {
      value: {
        owner: names.owner,
        groups: names.groups,
        app: names.app,
        people: Object.fromEntries(names.people),
      },
      description: 'Every role the tenant has.',
    });
    new TerraformOutput(this, 'app_url', { value: `http://localhost:${tenant.app.port}`, description: 'Store API.' });
    if (app.frontend && tenant.app.frontend) {
      new TerraformOutput(this, 'frontend_url', { value: `http://localhost:${tenant.app.frontend.port}`, description: 'Store frontend.' });
    }
    new TerraformOutput(this, 'connection_strings', {
      value: Object.fromEntries([...roles.passwords.keys()].map((name) => [name, dsnFor(name, variables.databaseHost.stringValue)])),
      sensitive: true,
      description: 'libpq connection string of every login role, with its generated password.',
    });
  }
}
