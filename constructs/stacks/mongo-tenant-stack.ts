import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Network } from '@cdktf/provider-docker/lib/network';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { MongodbatlasProvider } from '@cdktf/provider-mongodbatlas/lib/provider';
import { Password } from '@cdktf/provider-random/lib/password';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { type ITerraformDependable, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { MongoTenant, ResolvedDockerTarget } from '../../tenants/registry';
import { API_CONTAINER_PORT, REQUIRED_TERRAFORM_VERSION } from '../../model/defaults';
import { type MongoAccessModel, mongoAccessModel } from '../../model/mongo-access-model';
import { storeCollectionsChecksum } from '../../model/mongo-collections';
import { DOCDB_MASTER_USERNAME, MONGO_PORT, MONGO_ROOT_USERNAME } from '../../model/mongo-defaults';
import { MONGO_PLAN_PROFILES } from '../../model/mongo-plans';
import { mongoServerUri, mongoUri } from '../../model/mongo-uri';
import { dockerName, dockerUserId } from '../../model/naming';
import { PLAN_PROFILES } from '../../model/plans';
import { mongoStoreApiEnvironment } from '../../model/store-api';
import { tenantTags } from '../../model/tenant-tags';
import { AtlasDatabaseUsers } from '../atlas/atlas-database-users';
import { awsRegionOfAtlas } from '../atlas/atlas-private-endpoint';
import { TenantAtlas } from '../atlas/tenant-atlas';
import { RDS_CA_BUNDLE } from '../aws/aws-defaults';
import { DockerApp } from '../docker/docker-app';
import { MongoContainer } from '../docker/mongo-container';
import { MongoPasswords } from '../mongodb/mongo-passwords';
import { TenantCommand } from '../postgres/tenant-command';
import { suppressPolicy } from '../policy';
import { AppVariables } from '../variables/app-variables';
import { MongoVariables } from '../variables/mongo-variables';
import { DEFAULT_STATE_BACKEND, type StateBackendConfig, applyStateBackend } from './state-backend';
import { DEFAULT_PROJECT_DIR } from './tenant-stack';

/** Props of {@link MongoTenantStack}. */
export interface MongoTenantStackProps {
  /** The validated tenant; its database is MongoDB. */
  readonly tenant: MongoTenant;
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
  /** The DocumentDB cluster's endpoint (host name) from the `<key>-database` stack; placement `documentdb` only. */
  readonly docdbEndpoint?: string;
}

/**
 * Everything one MongoDB tenant gets inside its database server, and (on
 * the Docker host) its app, in one stack named after its key with its own
 * state: generated passwords for its users, the users and roles themselves
 * (on Atlas as `mongodbatlas_database_user`; on a container or DocumentDB
 * created by the deploy's runner, `tenants mongo-provision`), the store's
 * collections, validators, indexes and lookup documents (the runner), and:
 *
 * - placement `container`: the tenant's own `mongo` container, volume and
 *   network, and the store app on that network;
 * - placement `atlas`: the tenant's Atlas project, cluster, backups and
 *   network access, and the store app on the Docker host;
 * - placement `documentdb`: only the users' passwords and the runner; the
 *   cluster is in `<key>-database` and the function in `<key>-app`, which
 *   reads {@link appPassword} and {@link secretForFront} from here.
 *
 * Connections come from the deploying environment (`DOCKER_HOST`, Atlas's
 * API keys in `MONGODB_ATLAS_PUBLIC_KEY`/`MONGODB_ATLAS_PRIVATE_KEY`,
 * DocumentDB's master password in `MONGODB_ADMIN_PASSWORD`); generated
 * passwords are in this stack's state; none of them is in the synthesized JSON.
 */
export class MongoTenantStack extends TerraformStack {
  readonly tenant: MongoTenant;
  readonly model: MongoAccessModel;
  readonly passwords: MongoPasswords;
  /** The app user's name. */
  readonly appUser: string;
  /** The app user's generated password. */
  readonly appPassword: Password;
  /** Shared secret of the API and its frontend (`SECRET_FOR_FRONT`). */
  readonly secretForFront: Password;
  /** The runner that provisions users, roles and collections on deploy. */
  readonly provision: TenantCommand;

  constructor(scope: Construct, props: MongoTenantStackProps) {
    super(scope, props.tenant.key);
    const { tenant } = props;
    this.tenant = tenant;
    const projectDir = props.projectDir ?? DEFAULT_PROJECT_DIR;
    applyStateBackend(this, tenant.key, props.stateBackend ?? DEFAULT_STATE_BACKEND, projectDir);
    this.addOverride('terraform.required_version', REQUIRED_TERRAFORM_VERSION);
    new RandomProvider(this, 'Random');

    this.model = mongoAccessModel(tenant);
    const database = tenant.database;
    this.passwords = new MongoPasswords(this, 'Passwords', { model: this.model, includeMigrator: database.placement === 'atlas' });
    this.appUser = this.model.users.find((user) => user.purpose === 'app')?.name as string;
    this.appPassword = this.passwords.password(this.appUser);
    this.secretForFront = new Password(this, 'SecretForFront', { length: 48, special: false });
    const protect = tenant.lifecycle !== 'offboarding';
    const triggers = {
      users: this.model.users.map((user) => `${user.name}=${user.roles.map((role) => `${role.role}@${role.db}`).join(',')}`),
      collections: storeCollectionsChecksum(),
      passwords: this.passwords.checksum(),
    };
    const command = (environment: Record<string, string>, dependsOn: ITerraformDependable[], extraTriggers: Record<string, string> = {}) =>
      new TenantCommand(this, 'Provision', { args: ['mongo-provision', tenant.key], projectDir, dependsOn, environment, triggers: { ...triggers, ...extraTriggers } });

    // Where people reach the database, for their connection strings.
    let peopleHost: string;
    let appHost: string;
    switch (database.placement) {
      case 'container': {
        new DockerProvider(this, 'Docker');
        const labels = tenantTags(tenant);
        const network = new Network(this, 'Network', { name: dockerName(tenant.key, 'network'), labels: Object.entries(labels).map(([label, value]) => ({ label, value })) });
        const root = new Password(this, 'RootPassword', { length: 32, special: false });
        const mongo = new MongoContainer(this, 'Mongo', {
          tenantKey: tenant.key,
          labels,
          image: database.container.image,
          port: database.container.port,
          network,
          profile: MONGO_PLAN_PROFILES[tenant.plan],
          rootPassword: root.result,
          protect,
        });
        if (!protect) suppressPolicy(mongo.volume, 'MONGO-DATA-PROTECTED', `${tenant.file} is offboarding; back up with mongodump first`);
        peopleHost = `${new MongoVariables(this, 'MongoVariables').mongodbHost.stringValue}:${database.container.port}`;
        appHost = `${mongo.hostname}:${MONGO_PORT}`;
        this.provision = command(
          {
            MONGODB_SERVER_URI: mongoServerUri('container', peopleHost),
            MONGODB_ADMIN_USER: MONGO_ROOT_USERNAME,
            MONGODB_ADMIN_PASSWORD: root.result,
            MONGODB_USER_PASSWORDS: this.passwords.json(),
          },
          [mongo.container],
          { container: mongo.container.id },
        );
        this.dockerApp(tenant, database.placement, appHost, network);
        break;
      }
      case 'atlas': {
        const atlas = database.atlas;
        new MongodbatlasProvider(this, 'Mongodbatlas');
        if (atlas.privateEndpoint) new AwsProvider(this, 'Aws', { region: awsRegionOfAtlas(atlas.region), defaultTags: [{ tags: tenantTags(tenant) }] });
        new DockerProvider(this, 'Docker');
        const place = new TenantAtlas(this, 'Atlas', {
          tenantKey: tenant.key,
          atlas,
          profile: MONGO_PLAN_PROFILES[tenant.plan],
          tags: tenantTags(tenant),
          protect,
        });
        if (!protect) suppressPolicy(place.cluster, 'ATLAS-PROTECTED', `${tenant.file} is offboarding; download the last snapshot first`);
        const users = new AtlasDatabaseUsers(this, 'Users', {
          model: this.model,
          projectId: place.projectId,
          clusterName: place.cluster.name,
          passwordOf: (user) => this.passwords.password(user).result,
          labels: tenantTags({ key: tenant.key, plan: tenant.plan }),
        });
        peopleHost = place.srvHost;
        appHost = place.srvHost;
        const migrator = this.model.users.find((user) => user.purpose === 'migrator')?.name as string;
        // On Atlas, users are Terraform's: the runner logs in as the migrator (its password generated here) for collections only.
        this.provision = command(
          { MONGODB_SERVER_URI: mongoServerUri('atlas', place.srvHost), MONGODB_MIGRATOR_PASSWORD: this.passwords.password(migrator).result },
          [place.cluster, ...users.users.values()],
        );
        this.dockerApp(tenant, database.placement, appHost);
        break;
      }
      case 'documentdb': {
        if (!props.docdbEndpoint) throw new Error(`${tenant.file}: a DocumentDB tenant's stack needs the cluster endpoint of ${tenant.key}-database`);
        peopleHost = `${props.docdbEndpoint}:${MONGO_PORT}`;
        // The master password is AWS's (Secrets Manager): the deploying shell gives it as MONGODB_ADMIN_PASSWORD.
        this.provision = command(
          {
            MONGODB_SERVER_URI: mongoServerUri('documentdb', peopleHost, RDS_CA_BUNDLE),
            MONGODB_ADMIN_USER: DOCDB_MASTER_USERNAME,
            MONGODB_USER_PASSWORDS: this.passwords.json(),
          },
          [],
        );
        break;
      }
    }

    new TerraformOutput(this, 'database_name', { value: database.name, description: 'The tenant database.' });
    new TerraformOutput(this, 'company', { value: tenant.company, description: 'The customer.' });
    new TerraformOutput(this, 'plan', { value: tenant.plan, description: 'The customer plan.' });
    new TerraformOutput(this, 'users', {
      value: Object.fromEntries(this.model.users.map((user) => [user.name, user.roles.map((role) => `${role.role}@${role.db}`)])),
      description: 'Every MongoDB user of the tenant (defined in admin) and its roles.',
    });
    new TerraformOutput(this, 'connection_strings', {
      value: Object.fromEntries(
        [...this.passwords.passwords].map(([user, password]) => [
          user,
          mongoUri(database.placement, { host: peopleHost, user, password: password.result, database: database.name }, database.placement === 'documentdb' ? RDS_CA_BUNDLE : undefined),
        ]),
      ),
      sensitive: true,
      description: 'MongoDB connection string of every user with a generated password.',
    });
  }

  /** The store app on the Docker host, with the MongoDB contract's environment. */
  private dockerApp(tenant: MongoTenant, placement: 'container' | 'atlas', host: string, network?: Network): void {
    const app = tenant.app as ResolvedDockerTarget;
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
      network,
      environment: mongoStoreApiEnvironment({
        mongodbUri: mongoUri(placement, { host, user: this.appUser, password: this.appPassword.result, database: tenant.database.name }),
        databaseName: tenant.database.name,
        tenantName: tenant.key,
        apiPort: String(API_CONTAINER_PORT),
        ...secrets.sources(),
        secretForFront: this.secretForFront.result,
        frontUrl,
      }),
      dependsOn: [this.provision.runner],
    });
    new TerraformOutput(this, 'app_url', { value: `http://localhost:${app.port}`, description: 'Store API.' });
    if (app.frontend) new TerraformOutput(this, 'frontend_url', { value: frontUrl, description: 'Store frontend.' });
  }
}
