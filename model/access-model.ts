/**
 * What each tenant gets inside PostgreSQL, described once as data: its
 * database, roles, memberships, grants, default privileges and the PUBLIC
 * revokes. Two renderers read it: {@link TenantAccess} (Terraform resources)
 * and `access-sql.ts` (a psql script a DBA can read and run).
 *
 * @see ../shared/notes/postgresql-provider.md for why it is shaped this way.
 */
import { HISTORY_SCHEMA, STORE_SCHEMA, WORKSPACE_SCHEMA } from './defaults';
import { PEOPLE_FIELDS, PERSON_KINDS, type PeopleField, type PersonKind, type RoleNameScheme, tenantRoleNames } from './naming';
import { MIGRATOR_CONNECTION_LIMIT, PLAN_PROFILES, type Plan } from './plans';

/** Grantee standing for the role Terraform (or whoever runs the SQL) connects as. */
export const SERVER_ADMIN_GRANTEE = '@admin';

/** PostgreSQL's pseudo-role of every role. */
export const PUBLIC_GRANTEE = 'public';

/** Why a role exists. */
export type RolePurpose = 'owner' | 'group' | 'person' | 'app' | 'migrator';

/** One role of a tenant. */
export interface RoleSpec {
  readonly name: string;
  readonly purpose: RolePurpose;
  /** Whether the role can log in: people, the app and the migrator. */
  readonly login: boolean;
  /**
   * Whether Terraform generates the login's password. The migrator has none
   * at rest: the runner sets a one-off password for each run and clears it.
   */
  readonly generatedPassword: boolean;
  /** Kind of person, for group and person roles. */
  readonly kind?: PersonKind;
  /** Registry username, for person roles. */
  readonly username?: string;
  /** Group roles this role is a member of. */
  readonly memberOf: readonly string[];
  /** Sessions this login may hold at once, anywhere on the server; login roles only. */
  readonly connectionLimit?: number;
  /** The role's own search path, pinned so that no schema a tenant role made is searched first. @default - PostgreSQL's */
  readonly searchPath?: readonly string[];
}

/** A schema the platform creates in the tenant's database, owned by the owner role. */
export interface SchemaSpec {
  readonly name: string;
  readonly owner: string;
  /** `history`: the migration runner's; `workspace`: the admins' own tables. */
  readonly purpose: 'history' | 'workspace';
}

/** Objects a grant covers: the database, a schema, or all of a type in a schema. */
export type GrantObjectType = 'database' | 'schema' | 'table' | 'sequence';

/**
 * An authoritative grant: afterwards the grantee holds exactly these
 * privileges on the target (all others revoked). An empty list revokes all.
 */
export interface GrantSpec {
  readonly grantee: string;
  readonly objectType: GrantObjectType;
  /** Schema for schema, table and sequence grants. */
  readonly schema?: string;
  readonly privileges: readonly string[];
}

/** Privileges objects get when the owner creates them later. */
export interface DefaultPrivilegeSpec {
  readonly grantee: string;
  readonly owner: string;
  readonly objectType: 'table' | 'sequence' | 'function';
  /** Limit to one schema; database-wide when absent (needed to revoke PUBLIC's EXECUTE). */
  readonly schema?: string;
  readonly privileges: readonly string[];
}

/** The tenant's database. */
export interface DatabaseSpec {
  readonly name: string;
  readonly owner: string;
  readonly template: 'template0';
  readonly encoding: 'UTF8';
  readonly collation: string;
  readonly connectionLimit: number;
  /** The database already exists (the original system made it): Terraform imports it instead of creating it. */
  readonly existing: boolean;
}

/** Everything a tenant gets inside PostgreSQL. */
export interface AccessModel {
  readonly tenantKey: string;
  readonly database: DatabaseSpec;
  readonly roles: readonly RoleSpec[];
  /** Schemas besides `public`, created with the database. */
  readonly schemas: readonly SchemaSpec[];
  /** Role the admin is made a persistent member of (the owner), so it can create, manage and revoke as the owner. */
  readonly adminMemberOf: string;
  /** In the order they must be applied: grants before the PUBLIC revoke they make safe. */
  readonly grants: readonly GrantSpec[];
  readonly defaultPrivileges: readonly DefaultPrivilegeSpec[];
  /**
   * Set when the database was created by the original system and is adopted:
   * Terraform imports it, and its objects and the original's roles are brought
   * into line (see adoption-sql.ts).
   */
  readonly adoption?: { readonly legacyRoles: readonly string[] };
}

/** What a tenant's model is built from: any validated tenant has it. */
export interface AccessSubject {
  readonly key: string;
  readonly plan: Plan;
  readonly database: { readonly name: string; readonly collation: string };
  readonly people: Readonly<Record<PeopleField, readonly { readonly username: string }[]>>;
  readonly roleNames?: RoleNameScheme;
  readonly adopt?: { readonly legacyRoles: readonly string[] };
}

/**
 * Privileges per grantee and object type: the original system's, less what
 * would let a tenant role plant code that a platform session runs.
 * Admins lose database CREATE (own schemas, trusted extensions), TRIGGER
 * (code run by whoever writes the table next, migrations included) and
 * REFERENCES (foreign keys whose cascades fire their own triggers, and which
 * block the store's migrations); they create their own tables in the
 * workspace schema instead ({@link WORKSPACE_PRIVILEGES}).
 */
