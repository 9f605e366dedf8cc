import { z } from 'zod';
import { type Problem } from '../../model/problems';
import { rules, serverRules } from './messages';
import { DEFAULT_SERVER } from '../../model/servers';
import { ANYWHERE_IPV4, DEFAULT_API_IMAGE, DEFAULT_COLLATION, DEFAULT_FRONTEND_IMAGE, DEFAULT_POSTGRES_MAJOR } from '../../model/defaults';
import { DEFAULT_MONGO_IMAGE } from '../../model/mongo-defaults';
import { DOCDB_INSTANCE_CLASSES, MONGO_PLACEMENTS, MONGO_PLAN_PROFILES, type MongoPlacement, isMongoPlacement } from '../../model/mongo-plans';
import { type DerivedRole, MAX_IDENTIFIER_BYTES, PEOPLE_FIELDS, PERSON_KINDS, byteLength, personRoleName, tenantRoleNames } from '../../model/naming';
import { kubernetesProblems, resolveKubernetesApp } from './kubernetes';
import { PLAN_PROFILES, type Plan } from '../../model/plans';
import { tenantDefinitionSchema } from './schema';
import type { AppTarget, MongoDatabaseSettings, Person, Tenant, TenantDefinition } from './types';

type Path = readonly PropertyKey[];

/** `people.admins[0].email` */
export function fieldPath(path: Path): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? String(part) : `.${String(part)}`))
    .join('');
}

function valueAt(root: unknown, path: Path): unknown {
  let current = root;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[part as string];
  }
  return current;
}

/** The schema under its wrappers (optional, transform). */
function unwrap(schema: z.ZodType): z.ZodType {
  for (;;) {
    if (schema instanceof z.ZodOptional) schema = schema.unwrap() as z.ZodType;
    else if (schema instanceof z.ZodPipe) schema = schema.in as z.ZodType;
    else return schema;
  }
}

/** Of a union of object shapes, the one the value's discriminator names (an app's `target`, a database's `engine`), else none. */
function optionFor(schema: z.ZodType, value: unknown): z.ZodType | undefined {
  if (!(schema instanceof z.ZodDiscriminatedUnion)) return schema;
  const options = schema.options as z.ZodObject[];
  const discriminator = (schema as unknown as { _zod: { def: { discriminator: string } } })._zod.def.discriminator;
  const wanted = (value as Record<string, unknown> | undefined)?.[discriminator];
  // An optional discriminator (a database's engine) also matches a value without one.
  const names = (field: z.ZodType): boolean =>
    field instanceof z.ZodOptional ? wanted === undefined || names(field.unwrap() as z.ZodType) : (field as z.ZodLiteral).values.has(wanted as never);
  return options.find((option) => names(option.shape[discriminator] as z.ZodType));
}

/**
 * The fields the schema knows at a path of the raw definition, read off the
 * schema itself (one source): for an app, those of its own target.
 */
function knownFieldsAt(root: z.ZodType, raw: unknown, path: Path): readonly string[] {
  let schema: z.ZodType | undefined = root;
  let value = raw;
  for (const part of path) {
    schema = schema && optionFor(unwrap(schema), value);
    if (schema instanceof z.ZodObject) schema = (schema.shape as Record<string, z.ZodType>)[String(part)];
    else if (schema instanceof z.ZodArray) schema = schema.element as z.ZodType;
    else schema = undefined;
    value = (value as Record<PropertyKey, unknown> | undefined)?.[part];
  }
  const shape = schema && optionFor(unwrap(schema), value);
  return shape instanceof z.ZodObject ? Object.keys(shape.shape) : [];
}

/** The problems zod found in a file's definition, each at its field; unknown fields name the known ones of the given schema. */
export function shapeProblems(file: string, raw: unknown, issues: readonly z.core.$ZodIssue[], schema: z.ZodType = tenantDefinitionSchema): Problem[] {
  return issues.flatMap((issue): Problem[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((field) => ({
        file,
        field: fieldPath([...issue.path, field]),
        value: undefined,
        rule: rules.unknownField(knownFieldsAt(schema, raw, issue.path)),
      }));
    }
    if (issue.code === 'invalid_key') {
      // A bad record key: report the key itself, at the record, with the key rule's own message.
      const rule = issue.issues[0]?.message ?? rules.invalidTag();
      return [{ file, field: fieldPath(issue.path.slice(0, -1)), value: issue.path[issue.path.length - 1], rule }];
    }
    return [{ file, field: fieldPath(issue.path), value: valueAt(raw, issue.path), rule: issue.message }];
  });
}

