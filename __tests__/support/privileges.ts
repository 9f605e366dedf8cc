/**
 * The privilege matrix the product promises, and how to probe it on a real
 * server: shared by the isolation and the adoption suites.
 */
import type { Tenant } from '../../tenants/registry/types';
import { appRoleName, personRoleName } from '../../model/naming';
import type { Cluster } from '../../testbed/pg-cluster';
import { tryAs } from './tenant-db';

/** Required columns of the probed tables, and values for them. */
const PROBE_COLUMNS: Record<string, string> = {
  widgets: 'name, price',
  gift_cards: 'code, balance',
  users: 'first_name, last_name, email, password',
};
const PROBE_VALUES: Record<string, string> = {
  widgets: "'probe', 100",
  gift_cards: "'probe', 100",
  users: "'Pro', 'Be', 'probe@example.com', 'x'",
};

/** One login of each kind, for a tenant. */
export function logins(tenant: Tenant): [string, string][] {
  return [
    ['admin', personRoleName(tenant.key, tenant.people.admins[0].username)],
    ...(tenant.people.developers.length ? [['developer', personRoleName(tenant.key, tenant.people.developers[0].username)] as [string, string]] : []),
    ...(tenant.people.customers.length ? [['customer', personRoleName(tenant.key, tenant.people.customers[0].username)] as [string, string]] : []),
    ['app', appRoleName(tenant.key)],
  ];
}

/** Statements that need one privilege each, on a table with columns (id, name, price) or (id, code, balance). */
const OPERATIONS: Record<string, (table: string) => string> = {
  SELECT: (table) => `SELECT * FROM ${table} LIMIT 1`,
  // An explicit id tests the table privilege alone; the next operation also draws from the sequence.
  INSERT: (table) => `INSERT INTO ${table} (id, ${PROBE_COLUMNS[table]}) VALUES (-1, ${PROBE_VALUES[table]})`,
  'INSERT with a new id': (table) => `INSERT INTO ${table} (${PROBE_COLUMNS[table]}) VALUES (${PROBE_VALUES[table]})`,
  UPDATE: (table) => `UPDATE ${table} SET id = id WHERE false`,
  DELETE: (table) => `DELETE FROM ${table} WHERE false`,
  TRUNCATE: (table) => `TRUNCATE ${table} CASCADE`,
};

/** What each kind may do to rows, as the product promises it (the privilege table). */
export const EXPECTED: Record<string, Record<string, 'ok' | 'denied'>> = {
  admin: { SELECT: 'ok', INSERT: 'ok', 'INSERT with a new id': 'ok', UPDATE: 'ok', DELETE: 'ok', TRUNCATE: 'ok', 'CREATE TABLE': 'denied' },
  developer: { SELECT: 'ok', INSERT: 'ok', 'INSERT with a new id': 'ok', UPDATE: 'ok', DELETE: 'denied', TRUNCATE: 'denied', 'CREATE TABLE': 'denied' },
  customer: { SELECT: 'ok', INSERT: 'denied', 'INSERT with a new id': 'denied', UPDATE: 'denied', DELETE: 'denied', TRUNCATE: 'denied', 'CREATE TABLE': 'denied' },
  app: { SELECT: 'ok', INSERT: 'ok', 'INSERT with a new id': 'ok', UPDATE: 'ok', DELETE: 'ok', TRUNCATE: 'denied', 'CREATE TABLE': 'denied' },
};

/** What a login may do to each table, as 'ok' or 'denied' per operation. */
export async function privilegeOutcomes(cluster: Cluster, database: string, role: string, tables: readonly string[]): Promise<Record<string, Record<string, string>>> {
  const outcomes: Record<string, Record<string, string>> = {};
  for (const table of tables) {
    outcomes[table] = {};
    for (const [operation, sql] of Object.entries(OPERATIONS)) outcomes[table][operation] = await tryAs(cluster, database, role, sql(table));
    outcomes[table]['CREATE TABLE'] = await tryAs(cluster, database, role, 'CREATE TABLE public.probe (id int)');
  }
  return outcomes;
}
