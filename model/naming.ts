/**
 * Every physical name a tenant gets (database roles, containers, networks) is
 * derived here and nowhere else.
 *
 * Role names are cluster-wide in PostgreSQL, so they are prefixed with the
 * tenant key and a double underscore: `building_shop__alice`. Keys may not
 * contain `__` nor end with `_`, so the first `__` in a role name always marks
 * the end of the key, and two tenants can never derive the same role name.
 */
import { createHash } from 'node:crypto';

/** PostgreSQL identifiers we create: database names and usernames. */
export const IDENTIFIER_PATTERN = /^[a-z][a-z0-9_]*$/;

/** Tenant keys: lowercase words of letters and digits joined by single underscores. */
export const KEY_PATTERN = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;

/** PostgreSQL silently truncates longer identifiers, which then collide. */
export const MAX_IDENTIFIER_BYTES = 63;

/** Separates the tenant key from the role's own name. */
export const ROLE_SEPARATOR = '__';

/** Databases every PostgreSQL server already has. */
export const RESERVED_DATABASE_NAMES: readonly string[] = ['postgres', 'template0', 'template1'];

/** The three kinds of people a tenant has, in registry order. */
export const PERSON_KINDS = ['admin', 'developer', 'customer'] as const;
export type PersonKind = (typeof PERSON_KINDS)[number];

/** The field of a tenant's `people` that lists each kind. */
export const PEOPLE_FIELDS = { admin: 'admins', developer: 'developers', customer: 'customers' } as const satisfies Record<PersonKind, string>;
export type PeopleField = (typeof PEOPLE_FIELDS)[PersonKind];

/** Roles every tenant gets besides one per person, by purpose. */
export const SYSTEM_ROLE_SUFFIXES = {
  owner: 'owner',
  admin: 'admins',
  developer: 'developers',
  customer: 'customers',
  app: 'app',
  migrator: 'migrator',
} as const;

/**
 * How person roles are named: after the username (`<key>__alice`, the
 * default), or opaquely (`<key>__p_<12 hex digits>`), for tenants whose
 * usernames must not be read off a shared server: every login there can list
 * every role.
 */
export const ROLE_NAME_SCHEMES = ['usernames', 'opaque'] as const;
export type RoleNameScheme = (typeof ROLE_NAME_SCHEMES)[number];

/**
 * Usernames that would clash with a system role, now or with roles we expect
 * to add (a migrator or read-only monitoring role), plus `public`, which
 * PostgreSQL treats as the pseudo-role PUBLIC.
 */
export const RESERVED_USERNAMES: readonly string[] = [
  ...Object.values(SYSTEM_ROLE_SUFFIXES),
  'admin',
  'developer',
  'customer',
  'readonly',
  'monitor',
  'public',
];

const LONGEST_SYSTEM_SUFFIX = Math.max(...Object.values(SYSTEM_ROLE_SUFFIXES).map((s) => s.length));

/** The longest key for which every system role name fits in 63 bytes. */
export const MAX_KEY_BYTES = MAX_IDENTIFIER_BYTES - ROLE_SEPARATOR.length - LONGEST_SYSTEM_SUFFIX;

/**
 * Roles that adopting a database must never strip of their privileges: this
 * fleet's own (`<key>__<name>`), the server admin and the system's (`pg_*`,
 * RDS's `rds*`).
 */
export function isProtectedRole(role: string): boolean {
  return role.includes(ROLE_SEPARATOR) || ['postgres', 'public', 'rdsadmin'].includes(role) || /^(pg_|rds_)/.test(role);
}

/** Size of a name as PostgreSQL counts it. */
export function byteLength(name: string): number {
  return Buffer.byteLength(name, 'utf8');
}

function roleName(key: string, suffix: string): string {
  return `${key}${ROLE_SEPARATOR}${suffix}`;
}

/** NOLOGIN role that owns the tenant's database and every object in it. */
export function ownerRoleName(key: string): string {
  return roleName(key, SYSTEM_ROLE_SUFFIXES.owner);
}

/** NOLOGIN group role holding the privileges of one kind of person. */
export function groupRoleName(key: string, kind: PersonKind): string {
  return roleName(key, SYSTEM_ROLE_SUFFIXES[kind]);
}

/** LOGIN role the store app connects as. */
export function appRoleName(key: string): string {
  return roleName(key, SYSTEM_ROLE_SUFFIXES.app);
}

/**
 * LOGIN role the migration runner connects as: a member of the owner role and
 * of nothing else, with no password except the short-lived one the runner
 * sets for its own run (ops/migrator-login.ts).
 */
export function migratorRoleName(key: string): string {
  return roleName(key, SYSTEM_ROLE_SUFFIXES.migrator);
}