/** Rules across fields of one tenant: unique usernames, role name length, key equal to the file name. */
function crossFieldProblems(file: string, fileKey: string, definition: TenantDefinition): Problem[] {
  const problems: Problem[] = [];
  // A file that failed its shape checks comes here as it is: its database may be anything.
  if (definition.database?.engine === 'mongodb') {
    problems.push(...mongoProblems(file, definition, definition.database));
  } else if (definition.database?.server !== undefined && definition.app?.target === 'lambda') {
    problems.push({ file, field: 'database.server', value: definition.database.server, rule: serverRules.serverOfLambda() });
  }
  if (definition.database?.engine !== 'mongodb' && definition.database?.postgresVersion !== undefined && definition.app?.target !== 'lambda') {
    problems.push({ file, field: 'database.postgresVersion', value: definition.database.postgresVersion, rule: rules.postgresVersionOnDocker() });
  }
  if (definition.key !== fileKey) {
    problems.push({ file, field: 'key', value: definition.key, rule: rules.keyMismatchesFile(fileKey) });
  }
  if (definition.app?.target === 'kubernetes') problems.push(...kubernetesProblems(file, definition));
  const seen = new Map<string, string>();
  for (const kind of PERSON_KINDS) {
    const list: readonly Person[] = definition.people[PEOPLE_FIELDS[kind]] ?? [];
    list.forEach((person, index) => {
      const field = `people.${PEOPLE_FIELDS[kind]}[${index}].username`;
      const earlier = seen.get(person.username);
      if (earlier) {
        problems.push({ file, field, value: person.username, rule: rules.duplicateUsername(earlier) });
        return;
      }
      seen.set(person.username, field);
      const role = personRoleName(definition.key, person.username, definition.roleNames);
      if (byteLength(role) > MAX_IDENTIFIER_BYTES) {
        problems.push({ file, field, value: person.username, rule: rules.roleTooLong(role) });
      }
    });
  }
  return problems;
}

/** The app target each placement needs, and why. */
const PLACEMENT_TARGETS = {
  container: { target: 'docker', why: 'the mongo container runs on the Docker host beside the app' },
  documentdb: { target: 'lambda', why: "a DocumentDB cluster lives in the tenant's VPC, which only the Lambda function reaches" },
  atlas: { target: 'docker', why: 'the app container reaches Atlas through its IP access list or private endpoint' },
} as const;

/** Each placement's settings field and an example, for messages. */
const PLACEMENT_EXAMPLES = {
  container: '{ port: <host port> }',
  documentdb: '{} (or { instanceClass })',
  atlas: '{ organizationId, region, ipAccessList }',
} as const satisfies Record<MongoPlacement, string>;

/**
 * Rules of a MongoDB database across fields: the settings of its placement
 * and of no other, the app target of its placement, the instance class and
 * tier its plan allows. Here rather than in the schema, so that they are
 * reported along with a problem in any other field.
 */
