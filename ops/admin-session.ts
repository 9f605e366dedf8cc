/**
 * What the server admin's sessions do for a tenant: catalog statements only,
 * none of which executes tenant code, in a session whose search path is the
 * catalog's alone (PIN_SEARCH_PATH is its first statement) and whose every
 * operator is pg_catalog's.
 *
 * - Pin the admin's own settings in the tenant database (search path, lock
 *   timeout), so that every later session of the admin there, the Terraform
 *   provider's included, resolves no name through a schema a tenant made and
 *   waits for no tenant-held lock without end. The deploy does this right
 *   after creating (or importing) the database, before any other session of
 *   the admin enters it (TenantStack's Preparation).
 * - Adopt a database the original system made (adoption-sql.ts).
 * - End sessions that have no business in the tenant's database: logins of
 *   other tenants that slipped in while PUBLIC could still connect.
 * - Set and clear the migrator's one-off password; retire a removed login.
 */
import type { Client } from 'pg';
import { type AccessSubject, accessModel } from '../model/access-model';
import { PIN_SEARCH_PATH, endStrangerSessionsSql } from '../model/access-sql';
import { adoptionStatements } from '../model/adoption-sql';
import { ADMIN_LOCK_TIMEOUT, ADMIN_SEARCH_PATH } from '../model/defaults';
import { ROLE_SEPARATOR, ownerRoleName } from '../model/naming';
import { quoteIdent, quoteLiteral } from '../model/sql-quote';
import { type ServerConnection, connectTo } from './connection';
import { migrationErrors } from './migration-errors';
import { scramVerifier } from './scram';

const EQ = 'OPERATOR(pg_catalog.=)';

/** A tenant as the admin's work needs it. */
export interface AdminTenant {
  readonly key: string;
  readonly database: { readonly name: string };
  readonly adopt?: { readonly legacyRoles: readonly string[] };
}

/** An admin session on a database, pinned to the catalog before anything else runs in it. */
export async function openAdminSession(connection: ServerConnection, database: string, env: NodeJS.ProcessEnv): Promise<Client> {
  const admin = await connectTo(connection, database, env);
  try {
    await admin.query(`${PIN_SEARCH_PATH} SET lock_timeout TO '60s';`);
    return admin;
  } catch (error) {
    await admin.end().catch(() => undefined);
    throw error;
  }
}

/** The admin's settings in a tenant database: as pg_db_role_setting stores each, and the SQL that sets it. */
const PINNED: readonly { readonly stored: string; readonly sql: string }[] = [
  { stored: `search_path=${ADMIN_SEARCH_PATH.join(', ')}`, sql: `search_path TO ${ADMIN_SEARCH_PATH.join(', ')}` },
  { stored: `lock_timeout=${ADMIN_LOCK_TIMEOUT}`, sql: `lock_timeout TO ${quoteLiteral(ADMIN_LOCK_TIMEOUT)}` },
];

/** The admin's pinned settings as pg_db_role_setting stores them (what `tenants drift` expects to find). */
export const PINNED_ADMIN_SETTINGS: readonly string[] = PINNED.map((setting) => setting.stored);

/** Pins the admin's settings in the tenant database (a no-op once they are there). */
export async function pinAdminSettings(admin: Client, database: string): Promise<void> {
  const { rows } = await admin.query(
    `SELECT s.setconfig FROM pg_catalog.pg_db_role_setting s JOIN pg_catalog.pg_database d ON d.oid ${EQ} s.setdatabase
      WHERE d.datname ${EQ} $1 AND s.setrole ${EQ} (SELECT oid FROM pg_catalog.pg_roles WHERE rolname ${EQ} current_user)`,
    [database],
  );
  const current: string[] = rows[0]?.setconfig ?? [];
  for (const setting of PINNED) {
    if (!current.includes(setting.stored)) await admin.query(`ALTER ROLE CURRENT_USER IN DATABASE ${quoteIdent(database)} SET ${setting.sql}`);
  }
}

/** Runs the adoption statements in the tenant database (the session must be there). */
export async function adopt(admin: Client, tenant: AdminTenant): Promise<void> {
  for (const statement of adoptionStatements(tenant.database.name, ownerRoleName(tenant.key), tenant.adopt?.legacyRoles ?? [])) await admin.query(statement);
}

/**
 * Ends the sessions of logins that may not be in the tenant's database
 * (endStrangerSessionsSql). Returns why it could not, when the admin may not
 * signal other roles' sessions (it needs pg_signal_backend, which RDS's
 * master user has).
 */
export async function endStrangerSessions(admin: Client, tenant: AccessSubject): Promise<string | undefined> {
  try {
    await admin.query(endStrangerSessionsSql(accessModel(tenant)));
    return undefined;
  } catch (error) {
    // 42501: no pg_signal_backend.
    if ((error as { code?: string }).code !== '42501') throw error;
    return migrationErrors.cannotEndStrangers(tenant.database.name);
  }
}

/**
 * Whether PUBLIC may still connect to the server's own databases, which lets
 * every tenant login hold sessions outside its database (the optional
 * server baseline, `tenants server-sql`, takes that away).
 */
