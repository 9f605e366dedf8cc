/**
 * The interactive `add`: one question at a time, each answer checked on the
 * spot by the registry's own rules and asked again with the reason when wrong.
 */
import type { PeopleField } from '../../model/naming';
import { confirm, input, select } from '@inquirer/prompts';
import { FIRST_HOST_PORT } from '../../model/defaults';
import { DEFAULT_INGRESS_NAMESPACE } from '../../model/kubernetes/defaults';
import { FIRST_MONGO_HOST_PORT } from '../../model/mongo-defaults';
import { PLANS, PLAN_PROFILES } from '../../model/plans';
import type { Registry } from '../../tenants/registry';
import type { Person } from '../../tenants/registry';
import type { CliIo } from '../io';
import { leastLoadedServer, problemsAt, serverLoads } from '../../tenants/registry';
import { checkNewTenant } from './check';
import { type AddAnswers, definitionFrom } from './definition';
import { nextFreePort, suggestDatabaseName, suggestKey } from './suggest';

/** What each plan gives, for the plan question. */
export function planDescription(plan: (typeof PLANS)[number]): string {
  const profile = PLAN_PROFILES[plan];
  return `${profile.connectionLimit} database connections`;
}

type Validate = (value: string) => true | string;

/** A validator for one registry field, judged with every answer given so far. */
function validator(registry: Registry, answers: AddAnswers, field: string, apply: (a: AddAnswers, value: string) => AddAnswers): Validate {
  return (value) => {
    const problems = problemsAt(checkNewTenant(registry, definitionFrom(apply(answers, value.trim()))), field);
    return problems.length ? problems[0].rule : true;
  };
}

async function askPerson(registry: Registry, answers: AddAnswers, kind: PeopleField): Promise<Person> {
  const index = answers[kind].length;
  const field = `people.${kind}[${index}]`;
  const withPerson = (a: AddAnswers, person: Person): AddAnswers => ({ ...a, [kind]: [...a[kind], person] });
  const username = (
    await input({
      message: `${kind.slice(0, -1)} username`,
      validate: validator(registry, answers, `${field}.username`, (a, v) => withPerson(a, { username: v, email: 'placeholder@example.com' })),
    })
  ).trim();
  const email = (
    await input({
      message: `${kind.slice(0, -1)} email`,
      validate: validator(registry, answers, `${field}.email`, (a, v) => withPerson(a, { username, email: v })),
    })
  ).trim();
  return { username, email };
}

async function askMorePeople(registry: Registry, answers: AddAnswers, kind: 'developers' | 'customers'): Promise<void> {
  while (await confirm({ message: `Add ${answers[kind].length ? 'another' : 'a'} ${kind.slice(0, -1)}?`, default: false })) {
    answers[kind] = [...answers[kind], await askPerson(registry, answers, kind)];
  }
}

/** The server, when the fleet has more than one: the open ones with their free connections, the roomiest suggested. */
async function askServer(registry: Registry, answers: AddAnswers, io: CliIo): Promise<void> {
  if (registry.servers.length < 2) return;
  const loads = serverLoads(registry.servers, registry.tenants).filter((load) => load.server.acceptsNewTenants);
  answers.server = await select({
    message: 'Database server',
    default: answers.server ?? leastLoadedServer(registry.servers, registry.tenants),
    choices: loads.map((load) => ({
      name: `${load.server.name.padEnd(16)} ${io.colour.dim(load.capacity === undefined ? 'capacity not stated' : `${load.capacity - load.demand} of ${load.capacity} connections free`)}`,
      value: load.server.name,
    })),
  });
}

async function askDocker(registry: Registry, answers: AddAnswers): Promise<void> {
  const port = await input({
    message: 'API host port',
    default: String(nextFreePort(registry)),
    validate: validator(registry, answers, 'app.port', (a, v) => ({ ...a, port: v })),
  });
  answers.port = port.trim();
  if (await confirm({ message: 'Run a frontend container too?', default: false })) {
    const frontendPort = await input({
      message: 'Frontend host port',
      default: String(nextFreePort(registry, FIRST_HOST_PORT + 1000, [Number(answers.port)])),
      validate: validator(registry, answers, 'app.frontend.port', (a, v) => ({ ...a, frontendPort: v })),
    });
    answers.frontendPort = frontendPort.trim();
  }
}

