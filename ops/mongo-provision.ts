/**
 * Provisions a MongoDB tenant, idempotently: its users and roles (the
 * MongoDB access model, model/mongo-access-model.ts), the store's
 * collections with their JSON-schema validators, their indexes, and the
 * lookup documents the app hard-codes (model/mongo-collections.ts). Run by
 * the deploy (`tenants mongo-provision <key>`), as many times as it likes:
 * a second run changes nothing.
 *
 * Two sessions, each with the least that does its work:
 *
 * - **The admin session** (a container's root user, DocumentDB's master
 *   user; none on Atlas, where Terraform manages users through Atlas's API)
 *   runs user management only: `usersInfo`, `createUser`, `updateUser` and
 *   `dropUser`, with names and roles from the registry and generated
 *   passwords. It reads no tenant document and touches no collection, so
 *   nothing a tenant made is involved in it. Every user is created or
 *   updated (never failing on one that exists, or that another runner
 *   created meanwhile) with exactly the model's roles, and users the model
 *   no longer has are dropped: the tenant's users in `admin`, and any user
 *   the tenant's admins made in their own database.
 * - **The migrator's session** (`<key>__migrator`: dbAdmin and readWrite on
 *   the tenant's database, nothing else; checked before anything runs)
 *   creates or updates the collections, validators, indexes and lookup
 *   documents: the work that meets what the tenant made there (a view in
 *   place of a collection, an index of their own). Whatever happens in it
 *   stays within the tenant's own database, where the tenant's admins
 *   (dbOwner) hold more already. Its password is set by the admin session
 *   for one run and replaced by an unknown one afterwards (Atlas: Terraform's).
 *
 * No session runs server-side JavaScript: containers run `--noscripting`,
 * Atlas clusters have JavaScript off, DocumentDB has none.
 *
 * Commands go through {@link MongoSession}, which the official driver
 * implements (ops/mongo-session.ts) and the tests stand in for.
 */
import { randomBytes } from 'node:crypto';
import { type MongoAccessModel, type MongoRoleGrant, type MongoUserSpec } from '../model/mongo-access-model';
import { LOOKUP_DOCUMENTS, type MongoCollectionSpec, type MongoIndexSpec, STORE_COLLECTIONS, VALIDATION } from '../model/mongo-collections';
import { mongoErrors } from './mongo-errors';