function mongoProblems(file: string, definition: TenantDefinition, database: MongoDatabaseSettings): Problem[] {
  const problems: Problem[] = [];
  if (!isMongoPlacement(database.placement)) return problems;
  for (const field of MONGO_PLACEMENTS) {
    const given = database[field] !== undefined;
    if (field === database.placement && !given && field !== 'documentdb') {
      problems.push({ file, field: `database.${field}`, value: undefined, rule: rules.missingPlacementSettings(field, PLACEMENT_EXAMPLES[field]) });
    } else if (field !== database.placement && given) {
      problems.push({ file, field: `database.${field}`, value: database[field], rule: rules.otherPlacementSettings(field, database.placement) });
    }
  }
  const needs = PLACEMENT_TARGETS[database.placement];
  if (needs && definition.app?.target !== undefined && definition.app.target !== needs.target) {
    problems.push({ file, field: 'database.placement', value: database.placement, rule: rules.placementNeedsTarget(needs.target, needs.why) });
  }
  const profile = MONGO_PLAN_PROFILES[definition.plan];
  // Only the chosen placement's settings, and only a class DocumentDB has (the schema reports others).
  const instanceClass = database.placement === 'documentdb' ? database.documentdb?.instanceClass : undefined;
  const known = (DOCDB_INSTANCE_CLASSES as readonly string[]).includes(instanceClass as string);
  if (profile && known && !(profile.docdbInstanceClasses as readonly string[]).includes(instanceClass as string)) {
    problems.push({ file, field: 'database.documentdb.instanceClass', value: instanceClass, rule: rules.docdbClassNotForPlan(definition.plan, profile.docdbInstanceClasses) });
  }
  const atlas = database.placement === 'atlas' ? database.atlas : undefined;
  if (profile && atlas) {
    const tier = atlas.tier ?? profile.atlasTier;
    if (tier === 'M0' && profile.atlasBackups) problems.push({ file, field: 'database.atlas.tier', value: tier, rule: rules.freeTierOnPaidPlan(definition.plan) });
    if (tier === 'M0' && atlas.privateEndpoint) problems.push({ file, field: 'database.atlas.privateEndpoint', value: atlas.privateEndpoint, rule: rules.privateEndpointOnFreeTier() });
  }
  return problems;
}

/** A MongoDB database with the settings of its placement resolved. */
function resolveMongoDatabase(database: MongoDatabaseSettings, plan: Plan): Tenant['database'] {
  const profile = MONGO_PLAN_PROFILES[plan];
  const common = { engine: 'mongodb', name: database.name } as const;
  switch (database.placement) {
    case 'container': {
      const container = database.container as NonNullable<MongoDatabaseSettings['container']>;
      return { ...common, placement: 'container' as const, container: { port: container.port, image: container.image ?? DEFAULT_MONGO_IMAGE } };
    }
    case 'documentdb':
      return { ...common, placement: 'documentdb' as const, documentdb: { instanceClass: database.documentdb?.instanceClass ?? profile.docdbInstanceClass, instances: profile.docdbInstances } };
    case 'atlas': {
      const atlas = database.atlas as NonNullable<MongoDatabaseSettings['atlas']>;
      return { ...common, placement: 'atlas' as const, atlas: { ...atlas, tier: atlas.tier ?? profile.atlasTier } };
    }
  }
}

function resolveApp(app: AppTarget, plan: Plan): Tenant['app'] {
  if (app.target === 'lambda') {
    return {
      target: 'lambda',
      region: app.region,
      artifact: app.artifact,
      architecture: app.architecture ?? 'x86_64',
      ...(app.vpc && { vpc: app.vpc }),
      frontend: app.frontend ?? false,
      ...(app.frontendDomain && { frontendDomain: app.frontendDomain }),
      ...(app.frontendWebAclArn && { frontendWebAclArn: app.frontendWebAclArn }),
      ...(app.codeSigning && { codeSigning: app.codeSigning }),
      ...(app.authorizer && { authorizer: app.authorizer }),
      ...(app.deployRunnerSecurityGroupId && { deployRunnerSecurityGroupId: app.deployRunnerSecurityGroupId }),
      vpcEndpoints: app.vpcEndpoints ?? false,
      egress: { httpsCidrs: app.egress?.httpsCidrs ?? [ANYWHERE_IPV4], smtpCidrs: app.egress?.smtpCidrs ?? [ANYWHERE_IPV4] },
    };
  }
  if (app.target === 'kubernetes') return resolveKubernetesApp(app);
  const profile = PLAN_PROFILES[plan];
  return {
    target: 'docker',
    port: app.port,
    image: app.image ?? DEFAULT_API_IMAGE,
    ...(app.frontend && { frontend: { port: app.frontend.port, image: app.frontend.image ?? DEFAULT_FRONTEND_IMAGE } }),
    limits: { memoryMiB: app.limits?.memoryMiB ?? profile.containerMemoryMiB, cpus: app.limits?.cpus ?? profile.containerCpus },
  };
}

