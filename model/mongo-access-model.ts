/**
 * What a MongoDB tenant gets inside its server, described once as data: a
 * user per person, one for the app and one for the provisioning runner, each
 * with roles on the tenant's database and on nothing else. Renderings: the
 * Atlas constructs (`mongodbatlas_database_user`), and the runner
 * (ops/mongo-provision.ts: `createUser`/`updateUser`/`dropUser` on a container
 * or a DocumentDB cluster). `mongo-renderings-agree.test.ts` checks that they
 * describe the same users and roles.
 *
 * Users are defined in the `admin` database (DocumentDB and Atlas keep every
 * user there; on a container it keeps them out of reach of the tenant's own
 * admins, whose `dbOwner` covers user management in the tenant's database
 * only) and get roles on the tenant's database alone: never on `admin`,
 * `local`, `config` or another database.
 */
import { PEOPLE_FIELDS, PERSON_KINDS, type PeopleField, type PersonKind, ROLE_SEPARATOR, type RoleNameScheme, tenantRoleNames } from './naming';

/** The database every tenant user is defined in (its authentication database). */
export const MONGO_AUTH_DATABASE = 'admin';

/** MongoDB's built-in roles this model hands out. */
export type MongoBuiltInRole = 'read' | 'readWrite' | 'dbAdmin' | 'dbOwner';

/**
 * The role each kind gets on the tenant's database: admins own it (data,
 * indexes and collections, and its own users), developers read and write,
 * customers read, the app reads and writes.
 */
export const MONGO_KIND_ROLES: Readonly<Record<PersonKind | 'app', MongoBuiltInRole>> = {
  admin: 'dbOwner',
  developer: 'readWrite',
  customer: 'read',
  app: 'readWrite',
};

/**
 * The provisioning runner's roles: collections, validators and indexes
 * (`dbAdmin`) and the store's lookup documents (`readWrite`). No user
 * management: users are the admin session's, which runs nothing of the tenant's.
 */
export const MONGO_MIGRATOR_ROLES: readonly MongoBuiltInRole[] = ['dbAdmin', 'readWrite'];

/** Why a user exists. */
export type MongoUserPurpose = 'person' | 'app' | 'migrator';

/** A role on one database. */
export interface MongoRoleGrant {
  readonly role: MongoBuiltInRole;
  readonly db: string;
}

/** One user of a tenant. */
export interface MongoUserSpec {
  /** `<key>__<username>` (or opaque), `<key>__app`, `<key>__migrator`: the same names as the PostgreSQL roles. */
  readonly name: string;
  readonly purpose: MongoUserPurpose;
  /** Kind of person, for people. */
  readonly kind?: PersonKind;
  /** Registry username, for people. */
  readonly username?: string;
  /** Exactly these roles; any other is taken away. */
  readonly roles: readonly MongoRoleGrant[];
  /**
   * Whether Terraform generates the password (people and the app). The
   * migrator's is set by the runner for one run and replaced afterwards, except
   * on Atlas, where only Terraform manages users.
   */
  readonly generatedPassword: boolean;
}

/** Everything a MongoDB tenant gets inside its server. */
export interface MongoAccessModel {
  readonly tenantKey: string;
  /** The tenant's database, named by the customer. */
  readonly database: string;
  /** Where every user is defined. */
  readonly authDatabase: string;
  readonly users: readonly MongoUserSpec[];
  /** Prefix of every user name of this tenant: users with it that the model lacks are dropped. */
  readonly userPrefix: string;
}

/** What a tenant's model is built from. */
export interface MongoAccessSubject {
  readonly key: string;
  readonly database: { readonly name: string };
  readonly people: Readonly<Record<PeopleField, readonly { readonly username: string }[]>>;
  readonly roleNames?: RoleNameScheme;
}

/** Builds a MongoDB tenant's users and roles. Pure: the same tenant always gives the same model. */
export function mongoAccessModel(tenant: MongoAccessSubject): MongoAccessModel {
  const names = tenantRoleNames(tenant);
  const db = tenant.database.name;
  const on = (role: MongoBuiltInRole): MongoRoleGrant => ({ role, db });
  const users: MongoUserSpec[] = [
    { name: names.app, purpose: 'app', roles: [on(MONGO_KIND_ROLES.app)], generatedPassword: true },
    { name: names.migrator, purpose: 'migrator', roles: MONGO_MIGRATOR_ROLES.map(on), generatedPassword: false },
    ...PERSON_KINDS.flatMap((kind) =>
      tenant.people[PEOPLE_FIELDS[kind]].map(
        (person): MongoUserSpec => ({
          name: names.people.get(person.username) as string,
          purpose: 'person',
          kind,
          username: person.username,
          roles: [on(MONGO_KIND_ROLES[kind])],
          generatedPassword: true,
        }),
      ),
    ),
  ];
  return { tenantKey: tenant.key, database: db, authDatabase: MONGO_AUTH_DATABASE, users, userPrefix: `${tenant.key}${ROLE_SEPARATOR}` };
}

/** Roles in the model on any database but the tenant's: always none (policy and tests check the renderings against it). */
export function rolesOutsideTenant(model: MongoAccessModel): { readonly user: string; readonly role: MongoRoleGrant }[] {
  return model.users.flatMap((user) => user.roles.filter((role) => role.db !== model.database).map((role) => ({ user: user.name, role })));
}
