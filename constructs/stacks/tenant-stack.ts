import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { PostgresqlProvider } from '@cdktf/provider-postgresql/lib/provider';
import type { Database } from '@cdktf/provider-postgresql/lib/database';
import type { Role } from '@cdktf/provider-postgresql/lib/role';
import { Password } from '@cdktf/provider-random/lib/password';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import * as path from 'node:path';
import { type ITerraformDependable, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { PostgresTenant as Tenant, ResolvedDockerTarget } from '../../tenants/registry';
import { storeApiEnvironment } from '../../model/store-api';
import { accessModel } from '../../model/access-model';
import { API_CONTAINER_PORT, REQUIRED_TERRAFORM_VERSION } from '../../model/defaults';
import { DockerApp } from '../docker/docker-app';
import { keywordDsn } from '../../model/dsn';
import { dockerUserId, tenantRoleNames } from '../../model/naming';
import { PLAN_PROFILES } from '../../model/plans';
import { DEFAULT_STATE_BACKEND, type StateBackendConfig, applyStateBackend } from './state-backend';
import { TenantAccess } from '../postgres/tenant-access';
import { TenantDatabase } from '../postgres/tenant-database';
import { TenantCommand } from '../postgres/tenant-command';
import { TenantRoles } from '../postgres/tenant-roles';
import { TenantSchemas } from '../postgres/tenant-schemas';
import { tenantTags } from '../../model/tenant-tags';
import { AppVariables } from '../variables/app-variables';
import { DatabaseVariables } from '../variables/database-variables';
import { DockerVariables } from '../variables/docker-variables';
import { serverPasswordVariableOf } from '../variables/server-password-variable';

/** Where cdktf runs Terraform for a stack, relative to the project root. */
export const DEFAULT_PROJECT_DIR = '../../..';

/**
 * A database server the stack names: a server of the fleet (`servers/<name>.ts`)
 * or one Terraform knows at deploy time (an RDS instance of another stack).
 */
export interface DatabaseServer {
  /** Host name only: an RDS `endpoint` already ends in `:5432`, so pass its `address`. */
  readonly host: string;
  readonly port: number;
  /**
   * How the provider and the migration runner check the server's certificate.
   * @default - PGSSLMODE and PGSSLROOTCERT of the deploying environment
   */
  readonly tls?: DatabaseTls;
  /**
   * The server admin Terraform and the runner connect as.
   * @default - the postgres_admin_role variable
   */
  readonly adminRole?: string;
  /**
   * The server of the fleet, whose admin password Terraform takes from its own
   * variable (`pgpassword_<name>`) and the runner from `PGPASSWORD_<NAME>`.
   * @default - none: the password is PGPASSWORD of the deploying environment
   */
  readonly fleetServer?: string;
  /**
   * The host as the tenant's app container reaches it.
   * @default - the app_database_host variable
   */
  readonly appHost?: string;
}

/** Certificate checking of connections to a known server. */
export interface DatabaseTls {
  /** libpq sslmode, e.g. `verify-full`. */
  readonly sslmode: string;
  /**
   * The CA bundle that signs the server's certificate, relative to the project root.
   * @default - none: the sslmode checks no certificate
   */
  readonly rootCertificate?: string;
}

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
  /**
   * The server the database lives on.
   * @default - PGHOST and PGPORT of the deploying environment
   */
  readonly databaseServer?: DatabaseServer;
}

/**
 * Everything one customer gets inside PostgreSQL, and its Docker app, in one
 * stack named after its key with its own state: the database, its roles and
 * privileges, the schema migrations and (docker target) the store app.
 * `cdktf deploy <key>` touches this customer only.
 *
 * Connections to PostgreSQL and Docker come from the deploying environment
 * (`PGHOST`, `PGUSER`, `PGPASSWORD`, `PGSSLMODE`, `DOCKER_HOST`); secrets of
 * the app from `TF_VAR_*`. None of them is written into the synthesized JSON.
 * A Lambda tenant's AWS resources live in AWS-only stacks that read
 * {@link appPassword} and {@link secretForFront} from this one.
 */