/** LOGIN role of one person. */
export function personRoleName(key: string, username: string, scheme: RoleNameScheme = 'usernames'): string {
  if (scheme === 'usernames') return roleName(key, username);
  // sha256 of key and username: stable, and no two people of a tenant share it in practice
  // (the registry's collision check would say so).
  return roleName(key, `p_${createHash('sha256').update(`${key}\0${username}`).digest('hex').slice(0, 12)}`);
}

/** Docker object names of a tenant (containers, network; a MongoDB tenant's database container and its volume). */
export function dockerName(key: string, part: 'api' | 'frontend' | 'network' | 'mongo' | 'mongo-data'): string {
  return `usualstore-${key.replace(/_/g, '-')}-${part}`;
}

/** First user id of docker tenants' containers; {@link dockerUserId} adds the API's host port. */
export const DOCKER_USER_ID_BASE = 200000;

/**
 * The user id a docker tenant's containers run as: {@link DOCKER_USER_ID_BASE}
 * plus the API's host port, which the registry keeps unique across the
 * fleet, so every tenant has its own non-root user on the shared host (a
 * process limit counted per user is then the tenant's own, and a process
 * that escapes its container is no other tenant's).
 */
export function dockerUserId(apiPort: number): number {
  return DOCKER_USER_ID_BASE + apiPort;
}

/** A derived role name and the registry field it comes from. */
export interface DerivedRole {
  readonly role: string;
  /** `key` for system roles, `people.admins[0].username` for people. */
  readonly field: string;
  /** The value of that field. */
  readonly value: string;
}

/** Every role name a tenant derives. */
export interface TenantRoleNames {
  readonly owner: string;
  readonly groups: Readonly<Record<PersonKind, string>>;
  readonly app: string;
  readonly migrator: string;
  /** Login role per username. */
  readonly people: ReadonlyMap<string, string>;
  readonly all: readonly DerivedRole[];
}

interface NamedPerson {
  readonly username: string;
}

/** The role names of a tenant, from its key, its people and how it names them. */
export function tenantRoleNames(tenant: {
  readonly key: string;
  readonly people: Readonly<Record<PeopleField, readonly NamedPerson[]>>;
  readonly roleNames?: RoleNameScheme;
}): TenantRoleNames {
  const { key } = tenant;
  const scheme = tenant.roleNames ?? 'usernames';
  const system: DerivedRole[] = [
    ownerRoleName(key),
    ...PERSON_KINDS.map((kind) => groupRoleName(key, kind)),
    appRoleName(key),
    migratorRoleName(key),
  ].map((role) => ({ role, field: 'key', value: key }));
  const people = new Map<string, string>();
  const personRoles: DerivedRole[] = [];
  for (const kind of PERSON_KINDS) {
    const field = PEOPLE_FIELDS[kind];
    tenant.people[field].forEach((person, index) => {
      const role = personRoleName(key, person.username, scheme);
      people.set(person.username, role);
      personRoles.push({ role, field: `people.${field}[${index}].username`, value: person.username });
    });
  }
  return {
    owner: ownerRoleName(key),
    groups: { admin: groupRoleName(key, 'admin'), developer: groupRoleName(key, 'developer'), customer: groupRoleName(key, 'customer') },
    app: appRoleName(key),
    migrator: migratorRoleName(key),
    people,
    all: [...system, ...personRoles],
  };
}

/**
 * The Terraform stacks of a Lambda tenant, in deploy order. The stack named
 * after the key holds the in-database resources, as for every tenant; the
 * AWS-only stacks add a suffix. Keys contain no hyphen, so these never clash
 * with another tenant's stacks.
 */
export interface AwsStackNames {
  /** VPC, subnets, NAT gateway and security groups. */
  readonly network: string;
  /** KMS key and RDS PostgreSQL server. */
  readonly database: string;
  /** Roles, database, grants and migrations inside the server (TenantStack). */
  readonly tenant: string;
  /** Lambda function, secrets, HTTP API, alarms and frontend. */
  readonly app: string;
}

/** Stack names of a Lambda tenant. */
export function awsStackNames(key: string): AwsStackNames {
  return { network: `${key}-network`, database: `${key}-database`, tenant: key, app: `${key}-app` };
}

/** Parts of a tenant's AWS footprint that get a physical name. */
export const AWS_NAME_PARTS = ['vpc', 'db', 'db-final', 'db-monitor', 'api', 'api-errors', 'api-jwt', 'db-cpu', 'alarms', 'frontend', 'flow-logs', 'endpoints', 'docdb', 'docdb-final'] as const;
export type AwsNamePart = (typeof AWS_NAME_PARTS)[number];

