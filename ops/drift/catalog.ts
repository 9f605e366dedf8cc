/**
 * What a live server says about one tenant, read from the catalog alone by
 * the server admin (ops/admin-session.ts: every session pinned to
 * `search_path = pg_catalog, pg_temp` before anything runs, every function
 * and operator spelled as pg_catalog's). Nothing here selects from a table,
 * view or function a tenant could have made, so nothing a tenant planted
 * runs in the admin's session: roles, memberships and the database's
 * settings from the maintenance database; schemas, privileges, default
 * privileges and every object that is not the owner's from the tenant's.
 */
import type { Client } from 'pg';
import { HISTORY_SCHEMA, STORE_SCHEMA, WORKSPACE_SCHEMA } from '../../model/defaults';
import { ROLE_SEPARATOR } from '../../model/naming';

const EQ = 'OPERATOR(pg_catalog.=)';
const NE = 'OPERATOR(pg_catalog.<>)';

/** A role of the tenant as the server has it. */
export interface LiveRole {
  readonly name: string;
  readonly login: boolean;
  readonly superuser: boolean;
  readonly createDatabase: boolean;
  readonly createRole: boolean;
  readonly replication: boolean;
  readonly bypassRowSecurity: boolean;
  readonly connectionLimit: number;
  /** The role's own settings (ALTER ROLE … SET), as `name=value`. */
  readonly settings: readonly string[];
}

/** A membership in which a tenant role is the group or the member. */
export interface LiveMembership {
  readonly group: string;
  readonly member: string;
  readonly adminOption: boolean;
}

/** One privilege of one grantee ('public' for PUBLIC) on an object. */
export interface LivePrivilege {
  readonly grantee: string;
  readonly privilege: string;
}

/** A relation, routine, operator or trigger in the tenant's database, with its owner. */
export interface LiveObject {
  readonly kind: 'relation' | 'function' | 'operator' | 'trigger' | 'event trigger' | 'extension' | 'schema';
  /** `schema.name`, or `schema.table.trigger`. */
  readonly name: string;
  readonly owner: string;
  /** For a relation, its relkind; for a trigger, whether its table is in the workspace. */
  readonly detail?: string;
}

/** A default-privileges entry (ALTER DEFAULT PRIVILEGES). */
export interface LiveDefaultPrivileges {
  /** The role whose new objects it covers. */
  readonly owner: string;
  /** Its schema, or undefined for the whole database. */
  readonly schema?: string;
  /** `r` tables, `S` sequences, `f` functions, `T` types, `n` schemas. */
  readonly objectType: string;
  readonly privileges: readonly LivePrivilege[];
}

/** Everything the drift check compares for one tenant. */
export interface TenantCatalog {
  /** The role the admin's sessions log in as. */
  readonly admin: string;
  readonly roles: readonly LiveRole[];
  readonly memberships: readonly LiveMembership[];
  /** The tenant's database, or undefined when there is none. */
  readonly database?: {
    readonly owner: string;
    readonly connectionLimit: number;
    readonly collation: string;
    readonly encoding: string;
    readonly privileges: readonly LivePrivilege[];
    /** The admin's own settings in the database (`name=value`). */
    readonly adminSettings: readonly string[];
  };
  /** Schemas besides the catalog's, with their owners and privileges. */
  readonly schemas: readonly { readonly name: string; readonly owner: string; readonly privileges: readonly LivePrivilege[] }[];
  /** Tables, views and sequences of the store's schema, with their privileges. */
  readonly storeRelations: readonly { readonly name: string; readonly kind: string; readonly owner: string; readonly privileges: readonly LivePrivilege[] }[];
  readonly defaultPrivileges: readonly LiveDefaultPrivileges[];
  /** Objects outside the workspace that the owner role did not make, triggers, event triggers and extensions. */
  readonly objects: readonly LiveObject[];
}

