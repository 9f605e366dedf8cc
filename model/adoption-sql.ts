/**
 * What adopting a database created by the original system takes, beyond the
 * access model: objects owned by the old superuser (or anyone else) move to
 * the tenant owner role, and PUBLIC and the original's bare-username roles
 * lose every privilege they had in it, including default privileges for
 * future tables. Nothing is dropped and no row is touched.
 *
 * Plain SQL (no psql meta-commands), idempotent, run inside the tenant
 * database by the server admin (only it may take objects from the old
 * superuser): printed by `tenants sql` and run by the migration runner before
 * the migrator baselines an adopted database.
 *
 * The original's people could create schemas, functions and operators in
 * this database, so these statements must not resolve a single name through
 * them: the session's search path is the catalog's alone (PIN_SEARCH_PATH
 * runs first), and every operator is spelled OPERATOR(pg_catalog.…), so an
 * overload a tenant planted with a better-matching argument type (an
 * `=(oid, integer)`, say) is never chosen. The statements only read the
 * catalog and change ownership and privileges, which runs no tenant code.
 */
import { STORE_SCHEMA } from './defaults';
import { quoteIdent, quoteLiteral } from './sql-quote';

/** `a OPERATOR(pg_catalog.=) b`: comparisons no tenant-made operator can take over. */
const EQ = 'OPERATOR(pg_catalog.=)';
const NE = 'OPERATOR(pg_catalog.<>)';

