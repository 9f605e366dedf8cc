/**
 * Property tests: derived names are always valid and never collide, and the
 * registry check accepts every valid tenant and rejects every invalid one.
 */
import fc from 'fast-check';
import {
  IDENTIFIER_PATTERN,
  MAX_IDENTIFIER_BYTES,
  MAX_KEY_BYTES,
  RESERVED_DATABASE_NAMES,
  RESERVED_USERNAMES,
  byteLength,
  personRoleName,
  tenantRoleNames,
} from '../model/naming';
import { PLANS } from '../model/plans';
import type { TenantDefinition } from '../tenants/registry/types';
import { checkDefinition } from '../tenants/registry/validate';

const word = fc.stringMatching(/^[a-z0-9]{1,8}$/);
const key = fc
  .tuple(fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/), fc.array(word, { maxLength: 4 }))
  .map(([first, rest]) => [first, ...rest].join('_'))
  .filter((k) => byteLength(k) <= MAX_KEY_BYTES);
const username = fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/).filter((u) => !RESERVED_USERNAMES.includes(u));
const person = username.map((u) => ({ username: u, email: `${u}@example.com` }));
const people = fc.uniqueArray(person, { minLength: 1, maxLength: 6, selector: (p) => p.username }).map((list) => ({
  admins: list.slice(0, 1 + (list.length % 2)),
  developers: list.slice(1 + (list.length % 2), 4),
  customers: list.slice(4),
}));

const validTenant: fc.Arbitrary<TenantDefinition> = fc
  .record({
    key,
    plan: fc.constantFrom(...PLANS),
    database: fc.stringMatching(/^[a-z][a-z0-9_]{0,30}$/).filter((d) => !RESERVED_DATABASE_NAMES.includes(d)),
    people,
    port: fc.integer({ min: 1024, max: 65535 }),
  })
  .map(({ key: k, plan, database, people: p, port }) => ({
    key: k,
    company: `Company ${k}`,
    plan,
    database: { name: database },
    people: p,
    app: { target: 'docker', port },
  }));

describe('opaque person role names', () => {
  it('are valid, short and stable, carry nothing but the key and a hash, and never collide within a tenant or across tenants', () => {
    fc.assert(
      fc.property(key, key, fc.uniqueArray(username, { minLength: 2, maxLength: 8 }), (keyA, keyB, usernames) => {
        const a = usernames.map((u) => personRoleName(keyA, u, 'opaque'));
        expect(new Set(a).size).toBe(a.length);
        for (const [i, role] of a.entries()) {
          expect(role).toMatch(new RegExp(`^${keyA}__p_[0-9a-f]{12}$`));
          expect(byteLength(role)).toBeLessThanOrEqual(MAX_IDENTIFIER_BYTES);
          expect(personRoleName(keyA, usernames[i], 'opaque')).toBe(role);
        }
        const b = new Set(usernames.map((u) => personRoleName(keyB, u, 'opaque')));
        expect(a.filter((role) => b.has(role))).toEqual(keyA === keyB ? a : []);
      }),
      { numRuns: 200 },
    );
  });
});

describe('derived role names', () => {
  it('are valid identifiers of at most 63 bytes for every tenant the registry accepts', () => {
    fc.assert(
      fc.property(validTenant, (definition) => {
        if (checkDefinition('t.ts', definition.key, definition).problems.length) return;
        const { all } = tenantRoleNames({ key: definition.key, people: { developers: [], customers: [], ...definition.people } });
        for (const { role } of all) {
          expect(role).toMatch(IDENTIFIER_PATTERN);
          expect(byteLength(role)).toBeLessThanOrEqual(MAX_IDENTIFIER_BYTES);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never collide, within a tenant or between two tenants with different keys', () => {
    fc.assert(
      fc.property(key, key, people, people, (keyA, keyB, peopleA, peopleB) => {
        fc.pre(keyA !== keyB);
        const a = tenantRoleNames({ key: keyA, people: peopleA }).all.map((r) => r.role);
        const b = tenantRoleNames({ key: keyB, people: peopleB }).all.map((r) => r.role);
        expect(new Set(a).size).toBe(a.length);
        expect(a.filter((role) => b.includes(role))).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });
});

describe('the registry check', () => {
  it('accepts every valid tenant', () => {
    fc.assert(
      fc.property(validTenant, (definition) => {
        const roleTooLong = tenantRoleNames({ key: definition.key, people: { developers: [], customers: [], ...definition.people } }).all.some(
          (r) => byteLength(r.role) > MAX_IDENTIFIER_BYTES,
        );
        fc.pre(!roleTooLong);
        expect(checkDefinition('t.ts', definition.key, definition).problems).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  const invalidations: [string, fc.Arbitrary<(d: TenantDefinition) => TenantDefinition>][] = [
    ['key', fc.constantFrom('Bad', '1shop', 'a__b', 'shop_', 'a-b', '', 'x'.repeat(52)).map((k) => (d) => ({ ...d, key: k }))],
    ['database.name', fc.constantFrom('Shop', 'postgres', 'template0', 'a b', 'x"; drop', 'd'.repeat(64)).map((n) => (d) => ({ ...d, database: { name: n } }))],
    ['plan', fc.string().filter((p) => !(PLANS as readonly string[]).includes(p)).map((p) => (d) => ({ ...d, plan: p as never }))],
    ['people.admins', fc.constant((d: TenantDefinition) => ({ ...d, people: { ...d.people, admins: [] } }))],
    ['people.admins[0].email', fc.constantFrom('no-at', 'a@', '@b.c', 'a b@c.d').map((e) => (d) => ({ ...d, people: { ...d.people, admins: [{ ...d.people.admins[0], email: e }] } }))],
    ['app.port', fc.oneof(fc.integer({ max: 1023 }), fc.integer({ min: 65536 })).map((p) => (d) => ({ ...d, app: { target: 'docker' as const, port: p } }))],
  ];

  test.each(invalidations)('rejects every tenant with an invalid %s, naming that field', (field, invalidate) => {
    fc.assert(
      fc.property(validTenant, invalidate, (definition, breakIt) => {
        const broken = breakIt(definition);
        const problems = checkDefinition('t.ts', String(broken.key), broken).problems;
        expect(problems.map((p) => p.field)).toContain(field);
      }),
      { numRuns: 100 },
    );
  });
});
