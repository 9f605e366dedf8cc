import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Problem } from '../../model/problems';
import { mongoAccessModel } from '../../model/mongo-access-model';
import { type PeopleField, kubernetesStackName, tenantRoleNames } from '../../model/naming';
import { type Registry, leastLoadedServer } from '../../tenants/registry';
import { DEFAULT_SERVER } from '../../model/servers';
import { displayPath } from '../../tenants/registry';
import { registryImportFor, renderTenantFile } from '../../tenants/registry';
import type { TenantDefinition } from '../../tenants/registry';
import { checkNewTenant, tenantFile } from '../add/check';
import { type AddAnswers, definitionFrom, flagMessage, otherEngineFlags, otherTargetFlags, parsePerson, parseTag } from '../add/definition';
import { CommandFailed, UsageError } from '../errors';
import type { Colours, CliIo } from '../io';
import { registry as loadRegistry } from '../registry';

/** commander's view of the flags: people and tags as typed, the rest as in {@link AddAnswers}. */
type AddOptions = Omit<AddAnswers, PeopleField | 'tags' | 'atlasAccess'> & {
  atlasAccess: string[];
  admin: string[];
  developer: string[];
  customer: string[];
  tag: string[];
  yes?: boolean;
  dryRun?: boolean;
};

const collect = (value: string, previous: string[]) => [...previous, value];

/** Flags as answers, and the problems of flags that do not even parse. */
function answersFromFlags(options: AddOptions): { answers: AddAnswers; problems: Problem[] } {
  const problems: Problem[] = [];
  const people = (flag: string, values: string[]) =>
    values.flatMap((text) => {
      const parsed = parsePerson(flag, text);
      if ('rule' in parsed) {
        problems.push(parsed);
        return [];
      }
      return [parsed];
    });
  const tags: Record<string, string> = {};
  for (const text of options.tag) {
    const parsed = parseTag(text);
    if ('rule' in parsed) problems.push(parsed);
    else tags[parsed[0]] = parsed[1];
  }
  const { admin, developer, customer, tag: _tag, yes: _yes, dryRun: _dryRun, ...rest } = options;
  const answers: AddAnswers = {
    ...rest,
    admins: people('--admin', admin),
    developers: people('--developer', developer),
    customers: people('--customer', customer),
    tags,
  };
  return { answers, problems };
}

/** A usage error listing every problem with the flags. */
function flagProblems(problems: readonly Problem[]): UsageError {
  return new UsageError(
    `${problems.length} problem${problems.length === 1 ? '' : 's'} with the flags; nothing was written:\n${problems.map((p) => `  - ${flagMessage(p)}`).join('\n')}`,
  );
}

/** The tenant file's source, as it is written. */
function tenantSource(reg: Registry, definition: TenantDefinition): string {
  return renderTenantFile(definition, registryImportFor(reg.dir));
}

/** Where the tenant goes, and the open server with the most room when that is another. */
function placementLine(reg: Registry, definition: TenantDefinition, colour: Colours): string | undefined {
  if (definition.app.target === 'lambda' || definition.database.engine === 'mongodb') return undefined;
  const server = definition.database.server ?? DEFAULT_SERVER;
  const roomiest = leastLoadedServer(reg.servers, reg.tenants);
  const hint = roomiest !== server ? colour.dim(` (the open server with the most room is ${roomiest}: --server ${roomiest})`) : '';
  return `Database server: ${server}${hint}`;
}

function summary(reg: Registry, definition: TenantDefinition, colour: Colours, dryRun = false): string {
  const people = { developers: [], customers: [], ...definition.people };
  const shown = displayPath(tenantFile(reg, definition.key));
  const placement = placementLine(reg, definition, colour);
  // A MongoDB tenant's users, with their roles on its database; a PostgreSQL tenant's roles.
  const [what, names] =
    definition.database.engine === 'mongodb'
      ? ['Users', mongoAccessModel({ key: definition.key, database: definition.database, people }).users.map((u) => `${u.name} (${u.roles.map((r) => r.role).join(', ')})`)]
      : ['Roles', tenantRoleNames({ key: definition.key, people }).all.map((r) => r.role)];
  return [
    colour.bold(dryRun ? `--dry-run: would write ${shown} (nothing was written):` : `${shown} will hold:`),
    tenantSource(reg, definition),
    colour.bold(dryRun ? `${what} it would get:` : `${what} it will get:`),
    `  ${names.join(', ')}`,
    ...(placement ? [placement] : []),
    '',
  ].join('\n');
}