/** An ACL exploded into grantee names ('public' for PUBLIC) and privileges. */
const explode = (acl: string) =>
  `SELECT CASE WHEN x.grantee ${EQ} 0::pg_catalog.oid THEN 'public' ELSE pg_catalog.pg_get_userbyid(x.grantee)::pg_catalog.text END AS grantee, x.privilege_type AS privilege
     FROM pg_catalog.aclexplode(${acl}) x`;

/** Rows of `grantee, privilege` JSON, as node-postgres returns them. */
function privileges(value: unknown): LivePrivilege[] {
  return Array.isArray(value) ? (value as { grantee: string; privilege: string }[]).map((p) => ({ grantee: p.grantee, privilege: p.privilege })) : [];
}

/** The server-wide part: roles, memberships, the database and the admin's settings there (maintenance database session). */
async function readServer(admin: Client, key: string, database: string) {
  const prefix = `${key}${ROLE_SEPARATOR}`;
  const whoami = await admin.query<{ admin: string }>('SELECT current_user::pg_catalog.text AS admin');
  const roles = await admin.query(
    `SELECT r.rolname::pg_catalog.text AS name, r.rolcanlogin AS login, r.rolsuper AS superuser, r.rolcreatedb AS create_database, r.rolcreaterole AS create_role,
            r.rolreplication AS replication, r.rolbypassrls AS bypass, r.rolconnlimit AS connection_limit,
            COALESCE((SELECT s.setconfig FROM pg_catalog.pg_db_role_setting s WHERE s.setrole ${EQ} r.oid AND s.setdatabase ${EQ} 0::pg_catalog.oid), ARRAY[]::pg_catalog.text[]) AS settings
       FROM pg_catalog.pg_roles r WHERE pg_catalog.starts_with(r.rolname::pg_catalog.text, $1) ORDER BY 1`,
    [prefix],
  );
  const memberships = await admin.query(
    `SELECT g.rolname::pg_catalog.text AS "group", m.rolname::pg_catalog.text AS member, a.admin_option
       FROM pg_catalog.pg_auth_members a JOIN pg_catalog.pg_roles g ON g.oid ${EQ} a.roleid JOIN pg_catalog.pg_roles m ON m.oid ${EQ} a.member
      WHERE pg_catalog.starts_with(g.rolname::pg_catalog.text, $1) OR pg_catalog.starts_with(m.rolname::pg_catalog.text, $1) ORDER BY 1, 2`,
    [prefix],
  );
  const databases = await admin.query(
    `SELECT pg_catalog.pg_get_userbyid(d.datdba)::pg_catalog.text AS owner, d.datconnlimit AS connection_limit, d.datcollate::pg_catalog.text AS collation,
            pg_catalog.pg_encoding_to_char(d.encoding)::pg_catalog.text AS encoding,
            (SELECT pg_catalog.json_agg(p) FROM (${explode(`COALESCE(d.datacl, pg_catalog.acldefault('d'::pg_catalog."char", d.datdba))`)}) p) AS privileges,
            COALESCE((SELECT s.setconfig FROM pg_catalog.pg_db_role_setting s
                       WHERE s.setdatabase ${EQ} d.oid AND s.setrole ${EQ} (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname ${EQ} current_user)), ARRAY[]::pg_catalog.text[]) AS admin_settings
       FROM pg_catalog.pg_database d WHERE d.datname ${EQ} $1`,
    [database],
  );
  const db = databases.rows[0];
  return {
    admin: whoami.rows[0].admin,
    roles: roles.rows.map(
      (r): LiveRole => ({
        name: r.name,
        login: r.login,
        superuser: r.superuser,
        createDatabase: r.create_database,
        createRole: r.create_role,
        replication: r.replication,
        bypassRowSecurity: r.bypass,
        connectionLimit: Number(r.connection_limit),
        settings: r.settings,
      }),
    ),
    memberships: memberships.rows.map((m): LiveMembership => ({ group: m.group, member: m.member, adminOption: m.admin_option })),
    database: db
      ? { owner: db.owner, connectionLimit: Number(db.connection_limit), collation: db.collation, encoding: db.encoding, privileges: privileges(db.privileges), adminSettings: db.admin_settings }
      : undefined,
  };
}

