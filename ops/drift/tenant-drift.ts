/**
 * `tenants drift` for one tenant: the catalog read in the server admin's
 * catalog-only sessions (catalog.ts, through admin-session.ts), the schema
 * version read as `status` reads it (in the tenant migrator's session,
 * tenant-sessions.ts), and the two compared with the registry
 * (compare-drift.ts). One result per tenant, never a thrown error.
 */
import { accessModel } from '../../model/access-model';
import { ownerRoleName } from '../../model/naming';
import type { PostgresTenant as Tenant } from '../../tenants/registry';
import { openAdminSession } from '../admin-session';
import { type ServerConnection, maintenanceDatabase } from '../connection';
import { type FleetOptions, tenantStatus } from '../fleet';
import type { MigrationSet } from '../migration-files';
import { readTenantCatalog } from './catalog';
import { type DriftFinding, compareDrift } from './compare-drift';

/** What drift found for one tenant. */
export interface TenantDrift {
  readonly key: string;
  readonly database: string;
  readonly findings: readonly DriftFinding[];
  /** Why the tenant could not be read (then findings may be partial). */
  readonly error?: string;
  readonly warnings?: readonly string[];
}

/** Compares one tenant's live database with its registry entry. */
export async function tenantDrift(tenant: Tenant, connection: ServerConnection, migrations: MigrationSet, options: FleetOptions = {}): Promise<TenantDrift> {
  const env = options.env ?? process.env;
  const database = tenant.database.name;
  try {
    const catalog = await readTenantCatalog((db) => openAdminSession(connection, db, env), maintenanceDatabase(connection, env), tenant, ownerRoleName(tenant.key));
    const model = accessModel(tenant);
    if (!catalog.database) return { key: tenant.key, database, findings: compareDrift(model, catalog) };
    // Only once the catalog is read: the migrator's session pins the admin's settings first.
    const status = await tenantStatus(tenant, connection, migrations, options);
    const latest = Math.max(0, ...migrations.migrations.map((m) => m.version));
    const findings = compareDrift(model, catalog, status.status && { status: status.status, latest });
    return { key: tenant.key, database, findings, ...(status.error && { error: `schema version not read: ${status.error}` }), ...(status.warnings && { warnings: status.warnings }) };
  } catch (error) {
    return { key: tenant.key, database, findings: [], error: error instanceof Error ? error.message : String(error) };
  }
}