/** Fills in every default, so that nothing downstream has to. */
export function resolveTenant(definition: TenantDefinition, file: string): Tenant {
  return {
    key: definition.key,
    company: definition.company,
    plan: definition.plan,
    database:
      definition.database.engine === 'mongodb'
        ? resolveMongoDatabase(definition.database, definition.plan)
        : {
            name: definition.database.name,
            collation: definition.database.collation ?? DEFAULT_COLLATION,
            ...(definition.app.target === 'lambda'
              ? { postgresVersion: definition.database.postgresVersion ?? DEFAULT_POSTGRES_MAJOR }
              : { server: definition.database.server ?? DEFAULT_SERVER }),
          },
    people: {
      admins: definition.people.admins,
      developers: definition.people.developers ?? [],
      customers: definition.people.customers ?? [],
    },
    app: resolveApp(definition.app, definition.plan),
    tags: definition.tags ?? {},
    roleNames: definition.roleNames ?? 'usernames',
    lifecycle: definition.lifecycle ?? 'active',
    ...(definition.adopt && { adopt: definition.adopt }),
    file,
  };
}

/**
 * Drops the shape problems inside another placement's settings: the rule
 * across fields says once that those settings do not apply, which is the fix.
 */
function withoutOtherPlacements(raw: unknown, problems: Problem[]): Problem[] {
  const database = (raw as { database?: { engine?: unknown; placement?: unknown } } | undefined)?.database;
  if (database?.engine !== 'mongodb' || !isMongoPlacement(database.placement)) return problems;
  const others = MONGO_PLACEMENTS.filter((p) => p !== database.placement).map((p) => `database.${p}`);
  return problems.filter((p) => !others.some((other) => p.field.startsWith(`${other}.`) || p.field.startsWith(`${other}[`)));
}

/** The result of checking one tenant file on its own. */
export interface DefinitionCheck {
  readonly tenant?: Tenant;
  readonly problems: readonly Problem[];
}

/**
 * Checks one tenant file's export: its shape, then the rules across its
 * fields. Every problem is reported, not only the first.
 */
export function checkDefinition(file: string, fileKey: string, raw: unknown): DefinitionCheck {
  const parsed = tenantDefinitionSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = withoutOtherPlacements(raw, shapeProblems(file, raw, parsed.error.issues));
    // Cross-field rules still run when the fields they read are sound, so
    // that one pass reports everything.
    const partial = raw as TenantDefinition;
    const soundPeople = !problems.some((p) => p.field.startsWith('people') || p.field === 'key');
    return {
      problems: soundPeople && partial && typeof partial === 'object' ? [...problems, ...crossFieldProblems(file, fileKey, partial)] : problems,
    };
  }
  const problems = crossFieldProblems(file, fileKey, parsed.data);
  return problems.length ? { problems } : { tenant: resolveTenant(parsed.data, file), problems };
}

interface Claim {
  readonly file: string;
  readonly field: string;
  /** The value as the user wrote it, when it differs from the claimed name. */
  readonly value?: string | number;
}

/** Records who claimed a value first; reports later claims. */
class UniqueClaims {
  private readonly claims = new Map<string, Claim>();
  readonly problems: Problem[] = [];

  constructor(private readonly what: string) {}

  claim(value: string | number, claim: Claim, rule?: (other: string) => string): void {
    const id = String(value);
    const earlier = this.claims.get(id);
    if (!earlier) {
      this.claims.set(id, claim);
      return;
    }
    const other = `${earlier.file} (${earlier.field})`;
    this.problems.push({
      file: claim.file,
      field: claim.field,
      value: claim.value ?? value,
      rule: rule ? rule(other) : rules.duplicateAcrossFleet(this.what, other),
    });
  }
}

/** What a tenant file claims that must be unique across the fleet. */
export interface FleetFacts {
  readonly file: string;
  readonly key?: string;
  readonly database?: string;
  readonly ports: readonly { readonly field: string; readonly port: number }[];
  readonly roles: readonly DerivedRole[];
  /** An existing Atlas project the tenant names (`database.atlas.projectId`): a project is one tenant's alone. */
  readonly atlasProject?: string;
}

/** The fleet-wide claims of a valid tenant. */
export function factsOf(tenant: Tenant): FleetFacts {
  return {
    file: tenant.file,
    key: tenant.key,
    database: tenant.database.name,
    ports: hostPorts(tenant),
    roles: tenantRoleNames(tenant).all,
    ...(tenant.database.engine === 'mongodb' && tenant.database.placement === 'atlas' && tenant.database.atlas.projectId && { atlasProject: tenant.database.atlas.projectId }),
  };
}