export async function serverBaselineMissing(admin: Client): Promise<boolean> {
  const { rows } = await admin.query(
    `SELECT EXISTS (SELECT FROM pg_catalog.pg_database d, pg_catalog.aclexplode(COALESCE(d.datacl, pg_catalog.acldefault('d', d.datdba))) x
                     WHERE d.datname ${EQ} ANY (ARRAY['postgres', 'template1']::pg_catalog.name[]) AND x.grantee ${EQ} 0::pg_catalog.oid AND x.privilege_type ${EQ} 'CONNECT') AS open`,
  );
  return rows[0].open === true;
}

/** Sets (or with null clears) the migrator's password, as a SCRAM verifier; the role must exist. */
export async function setMigratorPassword(admin: Client, role: string, tenantKey: string, password: string | null): Promise<void> {
  try {
    await admin.query(`ALTER ROLE ${quoteIdent(role)} PASSWORD ${password === null ? 'NULL' : quoteLiteral(scramVerifier(password))}`);
  } catch (error) {
    // 42704 undefined_object: a tenant deployed before the migrator existed.
    if ((error as { code?: string }).code === '42704') throw new Error(migrationErrors.noMigrator(role, tenantKey));
    throw error;
  }
}

/**
 * The tenant's login roles on the server that its access model no longer has
 * (a person removed from the registry). Role names start with the tenant's
 * key and `__`, which no other tenant's can, so nothing else is found.
 */
export async function staleLogins(admin: Client, tenant: AccessSubject): Promise<string[]> {
  const current = accessModel(tenant).roles.map((role) => role.name);
  const { rows } = await admin.query(
    `SELECT rolname FROM pg_catalog.pg_roles WHERE rolcanlogin AND pg_catalog.starts_with(rolname, $1) AND NOT (rolname ${EQ} ANY ($2::pg_catalog.text[])) ORDER BY 1`,
    [`${tenant.key}${ROLE_SEPARATOR}`, current],
  );
  return rows.map((r) => String(r.rolname));
}

/** What retiring a login did. */
export interface RetiredLogin {
  readonly existed: boolean;
  /** Objects it owned in the tenant's database went to the owner role (and its privileges there went). */
  readonly cleanedDatabase: boolean;
}

/**
 * Retires a tenant login that is leaving (a person removed from the
 * registry; the deploy runs this before Terraform drops the role): no more
 * logins, no memberships, its sessions ended, and what it owns in the
 * tenant's database given to the owner role (a large object or a workspace
 * table would otherwise make the provider's DROP ROLE fail and keep the
 * login alive). Idempotent; a role or database already gone is fine.
 */
export async function retireLogin(connection: ServerConnection, maintenance: string, role: string, database: string, env: NodeJS.ProcessEnv): Promise<RetiredLogin> {
  const separator = role.indexOf(ROLE_SEPARATOR);
  if (separator <= 0) throw new Error(migrationErrors.notATenantLogin(role));
  const owner = ownerRoleName(role.slice(0, separator));
  const admin = await openAdminSession(connection, maintenance, env);
  try {
    const { rows } = await admin.query(`SELECT r.rolsuper AS superuser FROM pg_catalog.pg_roles r WHERE r.rolname ${EQ} current_user`);
    const superuser = rows[0].superuser === true;
    const found = await admin.query(`SELECT 1 FROM pg_catalog.pg_roles WHERE rolname ${EQ} $1`, [role]);
    if (!found.rowCount) return { existed: false, cleanedDatabase: false };
    await admin.query(`ALTER ROLE ${quoteIdent(role)} NOLOGIN`);
    const groups = await admin.query(
      `SELECT g.rolname FROM pg_catalog.pg_auth_members m JOIN pg_catalog.pg_roles g ON g.oid ${EQ} m.roleid JOIN pg_catalog.pg_roles u ON u.oid ${EQ} m.member WHERE u.rolname ${EQ} $1`,
      [role],
    );
    for (const { rolname } of groups.rows) await admin.query(`REVOKE ${quoteIdent(rolname)} FROM ${quoteIdent(role)}`);
    await admin.query(`SELECT pg_catalog.pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity WHERE usename ${EQ} $1`, [role]).catch(() => undefined);
    const exists = await admin.query(`SELECT 1 FROM pg_catalog.pg_database WHERE datname ${EQ} $1`, [database]);
    if (!exists.rowCount) return { existed: true, cleanedDatabase: false };
    const inDatabase = await openAdminSession(connection, database, env);
    try {
      // A CREATEROLE admin (PostgreSQL 16+) needs the leaver's privileges to reassign what it owns; it may grant itself them.
      if (!superuser) await inDatabase.query(`GRANT ${quoteIdent(role)} TO CURRENT_USER`);
      try {
        await inDatabase.query(`REASSIGN OWNED BY ${quoteIdent(role)} TO ${quoteIdent(owner)}; DROP OWNED BY ${quoteIdent(role)};`);
      } finally {
        if (!superuser) await inDatabase.query(`REVOKE ${quoteIdent(role)} FROM CURRENT_USER`).catch(() => undefined);
      }
    } finally {
      await inDatabase.end().catch(() => undefined);
    }
    return { existed: true, cleanedDatabase: true };
  } finally {
    await admin.end().catch(() => undefined);
  }
}
