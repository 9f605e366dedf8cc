import { Aspects, type TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { type MongoTenant, type PostgresTenant, type Server, type Tenant, isPostgresTenant, placedOn } from '../../tenants/registry';
import { DEFAULT_SERVER } from '../../model/servers';
import { type MongoTenantStacks, createMongoTenantStacks } from './create-mongo-tenant-stacks';
import { POSTGRES_PORT, RDS_CA_BUNDLE, RDS_SSLMODE } from '../aws/aws-defaults';
import { TenantAppStack } from './tenant-app-stack';
import { TenantDatabaseStack } from './tenant-database-stack';
import { TenantKubernetesStack } from './tenant-kubernetes-stack';
import { TenantNetworkStack } from './tenant-network-stack';
import { POLICY_RULES, PolicyAspect } from '../policy';
import { DEFAULT_STATE_BACKEND, type StateBackendConfig } from './state-backend';
import { DEFAULT_PROJECT_DIR, type DatabaseServer, TenantStack } from './tenant-stack';

/** Props of {@link createTenantStacks}. */
export interface TenantStacksProps {
  /** The validated tenant, defaults resolved. */
  readonly tenant: Tenant;
  /** Checksum of the schema migrations. */
  readonly migrationsChecksum: string;
  /**
   * The fleet's servers (the registry's): the stack connects to the one the
   * tenant is placed on. Required, so that no caller can forget it and point
   * a tenant of another server at the deploying environment's.
   */
  readonly servers: readonly Server[];
  /**
   * Where the stacks' state lives; each stack has its own.
   * @default - local files, state/<stack>.tfstate
   */
  readonly stateBackend?: StateBackendConfig;
  /**
   * Path from a stack's working directory to the project root.
   * @default "../../.."
   */
  readonly projectDir?: string;
}

/** The stacks of one tenant. */
export interface TenantStacks {
  /** The in-database stack, named after the key. */
  readonly tenant: TenantStack;
  /** The AWS-only stacks of a Lambda tenant, in deploy order. */
  readonly aws?: { readonly network: TenantNetworkStack; readonly database: TenantDatabaseStack; readonly app: TenantAppStack };
  /** The app stack `<key>-k8s` of a Kubernetes tenant. */
  readonly kubernetes?: TenantKubernetesStack;
  /** Every stack, in deploy order. */
  readonly all: readonly TerraformStack[];
}

/** A server of the fleet as its tenants' stacks reach it; none for the default server, which the environment gives. */
function fleetServer(server: Server): DatabaseServer | undefined {
  if (server.host === undefined || server.adminRole === undefined || server.sslmode === undefined) return undefined;
  return {
    host: server.host,
    port: server.port,
    adminRole: server.adminRole,
    tls: { sslmode: server.sslmode, ...(server.rootCertificate !== undefined && { rootCertificate: server.rootCertificate }) },
    fleetServer: server.name,
    ...(server.appHost !== undefined && { appHost: server.appHost }),
  };
}

/**
 * Every stack of one tenant. A MongoDB tenant gets its own
 * (create-mongo-tenant-stacks.ts). A docker tenant gets its TenantStack, on
 * its server of the fleet, a Kubernetes tenant that and `<key>-k8s` after it. A Lambda
 * tenant gets `<key>-network` → `<key>-database` → `<key>` (TenantStack,
 * pointed at the RDS server's address) → `<key>-app`; each reads the
 * outputs it needs from the ones before it, so cdktf deploys them in that
 * order. The policy rules apply to every stack.
 */
export function createTenantStacks(scope: Construct, props: TenantStacksProps & { readonly tenant: PostgresTenant }): TenantStacks;
export function createTenantStacks(scope: Construct, props: TenantStacksProps): TenantStacks | MongoTenantStacks;
export function createTenantStacks(scope: Construct, props: TenantStacksProps): TenantStacks | MongoTenantStacks {
  const { tenant, migrationsChecksum } = props;
  const stateBackend = props.stateBackend ?? DEFAULT_STATE_BACKEND;
  const projectDir = props.projectDir ?? DEFAULT_PROJECT_DIR;

  let stacks: TenantStacks | MongoTenantStacks;
  if (!isPostgresTenant(tenant)) {
    stacks = createMongoTenantStacks(scope, { tenant: tenant as MongoTenant, stateBackend, projectDir });
  } else if (tenant.app.target === 'lambda') {
    const common = { tenant, stateBackend, projectDir };
    const network = new TenantNetworkStack(scope, common);
    const database = new TenantDatabaseStack(scope, { ...common, network });
    const tenantStack = new TenantStack(scope, {
      ...common,
      migrationsChecksum,
      databaseServer: { host: database.instance.address, port: POSTGRES_PORT, tls: { sslmode: RDS_SSLMODE, rootCertificate: RDS_CA_BUNDLE } },
    });
    tenantStack.addDependency(database);
    const app = new TenantAppStack(scope, { ...common, network, database, tenantStack });
    stacks = { tenant: tenantStack, aws: { network, database, app }, all: [network, database, tenantStack, app] };
  } else {
    const common = { tenant, stateBackend, projectDir };
    const server = placedOn(props.servers, tenant);
    if (!server && tenant.database.server !== DEFAULT_SERVER) {
      throw new Error(`${tenant.key} is placed on server "${tenant.database.server}", which is not among the servers given (${props.servers.map((s) => s.name).join(', ') || 'none'})`);
    }
    const tenantStack = new TenantStack(scope, { ...common, migrationsChecksum, databaseServer: server && fleetServer(server) });
    if (tenant.app.target === 'kubernetes') {
      // The cluster's provider and credentials in a stack of their own: see TenantKubernetesStack.
      const kubernetes = new TenantKubernetesStack(scope, { ...common, tenantStack });
      stacks = { tenant: tenantStack, kubernetes, all: [tenantStack, kubernetes] };
    } else {
      stacks = { tenant: tenantStack, all: [tenantStack] };
    }
  }
  const policy = new PolicyAspect(POLICY_RULES);
  for (const stack of stacks.all) Aspects.of(stack).add(policy);
  return stacks;
}
