/** What `tenants drift` finds, one line each, with what to do about it. */

const list = (items: readonly string[]) => (items.length ? items.join(', ') : 'nothing');

export const driftMessages = {
  roleMissing: (role: string) => `role ${role} is missing; deploy the tenant (or npx tenants sql <key> | psql)`,
  roleUnknown: (role: string, login: boolean) =>
    login ? `login ${role} is not in the registry; retire it: npx tenants retire-logins <key>` : `role ${role} is not in the registry; drop it if nobody needs it`,
  roleAttribute: (role: string, attribute: string, expected: unknown, actual: unknown) => `role ${role}: ${attribute} is ${String(actual)}, the registry says ${String(expected)}`,
  roleSetting: (role: string, expected: string, actual: readonly string[]) => `role ${role}: settings are ${list(actual)}, the registry says ${expected}`,
  membershipMissing: (member: string, group: string) => `${member} is not a member of ${group}`,
  membershipUnknown: (member: string, group: string) => `${member} is a member of ${group}, which the registry does not say`,
  membershipAdminOption: (member: string, group: string) => `${member} may administer ${group} (ADMIN OPTION), which the registry does not give`,
  databaseMissing: (database: string) => `database ${database} does not exist; deploy the tenant first`,
  databaseAttribute: (database: string, attribute: string, expected: unknown, actual: unknown) => `database ${database}: ${attribute} is ${String(actual)}, the registry says ${String(expected)}`,
  privileges: (on: string, grantee: string, extra: readonly string[], missing: readonly string[]) =>
    `${on}: ${grantee}${extra.length ? ` has ${extra.join(', ')}` : ''}${extra.length && missing.length ? ' and' : ''}${missing.length ? ` lacks ${missing.join(', ')}` : ''}`,
  defaultsMissing: (what: string) => `default privileges missing: ${what}`,
  defaultsUnknown: (owner: string, where: string) => `default privileges of ${owner} ${where}, which the registry does not set`,
  adminSettings: (database: string, actual: readonly string[]) =>
    `the server admin's settings in ${database} are ${list(actual)}, not pinned to the catalog: run npx tenants prepare <key>`,
  schemaUnknown: (schema: string, owner: string) => `schema ${schema} (of ${owner}) is not one the platform makes`,
  schemaMissing: (schema: string) => `schema ${schema} is missing`,
  schemaOwner: (schema: string, owner: string, expected: string) => `schema ${schema} belongs to ${owner}, not ${expected}`,
  objectNotOwners: (kind: string, name: string, owner: string) => `${kind} ${name} belongs to ${owner}, not the tenant's owner role: nobody but migrations should make objects there`,
  trigger: (name: string, owner: string) => `trigger ${name} runs a function of ${owner}, not of the tenant's owner role`,
  eventTrigger: (name: string, owner: string) => `event trigger ${name} (of ${owner}) runs on every DDL statement in the database`,
  extension: (name: string, owner: string) => `extension ${name} (installed by ${owner}) is not one the platform uses`,
  versionBehind: (version: number, latest: number, pending: readonly number[]) => `schema version ${version}, latest ${latest}: ${pending.length} pending (${pending.join(', ')}); npx tenants migrate <key>`,
  versionEdited: (versions: readonly number[]) => `applied migrations edited since: ${versions.join(', ')}`,
  versionUnknown: (versions: readonly number[]) => `applied migrations this checkout lacks: ${versions.join(', ')}`,
} as const;
