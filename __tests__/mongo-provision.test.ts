/**
 * The MongoDB runner (ops/mongo-provision.ts) against a stand-in server that
 * records every command it receives (support/recording-mongo.ts): there is no
 * MongoDB server on this machine, so these tests prove what the runner sends,
 * in which session, and that a second run changes nothing; not that a real
 * server accepts it (the README says so).
 */
import { MONGO_KIND_ROLES, mongoAccessModel } from '../model/mongo-access-model';
import { LOOKUP_DOCUMENTS, STORE_COLLECTIONS, VALIDATION } from '../model/mongo-collections';
import { MONGO_ROOT_USERNAME } from '../model/mongo-defaults';
import { mongoErrors } from '../ops/mongo-errors';
import { type ProvisionInput, provisionMongoTenant } from '../ops/mongo-provision';
import { mongoTenant } from './helpers';
import { type RecordedCommand, RecordingMongo } from './support/recording-mongo';

const ROOT = { user: MONGO_ROOT_USERNAME, password: 'root-password' };
const DB = 'test_shop';
const USER_MANAGEMENT = ['usersInfo', 'createUser', 'updateUser', 'dropUser'];
const NOW = new Date('2026-01-01T00:00:00Z');

/** Generated passwords of the people and the app, as the deploy passes them. */
function passwordsFor(model: ReturnType<typeof mongoAccessModel>, suffix = ''): Map<string, string> {
  return new Map(model.users.filter((u) => u.generatedPassword).map((u) => [u.name, `pw-${u.name}${suffix}`]));
}

function setup(tenant = mongoTenant()) {
  const server = new RecordingMongo(ROOT);
  const model = mongoAccessModel(tenant);
  const input = (extra: Partial<ProvisionInput> = {}): ProvisionInput => ({ model, connector: server.connector(), admin: ROOT, passwords: passwordsFor(model), now: NOW, ...extra });
  return { server, model, run: (extra: Partial<ProvisionInput> = {}) => provisionMongoTenant(input(extra)) };
}

const names = (log: readonly RecordedCommand[]) => log.map((c) => `${c.as} ${c.db} ${c.name}${typeof c.command[c.name] === 'string' ? ` ${String(c.command[c.name])}` : ''}`);