/**
 * The strictest AWS name rules a tenant's names meet: RDS instance and
 * snapshot identifiers (letters, digits, single hyphens, start with a letter,
 * not end with a hyphen) and Lambda function and IAM role names (64
 * characters). RDS identifiers allow 63.
 */
export const AWS_NAME_PATTERN = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9]))*$/;

/** RDS identifiers are the shortest AWS names we derive. */
export const MAX_AWS_NAME_LENGTH = 63;

/**
 * Physical name of one part of a tenant's AWS footprint:
 * `online-store-2025-db`. Underscores become hyphens (RDS identifiers allow no
 * underscores); keys never contain a hyphen, so the mapping is injective and
 * two tenants never derive the same name. With keys of at most
 * {@link MAX_KEY_BYTES} bytes every name fits {@link MAX_AWS_NAME_LENGTH}.
 */
export function awsName(key: string, part: AwsNamePart): string {
  return `${key.replace(/_/g, '-')}-${part}`;
}

/** Prefix of the frontend bucket; S3 appends a unique suffix, as bucket names are global. At most 37 characters. */
export function frontendBucketPrefix(key: string): string {
  return `${key.replace(/_/g, '-').slice(0, 35).replace(/-+$/, '')}-`;
}

/** Prefix of the bucket CloudFront writes the frontend's access logs to. At most 37 characters. */
export function frontendLogBucketPrefix(key: string): string {
  return `${key.replace(/_/g, '-').slice(0, 30).replace(/-+$/, '')}-logs-`;
}

/** The KMS alias of a tenant's key. */
export function kmsAliasName(key: string): string {
  return `alias/usualstore/${key}`;
}

/** The Secrets Manager secret holding the store API's secrets. */
export function appSecretName(key: string): string {
  return `usualstore/${key}/api`;
}

/** Lambda writes to the log group of this name; creating it ourselves sets its retention. */
export function functionLogGroupName(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}

/** Log group of an HTTP API's access log. */
export function apiAccessLogGroupName(apiName: string): string {
  return `/aws/apigateway/${apiName}/access`;
}

/** Log group RDS exports one of an instance's logs to (`postgresql`, `upgrade`); creating it ourselves sets retention and encryption. */
export function rdsLogGroupName(instanceIdentifier: string, log: string): string {
  return `/aws/rds/instance/${instanceIdentifier}/${log}`;
}

/** Log group of a VPC's flow log. */
export function vpcFlowLogGroupName(vpcName: string): string {
  return `/aws/vpc/${vpcName}/flow-logs`;
}

/** DB parameter group of a tenant, per engine family, so a major upgrade creates a new group beside the one in use. */
export function parameterGroupName(key: string, family: string): string {
  return `${awsName(key, 'db')}-${family}`;
}

/** Every stack of a tenant, in deploy order: the key alone for docker, four for Lambda, the key and `<key>-k8s` for Kubernetes. */
export function tenantStackNames(tenant: { readonly key: string; readonly app: { readonly target: string } }): string[] {
  if (tenant.app.target === 'kubernetes') return [tenant.key, kubernetesStackName(tenant.key)];
  if (tenant.app.target !== 'lambda') return [tenant.key];
  const names = awsStackNames(tenant.key);
  return [names.network, names.database, names.tenant, names.app];
}

/** An AWS region name, e.g. `eu-west-1`, `us-gov-west-1`. */
export const AWS_REGION_PATTERN = /^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d$/;

