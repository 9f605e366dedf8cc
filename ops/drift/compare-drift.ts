/**
 * Drift: what a live tenant has that its registry entry does not say, and
 * the other way round. The registry's side is the access model (roles,
 * memberships, grants, default privileges, connection limits) and the
 * migrations; the live side is the catalog (catalog.ts). Pure.
 */
import { type AccessModel, type GrantObjectType, PUBLIC_GRANTEE, SERVER_ADMIN_GRANTEE } from '../../model/access-model';
import { HISTORY_SCHEMA, STORE_SCHEMA, WORKSPACE_SCHEMA } from '../../model/defaults';
import { PINNED_ADMIN_SETTINGS } from '../admin-session';
import type { MigrationStatus } from '../migrate';
import type { LivePrivilege, TenantCatalog } from './catalog';
import { PLATFORM_SCHEMAS } from './catalog';
import { driftMessages } from './messages';

/** Where a finding is. */
export type DriftArea = 'roles' | 'memberships' | 'database' | 'privileges' | 'default privileges' | 'schemas' | 'objects' | 'schema version' | 'settings';

/** One difference between the registry and the server. */
export interface DriftFinding {
  readonly area: DriftArea;
  readonly message: string;
}

type Privileges = Map<string, Set<string>>;

/** Privileges by grantee, leaving out the object's owner (whose privileges are implicit). */
function byGrantee(privileges: readonly LivePrivilege[], owner: string): Privileges {
  const map: Privileges = new Map();
  for (const { grantee, privilege } of privileges) {
    if (grantee === owner) continue;
    map.set(grantee, (map.get(grantee) ?? new Set()).add(privilege));
  }
  return map;
}

/** The model's grants on one kind of object, by grantee name. */
function expectedGrants(model: AccessModel, admin: string, objectType: GrantObjectType, schema?: string): Privileges {
  const map: Privileges = new Map();
  for (const grant of model.grants) {
    if (grant.objectType !== objectType || grant.schema !== schema) continue;
    const grantee = grant.grantee === SERVER_ADMIN_GRANTEE ? admin : grant.grantee;
    map.set(grantee, new Set(grant.privileges));
  }
  return map;
}

/** Findings for one object's privileges against what they should be. */
function comparePrivileges(on: string, expected: Privileges, actual: Privileges, findings: DriftFinding[], area: DriftArea = 'privileges'): void {
  for (const grantee of [...new Set([...expected.keys(), ...actual.keys()])].sort()) {
    const [want, have] = [expected.get(grantee) ?? new Set<string>(), actual.get(grantee) ?? new Set<string>()];
    const extra = [...have].filter((p) => !want.has(p)).sort();
    const missing = [...want].filter((p) => !have.has(p)).sort();
    if (extra.length || missing.length) findings.push({ area, message: driftMessages.privileges(on, grantee === PUBLIC_GRANTEE ? 'PUBLIC' : grantee, extra, missing) });
  }
}

const DEFAULT_OBJECT_TYPES: Readonly<Record<string, string>> = { table: 'r', sequence: 'S', function: 'f' };

/**
 * Every difference between the access model (and, when read, the migration
 * status) and the catalog. `latest` is the newest migration version.
 */
