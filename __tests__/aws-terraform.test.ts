/**
 * Every AWS-only stack of every example Lambda tenant, and of a variant in
 * an existing VPC running an ECR image, as the app synthesizes it, through
 * real Terraform: `init` (provider from the
 * machine's mirror, no download), `validate` and `plan` with fake
 * credentials and no network. Upstream outputs that a stack reads through
 * terraform_remote_state come from stand-in state files where its backend
 * expects them. The in-database stack needs the postgresql provider, which
 * this machine does not have: it is covered by synthesis (aws-stacks.test.ts)
 * and the real-PostgreSQL suites, not here.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { missingPluginMirror } from './support/terraform';
import { awsStackNames } from '../model/naming';
import { loadRegistry } from '../tenants/registry';
import { DEFAULT_TENANTS_DIR } from '../tenants/registry/load';
import type { TenantDefinition } from '../tenants/registry/types';
import { PROJECT_ROOT, projectOutdir, runApp, tempRegistry, tenantDefinition, tenantSource } from './helpers';
import {
  PLUGIN_MIRROR_VARIABLE,
  type TerraformResult,
  pluginMirror,
  standInState,
  terraform,
  terraformEnv,
  writeCliConfig,
  writeOfflineOverride,
} from './support/terraform';
import { mapBounded } from '../ops/fleet';

interface Synthesized {
  readonly terraform: { readonly backend: { readonly local?: { readonly path: string } } };
  readonly resource?: Record<string, Record<string, unknown>>;
  readonly output?: Record<string, { value: unknown }>;
}

/** What one stack went through: the first failing command (with Terraform's message) or the plan's summary. */
interface Outcome {
  readonly failed?: { readonly command: string; readonly code: number | null; readonly message: string };
  readonly summary?: string;
  readonly seconds: number;
}

const lambdaTenants = loadRegistry(DEFAULT_TENANTS_DIR).tenants.filter((t) => t.app.target === 'lambda');

/**
 * The other shapes of a Lambda tenant. One in an existing VPC, running an
 * image from ECR, without frontend, on the smallest plan, with every network
 * option (endpoints, a deploy runner's group, an egress allow-list). One in
 * a new VPC, running a zip pinned by hash and signed, with a JWT authorizer
 * and a frontend on its own domain behind a web ACL.
 */
