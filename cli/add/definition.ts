/**
 * Turns `add`'s answers (flags or prompts) into a tenant definition, the
 * same shape a tenant file exports, so the registry's rules judge it.
 */
import { SUPPORTED_POSTGRES_MAJORS } from '../../model/defaults';
import { DEFAULT_SERVER } from '../../model/servers';
import { type Problem, formatProblem, showValue } from '../../model/problems';
import type { Person } from '../../tenants/registry';

/** What `add` collects; strings as typed, so that validation sees the user's value. */
export interface AddAnswers {
  key?: string;
  company?: string;
  database?: string;
  collation?: string;
  /** The server of the fleet (docker tenants); none or "default" for the environment's. */
  server?: string;
  plan?: string;
  admins: Person[];
  developers: Person[];
  customers: Person[];
  target?: string;
  port?: string;
  image?: string;
  frontendPort?: string;
  region?: string;
  s3Bucket?: string;
  s3Key?: string;
  s3ObjectVersion?: string;
  imageUri?: string;
  architecture?: string;
  vpcId?: string;
  subnetIds?: string;
  frontend?: boolean;
  databaseHost?: string;
  databaseCidrs?: string;
  ingressNamespace?: string;
  ingressHost?: string;
  frontendHost?: string;
  tlsSecret?: string;
  tags: Record<string, string>;
  /** `mongodb`, or PostgreSQL (the default) when absent. */
  engine?: string;
  placement?: string;
  mongoPort?: string;
  mongoImage?: string;
  docdbClass?: string;
  atlasOrg?: string;
  atlasProject?: string;
  atlasRegion?: string;
  atlasTier?: string;
  atlasAccess?: string[];
}

/** A number when the text is one, else the text itself (so the port rule reports it). */
function numberOrText(text: string | undefined): number | string | undefined {
  return text !== undefined && /^\d+$/.test(text.trim()) ? Number(text) : text;
}

function dockerApp(a: AddAnswers): Record<string, unknown> {
  return {
    target: 'docker',
    port: numberOrText(a.port),
    ...(a.image && { image: a.image }),
    ...(a.frontendPort && { frontend: { port: numberOrText(a.frontendPort) } }),
  };
}

function lambdaApp(a: AddAnswers): Record<string, unknown> {
  const artifact = a.imageUri ? { imageUri: a.imageUri } : { s3Bucket: a.s3Bucket, s3Key: a.s3Key, s3ObjectVersion: a.s3ObjectVersion };
  return {
    target: 'lambda',
    region: a.region,
    artifact,
    ...(a.architecture && { architecture: a.architecture }),
    ...(a.vpcId && { vpc: { id: a.vpcId, privateSubnetIds: (a.subnetIds ?? '').split(',').map((s) => s.trim()).filter(Boolean) } }),
    ...(a.frontend && { frontend: true }),
  };
}

/** `a, b` → `['a', 'b']`; nothing stays nothing, for the rules to report as missing. */
function commaList(text: string | undefined): string[] | undefined {
  return text === undefined ? undefined : text.split(',').map((s) => s.trim()).filter(Boolean);
}

function kubernetesApp(a: AddAnswers): Record<string, unknown> {
  return {
    target: 'kubernetes',
    ...(a.image && { image: a.image }),
    ...(a.frontend && { frontend: {} }),
    databaseServer: { host: a.databaseHost, cidrs: commaList(a.databaseCidrs) },
    ...(a.ingressNamespace && { ingressNamespace: a.ingressNamespace }),
    ...(a.ingressHost && { ingress: { host: a.ingressHost, ...(a.frontendHost && { frontendHost: a.frontendHost }), tlsSecret: a.tlsSecret } }),
  };
}

/** The app a target's answers describe. */
function appFrom(a: AddAnswers): Record<string, unknown> {
  if (a.target === 'lambda') return lambdaApp(a);
  if (a.target === 'kubernetes') return kubernetesApp(a);
  return a.target === undefined || a.target === 'docker' ? dockerApp(a) : { target: a.target };
}

/**
 * A MongoDB database: the chosen placement's settings, and another
 * placement's only when its flags were given (so that the registry says they
 * do not apply, rather than `add` dropping them).
 */