function nextSteps(file: string, key: string, colour: Colours, target?: unknown): string {
  return [
    colour.green(`Wrote ${displayPath(file)}.`),
    'Next steps:',
    `  bash scripts/cdktf.sh diff ${key}      # review what the deploy will create`,
    `  bash scripts/cdktf.sh deploy ${key}    # create it (export PG*, DOCKER_HOST and TF_VAR_* first; see README)`,
    ...(target === 'kubernetes' ? [`  bash scripts/cdktf.sh deploy ${kubernetesStackName(key)}    # then its namespace and app (KUBE_CONFIG_PATH and KUBE_CTX first; see README)`] : []),
    '',
  ].join('\n');
}

/** Writes the tenant file; refuses to replace one that exists, even if it appeared meanwhile. */
function writeTenant(reg: Registry, definition: TenantDefinition): string {
  const file = tenantFile(reg, definition.key);
  try {
    writeFileSync(file, tenantSource(reg, definition), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new CommandFailed(`${file} already exists; tenant files are never overwritten`);
    throw error;
  }
  return file;
}

/** `tenants add`: onboards a customer, interactively in a terminal or from flags with --yes. */
export function registerAdd(program: Command, io: CliIo): void {
  program
    .command('add')
    .description('onboard a customer: ask (or take from flags) everything about it, check it, write tenants/<key>.ts')
    .option('--key <key>', 'tenant key: stack name and role prefix')
    .option('--company <name>', 'company name')
    .option('--database <name>', 'database name the customer chose')
    .option('--collation <collation>', 'database collation (default en_US.UTF-8)')
    .option('--server <name>', 'docker: the database server of the fleet (servers/<name>.ts; default: the environment\'s, "default")')
    .option('--plan <plan>', 'free | starter | professional | enterprise')
    .option('--admin <username:email>', 'an admin (repeat for more)', collect, [])
    .option('--developer <username:email>', 'a developer (repeatable)', collect, [])
    .option('--customer <username:email>', 'a customer (repeatable)', collect, [])
    .option('--target <target>', 'docker | lambda | kubernetes', 'docker')
    .option('--port <port>', 'docker: host port of the API')
    .option('--frontend-port <port>', 'docker: host port of a frontend container')
    .option('--image <image>', 'docker, kubernetes: API image, pinned (default ghcr.io/usualstore/api:1.0.0)')
    .option('--region <region>', 'lambda: AWS region')
    .option('--s3-bucket <bucket>', 'lambda: bucket of the API zip')
    .option('--s3-key <key>', 'lambda: key of the API zip')
    .option('--s3-object-version <id>', 'lambda: version id of that zip in its versioned bucket (pins the code)')
    .option('--image-uri <uri>', 'lambda: ECR image of the API, pinned')
    .option('--architecture <arch>', 'lambda: x86_64 | arm64, the processor the build is for (default x86_64)')
    .option('--vpc-id <id>', 'lambda: existing VPC (default: a new one)')
    .option('--subnet-ids <ids>', 'lambda: private subnets of that VPC, comma-separated')
    .option('--frontend', 'lambda: serve the frontend from S3 and CloudFront; kubernetes: run a frontend Deployment')
    .option('--database-host <host>', "kubernetes: the tenant's database server as the pods reach it")
    .option('--database-cidrs <cidrs>', "kubernetes: the database server's IPv4 ranges, comma-separated (the API's only egress besides DNS)")
    .option('--ingress-namespace <namespace>', "kubernetes: the ingress controller's namespace (default ingress-nginx)")
    .option('--ingress-host <host>', 'kubernetes: host name of an Ingress for the API (default: no Ingress)')
    .option('--frontend-host <host>', 'kubernetes: host name of the frontend on that Ingress (needs --frontend)')
    .option('--tls-secret <name>', "kubernetes: the Ingress's TLS Secret in the tenant's namespace")
    .option('--tag <key=value>', 'a tag on everything the tenant gets (repeatable)', collect, [])
    .option('--engine <engine>', 'postgresql (default) | mongodb')
    .option('--placement <placement>', 'mongodb: container (docker) | documentdb (lambda) | atlas (docker)')
    .option('--mongo-port <port>', 'mongodb container: host port of the database (127.0.0.1 only)')
    .option('--mongo-image <image>', 'mongodb container: mongo image, pinned (default mongo:7.0.14)')
    .option('--docdb-class <class>', "mongodb documentdb: instance class, one the plan allows (default the plan's)")
    .option('--atlas-org <id>', 'mongodb atlas: organization id (24 hex digits)')
    .option('--atlas-project <id>', "mongodb atlas: an existing project of this tenant's (default a new one)")
    .option('--atlas-region <region>', 'mongodb atlas: region, e.g. EU_WEST_1')
    .option('--atlas-tier <tier>', "mongodb atlas: cluster tier (default the plan's)")
    .option('--atlas-access <cidr>', 'mongodb atlas: an address range allowed to connect (repeatable)', collect, [])
    .option('-y, --yes', 'write without asking: the non-interactive mode for scripts and CI')
    .option('--dry-run', 'check everything and show the file and roles it would write, but write nothing (no --yes needed)')
    .addHelpText(
      'after',
      '\nIn a terminal without --yes, add asks for every value (flags become the suggested answers).\n' +
        'Example:\n  npx tenants add --key test_shop --company "Test Shop" --database test_shop --plan free \\\n' +
        '    --admin alice:alice@test.example --developer bob:bob@test.example --target docker --port 4010 --yes\n' +
        '  npx tenants add --key cluster_shop --company "Cluster Shop" --database cluster_shop --plan starter --admin ann:ann@cluster.example \\\n' +
        '    --target kubernetes --database-host db.internal.example --database-cidrs 10.20.0.15/32 --frontend \\\n' +
        '    --ingress-host api.cluster.example --frontend-host cluster.example --tls-secret cluster-tls --yes',
    )
    .action(async (options: AddOptions, command: Command) => {
      const reg = loadRegistry(io.env);
      const { answers: given, problems: parseProblems } = answersFromFlags(options);
      const interactive = io.interactive && !options.yes;
      // In a terminal, flags are suggested answers and the target is asked: refused only against a --target given.
      const misplaced = [...(!interactive || command.getOptionValueSource('target') === 'cli' ? otherTargetFlags(given) : []), ...otherEngineFlags(given)];
      if (interactive) {
        if (misplaced.length) throw flagProblems(misplaced);
        const [{ askForTenant }, { confirm }] = await Promise.all([import('../add/prompts'), import('@inquirer/prompts')]);
        const answers = await askForTenant(reg, given, io);
        const raw = definitionFrom(answers);
        const problems = checkNewTenant(reg, raw);
        const definition = raw as unknown as TenantDefinition;
        if (problems.length) throw new CommandFailed(`the answers have problems; nothing was written:\n${problems.map((p) => `  - ${flagMessage(p)}`).join('\n')}`);
        io.stdout.write(summary(reg, definition, io.colour, options.dryRun));
        if (options.dryRun) return;
        if (!(await confirm({ message: `Write ${displayPath(tenantFile(reg, definition.key))}?`, default: true }))) {
          io.stdout.write('Nothing written.\n');
          return;
        }
        io.stdout.write(nextSteps(writeTenant(reg, definition), definition.key, io.colour, definition.app.target));
        return;
      }
      const raw = definitionFrom(given);
      const problems = [...parseProblems, ...misplaced, ...checkNewTenant(reg, raw)];
      if (!options.yes && !options.dryRun) problems.push({ file: '--yes', field: '', value: undefined, rule: 'is required without a terminal: it confirms writing the file' });
      if (problems.length) throw flagProblems(problems);
      if (options.dryRun) {
        io.stdout.write(summary(reg, raw as unknown as TenantDefinition, io.colour, true));
        return;
      }
      io.stdout.write(nextSteps(writeTenant(reg, raw as unknown as TenantDefinition), String(raw.key), io.colour, (raw.app as { target?: unknown }).target));
    });
}