/** The host ports a tenant takes on the Docker host (its API's, its frontend's, its mongo container's), each with its field: one source for every use. */
export function hostPorts(tenant: Pick<Tenant, 'app'> & { readonly database?: Tenant['database'] }): { readonly field: string; readonly port: number }[] {
  if (tenant.app.target !== 'docker') return [];
  const mongo = tenant.database?.engine === 'mongodb' && tenant.database.placement === 'container' ? [{ field: 'database.container.port', port: tenant.database.container.port }] : [];
  return [{ field: 'app.port', port: tenant.app.port }, ...(tenant.app.frontend ? [{ field: 'app.frontend.port', port: tenant.app.frontend.port }] : []), ...mongo];
}

/** The problems of one field and of the fields inside it. */
export function problemsAt(problems: readonly Problem[], field: string): Problem[] {
  return problems.filter((p) => p.field === field || p.field.startsWith(`${field}.`) || p.field.startsWith(`${field}[`));
}

/**
 * The claims of a file that failed its own checks, from the fields that
 * passed them, so that one run also reports its clashes with other files.
 */
export function partialFacts(file: string, raw: unknown, problems: readonly Problem[]): FleetFacts {
  const sound = (field: string) => !problems.some((p) => p.field === '') && !problemsAt(problems, field).length;
  const at = (field: string) => valueAt(raw, field.split('.'));
  const text = (field: string) => (sound(field) && typeof at(field) === 'string' ? (at(field) as string) : undefined);
  const ports = ['app.port', 'app.frontend.port', 'database.container.port']
    .filter((field) => sound(field) && Number.isInteger(at(field)))
    .map((field) => ({ field, port: at(field) as number }));
  const key = text('key');
  const people = at('people') as TenantDefinition['people'] | undefined;
  const roleNames = sound('roleNames') ? (at('roleNames') as TenantDefinition['roleNames']) : undefined;
  const roles =
    key && sound('people') && people
      ? tenantRoleNames({ key, roleNames, people: { admins: people.admins ?? [], developers: people.developers ?? [], customers: people.customers ?? [] } }).all
      : [];
  return { file, key, database: text('database.name'), ports, roles, atlasProject: text('database.atlas.projectId') };
}

/**
 * Rules across the fleet: keys, database names, host ports and derived role
 * names must each be unique.
 */
export function checkFleet(tenants: readonly Tenant[]): Problem[] {
  return checkFleetFacts(tenants.map(factsOf));
}

/**
 * The fleet rules for files not in the registry yet (a tenant being added or
 * imported), against every tenant that is: only the new files' problems.
 */
export function checkNewAgainstFleet(existing: readonly Tenant[], entries: readonly FleetFacts[]): Problem[] {
  const files = new Set(entries.map((e) => e.file));
  return checkFleetFacts([...existing.map(factsOf), ...entries]).filter((p) => files.has(p.file));
}

/** {@link checkFleet} over the claims of valid and partly valid files. */
export function checkFleetFacts(entries: readonly FleetFacts[]): Problem[] {
  const keys = new UniqueClaims('tenant keys');
  const databases = new UniqueClaims('database names');
  const ports = new UniqueClaims('host ports');
  const roles = new UniqueClaims('role names');
  const atlasProjects = new UniqueClaims('Atlas projects');
  for (const entry of entries) {
    const { file } = entry;
    const keyProblems = keys.problems.length;
    if (entry.key) keys.claim(entry.key, { file, field: 'key' });
    if (entry.database) databases.claim(entry.database, { file, field: 'database.name' });
    for (const { field, port } of entry.ports) ports.claim(port, { file, field });
    if (entry.atlasProject) atlasProjects.claim(entry.atlasProject, { file, field: 'database.atlas.projectId' });
    // A repeated key repeats every role name: the key problem says it all.
    if (keys.problems.length > keyProblems) continue;
    for (const { role, field, value } of entry.roles) {
      roles.claim(role, { file, field, value }, (other) => rules.roleCollision(role, other));
    }
  }
  return [...keys.problems, ...databases.problems, ...ports.problems, ...roles.problems, ...atlasProjects.problems];
}
