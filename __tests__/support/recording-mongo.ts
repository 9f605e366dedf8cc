/**
 * A stand-in for a MongoDB server, for the runner's tests: there is no
 * MongoDB server on this machine (no binary in any package the project may
 * install, no network to fetch one), so the runner's logic is tested against
 * this instead. It is not MongoDB: it keeps users, collections, indexes and
 * documents in memory, answers the handful of commands the runner sends the
 * way the server's documentation says (replies and error codes), checks
 * logins and the privileges each command needs, and records every command
 * with the user and database it ran as, so that tests can assert what was
 * sent and by which session.
 */
import type { MongoConnector, MongoSession } from '../../ops/mongo-provision';

/** A role on one database. */
export interface Role {
  readonly role: string;
  readonly db: string;
}

interface User {
  readonly user: string;
  readonly db: string;
  pwd: string;
  roles: Role[];
}

interface Index {
  readonly name: string;
  readonly key: Record<string, number>;
  readonly unique?: boolean;
  readonly expireAfterSeconds?: number;
}

interface Collection {
  readonly type: 'collection' | 'view';
  options: Record<string, unknown>;
  indexes: Index[];
  documents: Record<string, unknown>[];
}

/** One command as the stand-in received it. */
export interface RecordedCommand {
  /** The session's user. */
  readonly as: string;
  readonly db: string;
  /** The command's name (its first key). */
  readonly name: string;
  readonly command: Record<string, unknown>;
}

/** An error as the driver throws the server's: a message and a code. */
class ServerError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'MongoServerError';
  }
}

const USER_MANAGEMENT = ['usersInfo', 'createUser', 'updateUser', 'dropUser'];
/** The commands each built-in role allows on its database (enough for the runner's commands). */
const ROLE_COMMANDS: Record<string, readonly string[]> = {
  read: ['find', 'listCollections', 'listIndexes'],
  readWrite: ['find', 'insert', 'listCollections', 'listIndexes'],
  dbAdmin: ['listCollections', 'listIndexes', 'create', 'collMod', 'createIndexes', 'dropIndexes'],
  userAdmin: USER_MANAGEMENT,
  dbOwner: ['find', 'insert', 'listCollections', 'listIndexes', 'create', 'collMod', 'createIndexes', 'dropIndexes', ...USER_MANAGEMENT],
};

/** The stand-in server. */
export class RecordingMongo {
  readonly log: RecordedCommand[] = [];
  readonly users = new Map<string, User>();
  readonly databases = new Map<string, Map<string, Collection>>();
  /** Logins refused, by user. */
  readonly refusedLogins: string[] = [];
  /** Called before each command runs, to inject what another client does meanwhile. */
  beforeCommand?: (recorded: RecordedCommand) => void;

  constructor(root?: { readonly user: string; readonly password: string }) {
    if (root) this.addUser('admin', root.user, root.password, [{ role: 'root', db: 'admin' }]);
  }

  /** A user, as if created by someone else. */
  addUser(db: string, user: string, pwd: string, roles: Role[]): void {
    this.users.set(`${db}.${user}`, { user, db, pwd, roles });
  }

  /** A collection (or view), as if created by someone else. */
  addCollection(db: string, name: string, collection: Partial<Collection> = {}): void {
    this.database(db).set(name, { type: 'collection', options: {}, indexes: [{ name: '_id_', key: { _id: 1 } }], documents: [], ...collection });
  }

  collection(db: string, name: string): Collection | undefined {
    return this.databases.get(db)?.get(name);
  }

  /** A user's roles, as `role@db`, sorted. */
  rolesOf(db: string, user: string): string[] {
    return (this.users.get(`${db}.${user}`)?.roles ?? []).map((r) => `${r.role}@${r.db}`).sort();
  }

  private database(db: string): Map<string, Collection> {
    if (!this.databases.has(db)) this.databases.set(db, new Map());
    return this.databases.get(db) as Map<string, Collection>;
  }

  /** Sessions, logging in against `admin` as the runner does. */
  connector(): MongoConnector {
    return {
      open: async ({ user, password }) => {
        const found = this.users.get(`admin.${user}`);
        if (!found || found.pwd !== password) {
          this.refusedLogins.push(user);
          throw new ServerError(18, `Authentication failed.`);
        }
        return this.session(user);
      },
    };
  }

  private session(user: string): MongoSession {
    let open = true;
    return {
      command: async (db, command) => {
        if (!open) throw new Error('session closed');
        const name = Object.keys(command)[0];
        const recorded = { as: user, db, name, command: structuredClone(command) };
        this.log.push(recorded);
        this.beforeCommand?.(recorded);
        this.authorize(user, db, name);
        return this.run(user, db, name, command);
      },
      close: async () => {
        open = false;
      },
    };
  }