/** One session on a server: runs a database command and returns the server's reply (or throws its error, with its `code`). */
export interface MongoSession {
  command(database: string, command: Readonly<Record<string, unknown>>): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/** Opens sessions on the tenant's server, as one user or another. */
export interface MongoConnector {
  open(credentials: { readonly user: string; readonly password: string }): Promise<MongoSession>;
}

/** What a run needs. */
export interface ProvisionInput {
  readonly model: MongoAccessModel;
  readonly connector: MongoConnector;
  /**
   * The admin's credentials, for user management (container, DocumentDB).
   * @default - none: users are managed elsewhere (Atlas, by Terraform), and the migrator logs in with {@link migratorPassword}
   */
  readonly admin?: { readonly user: string; readonly password: string };
  /** Generated passwords of the users that have one (people, app); with `admin` only. */
  readonly passwords?: ReadonlyMap<string, string>;
  /** The migrator's own password, when no admin session sets a one-off one (Atlas). */
  readonly migratorPassword?: string;
  /** Told what is being done, a line at a time. */
  readonly onProgress?: (line: string) => void;
  /** The time lookup documents are stamped with. @default - now */
  readonly now?: Date;
}

/** What a run did. */
export interface ProvisionReport {
  readonly users: { readonly created: string[]; readonly updated: string[]; readonly dropped: string[] };
  readonly collections: { readonly created: string[]; readonly updated: string[]; readonly unchanged: string[] };
  readonly indexes: { readonly created: string[]; readonly replaced: string[] };
  readonly lookups: { readonly inserted: string[] };
}

/** MongoDB's error codes the runner answers. */
const CODE = { userNotFound: 11, authenticationFailed: 18, namespaceExists: 48, indexOptionsConflict: 85, indexKeySpecsConflict: 86, duplicateKey: 11000, userExists: 51003 } as const;

function codeOf(error: unknown): number | undefined {
  return typeof (error as { code?: unknown })?.code === 'number' ? (error as { code: number }).code : undefined;
}

/** Runs a command; an error with one of the codes is the fallback's to answer. */
async function orElse<T>(attempt: () => Promise<T>, codes: readonly number[], fallback: () => Promise<T>): Promise<T> {
  try {
    return await attempt();
  } catch (error) {
    if (!codes.includes(codeOf(error) as number)) throw error;
    return fallback();
  }
}

/** The first batch of a cursor reply (listCollections, listIndexes, find): the runner's queries are small. */
function firstBatch(reply: Record<string, unknown>): Record<string, unknown>[] {
  return ((reply.cursor as { firstBatch?: Record<string, unknown>[] } | undefined)?.firstBatch ?? []) as Record<string, unknown>[];
}

/** Stable JSON: keys sorted, so that a server's reply and the model compare equal whatever the key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

const rolesOf = (user: MongoUserSpec): MongoRoleGrant[] => user.roles.map((role) => ({ role: role.role, db: role.db }));

/**
 * Creates or updates every user of the model with exactly its roles and
 * password, and drops the tenant's users the model no longer has.
 */
export async function syncUsers(admin: MongoSession, model: MongoAccessModel, passwordOf: (user: MongoUserSpec) => string, report: ProvisionReport): Promise<void> {
  const { authDatabase, database, userPrefix } = model;
  const listed = async (db: string) => ((await admin.command(db, { usersInfo: 1 })).users ?? []) as { user: string; db: string }[];
  const inAdmin = (await listed(authDatabase)).filter((u) => u.db === authDatabase && u.user.startsWith(userPrefix)).map((u) => u.user);
  const inTenantDatabase = (await listed(database)).filter((u) => u.db === database).map((u) => u.user);
  const wanted = new Set(model.users.map((u) => u.name));

  for (const user of model.users) {
    const fields = { pwd: passwordOf(user), roles: rolesOf(user) };
    const create = () => admin.command(authDatabase, { createUser: user.name, ...fields }).then(() => report.users.created.push(user.name));
    const update = () => admin.command(authDatabase, { updateUser: user.name, ...fields }).then(() => report.users.updated.push(user.name));
    // Never fail on a user that exists, or that another run created (or dropped) in between.
    if (inAdmin.includes(user.name)) await orElse(update, [CODE.userNotFound], create);
    else await orElse(create, [CODE.userExists], update);
  }
  const drop = async (db: string, name: string) => {
    await orElse(() => admin.command(db, { dropUser: name }), [CODE.userNotFound], async () => ({}));
    report.users.dropped.push(db === authDatabase ? name : `${name}@${db}`);
  };
  for (const name of inAdmin.filter((n) => !wanted.has(n))) await drop(authDatabase, name);
  for (const name of inTenantDatabase) await drop(database, name);
}

/** Refuses a migrator session that is someone else, or that holds more than the migrator's roles on the tenant's database. */
export async function checkMigratorSession(migrator: MongoSession, model: MongoAccessModel): Promise<void> {
  const spec = model.users.find((u) => u.purpose === 'migrator') as MongoUserSpec;
  const status = await migrator.command(model.authDatabase, { connectionStatus: 1 });
  const auth = (status.authInfo ?? {}) as { authenticatedUsers?: { user: string; db: string }[]; authenticatedUserRoles?: { role: string; db: string }[] };
  const users = auth.authenticatedUsers ?? [];
  if (users.length !== 1 || users[0].user !== spec.name || users[0].db !== model.authDatabase) {
    throw new Error(mongoErrors.notMigrator(spec.name, users.map((u) => `${u.user}@${u.db}`).join(', ')));
  }
  const allowed = new Set(spec.roles.map((r) => `${r.role}@${r.db}`));
  const extra = (auth.authenticatedUserRoles ?? []).map((r) => `${r.role}@${r.db}`).filter((r) => !allowed.has(r));
  if (extra.length) throw new Error(mongoErrors.migratorTooPowerful(spec.name, extra, model.database));
}

/** Whether an existing index is the spec (same keys and options). */
function sameIndex(existing: Record<string, unknown>, spec: MongoIndexSpec): boolean {
  return (
    canonical(existing.key) === canonical(spec.key) &&
    (existing.unique === true) === (spec.unique === true) &&
    (existing.expireAfterSeconds as number | undefined) === spec.expireAfterSeconds
  );
}

function indexDocument(spec: MongoIndexSpec): Record<string, unknown> {
  return { name: spec.name, key: spec.key, ...(spec.unique && { unique: true }), ...(spec.expireAfterSeconds !== undefined && { expireAfterSeconds: spec.expireAfterSeconds }) };
}

/** Creates the collection's indexes that are missing and replaces ours that differ; leaves the tenant's own indexes alone. */
async function syncIndexes(migrator: MongoSession, database: string, collection: MongoCollectionSpec, report: ProvisionReport): Promise<void> {
  if (!collection.indexes.length) return;
  const existing = firstBatch(await migrator.command(database, { listIndexes: collection.name }));
  const missing: MongoIndexSpec[] = [];
  for (const spec of collection.indexes) {
    const named = existing.find((index) => index.name === spec.name);
    if (named && sameIndex(named, spec)) continue;
    const sameKeys = existing.find((index) => index.name !== spec.name && canonical(index.key) === canonical(spec.key));
    if (sameKeys) {
      // The tenant's own index on the same keys: fine if it is what we need, a conflict otherwise.
      if (sameIndex(sameKeys, spec)) continue;
      throw new Error(mongoErrors.indexConflict(database, collection.name, spec.name, String(sameKeys.name)));
    }
    if (named) {
      await migrator.command(database, { dropIndexes: collection.name, index: spec.name });
      report.indexes.replaced.push(`${collection.name}.${spec.name}`);
    } else {
      report.indexes.created.push(`${collection.name}.${spec.name}`);
    }
    missing.push(spec);
  }
  if (missing.length) await migrator.command(database, { createIndexes: collection.name, indexes: missing.map(indexDocument) });
}

/** Creates the store's collections that are missing, brings the validators of the others up to date, then their indexes. */
export async function syncCollections(migrator: MongoSession, database: string, report: ProvisionReport): Promise<void> {
  const names = STORE_COLLECTIONS.map((c) => c.name);
  const existing = new Map(
    firstBatch(await migrator.command(database, { listCollections: 1, filter: { name: { $in: names } } })).map((c) => [String(c.name), c]),
  );
  for (const collection of STORE_COLLECTIONS) {
    const found = existing.get(collection.name);
    const validation = { validator: collection.validator, ...VALIDATION };
    const modify = () => migrator.command(database, { collMod: collection.name, ...validation });
    if (!found) {
      await orElse(
        () => migrator.command(database, { create: collection.name, ...validation }).then(() => report.collections.created.push(collection.name)),
        [CODE.namespaceExists],
        () => modify().then(() => report.collections.updated.push(collection.name)),
      );
    } else if (found.type === 'view') {
      throw new Error(mongoErrors.viewInPlace(database, collection.name));
    } else {
      const options = (found.options ?? {}) as Record<string, unknown>;
      const current = { validator: options.validator, validationLevel: options.validationLevel ?? 'strict', validationAction: options.validationAction ?? 'error' };
      if (canonical(current) === canonical(validation)) report.collections.unchanged.push(collection.name);
      else await modify().then(() => report.collections.updated.push(collection.name));
    }
    await syncIndexes(migrator, database, collection, report);
  }
}

/** Inserts the lookup documents that are missing; stops on one whose id holds another name. */
export async function seedLookups(migrator: MongoSession, database: string, now: Date, report: ProvisionReport): Promise<void> {
  const collections = [...new Set(LOOKUP_DOCUMENTS.map((d) => d.collection))];
  for (const collection of collections) {
    const wanted = LOOKUP_DOCUMENTS.filter((d) => d.collection === collection);
    const read = async () => firstBatch(await migrator.command(database, { find: collection, filter: { _id: { $in: wanted.map((d) => d._id) } } }));
    const check = (found: Record<string, unknown>[]) => {
      const wrong = wanted.flatMap((d) => {
        const doc = found.find((f) => f._id === d._id);
        return doc && doc.name !== d.name ? [`${collection} _id ${d._id} is ${JSON.stringify(doc.name)}, the app expects ${JSON.stringify(d.name)}`] : [];
      });
      if (wrong.length) throw new Error(mongoErrors.lookupMismatch(database, wrong));
      return wanted.filter((d) => !found.some((f) => f._id === d._id));
    };
    const missing = check(await read());
    if (!missing.length) continue;
    const documents = missing.map((d) => ({ _id: d._id, name: d.name, created_at: now, updated_at: now }));
    // Another run may insert them in between: then check what is there.
    await orElse(
      () => migrator.command(database, { insert: collection, documents, ordered: false }).then(() => report.lookups.inserted.push(...missing.map((d) => `${collection} ${d._id}`))),
      [CODE.duplicateKey],
      async () => void check(await read()),
    );
  }
}

/** A password nobody is told. */
function oneOffPassword(): string {
  return randomBytes(24).toString('base64url');
}

const LOGIN_ATTEMPTS = 3;

/**
 * Provisions one tenant: users (when an admin is given), then collections,
 * indexes and lookups in the migrator's session. Closes every session, also
 * on failure, and leaves the migrator with a password nobody knows.
 */
export async function provisionMongoTenant(input: ProvisionInput): Promise<ProvisionReport> {
  const { model, connector } = input;
  const progress = input.onProgress ?? (() => undefined);
  const report: ProvisionReport = {
    users: { created: [], updated: [], dropped: [] },
    collections: { created: [], updated: [], unchanged: [] },
    indexes: { created: [], replaced: [] },
    lookups: { inserted: [] },
  };
  const migratorSpec = model.users.find((u) => u.purpose === 'migrator') as MongoUserSpec;
  let admin: MongoSession | undefined;
  let migrator: MongoSession | undefined;
  try {
    if (input.admin) {
      const passwords = input.passwords ?? new Map<string, string>();
      for (const user of model.users) if (user.generatedPassword && !passwords.has(user.name)) throw new Error(mongoErrors.missingPassword(user.name));
      progress(`users of ${model.tenantKey}, as ${input.admin.user}`);
      admin = await connector.open(input.admin);
      for (let attempt = 1; ; attempt++) {
        const oneOff = oneOffPassword();
        if (attempt === 1) await syncUsers(admin, model, (user) => (user.purpose === 'migrator' ? oneOff : (passwords.get(user.name) as string)), report);
        else await admin.command(model.authDatabase, { updateUser: migratorSpec.name, pwd: oneOff });
        try {
          migrator = await connector.open({ user: migratorSpec.name, password: oneOff });
          break;
        } catch (error) {
          // Another run of this tenant set its own one-off password in between.
          if (codeOf(error) !== CODE.authenticationFailed || attempt >= LOGIN_ATTEMPTS) throw error;
        }
      }
    } else {
      if (input.migratorPassword === undefined) throw new Error(mongoErrors.missingVariable('MONGODB_MIGRATOR_PASSWORD', "the migrator's password, which the deploy passes on Atlas"));
      migrator = await connector.open({ user: migratorSpec.name, password: input.migratorPassword });
    }
    progress(`collections of ${model.database}, as ${migratorSpec.name}`);
    await checkMigratorSession(migrator, model);
    await syncCollections(migrator, model.database, report);
    await seedLookups(migrator, model.database, input.now ?? new Date(), report);
    return report;
  } finally {
    await migrator?.close().catch(() => undefined);
    if (admin) {
      // No credential of the migrator outlives the run.
      await admin.command(model.authDatabase, { updateUser: migratorSpec.name, pwd: oneOffPassword() }).catch(() => undefined);
      await admin.close().catch(() => undefined);
    }
  }
}
