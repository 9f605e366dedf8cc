/**
 * The PostgreSQL matrix the real-database suites run on: every proven major
 * (pg-binaries.ts: 15, 16 and 17, or PG_VERSIONS / PG_BIN_DIR) with each kind
 * of server admin the platform meets:
 *
 * - `superuser`: a self-hosted server's bootstrap superuser;
 * - `createrole`: a CREATEDB CREATEROLE role that is no superuser, like the
 *   RDS master user. PostgreSQL 16 changed what such a role may do (it needs
 *   ADMIN OPTION on a role to grant, alter or drop it, and gets it only on the
 *   roles it creates), so both kinds are proven on every major.
 */
import { type PgBinaries, testServers } from '../../testbed/pg-binaries';
import type { Cluster } from '../../testbed/pg-cluster';

/** The kinds of server admin. */
export type AdminKind = 'superuser' | 'createrole';

/** One cell of the matrix. */
export interface PgCase {
  readonly server: PgBinaries;
  readonly admin: AdminKind;
  /** `PostgreSQL 16, CREATEROLE admin`, for describe.each's title. */
  readonly label: string;
}

/** The role a CREATEROLE-only admin logs in as in the test servers. */
export const CREATEROLE_ADMIN = 'rds_admin';

/** Every (major, admin kind) pair, or only the admin kinds given. */
export function pgCases(admins: readonly AdminKind[] = ['superuser', 'createrole']): PgCase[] {
  return testServers().flatMap((server) =>
    admins.map((admin) => ({ server, admin, label: `PostgreSQL ${server.major}, ${admin === 'superuser' ? 'superuser' : 'CREATEROLE'} admin` })),
  );
}

/**
 * The admin role of a case on a running cluster: the bootstrap superuser, or
 * a CREATEDB CREATEROLE login made for it (idempotent), a member of
 * pg_signal_backend as RDS's master user is (through rds_superuser).
 */
export function adminOf(cluster: Cluster, admin: AdminKind): string {
  if (admin === 'superuser') return cluster.superuser;
  cluster.psql(
    `SELECT format('CREATE ROLE %I LOGIN CREATEDB CREATEROLE', '${CREATEROLE_ADMIN}') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${CREATEROLE_ADMIN}') \\gexec\n` +
      `GRANT pg_signal_backend TO ${CREATEROLE_ADMIN};`,
  );
  return CREATEROLE_ADMIN;
}
