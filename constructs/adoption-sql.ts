/**
 * What adopting a database created by the original system takes, beyond the
 * access model: objects owned by the old superuser (or anyone else) move to
 * the tenant owner role, and PUBLIC and the original's bare-username roles
 * lose every privilege they had in it, including default privileges for
 * future tables. Nothing is dropped and no row is touched.
 *
 * Plain SQL (no psql meta-commands), idempotent, run inside the tenant
 * database by the server admin: printed by `tenants sql` and run by the
 * migration runner before it baselines an adopted database.
 */
import { STORE_SCHEMA } from './defaults';
import { quoteIdent, quoteLiteral } from './sql-quote';

/** The statements, each idempotent. */
export function adoptionStatements(database: string, owner: string, legacyRoles: readonly string[]): string[] {
  const schema = quoteLiteral(STORE_SCHEMA);
  const ownerLiteral = quoteLiteral(owner);
  const legacy = `ARRAY[${legacyRoles.map(quoteLiteral).join(', ')}]::text[]`;
  return [
    // Relations and routines move to the owner; sequences owned by a column move with their table.
    `DO $adopt$
DECLARE obj record;
BEGIN
  FOR obj IN
    SELECT c.oid::regclass AS name, c.relkind
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = ${schema} AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
       AND pg_get_userbyid(c.relowner) <> ${ownerLiteral}
       AND NOT (c.relkind = 'S' AND EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i')))
  LOOP
    EXECUTE format('ALTER %s %s OWNER TO %I',
      CASE obj.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
      obj.name, ${ownerLiteral});
  END LOOP;
  FOR obj IN
    SELECT p.oid::regprocedure AS name, p.prokind
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = ${schema} AND pg_get_userbyid(p.proowner) <> ${ownerLiteral}
  LOOP
    EXECUTE format('ALTER %s %s OWNER TO %I', CASE obj.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END, obj.name, ${ownerLiteral});
  END LOOP;
END
$adopt$;`,
    // PUBLIC kept whatever the original granted on objects (it even granted on future tables).
    `REVOKE ALL ON ALL TABLES IN SCHEMA ${quoteIdent(STORE_SCHEMA)} FROM PUBLIC;`,
    `REVOKE ALL ON ALL SEQUENCES IN SCHEMA ${quoteIdent(STORE_SCHEMA)} FROM PUBLIC;`,
    `REVOKE ALL ON ALL FUNCTIONS IN SCHEMA ${quoteIdent(STORE_SCHEMA)} FROM PUBLIC;`,
    // The original's roles keep nothing here; they are left for the operator to drop.
    `DO $adopt$
DECLARE legacy text;
BEGIN
  FOREACH legacy IN ARRAY ${legacy} LOOP
    CONTINUE WHEN NOT EXISTS (SELECT FROM pg_roles WHERE rolname = legacy);
    EXECUTE format('REVOKE ALL ON DATABASE %I FROM %I', ${quoteLiteral(database)}, legacy);
    EXECUTE format('REVOKE ALL ON SCHEMA %I FROM %I', ${schema}, legacy);
    EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA %I FROM %I', ${schema}, legacy);
    EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA %I FROM %I', ${schema}, legacy);
    EXECUTE format('REVOKE ALL ON ALL FUNCTIONS IN SCHEMA %I FROM %I', ${schema}, legacy);
  END LOOP;
END
$adopt$;`,
    // Default privileges the original left for PUBLIC or its roles, whoever they were set for.
    `DO $adopt$
DECLARE d record;
BEGIN
  FOR d IN
    SELECT DISTINCT pg_get_userbyid(a.defaclrole) AS role, a.defaclnamespace, a.defaclobjtype,
           CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(x.grantee)) END AS grantee
      FROM pg_default_acl a, aclexplode(a.defaclacl) x
     WHERE x.grantee = 0 OR pg_get_userbyid(x.grantee) = ANY (${legacy})
  LOOP
    EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I %s REVOKE ALL ON %s FROM %s',
      d.role,
      CASE WHEN d.defaclnamespace = 0 THEN '' ELSE format('IN SCHEMA %I', d.defaclnamespace::regnamespace) END,
      CASE d.defaclobjtype WHEN 'r' THEN 'TABLES' WHEN 'S' THEN 'SEQUENCES' WHEN 'f' THEN 'FUNCTIONS' WHEN 'T' THEN 'TYPES' ELSE 'SCHEMAS' END,
      d.grantee);
  END LOOP;
END
$adopt$;`,
  ];
}
