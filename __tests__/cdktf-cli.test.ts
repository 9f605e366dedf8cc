/**
 * The cdktf CLI as the README runs it (`npm run synth`, `bash scripts/cdktf.sh`),
 * without a terminal, as in CI: the project's Terraform CLI configuration
 * when the machine's names a missing file, no calls to HashiCorp, plain lines
 * instead of a spinner, and a first `diff` that works from the provider mirror
 * (scripts/machine-env.sh finds it, as for the other Terraform tests).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PROJECT_ROOT, projectOutdir, runApp } from './helpers';
import { pluginMirror, writeOfflineOverride } from './support/terraform';

/** What must not reach a CI log: escape codes (the spinner), the spinner's frames, Terraform's config warnings, checkpoint calls, errors. */
// eslint-disable-next-line no-control-regex
const NOISE = /\u001b\[|[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]|CLI configuration|checkpoint|ERROR|providers for locking/i;

/** A project directory of its own: the scripts, cdktf.json and node_modules of this one; a HOME with nothing in it. */
function scratchProject(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'cdktf-cli-'));
  mkdirSync(path.join(root, 'scripts'));
  // Every shell script beside cdktf.sh: those it sources too (machine-env.sh, server-passwords.sh, ...).
  for (const script of readdirSync(path.join(PROJECT_ROOT, 'scripts')).filter((name) => name.endsWith('.sh'))) cpSync(path.join(PROJECT_ROOT, 'scripts', script), path.join(root, 'scripts', script));
  cpSync(path.join(PROJECT_ROOT, 'cdktf.json'), path.join(root, 'cdktf.json'));
  symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(root, 'node_modules'));
  mkdirSync(path.join(root, 'home'));
  return root;
}

/** The environment of a machine whose TF_CLI_CONFIG_FILE names a missing file, without a terminal. */
function machineEnv(root: string): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(CI|CHECKPOINT_DISABLE|CDKTF_.*|AWS_.*)$/.test(name)));
  return { ...inherited, HOME: path.join(root, 'home'), TF_CLI_CONFIG_FILE: path.join(root, 'home', 'no-such.terraformrc') };
}

describe('npm run synth and scripts/cdktf.sh without a terminal', () => {
  it('print nothing but the result and the policy findings when the machine names a missing CLI configuration: no Terraform warnings, no checkpoint call, no spinner', () => {
    const outdir = projectOutdir('test-cli-');
    const root = scratchProject();
    try {
      const env = machineEnv(root);
      const synth = spawnSync('npm', ['run', '--silent', 'synth', '--', '--output', outdir], { cwd: PROJECT_ROOT, encoding: 'utf8', env });
      expect(synth.status).toBe(0);
      expect(`${synth.stdout}${synth.stderr}`).not.toMatch(NOISE);
      // Besides the result, only the policy rules' own findings (warnings, and suppressions with their reasons) may be printed.
      const annotations = /(?:WARN|INFO) \[[\w/-]+\]: [A-Z0-9-]+ (?:\(warning\)|suppressed): .*?(?= (?:WARN|INFO) \[| Generated Terraform code)/g;
      expect(synth.stdout.trim().replace(/\s+/g, ' ').replace(annotations, '').trim()).toBe(
        'Generated Terraform code for the stacks: bookstore_2025, building_shop, flower_shop, flower_shop-k8s, hardware_store, online_store_2025, online_store_2025-app, online_store_2025-database, online_store_2025-network, tea_house',
      );
      expect(readdirSync(path.join(outdir, 'stacks'))).toContain('building_shop');
      const list = spawnSync('bash', ['scripts/cdktf.sh', 'list', '--output', outdir], { cwd: PROJECT_ROOT, encoding: 'utf8', env });
      expect(list.status).toBe(0);
      expect(`${list.stdout}${list.stderr}`).not.toMatch(NOISE);
      expect(list.stdout.trim().split('\n').find((line) => line.trim() && !/^(?:WARN|INFO) \[/.test(line))).toMatch(/^Stack name +Path$/);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('finds the provider mirror as the tests do (scripts/machine-env.sh) and writes it into the configuration', () => {
    const root = scratchProject();
    try {
      const { TF_PLUGIN_MIRROR: _given, ...env } = machineEnv(root);
      const found = execFileSync('bash', ['-c', '. scripts/machine-env.sh; printf %s "${TF_PLUGIN_MIRROR:-}"'], { cwd: root, encoding: 'utf8', env });
      expect(spawnSync('bash', ['scripts/cdktf.sh', '--version'], { cwd: root, encoding: 'utf8', env }).status).toBe(0);
      const config = readFileSync(path.join(root, '.terraform-cli.tfrc'), 'utf8');
      expect(found).not.toBe('');
      expect(config).toContain(`path    = ${JSON.stringify(found)}`);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('plans an AWS stack on the first cdktf diff with the provider mirror and no network, quietly', () => {
    const root = scratchProject();
    const synthesized = projectOutdir('test-diff-');
    try {
      expect(runApp({ CDKTF_OUTDIR: synthesized, TENANT_KEYS: 'online_store_2025' }).status).toBe(0);
      // The same place relative to the scratch project, so the stack's state stays inside it.
      const outdir = path.relative(PROJECT_ROOT, synthesized);
      cpSync(synthesized, path.join(root, outdir), { recursive: true });
      writeOfflineOverride(path.join(root, outdir, 'stacks', 'online_store_2025-network'));
      const env = {
        ...machineEnv(root),
        TF_PLUGIN_MIRROR: pluginMirror(),
        AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'fake-secret-for-offline-plans',
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_SHARED_CREDENTIALS_FILE: path.join(root, 'no-aws-credentials'),
        AWS_CONFIG_FILE: path.join(root, 'no-aws-config'),
      };
      const diff = spawnSync('bash', ['scripts/cdktf.sh', 'diff', 'online_store_2025-network', '--skip-synth', '--output', outdir, '--no-color'], {
        cwd: root,
        encoding: 'utf8',
        env,
        timeout: 240_000,
      });
      expect(`${diff.stdout}${diff.stderr}`).not.toMatch(NOISE);
      expect(diff.status).toBe(0);
      expect(diff.stdout).toMatch(/Plan: \d+ to add, 0 to change, 0 to destroy\./);
    } finally {
      rmSync(synthesized, { recursive: true, force: true });
      rmSync(root, { recursive: true, force: true });
    }
  }, 300_000);
});