function mongoDatabase(a: AddAnswers): Record<string, unknown> {
  const placement = a.placement ?? (a.target === 'lambda' ? 'documentdb' : 'container');
  const given = (...values: unknown[]) => values.some((v) => v !== undefined && !(Array.isArray(v) && !v.length));
  const settings = {
    container: { given: given(a.mongoPort, a.mongoImage), value: { port: numberOrText(a.mongoPort), ...(a.mongoImage && { image: a.mongoImage }) } },
    documentdb: { given: given(a.docdbClass), value: { ...(a.docdbClass && { instanceClass: a.docdbClass }) } },
    atlas: {
      given: given(a.atlasOrg, a.atlasProject, a.atlasRegion, a.atlasTier, a.atlasAccess),
      value: {
        organizationId: a.atlasOrg,
        ...(a.atlasProject && { projectId: a.atlasProject }),
        region: a.atlasRegion,
        ...(a.atlasTier && { tier: a.atlasTier }),
        // Given or not, so that the rules say it is missing; for another placement, only what was given.
        ...((placement === 'atlas' || a.atlasAccess?.length) && { ipAccessList: a.atlasAccess ?? [] }),
      },
    },
  };
  const included = Object.entries(settings).filter(([name, s]) => s.given || (name === placement && name !== 'documentdb'));
  return { engine: 'mongodb', name: a.database, placement, ...Object.fromEntries(included.map(([name, s]) => [name, s.value])) };
}

/** The definition the answers describe; missing answers stay missing, for the rules to report. */
export function definitionFrom(a: AddAnswers): Record<string, unknown> {
  return {
    key: a.key,
    company: a.company,
    plan: a.plan,
    database:
      a.engine === 'mongodb'
        ? mongoDatabase(a)
        : {
            // PostgreSQL is the default: the file names another engine only (an unknown one, for the rules to report).
            ...(a.engine !== undefined && a.engine !== 'postgresql' && { engine: a.engine }),
            name: a.database,
            ...(a.collation && { collation: a.collation }),
            // The default server is left out of the file, as the other defaults are.
            ...(a.server && a.server !== DEFAULT_SERVER && { server: a.server }),
            // A new tenant's own RDS server runs the newest proven major (a file without one keeps the older default).
            ...(a.target === 'lambda' && { postgresVersion: SUPPORTED_POSTGRES_MAJORS[SUPPORTED_POSTGRES_MAJORS.length - 1] }),
          },
    people: {
      admins: a.admins,
      ...(a.developers.length && { developers: a.developers }),
      ...(a.customers.length && { customers: a.customers }),
    },
    app: appFrom(a),
    ...(Object.keys(a.tags).length && { tags: a.tags }),
  };
}

/** `alice:alice@example.com` → a person, or the problem with it. */
export function parsePerson(flag: string, text: string): Person | Problem {
  const at = text.indexOf(':');
  if (at < 1) {
    return { file: flag, field: '', value: text, rule: 'must be <username>:<email>, e.g. alice:alice@example.com' };
  }
  return { username: text.slice(0, at), email: text.slice(at + 1) };
}

/** `costCenter=retail` → a tag, or the problem with it. */
export function parseTag(text: string): [string, string] | Problem {
  const at = text.indexOf('=');
  if (at < 1) return { file: '--tag', field: '', value: text, rule: 'must be <key>=<value>, e.g. costCenter=retail' };
  return [text.slice(0, at), text.slice(at + 1)];
}

/** The flags of each target, by answer; a flag may serve more than one target (--image, --frontend). */
const TARGET_FLAGS = {
  docker: { port: '--port', frontendPort: '--frontend-port', image: '--image', server: '--server' },
  lambda: {
    region: '--region',
    s3Bucket: '--s3-bucket',
    s3Key: '--s3-key',
    imageUri: '--image-uri',
    architecture: '--architecture',
    vpcId: '--vpc-id',
    subnetIds: '--subnet-ids',
    frontend: '--frontend',
  },
  kubernetes: {
    image: '--image',
    frontend: '--frontend',
    databaseHost: '--database-host',
    databaseCidrs: '--database-cidrs',
    ingressNamespace: '--ingress-namespace',
    ingressHost: '--ingress-host',
    frontendHost: '--frontend-host',
    tlsSecret: '--tls-secret',
  },
} as const satisfies Record<string, Partial<Record<keyof AddAnswers, string>>>;

type Target = keyof typeof TARGET_FLAGS;

/** Why a flag is refused for the tenant's target. */
function flagOfOtherTarget(flag: string, flagTarget: string, target: string): Problem {
  return { file: flag, field: '', value: undefined, rule: `applies to --target ${flagTarget}, not ${target}; remove it` };
}

/** The flags of MongoDB tenants only, by answer. */
const MONGO_FLAGS = {
  placement: '--placement',
  mongoPort: '--mongo-port',
  mongoImage: '--mongo-image',
  docdbClass: '--docdb-class',
  atlasOrg: '--atlas-org',
  atlasProject: '--atlas-project',
  atlasRegion: '--atlas-region',
  atlasTier: '--atlas-tier',
  atlasAccess: '--atlas-access',
} as const satisfies Partial<Record<keyof AddAnswers, string>>;