describe('a first run on a new server', () => {
  it('creates a user per person, one for the app and one for the runner, each with its role on the tenant database only, with the generated passwords', async () => {
    const { server, model, run } = setup();
    const report = await run();
    expect(report.users).toEqual({ created: ['test_shop__app', 'test_shop__migrator', 'test_shop__alice', 'test_shop__bob', 'test_shop__carol'], updated: [], dropped: [] });
    expect(Object.fromEntries(model.users.map((u) => [u.name, server.rolesOf('admin', u.name)]))).toEqual({
      test_shop__app: [`readWrite@${DB}`],
      test_shop__migrator: [`dbAdmin@${DB}`, `readWrite@${DB}`],
      test_shop__alice: [`dbOwner@${DB}`],
      test_shop__bob: [`readWrite@${DB}`],
      test_shop__carol: [`read@${DB}`],
    });
    for (const [user, password] of passwordsFor(model)) expect(server.users.get(`admin.${user}`)?.pwd).toBe(password);
  });

  it("sends exactly these commands, user management in the admin's session and everything else in the migrator's", async () => {
    const { server, run } = setup();
    await run();
    const indexes = STORE_COLLECTIONS.filter((c) => c.indexes.length).map((c) => c.name);
    expect(names(server.log)).toEqual([
      `${ROOT.user} admin usersInfo`,
      `${ROOT.user} ${DB} usersInfo`,
      ...['app', 'migrator', 'alice', 'bob', 'carol'].map((u) => `${ROOT.user} admin createUser test_shop__${u}`),
      `test_shop__migrator admin connectionStatus`,
      `test_shop__migrator ${DB} listCollections`,
      ...STORE_COLLECTIONS.flatMap((c) => [`test_shop__migrator ${DB} create ${c.name}`, ...(indexes.includes(c.name) ? [`test_shop__migrator ${DB} listIndexes ${c.name}`, `test_shop__migrator ${DB} createIndexes ${c.name}`] : [])]),
      ...['statuses', 'transaction_statuses'].flatMap((c) => [`test_shop__migrator ${DB} find ${c}`, `test_shop__migrator ${DB} insert ${c}`]),
      `${ROOT.user} admin updateUser test_shop__migrator`,
    ]);
  });

  it('creates every collection with its validator, strict and erroring, its indexes and the lookup documents', async () => {
    const { server, run } = setup();
    await run();
    for (const spec of STORE_COLLECTIONS) {
      const collection = server.collection(DB, spec.name);
      expect(collection?.options).toEqual({ validator: spec.validator, ...VALIDATION });
      expect(collection?.indexes.map((i) => i.name)).toEqual(['_id_', ...spec.indexes.map((i) => i.name)]);
    }
    expect(server.collection(DB, 'sessions')?.indexes[1]).toEqual({ name: 'sessions_expiry_idx', key: { expiry: 1 }, expireAfterSeconds: 0 });
    expect(server.collection(DB, 'customers')?.indexes[1]).toEqual({ name: 'customers_email_key', key: { email: 1 }, unique: true });
    const lookups = ['statuses', 'transaction_statuses'].flatMap((c) => (server.collection(DB, c)?.documents ?? []).map((d) => ({ collection: c, _id: d._id, name: d.name })));
    expect(lookups).toEqual(LOOKUP_DOCUMENTS);
  });

  it("leaves the runner with a password nobody was given: the one-off password it logged in with works no more", async () => {
    const { server, run } = setup();
    await run();
    const migratorLogin = server.log.findIndex((c) => c.as === 'test_shop__migrator');
    const oneOff = server.log.find((c) => c.name === 'createUser' && c.command.createUser === 'test_shop__migrator')?.command.pwd;
    expect(migratorLogin).toBeGreaterThan(0);
    expect(typeof oneOff).toBe('string');
    expect(server.users.get('admin.test_shop__migrator')?.pwd).not.toBe(oneOff);
  });
});

describe('a second run', () => {
  it('changes nothing: every user updated in place, no collection, index or document created', async () => {
    const { server, run } = setup();
    await run();
    const before = JSON.stringify({ collections: [...(server.databases.get(DB) ?? [])], roles: [...server.users.values()].map((u) => [u.user, u.roles]) });
    server.log.length = 0;
    const report = await run();
    expect(report).toEqual({
      users: { created: [], updated: ['test_shop__app', 'test_shop__migrator', 'test_shop__alice', 'test_shop__bob', 'test_shop__carol'], dropped: [] },
      collections: { created: [], updated: [], unchanged: STORE_COLLECTIONS.map((c) => c.name) },
      indexes: { created: [], replaced: [] },
      lookups: { inserted: [] },
    });
    expect(server.log.map((c) => c.name).filter((n) => ['createUser', 'create', 'collMod', 'createIndexes', 'dropIndexes', 'insert', 'dropUser'].includes(n))).toEqual([]);
    expect(JSON.stringify({ collections: [...(server.databases.get(DB) ?? [])], roles: [...server.users.values()].map((u) => [u.user, u.roles]) })).toBe(before);
  });

  it('gives a rotated password to its user', async () => {
    const { server, model, run } = setup();
    await run();
    await run({ passwords: passwordsFor(model, '-rotated') });
    expect(server.users.get('admin.test_shop__alice')?.pwd).toBe('pw-test_shop__alice-rotated');
  });
});