/** The tenant database's part (a session in the tenant's database). */
async function readDatabase(admin: Client, owner: string): Promise<Pick<TenantCatalog, 'schemas' | 'storeRelations' | 'defaultPrivileges' | 'objects'>> {
  const userSchema = `NOT pg_catalog.starts_with(n.nspname::pg_catalog.text, 'pg_') AND n.nspname ${NE} 'information_schema'`;
  const schemas = await admin.query(
    `SELECT n.nspname::pg_catalog.text AS name, pg_catalog.pg_get_userbyid(n.nspowner)::pg_catalog.text AS owner,
            (SELECT pg_catalog.json_agg(p) FROM (${explode(`COALESCE(n.nspacl, pg_catalog.acldefault('n'::pg_catalog."char", n.nspowner))`)}) p) AS privileges
       FROM pg_catalog.pg_namespace n WHERE ${userSchema} ORDER BY 1`,
  );
  const relations = await admin.query(
    `SELECT c.relname::pg_catalog.text AS name, c.relkind::pg_catalog.text AS kind, pg_catalog.pg_get_userbyid(c.relowner)::pg_catalog.text AS owner,
            (SELECT pg_catalog.json_agg(p) FROM (${explode(
              `COALESCE(c.relacl, pg_catalog.acldefault(CASE WHEN c.relkind ${EQ} 'S'::pg_catalog."char" THEN 's'::pg_catalog."char" ELSE 'r'::pg_catalog."char" END, c.relowner))`,
            )}) p) AS privileges
       FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid ${EQ} c.relnamespace
      WHERE n.nspname ${EQ} $1 AND c.relkind ${EQ} ANY (ARRAY['r', 'p', 'v', 'm', 'f', 'S']::pg_catalog."char"[]) ORDER BY 1`,
    [STORE_SCHEMA],
  );
  const defaults = await admin.query(
    `SELECT pg_catalog.pg_get_userbyid(d.defaclrole)::pg_catalog.text AS owner, n.nspname::pg_catalog.text AS schema, d.defaclobjtype::pg_catalog.text AS object_type,
            (SELECT pg_catalog.json_agg(p) FROM (${explode('d.defaclacl')}) p) AS privileges
       FROM pg_catalog.pg_default_acl d LEFT JOIN pg_catalog.pg_namespace n ON n.oid ${EQ} d.defaclnamespace ORDER BY 1, 2, 3`,
  );
  // Outside the workspace (the admins' own), everything belongs to the owner role.
  const notWorkspace = `n.nspname ${NE} $1`;
  const objects = await admin.query(
    `SELECT kind, name, owner, detail FROM (
       SELECT 'relation' AS kind, n.nspname::pg_catalog.text OPERATOR(pg_catalog.||) '.' OPERATOR(pg_catalog.||) c.relname::pg_catalog.text AS name,
              pg_catalog.pg_get_userbyid(c.relowner)::pg_catalog.text AS owner, c.relkind::pg_catalog.text AS detail
         FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid ${EQ} c.relnamespace
        WHERE ${userSchema} AND ${notWorkspace} AND c.relowner ${NE} (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname ${EQ} $2)
          AND c.relkind ${NE} 'i'::pg_catalog."char" AND c.relkind ${NE} 't'::pg_catalog."char"
       UNION ALL
       SELECT 'function', n.nspname::pg_catalog.text OPERATOR(pg_catalog.||) '.' OPERATOR(pg_catalog.||) p.proname::pg_catalog.text,
              pg_catalog.pg_get_userbyid(p.proowner)::pg_catalog.text, p.prokind::pg_catalog.text
         FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid ${EQ} p.pronamespace
        WHERE ${userSchema} AND ${notWorkspace} AND p.proowner ${NE} (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname ${EQ} $2)
       UNION ALL
       SELECT 'operator', n.nspname::pg_catalog.text OPERATOR(pg_catalog.||) '.' OPERATOR(pg_catalog.||) o.oprname::pg_catalog.text,
              pg_catalog.pg_get_userbyid(o.oprowner)::pg_catalog.text, NULL
         FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_namespace n ON n.oid ${EQ} o.oprnamespace
        WHERE ${userSchema} AND ${notWorkspace} AND o.oprowner ${NE} (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname ${EQ} $2)
       UNION ALL
       SELECT 'trigger', n.nspname::pg_catalog.text OPERATOR(pg_catalog.||) '.' OPERATOR(pg_catalog.||) c.relname::pg_catalog.text OPERATOR(pg_catalog.||) '.' OPERATOR(pg_catalog.||) t.tgname::pg_catalog.text,
              pg_catalog.pg_get_userbyid(f.proowner)::pg_catalog.text,
              CASE WHEN n.nspname ${EQ} $1 THEN 'workspace' ELSE NULL END
         FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid ${EQ} t.tgrelid JOIN pg_catalog.pg_namespace n ON n.oid ${EQ} c.relnamespace
         JOIN pg_catalog.pg_proc f ON f.oid ${EQ} t.tgfoid
        WHERE NOT t.tgisinternal
       UNION ALL
       SELECT 'event trigger', e.evtname::pg_catalog.text, pg_catalog.pg_get_userbyid(e.evtowner)::pg_catalog.text, NULL FROM pg_catalog.pg_event_trigger e
       UNION ALL
       SELECT 'extension', x.extname::pg_catalog.text, pg_catalog.pg_get_userbyid(x.extowner)::pg_catalog.text, NULL FROM pg_catalog.pg_extension x WHERE x.extname ${NE} 'plpgsql'
     ) o ORDER BY 1, 2`,
    [WORKSPACE_SCHEMA, owner],
  );
  return {
    schemas: schemas.rows.map((s) => ({ name: s.name, owner: s.owner, privileges: privileges(s.privileges) })),
    storeRelations: relations.rows.map((r) => ({ name: r.name, kind: r.kind, owner: r.owner, privileges: privileges(r.privileges) })),
    defaultPrivileges: defaults.rows.map((d) => ({ owner: d.owner, ...(d.schema !== null && { schema: d.schema }), objectType: d.object_type, privileges: privileges(d.privileges) })),
    objects: objects.rows.map((o): LiveObject => ({ kind: o.kind, name: o.name, owner: o.owner, ...(o.detail !== null && { detail: o.detail }) })),
  };
}

/** Opens an admin session on a database (pinned to the catalog); the caller ends it. */
export type AdminSessionOpener = (database: string) => Promise<Client>;

/**
 * Reads a tenant's catalog in two admin sessions: the maintenance database's
 * and, when it exists, the tenant database's.
 */
export async function readTenantCatalog(open: AdminSessionOpener, maintenance: string, tenant: { key: string; database: { name: string } }, owner: string): Promise<TenantCatalog> {
  const server = await open(maintenance);
  let serverPart: Awaited<ReturnType<typeof readServer>>;
  try {
    serverPart = await readServer(server, tenant.key, tenant.database.name);
  } finally {
    await server.end().catch(() => undefined);
  }
  if (!serverPart.database) return { ...serverPart, schemas: [], storeRelations: [], defaultPrivileges: [], objects: [] };
  const inDatabase = await open(tenant.database.name);
  try {
    return { ...serverPart, ...(await readDatabase(inDatabase, owner)) };
  } finally {
    await inDatabase.end().catch(() => undefined);
  }
}

/** Schemas the platform makes or PostgreSQL brings. */
export const PLATFORM_SCHEMAS: readonly string[] = [STORE_SCHEMA, HISTORY_SCHEMA, WORKSPACE_SCHEMA];
