/**
 * The access model has two renderings: Terraform resources and a psql
 * script. No postgresql provider can run here, so this test reads what the
 * Terraform rendering would leave behind (PostgreSQL's defaults, overwritten
 * by each authoritative grant) and compares it with what the SQL rendering
 * left in a real catalog: same roles, memberships and privileges per object
 * type, PUBLIC included.
 */
import { loadRegistry } from '../tenants/registry';
import { DEFAULT_TENANTS_DIR } from '../tenants/registry/load';
import type { PostgresTenant as Tenant } from '../tenants/registry/types';
import { type SynthesizedStack, postgresTenants, resourcesOf, synthJson, tenantStack } from './helpers';
import { type Cluster, startCluster } from '../testbed/pg-cluster';
import { adminOf, pgCases } from './support/pg-matrix';
import { applyAccessSql, migrate } from './support/tenant-db';

const ADMIN = '@admin';
const tenants = postgresTenants(loadRegistry(DEFAULT_TENANTS_DIR).tenants);

/** Roles, memberships, schemas and effective privileges, rendering-independent. */
interface Effective {
  roles: string[];
  memberships: string[];
  schemas: string[];
  privileges: string[];
}

/** PostgreSQL's defaults for a new database, as `grantee|object|privileges` (15, 16 and 17 agree). */
const POSTGRES_DEFAULTS: Record<string, string[]> = {
  'public|database': ['CONNECT', 'TEMPORARY'],
  'public|schema:public': ['USAGE'],
  'public|default function': ['EXECUTE'],
};

/** `name:login:limit 3:path public`: what a role is, beyond its privileges. */
function roleText(name: string, login: boolean, limit: number, searchPath: readonly string[]): string {
  return `${name}:${login ? 'login' : 'nologin'}:limit ${limit}:path ${searchPath.join(',') || '-'}`;
}

function effectiveFromTerraform(json: SynthesizedStack): Effective {
  const roleById = new Map(Object.entries(json.resource.postgresql_role).map(([id, r]) => [id, String(r.name)]));
  const name = (value: unknown): string => {
    const text = String(value);
    if (text === '${var.postgres_admin_role}') return ADMIN;
    const ref = /^\$\{postgresql_role\.([^.]+)\.name\}$/.exec(text);
    return ref ? (roleById.get(ref[1]) as string) : text;
  };
  const roles = resourcesOf(json, 'postgresql_role');
  const schemas = resourcesOf(json, 'postgresql_schema').map((schema) => `${schema.name}:${name(schema.owner)}`);
  const memberships = [
    ...roles.flatMap((r) => ((r.roles as string[] | undefined) ?? []).map((group) => `${r.name}->${name(group)}`)),
    ...resourcesOf(json, 'postgresql_grant_role').map((g) => `${name(g.role)}->${name(g.grant_role)}`),
  ];
  const state: Record<string, string[]> = { ...POSTGRES_DEFAULTS };
  for (const g of resourcesOf(json, 'postgresql_grant')) state[`${name(g.role)}|${g.object_type}${g.object_type === 'schema' ? `:${g.schema}` : ''}`] = g.privileges as string[];
  for (const d of resourcesOf(json, 'postgresql_default_privileges')) state[`${name(d.role)}|default ${d.object_type}`] = d.privileges as string[];
  return {
    roles: roles.map((r) => roleText(String(r.name), r.login === true, (r.connection_limit as number | undefined) ?? -1, (r.search_path as string[] | undefined) ?? [])).sort(),
    memberships: memberships.sort(),
    schemas: schemas.sort(),
    privileges: Object.entries(state)
      .filter(([, privileges]) => privileges.length)
      .map(([target, privileges]) => `${target}|${[...privileges].sort().join(',')}`)
      .sort(),
  };
}