describe('users that exist already, and users that should not', () => {
  it('updates a user that exists with other roles and password, never failing on it (flaw 14)', async () => {
    const { server, run } = setup();
    server.addUser('admin', 'test_shop__bob', 'old', [{ role: 'root', db: 'admin' }]);
    const report = await run();
    expect(report.users.updated).toEqual(['test_shop__bob']);
    expect(server.rolesOf('admin', 'test_shop__bob')).toEqual([`readWrite@${DB}`]);
    expect(server.users.get('admin.test_shop__bob')?.pwd).toBe('pw-test_shop__bob');
  });

  it('updates a user another run created between its listing and its createUser, instead of failing', async () => {
    const { server, run } = setup();
    server.beforeCommand = (c) => {
      if (c.name === 'createUser' && c.command.createUser === 'test_shop__alice') server.addUser('admin', 'test_shop__alice', 'theirs', []);
    };
    const report = await run();
    expect(report.users.updated).toEqual(['test_shop__alice']);
    expect(server.rolesOf('admin', 'test_shop__alice')).toEqual([`dbOwner@${DB}`]);
  });

  it("drops the tenant's users the registry no longer has, and users the tenant's admins made in their database; leaves others alone", async () => {
    const { server, run } = setup();
    server.addUser('admin', 'test_shop__dave', 'x', [{ role: 'readWrite', db: DB }]);
    server.addUser(DB, 'backdoor', 'x', [{ role: 'dbOwner', db: DB }]);
    server.addUser('admin', 'other_shop__app', 'x', [{ role: 'readWrite', db: 'other_shop' }]);
    const report = await run();
    expect(report.users.dropped).toEqual(['test_shop__dave', `backdoor@${DB}`]);
    expect([...server.users.keys()].sort()).toEqual(
      ['admin.other_shop__app', `admin.${ROOT.user}`, ...['alice', 'app', 'bob', 'carol', 'migrator'].map((u) => `admin.test_shop__${u}`)].sort(),
    );
  });

  it('refuses to start without a generated password for every person and the app, before connecting', async () => {
    const { server, model, run } = setup();
    const passwords = passwordsFor(model);
    passwords.delete('test_shop__carol');
    await expect(run({ passwords })).rejects.toThrow(mongoErrors.missingPassword('test_shop__carol'));
    expect(server.log).toEqual([]);
  });
});

describe('the session model', () => {
  it('runs nothing but user management as the admin, and no user management as the migrator, who stays in the tenant database', async () => {
    const { server, run } = setup();
    await run();
    const admin = server.log.filter((c) => c.as === ROOT.user);
    const migrator = server.log.filter((c) => c.as === 'test_shop__migrator');
    expect([...new Set(admin.map((c) => c.name))].filter((n) => !USER_MANAGEMENT.includes(n))).toEqual([]);
    expect(migrator.filter((c) => USER_MANAGEMENT.includes(c.name))).toEqual([]);
    expect([...new Set(migrator.filter((c) => c.name !== 'connectionStatus').map((c) => c.db))]).toEqual([DB]);
  });

  it("refuses to work as a migrator someone gave more than its roles, before touching a collection", async () => {
    const { server, run } = setup();
    server.beforeCommand = (c) => {
      if (c.name === 'connectionStatus') server.users.get('admin.test_shop__migrator')?.roles.push({ role: 'root', db: 'admin' });
    };
    await expect(run()).rejects.toThrow(mongoErrors.migratorTooPowerful('test_shop__migrator', ['root@admin'], DB));
    expect(server.log.filter((c) => c.as === 'test_shop__migrator').map((c) => c.name)).toEqual(['connectionStatus']);
  });

  it('logs in again with a new one-off password when another run changed it in between', async () => {
    const { server, run } = setup();
    let changed = false;
    const connector = server.connector();
    const report = await run({
      connector: {
        open: async (credentials) => {
          if (credentials.user === 'test_shop__migrator' && !changed) {
            changed = true;
            const migrator = server.users.get('admin.test_shop__migrator');
            if (migrator) migrator.pwd = 'another run';
          }
          return connector.open(credentials);
        },
      },
    });
    expect(server.refusedLogins).toEqual(['test_shop__migrator']);
    expect(report.collections.created).toHaveLength(STORE_COLLECTIONS.length);
  });

  it('on Atlas, manages no user (Terraform does) and works as the migrator with its own password', async () => {
    const { server, model } = setup(mongoTenant({}, { placement: 'atlas', container: undefined, atlas: { organizationId: '5f1b2c3d4e5f6a7b8c9d0e1f', region: 'EU_WEST_1', ipAccessList: ['203.0.113.10/32'] } }));
    server.addUser('admin', 'test_shop__migrator', 'terraform-generated', [
      { role: 'dbAdmin', db: DB },
      { role: 'readWrite', db: DB },
    ]);
    const report = await provisionMongoTenant({ model, connector: server.connector(), migratorPassword: 'terraform-generated', now: NOW });
    expect(report.users).toEqual({ created: [], updated: [], dropped: [] });
    expect(server.log.filter((c) => USER_MANAGEMENT.includes(c.name))).toEqual([]);
    expect(new Set(server.log.map((c) => c.as))).toEqual(new Set(['test_shop__migrator']));
    expect(report.collections.created).toHaveLength(STORE_COLLECTIONS.length);
  });
});