/** The statements, each idempotent. */
export function adoptionStatements(database: string, owner: string, legacyRoles: readonly string[]): string[] {
  const schema = quoteLiteral(STORE_SCHEMA);
  const ownerLiteral = quoteLiteral(owner);
  const legacy = `ARRAY[${legacyRoles.map(quoteLiteral).join(', ')}]::pg_catalog.text[]`;
  return [
    // Relations and routines move to the owner; sequences owned by a column move with their table.
    `DO $adopt$
DECLARE obj record;
DECLARE grantee pg_catalog.oid;
BEGIN
  FOR obj IN
    SELECT c.oid::pg_catalog.regclass AS name,
           CASE WHEN c.relkind ${EQ} 'S' THEN 'SEQUENCE' WHEN c.relkind ${EQ} 'v' THEN 'VIEW' WHEN c.relkind ${EQ} 'm' THEN 'MATERIALIZED VIEW'
                WHEN c.relkind ${EQ} 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END AS kind
      FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid ${EQ} c.relnamespace
     WHERE n.nspname ${EQ} ${schema} AND c.relkind ${EQ} ANY (ARRAY['r', 'p', 'v', 'm', 'S', 'f']::pg_catalog."char"[])
       AND pg_catalog.pg_get_userbyid(c.relowner) ${NE} ${ownerLiteral}
       AND NOT (c.relkind ${EQ} 'S' AND EXISTS (
         SELECT FROM pg_catalog.pg_depend d
          WHERE d.classid ${EQ} 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid ${EQ} c.oid
            AND d.deptype ${EQ} ANY (ARRAY['a', 'i']::pg_catalog."char"[])))
  LOOP
    EXECUTE pg_catalog.format('ALTER %s %s OWNER TO %I', obj.kind, obj.name, ${ownerLiteral});
  END LOOP;
  -- A routine made by someone else would run as the owner once it is the owner's: none keeps SECURITY DEFINER, its own
  -- settings, or EXECUTE for anyone but the owner (a legacy role may have granted it to the tenant's roles).
  FOR obj IN
    SELECT p.oid, p.oid::pg_catalog.regprocedure AS name,
           CASE WHEN p.prokind ${EQ} 'p' THEN 'PROCEDURE' WHEN p.prokind ${EQ} 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END AS kind
      FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid ${EQ} p.pronamespace
     WHERE n.nspname ${EQ} ${schema} AND pg_catalog.pg_get_userbyid(p.proowner) ${NE} ${ownerLiteral}
  LOOP
    EXECUTE pg_catalog.format('ALTER %s %s OWNER TO %I', obj.kind, obj.name, ${ownerLiteral});
    IF obj.kind ${NE} 'AGGREGATE' THEN
      EXECUTE pg_catalog.format('ALTER %s %s SECURITY INVOKER RESET ALL', obj.kind, obj.name);
    END IF;
    FOR grantee IN
      SELECT DISTINCT x.grantee FROM pg_catalog.pg_proc p, pg_catalog.aclexplode(p.proacl) x WHERE p.oid ${EQ} obj.oid AND x.grantee ${NE} p.proowner
    LOOP
      EXECUTE pg_catalog.format('REVOKE ALL ON %s %s FROM %s', CASE WHEN obj.kind ${EQ} 'PROCEDURE' THEN 'PROCEDURE' ELSE 'FUNCTION' END, obj.name,
        CASE WHEN grantee ${EQ} 0::pg_catalog.oid THEN 'PUBLIC' ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(grantee)) END);
    END LOOP;
  END LOOP;
END
$adopt$;`,
    // PUBLIC kept whatever the original granted on objects (it even granted on future tables).
    `REVOKE ALL ON ALL TABLES IN SCHEMA ${quoteIdent(STORE_SCHEMA)} FROM PUBLIC;`,
    `REVOKE ALL ON ALL SEQUENCES IN SCHEMA ${quoteIdent(STORE_SCHEMA)} FROM PUBLIC;`,
    `REVOKE ALL ON ALL FUNCTIONS IN SCHEMA ${quoteIdent(STORE_SCHEMA)} FROM PUBLIC;`,
    // The original's roles keep nothing here (CREATE on the database included); they are left for the operator to drop.
    `DO $adopt$
DECLARE legacy pg_catalog.text;
BEGIN
  FOREACH legacy IN ARRAY ${legacy} LOOP
    CONTINUE WHEN NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname ${EQ} legacy);
    EXECUTE pg_catalog.format('REVOKE ALL ON DATABASE %I FROM %I', ${quoteLiteral(database)}, legacy);
    EXECUTE pg_catalog.format('REVOKE ALL ON SCHEMA %I FROM %I', ${schema}, legacy);
    EXECUTE pg_catalog.format('REVOKE ALL ON ALL TABLES IN SCHEMA %I FROM %I', ${schema}, legacy);
    EXECUTE pg_catalog.format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA %I FROM %I', ${schema}, legacy);
    EXECUTE pg_catalog.format('REVOKE ALL ON ALL FUNCTIONS IN SCHEMA %I FROM %I', ${schema}, legacy);
  END LOOP;
END
$adopt$;`,
    // Default privileges the original left for PUBLIC or its roles, whoever they were set for.
    `DO $adopt$
DECLARE d record;
BEGIN
  FOR d IN
    SELECT DISTINCT pg_catalog.pg_get_userbyid(a.defaclrole) AS role, a.defaclnamespace,
           CASE WHEN a.defaclobjtype ${EQ} 'r' THEN 'TABLES' WHEN a.defaclobjtype ${EQ} 'S' THEN 'SEQUENCES'
                WHEN a.defaclobjtype ${EQ} 'f' THEN 'FUNCTIONS' WHEN a.defaclobjtype ${EQ} 'T' THEN 'TYPES' ELSE 'SCHEMAS' END AS objects,
           CASE WHEN x.grantee ${EQ} 0::pg_catalog.oid THEN 'PUBLIC' ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(x.grantee)) END AS grantee
      FROM pg_catalog.pg_default_acl a, pg_catalog.aclexplode(a.defaclacl) x
     WHERE x.grantee ${EQ} 0::pg_catalog.oid OR pg_catalog.pg_get_userbyid(x.grantee) ${EQ} ANY (${legacy})
  LOOP
    EXECUTE pg_catalog.format('ALTER DEFAULT PRIVILEGES FOR ROLE %I %s REVOKE ALL ON %s FROM %s',
      d.role,
      CASE WHEN d.defaclnamespace ${EQ} 0::pg_catalog.oid THEN '' ELSE pg_catalog.format('IN SCHEMA %I', d.defaclnamespace::pg_catalog.regnamespace) END,
      d.objects,
      d.grantee);
  END LOOP;
END
$adopt$;`,
  ];
}