/** An S3 bucket name (3 to 63 lowercase letters, digits, dots and hyphens). */
export const S3_BUCKET_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** The rules of AWS names, wherever a value must meet them (a tenant's region and artifact bucket, the state bucket). */
export const awsNameRules = {
  invalidRegion: () => 'is not an AWS region name; use e.g. eu-west-1 or us-east-1',
  invalidBucket: () => 'is not an S3 bucket name; use 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit',
} as const;

/**
 * The stack of a Kubernetes tenant's app: only the kubernetes provider, its
 * own state, deployed after the in-database stack named after the key.
 */
export function kubernetesStackName(key: string): string {
  return `${key}-k8s`;
}

/** A DNS-1123 label: what Kubernetes accepts as a namespace name (and as most object names). */
export const DNS1123_LABEL_PATTERN = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$/;

/** A DNS-1123 subdomain (a Secret's or an IngressClass's name): labels joined by dots, 253 characters at most. */
export const DNS1123_SUBDOMAIN_PATTERN = /^(?=.{1,253}$)[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;

/** The longest DNS-1123 label, and the longest Kubernetes label value. */
export const MAX_DNS1123_LABEL_LENGTH = 63;

/** Prefix of every tenant namespace, so the fleet's namespaces are told apart from the cluster's own. */
export const KUBERNETES_NAMESPACE_PREFIX = 'usualstore-';

/**
 * The namespace of a Kubernetes tenant: `usualstore-building-shop`.
 * Underscores become hyphens (DNS-1123 allows none); keys never contain a
 * hyphen, so two tenants never derive the same namespace, and with keys of
 * at most {@link MAX_KEY_BYTES} bytes it fits {@link MAX_DNS1123_LABEL_LENGTH}
 * (the registry checks it all the same).
 */
export function kubernetesNamespace(key: string): string {
  return `${KUBERNETES_NAMESPACE_PREFIX}${key.replace(/_/g, '-')}`;
}

/** Whether a name is a DNS-1123 label of at most 63 characters. */
export function isDns1123Label(name: string): boolean {
  return name.length <= MAX_DNS1123_LABEL_LENGTH && DNS1123_LABEL_PATTERN.test(name);
}

/** Kubernetes label values: at most 63 characters, alphanumerics with `-`, `_` and `.` inside, or empty. */
const LABEL_VALUE_PATTERN = /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** Kubernetes label keys: an optional DNS subdomain prefix and `/`, then a name like a label value (not empty). */
export function isKubernetesLabelKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const [prefix, name] = slash < 0 ? [undefined, key] : [key.slice(0, slash), key.slice(slash + 1)];
  if (prefix !== undefined && !DNS1123_SUBDOMAIN_PATTERN.test(prefix)) return false;
  return name.length > 0 && name.length <= MAX_DNS1123_LABEL_LENGTH && LABEL_VALUE_PATTERN.test(name);
}

/** Whether a text is a Kubernetes label value. */
export function isKubernetesLabelValue(value: string): boolean {
  return value.length <= MAX_DNS1123_LABEL_LENGTH && LABEL_VALUE_PATTERN.test(value);
}

/** Names of the objects in a tenant's namespace: fixed, since the namespace is the tenant's own. */
export const KUBERNETES_OBJECT_NAMES = {
  /** The API's Deployment, Service, PodDisruptionBudget and HorizontalPodAutoscaler. */
  api: 'api',
  /** The frontend's Deployment, Service and PodDisruptionBudget. */
  frontend: 'frontend',
  /** The Secret holding the API's environment. */
  apiEnvironment: 'api-environment',
  quota: 'tenant-quota',
  limits: 'tenant-limits',
  ingress: 'store',
  denyAll: 'deny-all',
  allowDns: 'allow-dns',
  apiFromIngress: 'api-from-ingress-controller',
  frontendFromIngress: 'frontend-from-ingress-controller',
  apiToDatabase: 'api-to-database',
} as const;

/**
 * Databases every MongoDB server (and DocumentDB cluster) keeps for itself: a
 * tenant's database may not be one of them, and no tenant user gets a role on them.
 */
export const MONGO_RESERVED_DATABASE_NAMES: readonly string[] = ['admin', 'local', 'config'];

/** Characters MongoDB refuses in a database name (on any platform), plus control characters. */
// eslint-disable-next-line no-control-regex
export const MONGO_DATABASE_NAME_FORBIDDEN = /[/\\. "$*<>:|?\u0000-\u001f\u007f]/;

/** MongoDB database names must be shorter than 64 bytes. */
export const MAX_MONGO_DATABASE_NAME_BYTES = 63;

/** The rules of a MongoDB database name the registry checks; undefined when it meets them. */
export function mongoDatabaseNameProblem(name: string): 'empty' | 'characters' | 'length' | 'reserved' | undefined {
  if (name.length === 0) return 'empty';
  if (MONGO_DATABASE_NAME_FORBIDDEN.test(name)) return 'characters';
  if (byteLength(name) > MAX_MONGO_DATABASE_NAME_BYTES) return 'length';
  if (MONGO_RESERVED_DATABASE_NAMES.includes(name.toLowerCase())) return 'reserved';
  return undefined;
}

/** Name of a MongoDB Atlas project created for one tenant (Atlas allows 64 characters). */
export function atlasProjectName(key: string): string {
  return `usualstore-${key.replace(/_/g, '-')}`;
}

/** Name of a tenant's Atlas cluster: letters, digits and hyphens, as Atlas requires. */
export function atlasClusterName(key: string): string {
  return key.replace(/_/g, '-');
}

/** DocumentDB cluster parameter group of a tenant, per engine family (`docdb5.0`: the dot becomes a hyphen). */
export function docdbParameterGroupName(key: string, family: string): string {
  return `${awsName(key, 'docdb')}-${family.replace(/\./g, '-')}`;
}

/** Log group DocumentDB exports one of a cluster's logs to (`audit`, `profiler`). */
export function docdbLogGroupName(clusterIdentifier: string, log: string): string {
  return `/aws/docdb/${clusterIdentifier}/${log}`;
}