describe('what a tenant made in its database', () => {
  it("brings a collection's validator up to date, and keeps its documents", async () => {
    const { server, run } = setup();
    server.addCollection(DB, 'widgets', { options: { validator: { $jsonSchema: { bsonType: 'object' } } }, documents: [{ _id: 1, name: 'kept' }] });
    const report = await run();
    expect(report.collections.updated).toEqual(['widgets']);
    expect(server.collection(DB, 'widgets')?.options.validator).toEqual(STORE_COLLECTIONS.find((c) => c.name === 'widgets')?.validator);
    expect(server.collection(DB, 'widgets')?.documents).toEqual([{ _id: 1, name: 'kept' }]);
  });

  it('replaces an index of the store whose keys changed, and keeps the tenant\'s own indexes', async () => {
    const { server, run } = setup();
    server.addCollection(DB, 'orders', {
      indexes: [
        { name: '_id_', key: { _id: 1 } },
        { name: 'orders_customer_id_idx', key: { customer_id: -1 } },
        { name: 'my_report_idx', key: { amount: 1 } },
      ],
    });
    const report = await run();
    expect(report.indexes.replaced).toEqual(['orders.orders_customer_id_idx']);
    expect(server.collection(DB, 'orders')?.indexes.map((i) => i.name)).toContain('my_report_idx');
    expect(server.collection(DB, 'orders')?.indexes.find((i) => i.name === 'orders_customer_id_idx')?.key).toEqual({ customer_id: 1 });
  });

  it("takes the tenant's own index on the store's keys with the same options for the store's", async () => {
    const { server, run } = setup();
    server.addCollection(DB, 'users', { indexes: [{ name: '_id_', key: { _id: 1 } }, { name: 'by_email', key: { email: 1 }, unique: true }] });
    const report = await run();
    expect(report.indexes.created).not.toContain('users.users_email_key');
    expect(server.collection(DB, 'users')?.indexes.map((i) => i.name)).toEqual(['_id_', 'by_email']);
  });

  it("stops at the tenant's own index on the store's keys with other options, naming it and the fix", async () => {
    const { server, run } = setup();
    server.addCollection(DB, 'users', { indexes: [{ name: '_id_', key: { _id: 1 } }, { name: 'by_email', key: { email: 1 } }] });
    await expect(run()).rejects.toThrow(mongoErrors.indexConflict(DB, 'users', 'users_email_key', 'by_email'));
  });

  it('stops at a view where a collection of the store belongs, naming it and the fix', async () => {
    const { server, run } = setup();
    server.addCollection(DB, 'orders', { type: 'view', options: { viewOn: 'widgets', pipeline: [] } });
    await expect(run()).rejects.toThrow(mongoErrors.viewInPlace(DB, 'orders'));
  });

  it('stops at a lookup document whose id holds another name, and rewrites nothing', async () => {
    const { server, run } = setup();
    server.addCollection(DB, 'statuses', { documents: [{ _id: 1, name: 'Paid' }] });
    await expect(run()).rejects.toThrow(mongoErrors.lookupMismatch(DB, ['statuses _id 1 is "Paid", the app expects "Cleared"']));
    expect(server.collection(DB, 'statuses')?.documents).toEqual([{ _id: 1, name: 'Paid' }]);
  });
});

describe('the roles the model gives', () => {
  it('are dbOwner, readWrite, read and readWrite for admins, developers, customers and the app', () => {
    expect(MONGO_KIND_ROLES).toEqual({ admin: 'dbOwner', developer: 'readWrite', customer: 'read', app: 'readWrite' });
  });
});