/** A MongoDB tenant's placement and its settings (asked when `--engine mongodb` was given). */
async function askMongo(registry: Registry, answers: AddAnswers): Promise<void> {
  const field = (name: string, apply: (a: AddAnswers, v: string) => AddAnswers) => validator(registry, answers, name, apply);
  if (answers.target === 'lambda') {
    answers.placement = 'documentdb';
    return;
  }
  answers.placement = await select({
    message: 'Where MongoDB runs',
    default: answers.placement,
    choices: [
      { name: 'container  its own mongo container on the Docker host', value: 'container' },
      { name: 'atlas      its own MongoDB Atlas project and cluster', value: 'atlas' },
    ],
  });
  if (answers.placement === 'container') {
    const port = await input({
      message: 'Database host port (127.0.0.1 only)',
      default: answers.mongoPort ?? String(nextFreePort(registry, FIRST_MONGO_HOST_PORT, [Number(answers.port), Number(answers.frontendPort)])),
      validate: field('database.container.port', (a, v) => ({ ...a, mongoPort: v })),
    });
    answers.mongoPort = port.trim();
    return;
  }
  const access = { atlasAccess: ['203.0.113.1/32'] };
  answers.atlasOrg = (await input({ message: 'Atlas organization id', default: answers.atlasOrg, validate: field('database.atlas.organizationId', (a, v) => ({ ...a, ...access, atlasOrg: v })) })).trim();
  answers.atlasRegion = (
    await input({ message: 'Atlas region', default: answers.atlasRegion ?? 'EU_WEST_1', validate: field('database.atlas.region', (a, v) => ({ ...a, ...access, atlasRegion: v })) })
  ).trim();
  const cidrs = await input({
    message: "Addresses allowed to connect (CIDRs, comma-separated: the Docker host's and the deploy machine's)",
    validate: field('database.atlas.ipAccessList', (a, v) => ({ ...a, atlasAccess: v.split(',').map((c) => c.trim()).filter(Boolean) })),
  });
  answers.atlasAccess = cidrs.split(',').map((c) => c.trim()).filter(Boolean);
}

async function askLambda(registry: Registry, answers: AddAnswers): Promise<void> {
  const field = (name: string, apply: (a: AddAnswers, v: string) => AddAnswers) => validator(registry, answers, name, apply);
  answers.region = (await input({ message: 'AWS region', default: 'eu-west-1', validate: field('app.region', (a, v) => ({ ...a, region: v })) })).trim();
  const kind = await select({
    message: 'API build',
    choices: [
      { name: 'a zip in S3', value: 'zip' },
      { name: 'a container image in ECR', value: 'image' },
    ],
  });
  if (kind === 'zip') {
    answers.s3Bucket = (await input({ message: 'S3 bucket of the zip', validate: field('app.artifact.s3Bucket', (a, v) => ({ ...a, s3Bucket: v, s3Key: 'k', s3ObjectVersion: 'v' })) })).trim();
    answers.s3Key = (await input({ message: 'S3 key of the zip', validate: field('app.artifact.s3Key', (a, v) => ({ ...a, s3Key: v, s3ObjectVersion: 'v' })) })).trim();
    answers.s3ObjectVersion = (
      await input({ message: 'S3 object version of the zip (pins the code)', validate: field('app.artifact.s3ObjectVersion', (a, v) => ({ ...a, s3ObjectVersion: v })) })
    ).trim();
  } else {
    answers.imageUri = (await input({ message: 'ECR image URI (pinned)', validate: field('app.artifact.imageUri', (a, v) => ({ ...a, imageUri: v })) })).trim();
  }
  const architecture = await select({
    message: 'Processor the build is for',
    choices: [
      { name: 'x86_64', value: 'x86_64' },
      { name: 'arm64 (Graviton, about 20 % cheaper)', value: 'arm64' },
    ],
    default: answers.architecture ?? 'x86_64',
  });
  // The default is left out of the file, as the other defaults are.
  answers.architecture = architecture === 'x86_64' ? undefined : architecture;
  const vpcId = (
    await input({
      message: 'Existing VPC id (leave empty for a new VPC)',
      validate: (v) => (v.trim() === '' ? true : field('app.vpc.id', (a, id) => ({ ...a, vpcId: id, subnetIds: 'subnet-00000000,subnet-00000001' }))(v)),
    })
  ).trim();
  if (vpcId) {
    answers.vpcId = vpcId;
    answers.subnetIds = (
      await input({ message: 'Private subnet ids, comma-separated (two AZs at least)', validate: field('app.vpc.privateSubnetIds', (a, v) => ({ ...a, subnetIds: v })) })
    ).trim();
  }
  answers.frontend = await confirm({ message: 'Serve the frontend from S3 and CloudFront?', default: false });
}

