/**
 * The AWS-only stacks of DocumentDB tenants (`<key>-network`, `<key>-database`,
 * `<key>-app`), as the app synthesizes them, through the real Terraform,
 * offline, as aws-terraform.test.ts does for RDS tenants: `init` from the
 * machine's provider mirror, `validate`, and `plan` with fake credentials,
 * upstream outputs read from stand-in state. The `<key>` stack (generated
 * passwords and the runner) needs the random provider, which the mirror does
 * not have: it is covered by synthesis (mongo-stacks.test.ts). The container's
 * docker and Atlas's mongodbatlas providers are not here either.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { awsStackNames } from '../model/naming';
import { mapBounded } from '../ops/fleet';
import type { TenantDefinition } from '../tenants/registry/types';
import { PROJECT_ROOT, projectOutdir, mongoTenantDefinition, runApp, tempRegistry, tenantSource } from './helpers';
import { pluginMirror, standInState, terraform, terraformEnv, writeCliConfig, writeOfflineOverride } from './support/terraform';

interface Synthesized {
  readonly terraform: { readonly backend: { readonly local?: { readonly path: string } } };
  readonly provider: Record<string, unknown>;
  readonly resource?: Record<string, Record<string, unknown>>;
  readonly output?: Record<string, { value: unknown }>;
}

const LAMBDA = { target: 'lambda', region: 'eu-west-1', artifact: { s3Bucket: 'usualstore-builds', s3Key: 'api/1.0.0/bootstrap.zip', s3ObjectVersion: 'v1' } } as const;

/** The smallest plan in a new VPC, and the largest in an existing VPC with a class of its choosing and a frontend. */
const VARIANTS: readonly TenantDefinition[] = [
  mongoTenantDefinition({ key: 'docs_small', plan: 'free', app: LAMBDA }, { name: 'docs-small', placement: 'documentdb', container: undefined }),
  mongoTenantDefinition(
    {
      key: 'docs_large',
      plan: 'enterprise',
      app: {
        ...LAMBDA,
        frontend: true,
        vpc: { id: 'vpc-0123456789abcdef0', privateSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'] },
        deployRunnerSecurityGroupId: 'sg-0123456789abcdef0',
      },
    },
    { name: 'Docs_Large', placement: 'documentdb', container: undefined, documentdb: { instanceClass: 'db.r6g.2xlarge' } },
  ),
];

const STACKS = VARIANTS.flatMap((v) => {
  const names = awsStackNames(v.key);
  return [names.network, names.database, names.app];
});

/** Stand-in values of the app's required variables, which have no defaults. */
const VARIABLES = { stripe_key: 'pk_test_stand_in', stripe_secret: 'sk_test_stand_in', smtp_user: 'store@example.com', smtp_password: 'stand-in' };

describe('terraform init, validate and plan of the AWS stacks of DocumentDB tenants', () => {
  const outdir = projectOutdir('test-docdb-');
  const registry = tempRegistry(Object.fromEntries(VARIANTS.map((v) => [`${v.key}.ts`, tenantSource(v)])));
  const root = mkdtempSync(path.join(tmpdir(), 'docdb-terraform-'));
  const outcomes = new Map<string, { failed?: string; summary?: string }>();
  const stacks = new Map<string, Synthesized>();

  beforeAll(async () => {
    const synth = runApp({ CDKTF_OUTDIR: outdir, TENANTS_DIR: registry.dir });
    if (synth.status !== 0) throw new Error(`synth failed:\n${synth.stderr}`);
    const copy = path.join(root, path.relative(PROJECT_ROOT, outdir), 'stacks');
    cpSync(path.join(outdir, 'stacks'), copy, { recursive: true });
    const dirs = new Map<string, string>();
    for (const name of readdirSync(copy)) {
      dirs.set(name, path.join(copy, name));
      stacks.set(name, JSON.parse(readFileSync(path.join(copy, name, 'cdk.tf.json'), 'utf8')) as Synthesized);
    }
    // Upstream state where each upstream stack's backend keeps it, with stand-in outputs.
    for (const [name, json] of stacks) {
      if (!Object.keys(json.output ?? {}).some((o) => o.startsWith('cross-stack-output-'))) continue;
      const statePath = path.resolve(dirs.get(name) as string, json.terraform.backend.local?.path ?? '');
      if (!statePath.startsWith(root + path.sep)) throw new Error(`${name} keeps its state outside the test root: ${statePath}`);
      mkdirSync(path.dirname(statePath), { recursive: true });
      writeFileSync(statePath, JSON.stringify(standInState(name, json), null, 2));
    }
    const env = terraformEnv(writeCliConfig(root, pluginMirror()), root, VARIABLES);
    const results = await mapBounded(STACKS, 3, async (name) => {
      const dir = dirs.get(name) as string;
      writeOfflineOverride(dir);
      const ownState = path.join(root, 'planned', `${name}.tfstate`);
      const commands: [string, string[]][] = [
        ['init', ['init', '-input=false', '-no-color', `-backend-config=path=${ownState}`]],
        ['validate', ['validate', '-no-color']],
        ['plan', ['plan', '-input=false', '-no-color', '-lock=false']],
      ];
      let stdout = '';
      for (const [command, args] of commands) {
        const result = await terraform(args, dir, env);
        if (result.code !== 0) return { failed: `${command}: ${result.stderr || result.stdout}` };
        stdout = result.stdout;
      }
      return { summary: /^Plan: .*$/m.exec(stdout)?.[0] };
    });
    STACKS.forEach((name, i) => outcomes.set(name, results[i]));
  }, 300_000);

  afterAll(() => {
    registry.cleanup();
    rmSync(outdir, { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
  });

  test.each(STACKS)('%s initializes from the mirror, validates and plans to create every resource', (name) => {
    const outcome = outcomes.get(name);
    const resources = Object.values(stacks.get(name)?.resource ?? {}).reduce((n, byId) => n + Object.keys(byId).length, 0);
    expect(outcome?.failed).toBeUndefined();
    expect(outcome?.summary).toBe(`Plan: ${resources} to add, 0 to change, 0 to destroy.`);
  });

  it('plans stacks that use the AWS provider alone, one of them a DocumentDB cluster of the plan', () => {
    expect(STACKS.map((name) => Object.keys(stacks.get(name)?.provider ?? {}))).toEqual(STACKS.map(() => ['aws']));
    const instances = (key: string) => Object.values(stacks.get(`${key}-database`)?.resource?.aws_docdb_cluster_instance ?? {}).map((i) => (i as { instance_class: string }).instance_class);
    expect([instances('docs_small'), instances('docs_large')]).toEqual([['db.t4g.medium'], ['db.r6g.2xlarge', 'db.r6g.2xlarge', 'db.r6g.2xlarge']]);
  });
});
