/**
 * Creates a fleet of tenant databases on a throwaway cluster: each tenant's
 * roles, database and privileges from the project's SQL rendering
 * (`tenants sql <key>`), all in one psql session.
 */
import { accessModel } from '../model/access-model';
import { renderAccessSql } from '../model/access-sql';
import type { PostgresTenant as Tenant } from '../tenants/registry';
import type { Cluster } from '../testbed/pg-cluster';

/** Runs every tenant's access SQL, returning to the `postgres` database before each. */
export function createTenantDatabases(cluster: Cluster, tenants: readonly Tenant[]): void {
  cluster.psql(tenants.map((tenant) => `\\connect postgres\n${renderAccessSql(accessModel(tenant))}`).join('\n'));
}

