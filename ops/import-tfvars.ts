/**
 * Reads the original system's tenant variables (a `tenants` map in a
 * .tfvars file) and turns each customer into a tenant definition in adoption
 * mode. The HCL is parsed by HashiCorp's own parser (@cdktf/hcl2json).
 * Passwords are counted and dropped, never copied.
 */
import { FIRST_HOST_PORT } from '../model/defaults';
import { isProtectedRole } from '../model/naming';
import { type Problem } from '../model/problems';
import { tfvarsRules } from './tfvars-messages';
import type { Registry } from '../tenants/registry';
import type { Person, TenantDefinition } from '../tenants/registry';
import { type FleetFacts, checkDefinition, checkNewAgainstFleet, partialFacts, hostPorts } from '../tenants/registry';

/** One customer as the original `tenants` map holds it. */
interface LegacyTenant {
  readonly database_name?: unknown;
  readonly tenant_name?: unknown;
  readonly plan?: unknown;
  readonly admins?: unknown;
  readonly developers?: unknown;
  readonly customers?: unknown;
  readonly [other: string]: unknown;
}

/** What an import would write, or why it cannot. */
export interface TfvarsImport {
  readonly definitions: readonly TenantDefinition[];
  readonly problems: readonly Problem[];
  /** Passwords found in the file (people's and postgres_password), none of which is copied. */
  readonly droppedPasswords: number;
  /** Settings beside `tenants` that the registry does not take (postgres_host, ...). */
  readonly ignoredSettings: readonly string[];
}

/** Registry field → the original's field, for messages that point into the .tfvars. */
function legacyField(key: string, field: string): string {
  const mapped = field
    .replace(/^company$/, 'tenant_name')
    .replace(/^database\.name$/, 'database_name')
    .replace(/^database$/, 'database_name')
    .replace(/^people\./, '')
    .replace(/^people$/, 'admins');
  return field === 'key' ? `tenants.${key}` : `tenants.${key}.${mapped}`;
}

/** A copy of a value with every `password` key removed at any depth, and how many there were. */
function withoutPasswords(value: unknown): { value: unknown; passwords: number } {
  if (Array.isArray(value)) {
    const items = value.map(withoutPasswords);
    return { value: items.map((i) => i.value), passwords: items.reduce((n, i) => n + i.passwords, 0) };
  }
  if (!value || typeof value !== 'object') return { value, passwords: 0 };
  let passwords = 0;
  const entries = Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => {
    if (k === 'password') {
      passwords += 1;
      return [];
    }
    const inner = withoutPasswords(v);
    passwords += inner.passwords;
    return [[k, inner.value] as const];
  });
  return { value: Object.fromEntries(entries), passwords };
}

/**
 * One kind of people of the original, passwords removed (counted, never
 * copied, never shown in a message): `field` goes into the definition, so a
 * value that is not a list is reported by the registry's rules; `list` holds
 * the people found.
 */
function people(raw: unknown): { field: unknown; list: Person[]; passwords: number } {
  const { value, passwords } = withoutPasswords(raw);
  return { field: value, list: Array.isArray(value) ? (value as Person[]) : [], passwords };
}

/**
 * The value a message may show: never a whole list of people or a whole
 * person, which in a malformed file can be a string such as "name:password".
 */
function shownValue(problem: Problem): unknown {
  const whole = /^people\.[a-z]+(\[\d+\])?$/.test(problem.field);
  return whole && !(Array.isArray(problem.value) && problem.value.length === 0) ? undefined : problem.value;
}

const present = (p: { field: unknown }) => p.field !== undefined && !(Array.isArray(p.field) && p.field.length === 0);

const KNOWN_LEGACY_FIELDS = ['database_name', 'tenant_name', 'plan', 'admins', 'developers', 'customers'];

/**
 * Maps a parsed .tfvars document to tenant definitions and checks them with
 * the registry's rules, against each other and the existing registry.
 */
