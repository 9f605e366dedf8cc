/**
 * One model, several renderings: a MongoDB tenant's users and roles
 * (model/mongo-access-model.ts) as Atlas's `mongodbatlas_database_user`
 * resources, as what the runner leaves on a server (the recording stand-in:
 * no MongoDB server runs here), and as the deploy's trigger and outputs.
 * Each rendering must describe the same users with the same roles, on the
 * tenant's database and nothing else.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, Testing } from 'cdktf';
import { createTenantStacks } from '../constructs/stacks/create-tenant-stacks';
import { type MongoAccessModel, mongoAccessModel, rolesOutsideTenant } from '../model/mongo-access-model';
import { MONGO_ROOT_USERNAME } from '../model/mongo-defaults';
import { provisionMongoTenant } from '../ops/mongo-provision';
import type { MongoTenant } from '../tenants/registry/types';
import { MIGRATIONS_CHECKSUM, type SynthesizedStack, mongoTenant, resourcesOf } from './helpers';
import { RecordingMongo } from './support/recording-mongo';

const ATLAS = { organizationId: '5f1b2c3d4e5f6a7b8c9d0e1f', region: 'EU_WEST_1', ipAccessList: ['203.0.113.10/32'] };

/** user → its roles as `role@db`, sorted. */
type Grants = Record<string, string[]>;

function fromModel(model: MongoAccessModel): Grants {
  return Object.fromEntries(model.users.map((u) => [u.name, u.roles.map((r) => `${r.role}@${r.db}`).sort()]));
}

function synthesized(t: MongoTenant): SynthesizedStack {
  const app = Testing.app();
  const stacks = createTenantStacks(app, { tenant: t, servers: [], migrationsChecksum: MIGRATIONS_CHECKSUM });
  (app as App).synth();
  return JSON.parse(readFileSync(path.join(app.outdir, 'stacks', stacks.tenant.node.id, 'cdk.tf.json'), 'utf8')) as SynthesizedStack;
}

function fromAtlas(t: MongoTenant): Grants {
  const users = resourcesOf(synthesized(t), 'mongodbatlas_database_user');
  return Object.fromEntries(users.map((u) => [String(u.username), (u.roles as { role_name: string; database_name: string }[]).map((r) => `${r.role_name}@${r.database_name}`).sort()]));
}

async function fromRunner(t: MongoTenant): Promise<Grants> {
  const root = { user: MONGO_ROOT_USERNAME, password: 'root' };
  const server = new RecordingMongo(root);
  const model = mongoAccessModel(t);
  await provisionMongoTenant({ model, connector: server.connector(), admin: root, passwords: new Map(model.users.filter((u) => u.generatedPassword).map((u) => [u.name, 'pw'])) });
  return Object.fromEntries([...server.users.values()].filter((u) => u.user !== root.user).map((u) => [u.user, server.rolesOf(u.db, u.user)]));
}

function fromOutput(t: MongoTenant): Grants {
  return Object.fromEntries(Object.entries(synthesized(t).output.users.value as Grants).map(([user, roles]) => [user, [...roles].sort()]));
}

describe.each([
  ['usernames', { plan: 'starter' }, 'test_shop'],
  ['opaque role names', { plan: 'professional', roleNames: 'opaque' }, 'Shop-DB'],
] as const)('a tenant with %s', (_case, overrides, name) => {
  const container = mongoTenant(overrides, { name });
  const atlas = mongoTenant(overrides, { name, placement: 'atlas', container: undefined, atlas: ATLAS });
  const model = mongoAccessModel(container);

  it('has roles on its own database only, in the model', () => {
    expect(rolesOutsideTenant(model)).toEqual([]);
    expect(new Set(Object.values(fromModel(model)).flat().map((grant) => grant.split('@')[1]))).toEqual(new Set([container.database.name]));
  });

  it('gets the same users and roles from Atlas resources as from the model', () => {
    expect(fromAtlas(atlas)).toEqual(fromModel(model));
  });

  it('gets the same users and roles from the runner as from the model', async () => {
    expect(await fromRunner(container)).toEqual(fromModel(model));
  });

  it("lists the same users and roles in the stack's outputs", () => {
    expect(fromOutput(container)).toEqual(fromModel(model));
    expect(fromOutput(atlas)).toEqual(fromModel(model));
  });
});
