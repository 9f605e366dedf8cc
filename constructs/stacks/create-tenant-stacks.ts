import { Aspects, type TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { type MongoTenant, type PostgresTenant, type Tenant, isPostgresTenant } from '../../tenants/registry';
import { type MongoTenantStacks, createMongoTenantStacks } from './create-mongo-tenant-stacks';
import { POSTGRES_PORT, RDS_CA_BUNDLE, RDS_SSLMODE } from '../aws/aws-defaults';
import { TenantAppStack } from './tenant-app-stack';
import { TenantDatabaseStack } from './tenant-database-stack';
import { TenantNetworkStack } from './tenant-network-stack';
import { POLICY_RULES, PolicyAspect } from '../policy';
import { DEFAULT_STATE_BACKEND, type StateBackendConfig } from './state-backend';
import { DEFAULT_PROJECT_DIR, TenantStack } from './tenant-stack';

/** Props of {@link createTenantStacks}. */
export interface TenantStacksProps {
  /** The validated tenant, defaults resolved. */
  readonly tenant: Tenant;
  /** Checksum of the schema migrations. */
  readonly migrationsChecksum: string;
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
  /** Every stack, in deploy order. */
  readonly all: readonly TerraformStack[];
}

/**
 * Every stack of one tenant. A MongoDB tenant gets its own
 * (create-mongo-tenant-stacks.ts). A docker tenant gets its TenantStack. A Lambda
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
    const tenantStack = new TenantStack(scope, { tenant, stateBackend, projectDir, migrationsChecksum });
    stacks = { tenant: tenantStack, all: [tenantStack] };
  }
  const policy = new PolicyAspect(POLICY_RULES);
  for (const stack of stacks.all) Aspects.of(stack).add(policy);
  return stacks;
}