export function importTenants(file: string, document: Record<string, unknown>, registry: Registry, portStart = FIRST_HOST_PORT): TfvarsImport {
  const problems: Problem[] = [];
  const definitions: TenantDefinition[] = [];
  let droppedPasswords = 0;
  const ignoredSettings = Object.keys(document).filter((k) => k !== 'tenants');
  if (typeof document.postgres_password === 'string') droppedPasswords += 1;
  const tenants = document.tenants;
  if (!tenants || typeof tenants !== 'object' || Array.isArray(tenants)) {
    return { definitions, problems: [{ file, field: 'tenants', value: tenants, rule: tfvarsRules.noTenantsMap() }], droppedPasswords, ignoredSettings };
  }

  const used = new Set<number>(registry.tenants.flatMap((t) => hostPorts(t).map((p) => p.port)));
  let port = portStart;
  const nextPort = () => {
    while (used.has(port)) port += 1;
    used.add(port);
    return port;
  };

  const facts: FleetFacts[] = [];
  const perFile = new Map<string, string>();
  for (const [key, raw] of Object.entries(tenants as Record<string, LegacyTenant>)) {
    const legacy = raw && typeof raw === 'object' ? raw : ({} as LegacyTenant);
    for (const extra of Object.keys(legacy).filter((k) => !KNOWN_LEGACY_FIELDS.includes(k))) {
      problems.push({ file, field: `tenants.${key}.${extra}`, value: undefined, rule: tfvarsRules.unknownLegacyField(KNOWN_LEGACY_FIELDS) });
    }
    const admins = people(legacy.admins);
    const developers = people(legacy.developers);
    const customers = people(legacy.customers);
    droppedPasswords += admins.passwords + developers.passwords + customers.passwords;
    const usernames = [...admins.list, ...developers.list, ...customers.list].map((p) => p?.username).filter((u): u is string => typeof u === 'string');
    const definition = {
      key,
      company: legacy.tenant_name,
      plan: legacy.plan,
      database: { name: legacy.database_name },
      people: {
        admins: admins.field ?? [],
        ...(present(developers) && { developers: developers.field }),
        ...(present(customers) && { customers: customers.field }),
      },
      app: { target: 'docker', port: nextPort() },
      // The original's per-user roles; a username that is also the admin's or a system role's is no legacy role.
      adopt: { legacyRoles: [...new Set(usernames)].filter((role) => !isProtectedRole(role)) },
    } as unknown as TenantDefinition;
    const tenantFile = `tenants/${key}.ts`;
    perFile.set(tenantFile, key);
    const own = checkDefinition(tenantFile, key, definition).problems;
    problems.push(...own.map((p) => ({ ...p, file, field: legacyField(key, p.field), value: shownValue(p) })));
    if (registry.tenants.some((t) => t.key === key)) {
      problems.push({ file, field: `tenants.${key}`, value: undefined, rule: tfvarsRules.alreadyInRegistry(tenantFile) });
    }
    facts.push(partialFacts(tenantFile, definition, own));
    if (!own.length) definitions.push(definition);
  }
  for (const problem of checkNewAgainstFleet(registry.tenants, facts)) {
    const key = perFile.get(problem.file);
    // Clashes with an existing tenant of the same key are reported above.
    if (key && !(problem.field === 'key' && registry.tenants.some((t) => t.key === key))) {
      problems.push({ ...problem, file, field: legacyField(key, problem.field) });
    }
  }
  return { definitions: problems.length ? [] : definitions, problems, droppedPasswords, ignoredSettings };
}

/** Parses a .tfvars file's text; a syntax error becomes a problem naming the file. */
export async function parseTfvars(file: string, text: string): Promise<{ document?: Record<string, unknown>; problem?: Problem }> {
  // Loaded here, not at the top: its WebAssembly parser costs every CLI command about 0.2 s to load.
  const { parse } = await import('@cdktf/hcl2json');
  try {
    return { document: (await parse(file, text)) as Record<string, unknown> };
  } catch (error) {
    const reason = String(error instanceof Error ? error.message : error).replace(/^Error: /, '');
    return { problem: { file, field: '', value: undefined, rule: tfvarsRules.notHcl(reason) } };
  }
}
