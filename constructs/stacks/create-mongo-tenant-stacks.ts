import type { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { MongoTenant } from '../../tenants/registry';
import { MONGO_PORT } from '../../model/mongo-defaults';
import type { StateBackendConfig } from './state-backend';
import { MongoTenantStack } from './mongo-tenant-stack';
import { TenantAppStack } from './tenant-app-stack';
import { TenantDocdbStack } from './tenant-docdb-stack';
import { TenantNetworkStack } from './tenant-network-stack';

/** Props of {@link createMongoTenantStacks}. */
export interface MongoTenantStacksProps {
  readonly tenant: MongoTenant;
  readonly stateBackend: StateBackendConfig;
  readonly projectDir: string;
}

/** The stacks of one MongoDB tenant. */
export interface MongoTenantStacks {
  /** The stack named after the key: users, collections and (on the Docker host) the app. */
  readonly tenant: MongoTenantStack;
  /** The AWS-only stacks of a DocumentDB tenant, in deploy order. */
  readonly aws?: { readonly network: TenantNetworkStack; readonly database: TenantDocdbStack; readonly app: TenantAppStack };
  /** Every stack, in deploy order. */
  readonly all: readonly TerraformStack[];
}

/**
 * Every stack of one MongoDB tenant. A container or Atlas tenant (docker
 * target) gets its MongoTenantStack. A DocumentDB tenant (lambda target)
 * gets `<key>-network` (its database group admitting 27017 from the
 * function) → `<key>-database` (key and DocumentDB) → `<key>` (passwords
 * and the runner, pointed at the cluster) → `<key>-app`, like a Lambda
 * tenant on RDS.
 */
export function createMongoTenantStacks(scope: Construct, props: MongoTenantStacksProps): MongoTenantStacks {
  const { tenant } = props;
  if (tenant.database.placement !== 'documentdb') {
    const tenantStack = new MongoTenantStack(scope, props);
    return { tenant: tenantStack, all: [tenantStack] };
  }
  const network = new TenantNetworkStack(scope, { ...props, database: { port: MONGO_PORT, engine: 'MongoDB' } });
  const database = new TenantDocdbStack(scope, { ...props, network });
  const tenantStack = new MongoTenantStack(scope, { ...props, docdbEndpoint: database.cluster.endpoint });
  tenantStack.addDependency(database);
  const app = new TenantAppStack(scope, { ...props, network, database, tenantStack });
  return { tenant: tenantStack, aws: { network, database, app }, all: [network, database, tenantStack, app] };
}