  private authorize(user: string, db: string, name: string): void {
    if (name === 'connectionStatus') return;
    const roles = this.users.get(`admin.${user}`)?.roles ?? [];
    if (roles.some((r) => r.role === 'root' && r.db === 'admin')) return;
    if (!roles.some((r) => r.db === db && ROLE_COMMANDS[r.role]?.includes(name))) {
      throw new ServerError(13, `not authorized on ${db} to execute command { ${name} }`);
    }
  }

  private run(user: string, db: string, name: string, command: Readonly<Record<string, unknown>>): Record<string, unknown> {
    const target = String(command[name]);
    const collections = this.database(db);
    switch (name) {
      case 'usersInfo':
        return { users: [...this.users.values()].filter((u) => u.db === db).map((u) => ({ user: u.user, db: u.db, roles: u.roles })), ok: 1 };
      case 'createUser':
        if (this.users.has(`${db}.${target}`)) throw new ServerError(51003, `User "${target}@${db}" already exists`);
        this.addUser(db, target, String(command.pwd), [...(command.roles as Role[])]);
        return { ok: 1 };
      case 'updateUser': {
        const found = this.users.get(`${db}.${target}`);
        if (!found) throw new ServerError(11, `User ${target}@${db} not found`);
        if (command.pwd !== undefined) found.pwd = String(command.pwd);
        if (command.roles !== undefined) found.roles = [...(command.roles as Role[])];
        return { ok: 1 };
      }
      case 'dropUser':
        if (!this.users.delete(`${db}.${target}`)) throw new ServerError(11, `User ${target}@${db} not found`);
        return { ok: 1 };
      case 'connectionStatus': {
        const found = this.users.get(`admin.${user}`) as User;
        return { authInfo: { authenticatedUsers: [{ user: found.user, db: found.db }], authenticatedUserRoles: found.roles }, ok: 1 };
      }
      case 'listCollections': {
        const names = ((command.filter as { name?: { $in?: string[] } })?.name?.$in ?? [...collections.keys()]) as string[];
        return { cursor: { firstBatch: [...collections].filter(([n]) => names.includes(n)).map(([n, c]) => ({ name: n, type: c.type, options: c.options })) }, ok: 1 };
      }
      case 'create': {
        if (collections.has(target)) throw new ServerError(48, `Collection ${db}.${target} already exists.`);
        const { create: _name, ...options } = command;
        this.addCollection(db, target, { options: { ...options } });
        return { ok: 1 };
      }
      case 'collMod': {
        const found = collections.get(target);
        if (!found) throw new ServerError(26, `ns does not exist: ${db}.${target}`);
        const { collMod: _name, ...options } = command;
        found.options = { ...found.options, ...options };
        return { ok: 1 };
      }
      case 'listIndexes':
        return { cursor: { firstBatch: (collections.get(target)?.indexes ?? []).map((i) => ({ v: 2, ...i })) }, ok: 1 };
      case 'createIndexes': {
        const found = collections.get(target) ?? (this.addCollection(db, target), collections.get(target) as Collection);
        for (const index of command.indexes as Index[]) {
          const same = (a: Index) => JSON.stringify(a.key) === JSON.stringify(index.key) && !!a.unique === !!index.unique && a.expireAfterSeconds === index.expireAfterSeconds;
          const named = found.indexes.find((i) => i.name === index.name);
          if (named && !same(named)) throw new ServerError(86, `An existing index has the same name as the requested index: ${index.name}`);
          const keyed = found.indexes.find((i) => i.name !== index.name && JSON.stringify(i.key) === JSON.stringify(index.key));
          if (keyed) throw new ServerError(85, `Index already exists with a different name: ${keyed.name}`);
          if (!named) found.indexes.push({ ...index });
        }
        return { ok: 1 };
      }
      case 'dropIndexes': {
        const found = collections.get(target);
        if (found) found.indexes = found.indexes.filter((i) => i.name !== command.index);
        return { ok: 1 };
      }
      case 'find': {
        const ids = ((command.filter as { _id?: { $in?: unknown[] } })?._id?.$in ?? []) as unknown[];
        return { cursor: { firstBatch: (collections.get(target)?.documents ?? []).filter((d) => ids.includes(d._id)) }, ok: 1 };
      }
      case 'insert': {
        const found = collections.get(target) ?? (this.addCollection(db, target), collections.get(target) as Collection);
        for (const document of command.documents as Record<string, unknown>[]) {
          if (found.documents.some((d) => d._id === document._id)) throw new ServerError(11000, `E11000 duplicate key error collection: ${db}.${target} index: _id_ dup key: { _id: ${String(document._id)} }`);
          found.documents.push({ ...document });
        }
        return { n: (command.documents as unknown[]).length, ok: 1 };
      }
      default:
        throw new ServerError(59, `no such command: '${name}'`);
    }
  }
}