async function effectiveFromCatalog(cluster: Cluster, admin: string, t: Tenant): Promise<Effective> {
  const owner = `${t.key}__owner`;
  const server = await cluster.connect('postgres');
  const db = await cluster.connect(t.database.name);
  const asName = (role: string) => (role === admin ? ADMIN : role === '-' ? 'public' : role);
  try {
    const roles = await server.query(
      `SELECT r.rolname, r.rolcanlogin, r.rolconnlimit,
              (SELECT string_agg(regexp_replace(c, '^search_path=', ''), ',') FROM pg_db_role_setting s, unnest(s.setconfig) c
                WHERE s.setrole = r.oid AND s.setdatabase = 0 AND c LIKE 'search_path=%') AS search_path
         FROM pg_roles r WHERE r.rolname LIKE $1`,
      [`${t.key}__%`],
    );
    const schemas = await db.query(`SELECT nspname, pg_get_userbyid(nspowner) AS owner FROM pg_namespace WHERE nspname IN ('usual_store_meta', 'workspace')`);
    // From PostgreSQL 16 a CREATEROLE admin that is no superuser is given ADMIN OPTION on every role it creates, with
    // neither INHERIT nor SET: a right to manage the role, not a membership that grants anything. Both renderings run
    // as the admin, so both get it; the comparison is of the memberships that carry privileges.
    const usable = cluster.major >= 16 ? 'AND (am.inherit_option OR am.set_option)' : '';
    const members = await server.query(
      `SELECT DISTINCT m.rolname AS member, r.rolname AS role FROM pg_auth_members am JOIN pg_roles r ON r.oid = am.roleid JOIN pg_roles m ON m.oid = am.member
        WHERE r.rolname LIKE $1 ${usable}`,
      [`${t.key}__%`],
    );
    // Every ACL entry as (grantee, object, privilege), PUBLIC as '-', defaults filled in where the ACL is still NULL.
    const acl = await db.query(
      `WITH entries AS (
         SELECT 'database' AS object, a.* FROM pg_database d, aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) a WHERE d.datname = current_database()
         UNION ALL SELECT 'schema:' || n.nspname, a.* FROM pg_namespace n, aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a WHERE n.nspname IN ('public', 'workspace', 'usual_store_meta')
         UNION ALL SELECT 'table:' || c.relname, a.* FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) a WHERE n.nspname = 'public' AND c.relkind = 'r'
         UNION ALL SELECT 'sequence:' || c.relname, a.* FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, aclexplode(coalesce(c.relacl, acldefault('s', c.relowner))) a WHERE n.nspname = 'public' AND c.relkind = 'S'
         UNION ALL SELECT 'default ' || CASE d.defaclobjtype WHEN 'r' THEN 'table' WHEN 'S' THEN 'sequence' WHEN 'f' THEN 'function' END, a.* FROM pg_default_acl d, aclexplode(d.defaclacl) a
       )
       SELECT object, CASE WHEN grantee = 0 THEN '-' ELSE pg_get_userbyid(grantee) END AS grantee, privilege_type FROM entries`,
    );
    const byTarget = new Map<string, Set<string>>();
    const objectsOfKind = new Map<string, Set<string>>();
    const perObject = new Map<string, Set<string>>();
    for (const row of acl.rows as { object: string; grantee: string; privilege_type: string }[]) {
      const [kind, objectName = ''] = row.object.startsWith('schema:') ? [row.object, ''] : row.object.split(':');
      objectsOfKind.set(kind, new Set([...(objectsOfKind.get(kind) ?? []), objectName]));
      // The owner (and pg_database_owner, which stands for it) holds everything implicitly; the model does not grant to it.
      if (row.grantee === owner || row.grantee === 'pg_database_owner') continue;
      const target = `${asName(row.grantee)}|${kind}`;
      byTarget.set(target, new Set([...(byTarget.get(target) ?? []), row.privilege_type]));
      perObject.set(`${target}|${objectName}`, new Set([...(perObject.get(`${target}|${objectName}`) ?? []), row.privilege_type]));
    }
    // "All tables" must mean every table: a grantee whose privileges differ between two objects of a kind is reported as such.
    for (const [target, union] of byTarget) {
      const kind = target.split('|')[1];
      for (const objectName of objectsOfKind.get(kind) ?? []) {
        const own = perObject.get(`${target}|${objectName}`) ?? new Set<string>();
        if (own.size !== union.size) byTarget.set(target, new Set([...union, `DIFFERS ON ${objectName}`]));
      }
    }
    // The global default ACL for functions starts with PUBLIC EXECUTE; an entry here replaces it.
    if (![...acl.rows].some((r) => r.object === 'default function')) byTarget.set('public|default function', new Set(['EXECUTE']));
    return {
      roles: roles.rows.map((r) => roleText(r.rolname, r.rolcanlogin, r.rolconnlimit, r.search_path ? String(r.search_path).split(/,\s*/).map((p) => p.replace(/"/g, '')) : [])).sort(),
      memberships: members.rows.map((m) => `${asName(m.member)}->${m.role}`).sort(),
      schemas: schemas.rows.map((s) => `${s.nspname}:${s.owner}`).sort(),
      privileges: [...byTarget].map(([target, privileges]) => `${target}|${[...privileges].sort().join(',')}`).sort(),
    };
  } finally {
    await server.end();
    await db.end();
  }
}

describe.each(pgCases())('on $label', ({ server, admin: adminKind }) => {
  let cluster: Cluster;
  let admin: string;
  beforeAll(async () => {
    cluster = await startCluster({ server });
    admin = adminOf(cluster, adminKind);
    for (const t of tenants) {
      applyAccessSql(cluster, t, admin);
      await migrate(cluster, t, undefined, { admin });
    }
  });
  afterAll(() => cluster?.stop());

  describe.each(tenants.map((t) => [t.key, t] as const))('tenant %s', (_key, t) => {
    it('gets the same roles, memberships and privileges from the SQL as from the Terraform resources', async () => {
      const fromTerraform = effectiveFromTerraform(synthJson(tenantStack(t)));
      const fromCatalog = await effectiveFromCatalog(cluster, admin, t);
      expect(fromCatalog).toEqual(fromTerraform);
      // Not vacuous: the comparison covers every kind of grant.
      expect(fromTerraform.privileges.map((p) => p.split('|')[1])).toEqual(
        expect.arrayContaining(['database', 'schema:public', 'schema:workspace', 'table', 'sequence', 'default table', 'default sequence']),
      );
      expect(fromTerraform.schemas).toEqual([`usual_store_meta:${t.key}__owner`, `workspace:${t.key}__owner`]);
      expect(fromTerraform.roles).toEqual(expect.arrayContaining([`${t.key}__migrator:login:limit 2:path public`]));
    });
  });
});