/** A problem for each MongoDB flag given for a PostgreSQL tenant (e.g. --mongo-port without --engine mongodb), which would be silently ignored. */
export function otherEngineFlags(answers: AddAnswers): Problem[] {
  if (answers.engine === 'mongodb') return [];
  return Object.entries(MONGO_FLAGS)
    .filter(([answer]) => {
      const value = answers[answer as keyof AddAnswers];
      return value !== undefined && !(Array.isArray(value) && !value.length);
    })
    .map(([, flag]) => ({ file: flag, field: '', value: undefined, rule: 'applies to --engine mongodb; remove it, or add --engine mongodb' }));
}

/** A problem for each flag given that belongs only to other targets (e.g. --port with --target lambda), which would be silently ignored. */
export function otherTargetFlags(answers: AddAnswers): Problem[] {
  const target = answers.target ?? 'docker';
  if (!(target in TARGET_FLAGS)) return [];
  const own = new Set<string>(Object.keys(TARGET_FLAGS[target as Target]));
  const reported = new Set<string>();
  return (Object.keys(TARGET_FLAGS) as Target[])
    .filter((other) => other !== target)
    .flatMap((other) =>
      Object.entries(TARGET_FLAGS[other])
        .filter(([answer, flag]) => !own.has(answer) && answers[answer as keyof AddAnswers] !== undefined && !reported.has(flag) && reported.add(flag))
        .map(([, flag]) => flagOfOtherTarget(flag, other, target)),
    );
}

/** Which flag sets a registry field, for messages in flag mode. */
export function flagFor(field: string): string {
  const person = /^people\.(admins|developers|customers)(?:\[(\d+)\])?/.exec(field);
  if (person) return `--${person[1].slice(0, -1)}${person[2] !== undefined ? ` #${Number(person[2]) + 1}` : ''}`;
  const flags: Record<string, string> = {
    key: '--key',
    company: '--company',
    plan: '--plan',
    database: '--database',
    'database.name': '--database',
    'database.collation': '--collation',
    'database.server': '--server',
    'database.engine': '--engine',
    'database.placement': '--placement',
    'database.container': '--mongo-port',
    'database.container.port': '--mongo-port',
    'database.container.image': '--mongo-image',
    'database.documentdb.instanceClass': '--docdb-class',
    'database.atlas': '--atlas-org/--atlas-region/--atlas-access',
    'database.atlas.organizationId': '--atlas-org',
    'database.atlas.projectId': '--atlas-project',
    'database.atlas.region': '--atlas-region',
    'database.atlas.tier': '--atlas-tier',
    'database.atlas.ipAccessList': '--atlas-access',
    app: '--target',
    'app.target': '--target',
    'app.port': '--port',
    'app.image': '--image',
    'app.frontend': '--frontend-port',
    'app.frontend.port': '--frontend-port',
    'app.region': '--region',
    'app.artifact': '--s3-bucket/--s3-key/--s3-object-version or --image-uri',
    'app.artifact.s3Bucket': '--s3-bucket',
    'app.artifact.s3Key': '--s3-key',
    'app.artifact.s3ObjectVersion': '--s3-object-version',
    'app.artifact.imageUri': '--image-uri',
    'app.architecture': '--architecture',
    'app.vpc.id': '--vpc-id',
    'app.vpc.privateSubnetIds': '--subnet-ids',
    'app.databaseServer': '--database-host/--database-cidrs',
    'app.databaseServer.host': '--database-host',
    'app.databaseServer.cidrs': '--database-cidrs',
    'app.ingressNamespace': '--ingress-namespace',
    'app.ingress.host': '--ingress-host',
    'app.ingress.frontendHost': '--frontend-host',
    'app.ingress.tlsSecret': '--tls-secret',
  };
  return (
    flags[field] ??
    (field.startsWith('tags') ? '--tag' : field.startsWith('app.vpc.privateSubnetIds') ? '--subnet-ids' : field.startsWith('app.databaseServer.cidrs') ? '--database-cidrs' : field.startsWith('database.atlas.ipAccessList') ? '--atlas-access' : field)
  );
}

/** A registry problem as a flag-mode message: `--database (database.name) "X" must match …`. */
export function flagMessage(problem: Problem): string {
  if (!problem.field) return formatProblem(problem);
  const where = `${flagFor(problem.field)} (${problem.field})`;
  return problem.value === undefined ? `${where} ${problem.rule}` : `${where} ${showValue(problem.value)} ${problem.rule}`;
}
