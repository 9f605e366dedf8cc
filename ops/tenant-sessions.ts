/**
 * The two sessions the platform opens for work in a tenant's database, and
 * what each may do:
 *
 * - **The server admin's session** runs catalog statements only, none of
 *   which executes tenant code, each under a search path of the catalog alone
 *   (`pg_catalog, pg_temp`): it sets the migrator's one-off password and
 *   clears it afterwards, pins its own search path in the tenant database
 *   (so the Terraform provider's sessions there get it too), and for an
 *   adopted database moves the original's objects to the owner and revokes
 *   the original's privileges (adoption-sql.ts). It connects to the
 *   maintenance database, or to the tenant's when adopting.
 * - **The migrator's session** logs in as `<key>__migrator`, a member of the
 *   owner role and of nothing else, and does everything that reads or writes
 *   inside the tenant's schemas: migrations, history, status. Whatever a
 *   tenant planted can run there with the owner's rights at most, which is
 *   the tenant's own ceiling: SET ROLE and RESET ROLE are checked against the
 *   session's login, and that login can become no one else.
 *
 * Why a one-off password: the migrator needs no credential at rest. The
 * runner sets a fresh random one over the admin's connection (as a SCRAM
 * verifier, so the password itself is in no server log), logs in with it
 * and clears it after the run. Terraform never holds it, and `migrate --all`
 * works from any machine that has the admin's credentials. Two runners on
 * one tenant may overwrite each other's password between setting and
 * logging in; the loser sets a new one and tries again.
 */
import { randomBytes } from 'node:crypto';
import type { Client } from 'pg';
import { PIN_SEARCH_PATH } from '../constructs/access-sql';
import { adoptionStatements } from '../constructs/adoption-sql';
import { ADMIN_SEARCH_PATH } from '../constructs/defaults';
import { migratorRoleName, ownerRoleName } from '../constructs/naming';
import { quoteIdent, quoteLiteral } from '../constructs/sql-quote';
import { cancelRunningStatement } from './cancel-query';
import { type ServerConnection, connectTo, maintenanceDatabase } from './connection';
import { migrationErrors } from './migration-errors';
import { scramVerifier } from './scram';

/** A tenant as the sessions need it. */
export interface SessionTenant {
  readonly key: string;
  readonly database: { readonly name: string };
  readonly adopt?: { readonly legacyRoles: readonly string[] };
}

/** Options of {@link withMigratorSession}. */
export interface SessionOptions {
  /** Run the adoption statements first (an adopted tenant's migration, not its status). @default false */
  readonly adopt?: boolean;
  /** Aborting cancels the statement either session is running. */
  readonly signal?: AbortSignal;
  /** The libpq environment. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

const LOGIN_ATTEMPTS = 3;

/** The admin's search path in the tenant database, as pg_db_role_setting stores it. */
const PINNED_SETTING = `search_path=${ADMIN_SEARCH_PATH.join(', ')}`;

/** Makes every later session of the admin in the tenant database search only the catalog (once; a no-op after). */
async function pinAdminSearchPath(admin: Client, database: string): Promise<void> {
  const { rows } = await admin.query(
    `SELECT EXISTS (SELECT FROM pg_catalog.pg_db_role_setting s JOIN pg_catalog.pg_database d ON d.oid OPERATOR(pg_catalog.=) s.setdatabase
                     WHERE d.datname OPERATOR(pg_catalog.=) $1 AND s.setrole OPERATOR(pg_catalog.=) (SELECT oid FROM pg_catalog.pg_roles WHERE rolname OPERATOR(pg_catalog.=) current_user)
                       AND $2 OPERATOR(pg_catalog.=) ANY (s.setconfig)) AS pinned`,
    [database, PINNED_SETTING],
  );
  if (!rows[0].pinned) await admin.query(`ALTER ROLE CURRENT_USER IN DATABASE ${quoteIdent(database)} SET search_path TO ${ADMIN_SEARCH_PATH.join(', ')}`);
}

async function setMigratorPassword(admin: Client, role: string, tenantKey: string, password: string | null): Promise<void> {
  try {
    await admin.query(`ALTER ROLE ${quoteIdent(role)} PASSWORD ${password === null ? 'NULL' : quoteLiteral(scramVerifier(password))}`);
  } catch (error) {
    // 42704 undefined_object: a tenant deployed before the migrator existed.
    if ((error as { code?: string }).code === '42704') throw new Error(migrationErrors.noMigrator(role, tenantKey));
    throw error;
  }
}

/** Logs in as the tenant's migrator with a fresh one-off password. */
async function loginAsMigrator(admin: Client, connection: ServerConnection, tenant: SessionTenant, env: NodeJS.ProcessEnv): Promise<Client> {
  const user = migratorRoleName(tenant.key);
  for (let attempt = 1; ; attempt++) {
    const password = randomBytes(24).toString('base64url');
    await setMigratorPassword(admin, user, tenant.key, password);
    try {
      return await connectTo(connection, tenant.database.name, env, { user, password });
    } catch (error) {
      // 28P01: another runner of this tenant set its own password (or cleared it) in between.
      if ((error as { code?: string }).code !== '28P01' || attempt >= LOGIN_ATTEMPTS) throw error;
    }
  }
}

/** Cancels a client's running statement when the signal aborts; returns the listener's remover. */
function cancelOnAbort(signal: AbortSignal | undefined, client: Client): () => void {
  if (!signal) return () => undefined;
  const cancel = () => void cancelRunningStatement(client);
  signal.addEventListener('abort', cancel, { once: true });
  return () => signal.removeEventListener('abort', cancel);
}

/** Thrown when work is not started because the signal had already aborted. */
export class Interrupted extends Error {
  constructor() {
    super('interrupted before it started');
    this.name = 'Interrupted';
  }
}

/**
 * Runs `work` in the tenant migrator's session, after the admin's catalog
 * work (search path pin, adoption, one-off password); clears the password
 * and closes both sessions afterwards, also on failure or abort.
 */
export async function withMigratorSession<T>(
  tenant: SessionTenant,
  connection: ServerConnection,
  work: (migrator: Client) => Promise<T>,
  options: SessionOptions = {},
): Promise<T> {
  const env = options.env ?? process.env;
  const adopt = options.adopt === true && tenant.adopt !== undefined;
  if (options.signal?.aborted) throw new Interrupted();
  const admin = await connectTo(connection, adopt ? tenant.database.name : maintenanceDatabase(connection, env), env);
  const stopCancellingAdmin = cancelOnAbort(options.signal, admin);
  let passwordSet = false;
  try {
    await admin.query(`${PIN_SEARCH_PATH} SET lock_timeout TO '60s';`);
    await pinAdminSearchPath(admin, tenant.database.name);
    if (adopt) {
      for (const statement of adoptionStatements(tenant.database.name, ownerRoleName(tenant.key), tenant.adopt?.legacyRoles ?? [])) await admin.query(statement);
    }
    if (options.signal?.aborted) throw new Interrupted();
    passwordSet = true;
    const migrator = await loginAsMigrator(admin, connection, tenant, env);
    const stopCancellingMigrator = cancelOnAbort(options.signal, migrator);
    try {
      return await work(migrator);
    } finally {
      stopCancellingMigrator();
      await migrator.end().catch(() => undefined);
    }
  } finally {
    stopCancellingAdmin();
    if (passwordSet) await setMigratorPassword(admin, migratorRoleName(tenant.key), tenant.key, null).catch(() => undefined);
    await admin.end().catch(() => undefined);
  }
}