export const KIND_PRIVILEGES: Readonly<Record<PersonKind | 'app', Readonly<Record<GrantObjectType, readonly string[]>>>> = {
  admin: {
    database: ['CONNECT', 'TEMPORARY'],
    schema: ['USAGE'],
    table: ['DELETE', 'INSERT', 'SELECT', 'TRUNCATE', 'UPDATE'],
    sequence: ['SELECT', 'UPDATE', 'USAGE'],
  },
  developer: {
    database: ['CONNECT', 'TEMPORARY'],
    schema: ['USAGE'],
    table: ['INSERT', 'SELECT', 'UPDATE'],
    sequence: ['SELECT', 'USAGE'],
  },
  customer: {
    database: ['CONNECT'],
    schema: ['USAGE'],
    table: ['SELECT'],
    sequence: [],
  },
  // The store app reads and writes rows and draws ids; no DDL, TRUNCATE or TRIGGER.
  app: {
    database: ['CONNECT'],
    schema: ['USAGE'],
    table: ['DELETE', 'INSERT', 'SELECT', 'UPDATE'],
    sequence: ['SELECT', 'USAGE'],
  },
};

/** What admins may do in the workspace schema: use it and create their own tables, views and functions there. */
export const WORKSPACE_PRIVILEGES: readonly string[] = ['CREATE', 'USAGE'];

/** The app's search path: the store's schema only. */
export const APP_SEARCH_PATH: readonly string[] = [STORE_SCHEMA];

/** Builds a tenant's access model. Pure: the same tenant always gives the same model. */
export function accessModel(tenant: AccessSubject): AccessModel {
  const names = tenantRoleNames(tenant);
  const owner = names.owner;
  const plan = PLAN_PROFILES[tenant.plan];
  const roles: RoleSpec[] = [
    { name: owner, purpose: 'owner', login: false, generatedPassword: false, memberOf: [] },
    ...PERSON_KINDS.map((kind): RoleSpec => ({ name: names.groups[kind], purpose: 'group', login: false, generatedPassword: false, kind, memberOf: [] })),
    {
      name: names.app,
      purpose: 'app',
      login: true,
      generatedPassword: true,
      memberOf: [],
      connectionLimit: plan.appConnectionLimit,
      searchPath: APP_SEARCH_PATH,
    },
    // The only login that can become the owner: what the migration runner runs as (never the server admin).
    {
      name: names.migrator,
      purpose: 'migrator',
      login: true,
      generatedPassword: false,
      memberOf: [owner],
      connectionLimit: MIGRATOR_CONNECTION_LIMIT,
      searchPath: [STORE_SCHEMA],
    },
    ...PERSON_KINDS.flatMap((kind) =>
      tenant.people[PEOPLE_FIELDS[kind]].map(
        (person): RoleSpec => ({
          name: names.people.get(person.username) as string,
          purpose: 'person',
          login: true,
          generatedPassword: true,
          kind,
          username: person.username,
          memberOf: [names.groups[kind]],
          connectionLimit: plan.personConnectionLimit,
        }),
      ),
    ),
  ];

  const grantees: { name: string; privileges: Readonly<Record<GrantObjectType, readonly string[]>> }[] = [
    ...PERSON_KINDS.map((kind) => ({ name: names.groups[kind], privileges: KIND_PRIVILEGES[kind] })),
    { name: names.app, privileges: KIND_PRIVILEGES.app },
  ];
  const grantsOn = (objectType: GrantObjectType): GrantSpec[] =>
    grantees.map(({ name, privileges }) => ({
      grantee: name,
      objectType,
      ...(objectType !== 'database' && { schema: STORE_SCHEMA }),
      privileges: privileges[objectType],
    }));

  const grants: GrantSpec[] = [
    // The admin keeps CONNECT explicitly before PUBLIC loses it, or it locks itself out; PUBLIC loses it
    // next, so that the new database is open to every login for as short a time as can be.
    { grantee: SERVER_ADMIN_GRANTEE, objectType: 'database', privileges: ['CONNECT'] },
    { grantee: PUBLIC_GRANTEE, objectType: 'database', privileges: [] },
    ...grantsOn('database'),
    ...grantsOn('schema'),
    // From PostgreSQL 15 PUBLIC only has USAGE here; older servers also let it CREATE.
    { grantee: PUBLIC_GRANTEE, objectType: 'schema', schema: STORE_SCHEMA, privileges: [] },
    { grantee: names.groups.admin, objectType: 'schema', schema: WORKSPACE_SCHEMA, privileges: WORKSPACE_PRIVILEGES },
    ...grantsOn('table'),
    ...grantsOn('sequence'),
  ];

  const defaultPrivileges: DefaultPrivilegeSpec[] = [
    ...grantees.flatMap(({ name, privileges }) =>
      (['table', 'sequence'] as const).map(
        (objectType): DefaultPrivilegeSpec => ({
          grantee: name,
          owner,
          objectType,
          schema: STORE_SCHEMA,
          privileges: privileges[objectType],
        }),
      ),
    ),
    // PUBLIC may EXECUTE every new function; only the database-wide form can take that away.
    { grantee: PUBLIC_GRANTEE, owner, objectType: 'function', privileges: [] },
  ];

  return {
    tenantKey: tenant.key,
    database: {
      name: tenant.database.name,
      owner,
      template: 'template0',
      encoding: 'UTF8',
      collation: tenant.database.collation,
      connectionLimit: PLAN_PROFILES[tenant.plan].connectionLimit,
      existing: tenant.adopt !== undefined,
    },
    roles,
    schemas: [
      { name: HISTORY_SCHEMA, owner, purpose: 'history' },
      { name: WORKSPACE_SCHEMA, owner, purpose: 'workspace' },
    ],
    adminMemberOf: owner,
    grants,
    defaultPrivileges,
    ...(tenant.adopt && { adoption: { legacyRoles: tenant.adopt.legacyRoles } }),
  };
}