export function compareDrift(model: AccessModel, catalog: TenantCatalog, status?: { readonly status: MigrationStatus; readonly latest: number }): DriftFinding[] {
  const findings: DriftFinding[] = [];
  const owner = model.database.owner;
  const admin = catalog.admin;

  // Roles and their attributes.
  const live = new Map(catalog.roles.map((r) => [r.name, r]));
  const expectedNames = new Set(model.roles.map((r) => r.name));
  for (const spec of model.roles) {
    const role = live.get(spec.name);
    if (!role) {
      findings.push({ area: 'roles', message: driftMessages.roleMissing(spec.name) });
      continue;
    }
    const checks: [string, unknown, unknown][] = [
      ['login', spec.login, role.login],
      ['connection limit', spec.connectionLimit ?? -1, role.connectionLimit],
      ['superuser', false, role.superuser],
      ['createdb', false, role.createDatabase],
      ['createrole', false, role.createRole],
      ['replication', false, role.replication],
      ['bypassrls', false, role.bypassRowSecurity],
    ];
    for (const [attribute, want, have] of checks) if (want !== have) findings.push({ area: 'roles', message: driftMessages.roleAttribute(spec.name, attribute, want, have) });
    const wantedPath = spec.searchPath && `search_path=${spec.searchPath.join(', ')}`;
    const paths = role.settings.filter((s) => s.startsWith('search_path='));
    if (wantedPath ? paths.length !== 1 || paths[0] !== wantedPath : paths.length > 0) findings.push({ area: 'roles', message: driftMessages.roleSetting(spec.name, wantedPath ?? 'none', paths) });
  }
  for (const role of catalog.roles) if (!expectedNames.has(role.name)) findings.push({ area: 'roles', message: driftMessages.roleUnknown(role.name, role.login) });

  // Memberships: the model's, and the admin's in the owner role; the admin's other memberships (PostgreSQL 16 gives a
  // CREATEROLE admin ADMIN OPTION on every role it creates) are the server's business.
  const expected = new Set([...model.roles.flatMap((r) => r.memberOf.map((group) => `${group}\0${r.name}`)), `${model.adminMemberOf}\0${admin}`]);
  const seen = new Set<string>();
  for (const m of catalog.memberships) {
    const key = `${m.group}\0${m.member}`;
    seen.add(key);
    if (m.member === admin) continue;
    if (!expected.has(key)) findings.push({ area: 'memberships', message: driftMessages.membershipUnknown(m.member, m.group) });
    else if (m.adminOption) findings.push({ area: 'memberships', message: driftMessages.membershipAdminOption(m.member, m.group) });
  }
  for (const key of expected) {
    if (!seen.has(key)) {
      const [group, member] = key.split('\0');
      findings.push({ area: 'memberships', message: driftMessages.membershipMissing(member, group) });
    }
  }

  // The database.
  const database = catalog.database;
  const name = model.database.name;
  if (!database) {
    findings.push({ area: 'database', message: driftMessages.databaseMissing(name) });
    return findings;
  }
  const attributes: [string, unknown, unknown][] = [
    ['owner', owner, database.owner],
    ['connection limit', model.database.connectionLimit, database.connectionLimit],
    ['collation', model.database.collation, database.collation],
    ['encoding', model.database.encoding, database.encoding],
  ];
  for (const [attribute, want, have] of attributes) if (want !== have) findings.push({ area: 'database', message: driftMessages.databaseAttribute(name, attribute, want, have) });
  comparePrivileges(`database ${name}`, expectedGrants(model, admin, 'database'), byGrantee(database.privileges, database.owner), findings);
  if (!PINNED_ADMIN_SETTINGS.every((s) => database.adminSettings.includes(s))) findings.push({ area: 'settings', message: driftMessages.adminSettings(name, database.adminSettings) });

  // Schemas: only the platform's; its own two belong to the owner; their privileges as the model says.
  const schemas = new Map(catalog.schemas.map((s) => [s.name, s]));
  for (const schema of catalog.schemas) if (!PLATFORM_SCHEMAS.includes(schema.name)) findings.push({ area: 'schemas', message: driftMessages.schemaUnknown(schema.name, schema.owner) });
  for (const spec of model.schemas) {
    const schema = schemas.get(spec.name);
    if (!schema) findings.push({ area: 'schemas', message: driftMessages.schemaMissing(spec.name) });
    else if (schema.owner !== spec.owner) findings.push({ area: 'schemas', message: driftMessages.schemaOwner(spec.name, schema.owner, spec.owner) });
  }
  for (const schemaName of [STORE_SCHEMA, WORKSPACE_SCHEMA, HISTORY_SCHEMA]) {
    const schema = schemas.get(schemaName);
    if (schema) comparePrivileges(`schema ${schemaName}`, expectedGrants(model, admin, 'schema', schemaName), byGrantee(schema.privileges, schema.owner), findings);
  }

  // The store's tables and sequences.
  for (const relation of catalog.storeRelations) {
    const objectType: GrantObjectType = relation.kind === 'S' ? 'sequence' : 'table';
    comparePrivileges(`${objectType} ${STORE_SCHEMA}.${relation.name}`, expectedGrants(model, admin, objectType, STORE_SCHEMA), byGrantee(relation.privileges, relation.owner), findings);
  }

  // Default privileges of the owner's future objects; nobody else's outside the workspace.
  for (const objectType of Object.keys(DEFAULT_OBJECT_TYPES)) {
    for (const schema of [...new Set(model.defaultPrivileges.filter((d) => d.objectType === objectType).map((d) => d.schema))]) {
      const specs = model.defaultPrivileges.filter((d) => d.objectType === objectType && d.schema === schema && d.owner === owner);
      const entry = catalog.defaultPrivileges.find((d) => d.owner === owner && d.schema === schema && d.objectType === DEFAULT_OBJECT_TYPES[objectType]);
      const where = `${objectType}s ${schema ? `in schema ${schema}` : 'in the whole database'} created by ${owner}`;
      const want: Privileges = new Map(specs.filter((s) => s.privileges.length).map((s) => [s.grantee, new Set(s.privileges)]));
      // Without an entry, PostgreSQL's defaults apply: for functions in the whole database, PUBLIC may EXECUTE them.
      const have = entry ? byGrantee(entry.privileges, owner) : schema ? new Map() : new Map([[PUBLIC_GRANTEE, new Set(['EXECUTE'])]]);
      if (!entry && want.size) findings.push({ area: 'default privileges', message: driftMessages.defaultsMissing(where) });
      else comparePrivileges(`default privileges on ${where}`, want, have, findings, 'default privileges');
    }
  }
  for (const entry of catalog.defaultPrivileges) {
    if (entry.owner !== owner && entry.schema !== WORKSPACE_SCHEMA) {
      findings.push({ area: 'default privileges', message: driftMessages.defaultsUnknown(entry.owner, entry.schema ? `in schema ${entry.schema}` : 'in the whole database') });
    }
  }

  // Objects nobody should have made.
  for (const object of catalog.objects) {
    if (object.kind === 'trigger') {
      if (object.owner !== owner && object.detail !== 'workspace') findings.push({ area: 'objects', message: driftMessages.trigger(object.name, object.owner) });
    } else if (object.kind === 'event trigger') findings.push({ area: 'objects', message: driftMessages.eventTrigger(object.name, object.owner) });
    else if (object.kind === 'extension') findings.push({ area: 'objects', message: driftMessages.extension(object.name, object.owner) });
    else findings.push({ area: 'objects', message: driftMessages.objectNotOwners(object.kind, object.name, object.owner) });
  }

  // The schema version.
  if (status) {
    const { version, pending, edited, unknown } = status.status;
    if (pending.length) findings.push({ area: 'schema version', message: driftMessages.versionBehind(version, status.latest, pending) });
    if (edited.length) findings.push({ area: 'schema version', message: driftMessages.versionEdited(edited) });
    if (unknown.length) findings.push({ area: 'schema version', message: driftMessages.versionUnknown(unknown) });
  }
  return findings;
}
