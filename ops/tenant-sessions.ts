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
import type { AccessSubject } from '../model/access-model';
import { migratorRoleName } from '../model/naming';
import { adopt, endStrangerSessions, openAdminSession, pinAdminSettings, serverBaselineMissing, setMigratorPassword } from './admin-session';
import { cancelRunningStatement } from './cancel-query';
import { type LoginAs, type ServerConnection, connectTo, maintenanceDatabase } from './connection';
import { migrationErrors } from './migration-errors';

/** A tenant as the sessions need it. */
export type SessionTenant = AccessSubject;

/** Options of {@link withMigratorSession}. */
export interface SessionOptions {
  /** Run the adoption statements first (an adopted tenant's migration, not its status). @default false */
  readonly adopt?: boolean;
  /** Aborting cancels the statement either session is running. */
  readonly signal?: AbortSignal;
  /** The libpq environment. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Told about what is worth a person's attention but stops nothing (the server baseline missing, say). */
  readonly onWarning?: (warning: string) => void;
  /** Also check the server baseline (`status` does; a deploy's migration need not say it each time). @default false */
  readonly checkBaseline?: boolean;
}

const LOGIN_ATTEMPTS = 3;

/** Logs in as the tenant's migrator with a fresh one-off password. */
async function loginAsMigrator(admin: Client, connection: ServerConnection, tenant: SessionTenant, env: NodeJS.ProcessEnv): Promise<{ client: Client; login: LoginAs }> {
  const user = migratorRoleName(tenant.key);
  for (let attempt = 1; ; attempt++) {
    const password = randomBytes(24).toString('base64url');
    await setMigratorPassword(admin, user, tenant.key, password);
    try {
      return { client: await connectTo(connection, tenant.database.name, env, { user, password }), login: { user, password } };
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

/** The admin's catalog work for a tenant: its settings pinned, adoption, strangers sent away. */
async function prepare(admin: Client, tenant: SessionTenant, options: { adopt: boolean; onWarning?: (warning: string) => void }): Promise<void> {
  await pinAdminSettings(admin, tenant.database.name);
  if (options.adopt) await adopt(admin, tenant);
  const notEnded = await endStrangerSessions(admin, tenant);
  if (notEnded) options.onWarning?.(notEnded);
}

/**
 * What the deploy runs right after creating or importing the tenant's
 * database, before any other session of the admin enters it: the admin's
 * settings pinned there, an adopted database's objects and privileges
 * brought into line (so the original's people lose CREATE before the
 * provider reads a grant), strangers sent away.
 */
export async function prepareTenantDatabase(tenant: SessionTenant, connection: ServerConnection, env: NodeJS.ProcessEnv, onWarning?: (warning: string) => void): Promise<void> {
  const admin = await openAdminSession(connection, tenant.database.name, env);
  try {
    await prepare(admin, tenant, { adopt: tenant.adopt !== undefined, onWarning });
  } finally {
    await admin.end().catch(() => undefined);
  }
}

/**
 * Runs `work` in the tenant migrator's session, after the admin's catalog
 * work (settings pinned, adoption, strangers sent away, one-off password);
 * clears the password and closes both sessions afterwards, also on failure
 * or abort.
 */
export async function withMigratorSession<T>(
  tenant: SessionTenant,
  connection: ServerConnection,
  work: (migrator: Client, login: LoginAs) => Promise<T>,
  options: SessionOptions = {},
): Promise<T> {
  const env = options.env ?? process.env;
  const adoptNow = options.adopt === true && tenant.adopt !== undefined;
  if (options.signal?.aborted) throw new Interrupted();
  const admin = await openAdminSession(connection, adoptNow ? tenant.database.name : maintenanceDatabase(connection, env), env);
  const stopCancellingAdmin = cancelOnAbort(options.signal, admin);
  let passwordSet = false;
  try {
    await prepare(admin, tenant, { adopt: adoptNow, onWarning: options.onWarning });
    if (options.checkBaseline && (await serverBaselineMissing(admin))) options.onWarning?.(migrationErrors.baselineMissing());
    if (options.signal?.aborted) throw new Interrupted();
    passwordSet = true;
    const { client: migrator, login } = await loginAsMigrator(admin, connection, tenant, env);
    const stopCancellingMigrator = cancelOnAbort(options.signal, migrator);
    try {
      // The login is for a libpq tool of the same run (a move's pg_dump); the password is cleared when `work` ends.
      return await work(migrator, login);
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