export class TenantStack extends TerraformStack {
  readonly tenant: Tenant;
  readonly database: Database;
  /** The app's login role. */
  readonly appRole: Role;
  /** The app role's generated password. */
  readonly appPassword: Password;
  /** Shared secret of the API and its frontend (`SECRET_FOR_FRONT`). */
  readonly secretForFront: Password;

  constructor(scope: Construct, props: TenantStackProps) {
    super(scope, props.tenant.key);
    const { tenant, databaseServer } = props;
    this.tenant = tenant;
    const projectDir = props.projectDir ?? DEFAULT_PROJECT_DIR;
    applyStateBackend(this, tenant.key, props.stateBackend ?? DEFAULT_STATE_BACKEND, projectDir);
    this.addOverride('terraform.required_version', REQUIRED_TERRAFORM_VERSION);

    // superuser = false works on managed servers (RDS), where pg_shadow is off limits.
    const variables = new DatabaseVariables(this, 'Variables', { adminRole: databaseServer?.adminRole === undefined, address: databaseServer === undefined });
    const serverAdminRole = databaseServer?.adminRole ?? variables.serverAdminRole!.stringValue;
    // A server of the fleet: its admin password from its own variable, never PGPASSWORD (another server's, in a fleet deploy).
    const fleetServer = databaseServer?.fleetServer;
    const password = fleetServer === undefined ? undefined : serverPasswordVariableOf(this, fleetServer);
    // One name for the admin: the provider and the migration runner connect as the role that is
    // made a member of the owner role, never as whatever PGUSER happens to say.
    // The provider runs in the stack's working directory, the runner in the project root: one CA bundle, two relative paths.
    const tls = databaseServer?.tls;
    new PostgresqlProvider(this, 'Postgresql', {
      superuser: false,
      username: serverAdminRole,
      ...(databaseServer && { host: databaseServer.host, port: databaseServer.port }),
      ...(password && { password: password.stringValue }),
      ...(tls && { sslmode: tls.sslmode }),
      ...(tls?.rootCertificate && { sslrootcert: path.posix.join(projectDir, tls.rootCertificate) }),
    });
    new RandomProvider(this, 'Random');

    const model = accessModel(tenant);
    const roles = new TenantRoles(this, 'Roles', { model, serverAdminRole, ...(fleetServer !== undefined && { server: fleetServer }) });
    const role = (name: string): Role => roles.role(name);
    const database = new TenantDatabase(this, 'Database', {
      spec: model.database,
      ownerRole: role(model.database.owner).name,
      dependsOn: [roles.adminMembership],
      protect: tenant.lifecycle !== 'offboarding',
    });
    this.database = database.database;
    // The runner's environment: the admin, and for a server of another stack (RDS) or of the fleet its address and
    // certificate check. Not a fleet server's password: a sensitive value would silence the runner's output in the deploy's
    // log; the runner reads PGPASSWORD_<NAME> (or TF_VAR_pgpassword_<name>) from the deploying shell, as Terraform does.
    const runnerEnvironment = {
      PGUSER: serverAdminRole,
      ...(databaseServer && { PGHOST: databaseServer.host, PGPORT: String(databaseServer.port) }),
      ...(tls && { PGSSLMODE: tls.sslmode }),
      ...(tls?.rootCertificate && { PGSSLROOTCERT: tls.rootCertificate }),
    };
    const runner = (id: string, args: string[], triggers: Record<string, string | readonly string[]>, dependsOn: readonly ITerraformDependable[]) =>
      new TenantCommand(this, id, { args: [...args, tenant.key], triggers, projectDir, dependsOn, environment: runnerEnvironment });
    // Before any other session of the admin enters the database: its settings pinned there, an adopted one brought into line.
    const preparation = runner('Preparation', ['prepare'], { database: database.database.name }, [database.database]);
    const schemas = new TenantSchemas(this, 'Schemas', { schemas: model.schemas, database: database.database.name, roles, dependsOn: [preparation.runner] });
    const access = new TenantAccess(this, 'Access', {
      model,
      database: database.database.name,
      roles,
      serverAdminRole,
      dependsOn: [database.database, preparation.runner, ...schemas.schemas],
    });
    // A login removed from the registry loses its logins and what it owns before (or, the order of one apply being free, right
    // after) the provider drops it: a large object or a workspace table of its own would otherwise fail the drop and keep it.
    runner('Retirement', ['retire-logins'], { logins: model.roles.filter((r) => r.login).map((r) => r.name) }, [...roles.roles.values(), preparation.runner]);
    const migrations = runner('Migrations', ['migrate'], { database: database.database.name, migrations: props.migrationsChecksum }, access.resources.slice(-1));

    const names = tenantRoleNames(tenant);
    this.appRole = role(names.app);
    this.appPassword = roles.password(names.app);
    this.secretForFront = new Password(this, 'SecretForFront', { length: 48, special: false });
    const dsnFor = (roleName: string, host: string, port: string | number) =>
      keywordDsn({
        host,
        port,
        user: role(roleName).name,
        password: roles.password(roleName).result,
        dbname: database.database.name,
        sslmode: variables.databaseSslmode.stringValue,
      });
    const peopleHost = databaseServer?.host ?? variables.databaseHost!.stringValue;
    const peoplePort = databaseServer?.port ?? variables.databasePort!.numberValue;
    if (tenant.app.target === 'docker') {
      const appHost = databaseServer?.appHost ?? (databaseServer ? databaseServer.host : new DockerVariables(this, 'DockerVariables').appDatabaseHost.stringValue);
      this.dockerApp(tenant, tenant.app, dsnFor(names.app, appHost, peoplePort), [migrations.runner]);
    }

    new TerraformOutput(this, 'database_name', { value: database.database.name, description: 'The tenant database.' });
    new TerraformOutput(this, 'company', { value: tenant.company, description: 'The customer.' });
    new TerraformOutput(this, 'plan', { value: tenant.plan, description: 'The customer plan.' });
    // Usernames only: emails are personal data, and outputs are printed in the clear and kept in state.
    const usernames = (people: readonly { username: string }[]) => people.map((p) => p.username);
    new TerraformOutput(this, 'people', {
      value: { admins: usernames(tenant.people.admins), developers: usernames(tenant.people.developers), customers: usernames(tenant.people.customers) },
      description: 'Usernames of the admins, developers and customers (emails are in the tenant file, not in outputs).',
    });
    new TerraformOutput(this, 'role_names', {
      value: { owner: names.owner, groups: names.groups, app: names.app, people: Object.fromEntries(names.people) },
      description: 'Every role the tenant has.',
    });
    new TerraformOutput(this, 'connection_strings', {
      value: Object.fromEntries([...roles.passwords.keys()].map((name) => [name, dsnFor(name, peopleHost, peoplePort)])),
      sensitive: true,
      description: 'libpq connection string of every login role, with its generated password.',
    });
  }

  private dockerApp(tenant: Tenant, app: ResolvedDockerTarget, dsn: string, dependsOn: ITerraformDependable[]): void {
    new DockerProvider(this, 'Docker');
    const secrets = new AppVariables(this, 'AppVariables');
    const frontUrl = `http://localhost:${app.frontend?.port ?? app.port}`;
    new DockerApp(this, 'App', {
      tenantKey: tenant.key,
      labels: tenantTags(tenant),
      image: app.image,
      port: app.port,
      frontend: app.frontend,
      limits: app.limits,
      processLimit: PLAN_PROFILES[tenant.plan].containerProcessLimit,
      userId: dockerUserId(app.port),
      environment: storeApiEnvironment({
        databaseDsn: dsn,
        apiPort: String(API_CONTAINER_PORT),
        ...secrets.sources(),
        secretForFront: this.secretForFront.result,
        frontUrl,
      }),
      dependsOn,
    });
    new TerraformOutput(this, 'app_url', { value: `http://localhost:${app.port}`, description: 'Store API.' });
    if (app.frontend) new TerraformOutput(this, 'frontend_url', { value: frontUrl, description: 'Store frontend.' });
  }
}