async function askKubernetes(registry: Registry, answers: AddAnswers): Promise<void> {
  const field = (name: string, apply: (a: AddAnswers, v: string) => AddAnswers) => validator(registry, answers, name, apply);
  answers.databaseHost = (
    await input({ message: 'Database host as the pods reach it', default: answers.databaseHost, validate: field('app.databaseServer.host', (a, v) => ({ ...a, databaseHost: v })) })
  ).trim();
  answers.databaseCidrs = (
    await input({
      message: "Database server's address range(s), CIDR, comma-separated",
      default: answers.databaseCidrs,
      validate: field('app.databaseServer.cidrs', (a, v) => ({ ...a, databaseCidrs: v })),
    })
  ).trim();
  const ingressNamespace = (
    await input({
      message: "Ingress controller's namespace",
      default: answers.ingressNamespace ?? DEFAULT_INGRESS_NAMESPACE,
      validate: field('app.ingressNamespace', (a, v) => ({ ...a, ingressNamespace: v })),
    })
  ).trim();
  // The default is left out of the file, as the other defaults are.
  answers.ingressNamespace = ingressNamespace === DEFAULT_INGRESS_NAMESPACE ? undefined : ingressNamespace;
  answers.frontend = await confirm({ message: 'Run a frontend too?', default: answers.frontend ?? false });
  const host = (
    await input({
      message: 'Ingress host of the API (leave empty for no Ingress)',
      default: answers.ingressHost,
      validate: (v) => (v.trim() === '' ? true : field('app.ingress.host', (a, h) => ({ ...a, ingressHost: h }))(v)),
    })
  ).trim();
  if (!host) return;
  answers.ingressHost = host;
  answers.tlsSecret = (await input({ message: 'TLS Secret of the Ingress (in the namespace)', default: answers.tlsSecret, validate: field('app.ingress.tlsSecret', (a, v) => ({ ...a, tlsSecret: v })) })).trim();
  if (answers.frontend) {
    const frontendHost = (
      await input({
        message: 'Ingress host of the frontend (leave empty to keep it inside the cluster)',
        default: answers.frontendHost,
        validate: (v) => (v.trim() === '' ? true : field('app.ingress.frontendHost', (a, h) => ({ ...a, frontendHost: h }))(v)),
      })
    ).trim();
    answers.frontendHost = frontendHost || undefined;
  }
}

/** Asks for everything a tenant needs; prefilled answers (from flags) become the defaults. */
export async function askForTenant(registry: Registry, given: AddAnswers, io: CliIo): Promise<AddAnswers> {
  const answers: AddAnswers = { ...given, admins: [], developers: [...given.developers], customers: [...given.customers] };
  const ask = async (message: string, field: string, apply: (a: AddAnswers, v: string) => AddAnswers, suggestion?: string) =>
    (await input({ message, default: suggestion, validate: validator(registry, answers, field, apply) })).trim();

  answers.company = await ask('Company name', 'company', (a, v) => ({ ...a, company: v }), given.company);
  answers.database = await ask('Database name (the customer chooses)', 'database.name', (a, v) => ({ ...a, database: v }), given.database ?? suggestDatabaseName(answers.company, registry));
  answers.key = await ask('Tenant key (stack name, role prefix)', 'key', (a, v) => ({ ...a, key: v }), given.key ?? suggestKey(answers.database, registry));
  answers.plan = await select({
    message: 'Plan',
    default: given.plan,
    choices: PLANS.map((plan) => ({ name: `${plan.padEnd(13)} ${io.colour.dim(planDescription(plan))}`, value: plan })),
  });
  io.stdout.write(io.colour.dim('The first admin:\n'));
  answers.admins = [await askPerson(registry, answers, 'admins')];
  await askMorePeople(registry, answers, 'developers');
  await askMorePeople(registry, answers, 'customers');
  answers.target = await select({
    message: 'Where the store app runs',
    default: given.target,
    choices: [
      { name: 'docker  a container next to the database server', value: 'docker' },
      { name: 'lambda  AWS Lambda with its own RDS PostgreSQL', value: 'lambda' },
      { name: 'kubernetes  a hardened namespace of its own on a cluster', value: 'kubernetes' },
    ],
  });
  // A PostgreSQL tenant's server; a MongoDB tenant's database has a placement of its own.
  if ((answers.target === 'docker' || answers.target === 'kubernetes') && answers.engine !== 'mongodb') await askServer(registry, answers, io);
  if (answers.target === 'docker') await askDocker(registry, answers);
  else if (answers.target === 'kubernetes') await askKubernetes(registry, answers);
  else await askLambda(registry, answers);
  if (answers.engine === 'mongodb') await askMongo(registry, answers);
  return answers;
}