const VARIANTS: readonly TenantDefinition[] = [
  tenantDefinition({
    key: 'edge_shop',
    database: { name: 'edge_shop' },
    app: {
      target: 'lambda',
      region: 'eu-west-1',
      artifact: { imageUri: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/usualstore/api:1.0.0' },
      vpc: { id: 'vpc-0123456789abcdef0', privateSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'] },
      vpcEndpoints: true,
      deployRunnerSecurityGroupId: 'sg-0123456789abcdef0',
      egress: { httpsCidrs: ['203.0.113.0/24'], smtpCidrs: ['198.51.100.25/32'] },
    },
  }),
  tenantDefinition({
    key: 'signed_shop',
    plan: 'professional',
    database: { name: 'signed_shop' },
    app: {
      target: 'lambda',
      region: 'eu-west-1',
      artifact: { s3Bucket: 'usualstore-builds', s3Key: 'api/1.0.0/bootstrap.zip', sourceCodeHash: `${'A'.repeat(43)}=` },
      codeSigning: { signingProfileVersionArns: ['arn:aws:signer:eu-west-1:123456789012:/signing-profiles/usualstore/abcdefghij'] },
      authorizer: { issuer: 'https://idp.example.com/pool', audience: ['store'], routes: ['ANY /admin/{proxy+}'] },
      frontend: true,
      frontendDomain: { name: 'shop.example.com', certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012' },
      frontendWebAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/shop/12345678-1234-1234-1234-123456789012',
    },
  }),
];

const awsStacks = [...lambdaTenants.map((t) => t.key), ...VARIANTS.map((v) => v.key)].flatMap((key) => {
  const names = awsStackNames(key);
  return [names.network, names.database, names.app];
});

/** Stand-in values of the app's required variables, which have no defaults. */
const VARIABLES = { stripe_key: 'pk_test_stand_in', stripe_secret: 'sk_test_stand_in', smtp_user: 'store@example.com', smtp_password: 'stand-in' };

describe('the Terraform test setup', () => {
  it('refuses to run without the provider mirror, saying where it comes from', () => {
    expect(() => pluginMirror({})).toThrow(missingPluginMirror(PLUGIN_MIRROR_VARIABLE));
    expect(() => pluginMirror({ [PLUGIN_MIRROR_VARIABLE]: path.join(tmpdir(), 'no-such-mirror') })).toThrow(missingPluginMirror(PLUGIN_MIRROR_VARIABLE));
  });

  it("writes the project's CLI configuration: the mirror's providers from the mirror only, every other provider and every provider without a mirror downloaded", () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tf-cli-config-'));
    try {
      const withMirror = readFileSync(writeCliConfig(dir, pluginMirror()), 'utf8');
      // An HCL string: the path with backslashes and double quotes escaped, as JSON escapes them.
      expect(withMirror).toContain(`path    = ${JSON.stringify(pluginMirror())}`);
      expect(withMirror).toMatch(/filesystem_mirror \{[^}]*include = \["registry\.terraform\.io\/hashicorp\/aws"\]/);
      expect(withMirror).toMatch(/direct \{\s*exclude = \["registry\.terraform\.io\/hashicorp\/aws"\]/);
      const file = path.join(dir, 'none.tfrc');
      const env = { ...process.env, [PLUGIN_MIRROR_VARIABLE]: '' };
      execFileSync('bash', [path.join(PROJECT_ROOT, 'scripts', 'terraform-cli-config.sh'), file], { env });
      // No provider_installation at all: Terraform then also keeps its implied local mirrors (~/.terraform.d/plugins).
      expect(readFileSync(file, 'utf8')).not.toContain('provider_installation');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes a configuration Terraform reads for a mirror whose path holds a double quote and a backslash', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tf-cli-quote-'));
    try {
      const mirror = path.join(dir, 'odd "mirror" \\ dir');
      mkdirSync(path.join(mirror, 'registry.terraform.io', 'hashicorp', 'aws'), { recursive: true });
      const config = writeCliConfig(dir, mirror);
      const version = spawnSync('terraform', ['version'], { encoding: 'utf8', env: { ...process.env, TF_CLI_CONFIG_FILE: config, CHECKPOINT_DISABLE: '1' } });
      expect(`${version.stdout}${version.stderr}`).not.toMatch(/problems with the CLI configuration/);
      expect(readFileSync(config, 'utf8')).toContain(`path    = ${JSON.stringify(mirror)}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds the example Lambda tenant', () => {
    expect(lambdaTenants.map((t) => t.key)).toEqual(['online_store_2025']);
  });
});

describe('terraform init, validate and plan of every AWS stack of the example Lambda tenants, and of two variants with every option', () => {
  const outdir = projectOutdir('test-aws-');
  const variantOutdir = projectOutdir('test-aws-variant-');
  const variantRegistry = tempRegistry(Object.fromEntries(VARIANTS.map((v) => [`${v.key}.ts`, tenantSource(v)])));
  // A stand-in project root: stacks keep their place relative to it, so their
  // backends (and the remote state they read) resolve inside it, never to the
  // project's own state/.
  const root = mkdtempSync(path.join(tmpdir(), 'aws-terraform-'));
  const outcomes = new Map<string, Outcome>();
  const stacks = new Map<string, Synthesized>();

  beforeAll(async () => {
    const mirror = pluginMirror();
    const stackDirs = new Map<string, string>();
    for (const [dir, env] of [
      [outdir, {}],
      [variantOutdir, { TENANTS_DIR: variantRegistry.dir }],
    ] as const) {
      const synth = runApp({ CDKTF_OUTDIR: dir, ...env });
      if (synth.status !== 0) throw new Error(`synth failed:\n${synth.stderr}`);
      const copy = path.join(root, path.relative(PROJECT_ROOT, dir), 'stacks');
      cpSync(path.join(dir, 'stacks'), copy, { recursive: true });
      for (const name of readdirSync(copy)) {
        stackDirs.set(name, path.join(copy, name));
        stacks.set(name, JSON.parse(readFileSync(path.join(copy, name, 'cdk.tf.json'), 'utf8')) as Synthesized);
      }
    }
    // Upstream state, where each upstream stack's backend keeps it.
    for (const [name, json] of stacks) {
      if (!Object.keys(json.output ?? {}).some((o) => o.startsWith('cross-stack-output-'))) continue;
      const statePath = path.resolve(stackDirs.get(name) as string, json.terraform.backend.local?.path ?? '');
      if (!statePath.startsWith(root + path.sep)) throw new Error(`${name} keeps its state outside the test root: ${statePath}`);
      mkdirSync(path.dirname(statePath), { recursive: true });
      writeFileSync(statePath, JSON.stringify(standInState(name, json), null, 2));
    }
    const env = terraformEnv(writeCliConfig(root, mirror), root, VARIABLES);
    const results = await mapBounded(awsStacks, 3, async (name): Promise<Outcome> => {
      const started = Date.now();
      const dir = stackDirs.get(name) as string;
      writeOfflineOverride(dir);
      // The planned stack's own state goes elsewhere, so its plan starts empty even when it is also an upstream.
      const ownState = path.join(root, 'planned', `${name}.tfstate`);
      const commands: [string, string[]][] = [
        ['init', ['init', '-input=false', '-no-color', `-backend-config=path=${ownState}`]],
        ['validate', ['validate', '-no-color']],
        ['plan', ['plan', '-input=false', '-no-color', '-lock=false']],
      ];
      let last: TerraformResult | undefined;
      for (const [command, args] of commands) {
        last = await terraform(args, dir, env);
        if (last.code !== 0) return { failed: { command, code: last.code, message: last.stderr || last.stdout }, seconds: (Date.now() - started) / 1000 };
      }
      return { summary: /^Plan: .*$/m.exec(last?.stdout ?? '')?.[0], seconds: (Date.now() - started) / 1000 };
    });
    awsStacks.forEach((name, i) => outcomes.set(name, results[i]));
  }, 300_000);

  afterAll(() => {
    variantRegistry.cleanup();
    rmSync(variantOutdir, { recursive: true, force: true });
    rmSync(outdir, { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
  });

  test.each(awsStacks)('%s initializes from the mirror, validates and plans to create every resource', (name) => {
    const outcome = outcomes.get(name);
    const resources = Object.values(stacks.get(name)?.resource ?? {}).reduce((n, byId) => n + Object.keys(byId).length, 0);
    expect(outcome?.failed).toBeUndefined();
    expect(outcome?.summary).toBe(`Plan: ${resources} to add, 0 to change, 0 to destroy.`);
  });

  it('plans only stacks that use the AWS provider alone', () => {
    const providers = awsStacks.map((name) => Object.keys((stacks.get(name) as unknown as { provider: object }).provider));
    expect(providers).toEqual(awsStacks.map(() => ['aws']));
  });
});
