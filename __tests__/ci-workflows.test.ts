/**
 * The CI workflows (.github/workflows) and the scripts they call. The
 * workflows are linted offline by GitHub's own parser and by actionlint
 * (scripts/ci/lint-workflows.ts) and read for what they promise: review on
 * every pull request, deploy on merge one tenant per job, canary first, a
 * concurrency group per tenant, check-plan before apply, credentials from
 * OIDC and secrets only. The scripts run as the workflows run them; where a
 * part cannot run here (GitHub's API, Terraform with the postgresql and
 * docker providers) a stand-in takes its place, and the test says so.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import type { FleetReview } from '../ops/review/fleet-review';
import { deployMatrix, githubOutput, reviewOutputs, serverPasswords } from '../scripts/ci/review-outputs';
import { upsertReviewComment } from '../scripts/ci/pr-comment';
import { REVIEW_MARKER } from '../cli/review-markdown';
import { PROJECT_ROOT } from './helpers';
import { type TempProject, tempProject } from '../testbed/temp-project';

type Workflow = { on: Record<string, unknown>; permissions?: Record<string, string>; jobs: Record<string, Record<string, unknown> & { steps?: Record<string, unknown>[] }> };
const workflow = (name: string) => parse(readFileSync(path.join(PROJECT_ROOT, '.github', 'workflows', name), 'utf8')) as Workflow;
const runs = (w: Workflow, job: string) => (w.jobs[job].steps ?? []).map((s) => String(s.run ?? s.uses ?? ''));

const lint = (...files: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'scripts', 'ci', 'lint-workflows.ts'), ...files], { cwd: PROJECT_ROOT, encoding: 'utf8' });

describe('the workflows', () => {
  it('parse and lint clean with GitHub\'s workflow parser and actionlint', () => {
    const run = lint();
    expect(run.stdout).toBe('4 workflows, 0 problems\n');
    expect(run.status).toBe(0);
  });

  it('would fail lint on a broken workflow (the linters bite)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'workflows-'));
    try {
      const broken = path.join(dir, 'deploy.yml');
      writeFileSync(broken, readFileSync(path.join(PROJECT_ROOT, '.github', 'workflows', 'deploy.yml'), 'utf8').replace('needs: [plan, canary]', 'needs: [plan, canry]'));
      const run = lint(broken);
      expect(run.status).toBe(1);
      expect(run.stdout).toContain('canry');
      expect(run.stdout).toContain('[actionlint]');
      expect(run.stdout).toContain('[workflow-parser]');
      // A self-hosted runner label that .github/actionlint.yaml does not declare is still a problem.
      const unknownLabel = path.join(dir, 'backup.yml');
      writeFileSync(unknownLabel, readFileSync(path.join(PROJECT_ROOT, '.github', 'workflows', 'backup.yml'), 'utf8').replace('database-network', 'database-netwrok'));
      const labelled = lint(unknownLabel);
      expect(labelled.status).toBe(1);
      expect(labelled.stdout).toContain('label "database-netwrok" is unknown');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('review every pull request: install, test, review against the base, publish, upload the changed stacks', () => {
    const review = workflow('review.yml');
    expect(Object.keys(review.on)).toEqual(['pull_request']);
    const steps = runs(review, 'review');
    const at = (text: string) => steps.findIndex((s) => s.includes(text));
    expect(at('npm ci')).toBeGreaterThan(-1);
    expect(at('npm ci')).toBeLessThan(at('npm test'));
    expect(at('npm test')).toBeLessThan(at('npx tenants review --base "origin/$BASE_REF"'));
    expect(at('GITHUB_STEP_SUMMARY')).toBeGreaterThan(at('npx tenants review'));
    expect(at('scripts/ci/pr-comment.ts')).toBeGreaterThan(at('npx tenants review'));
    expect(at('actions/upload-artifact')).toBeGreaterThan(at('scripts/ci/review-outputs.ts'));
    expect(review.jobs.review.steps?.find((s) => s.uses === 'actions/checkout@v4')?.with).toEqual({ 'fetch-depth': 0, 'persist-credentials': false });
  });

  it('deploy on merge to main: a canary tenant, then the rest a few at a time, each tenant its own job', () => {
    const deploy = workflow('deploy.yml');
    expect(deploy.on).toEqual({ push: { branches: ['main'] } });
    const { canary, rest } = deploy.jobs;
    expect(canary.uses).toBe('./.github/workflows/deploy-tenant.yml');
    expect(canary.strategy).toEqual({ matrix: '${{ fromJSON(needs.plan.outputs.canary) }}' });
    expect(rest.uses).toBe('./.github/workflows/deploy-tenant.yml');
    expect(rest.needs).toEqual(['plan', 'canary']);
    expect(rest.strategy).toEqual({ 'fail-fast': false, 'max-parallel': 4, matrix: '${{ fromJSON(needs.plan.outputs.rest) }}' });
    expect(String(rest.if)).toContain("needs.canary.result == 'success'");
  });

  it("deploy a tenant in a concurrency group of its own that never cancels a running deploy, checking every plan", () => {
    const tenant = workflow('deploy-tenant.yml');
    expect(Object.keys(tenant.on)).toEqual(['workflow_call']);
    expect(tenant.jobs.deploy.concurrency).toEqual({ group: 'deploy-tenant-${{ inputs.tenant }}', 'cancel-in-progress': false });
    expect(tenant.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(runs(tenant, 'deploy').some((s) => s.includes('bash scripts/ci/deploy-tenant.sh "$TENANT"'))).toBe(true);
  });

  it('take credentials from OIDC and secrets only, never from files, and never put a secret or input in a script', () => {
    for (const name of ['review.yml', 'deploy.yml', 'deploy-tenant.yml']) {
      const text = readFileSync(path.join(PROJECT_ROOT, '.github', 'workflows', name), 'utf8');
      expect(text).not.toMatch(/aws_access_key_id|aws-access-key-id|credentials_file|shared-credentials|\.aws\/credentials|> *[~\w/.-]*(key|pem|credentials)\b/i);
      for (const step of Object.values(workflow(name).jobs).flatMap((job) => job.steps ?? [])) {
        expect(String(step.run ?? '')).not.toMatch(/\$\{\{\s*(secrets|inputs|github\.event)\./);
      }
    }
    const tenant = readFileSync(path.join(PROJECT_ROOT, '.github', 'workflows', 'deploy-tenant.yml'), 'utf8');
    expect(tenant).toContain('aws-actions/configure-aws-credentials@v4');
    expect(tenant).toContain('role-to-assume: ${{ vars.AWS_DEPLOY_ROLE_ARN }}');
    // No checkout leaves the job's token in .git/config, where the pull request's code could read it.
    for (const name of ['review.yml', 'deploy.yml', 'deploy-tenant.yml', 'backup.yml']) {
      const checkouts = Object.values(workflow(name).jobs).flatMap((job) => job.steps ?? []).filter((step) => String(step.uses ?? '').startsWith('actions/checkout@'));
      expect(checkouts.length).toBeGreaterThan(0);
      for (const step of checkouts) expect(step.with).toMatchObject({ 'persist-credentials': false });
    }
    // A Kubernetes tenant's cluster token is a secret too; its address and CA are settings.
    expect(tenant).toContain('KUBE_TOKEN: ${{ secrets.KUBE_TOKEN }}');
    expect(tenant).toContain('KUBE_HOST: ${{ vars.KUBE_HOST }}');
    // Each server's admin password is its own secret, chosen by the deploy matrix (scripts/ci/review-outputs.ts).
    expect(tenant).toContain("SERVER_PASSWORD: ${{ inputs.password != '' && secrets[inputs.password] || '' }}");
    expect(workflow('deploy.yml').jobs.rest).toMatchObject({ with: { password: '${{ matrix.password }}' } });
  });
});

/** A review as `tenants review --json` writes it, with the parts the scripts read. */
function reviewOf(stacks: { stack: string; status: 'added' | 'changed' | 'removed' }[]): FleetReview {
  const tenants = [...new Set(stacks.map((s) => s.stack.split('-')[0]))];
  return {
    base: 'main',
    head: 'working tree',
    flags: [],
    allowed: [],
    expected: [],
    tenants: tenants.map((tenant) => ({ tenant, status: 'changed', offboarding: false, stacks: stacks.filter((s) => s.stack.split('-')[0] === tenant).map((s) => s.stack) })),
    stacks: stacks.map((s) => ({ ...s, tenant: s.stack.split('-')[0], added: [], changed: [], removed: [] })),
    migrations: { added: [], edited: [], removed: [] },
    unchangedStacks: 3,
  };
}

describe('scripts/ci/review-outputs.ts', () => {
  const review = reviewOf([
    { stack: 'zoo_shop', status: 'changed' },
    { stack: 'cloud_shop-app', status: 'changed' },
    { stack: 'cloud_shop', status: 'changed' },
    { stack: 'cloud_shop-network', status: 'added' },
    { stack: 'old_shop', status: 'removed' },
    { stack: 'building_shop', status: 'changed' },
  ]);

  it('deploys each changed tenant once, its stacks in deploy order, never a removed one; the canary first', () => {
    const passwords = new Map([['building_shop', 'PGPASSWORD'], ['zoo_shop', 'PGPASSWORD_EU_SHARED_2']]);
    expect(deployMatrix(review, 'zoo_shop', passwords)).toEqual({
      canary: [{ tenant: 'zoo_shop', stacks: 'zoo_shop', password: 'PGPASSWORD_EU_SHARED_2' }],
      rest: [
        { tenant: 'building_shop', stacks: 'building_shop', password: 'PGPASSWORD' },
        { tenant: 'cloud_shop', stacks: 'cloud_shop-network cloud_shop cloud_shop-app', password: '' },
      ],
    });
    // A canary that did not change: the first changed tenant goes first.
    expect(deployMatrix(review, 'nobody').canary).toEqual([{ tenant: 'building_shop', stacks: 'building_shop', password: '' }]);
    // A Kubernetes tenant's app stack after its database stack, whose outputs it reads.
    const kubernetes = reviewOf([{ stack: 'flower_shop-k8s', status: 'changed' }, { stack: 'flower_shop', status: 'changed' }]);
    expect(deployMatrix(kubernetes).canary).toEqual([{ tenant: 'flower_shop', stacks: 'flower_shop flower_shop-k8s', password: '' }]);
    expect(deployMatrix(reviewOf([]))).toEqual({ canary: [], rest: [] });
  });

  it("names each tenant's server password secret from the registry: its server's, none for its own RDS instance or MongoDB", () => {
    expect(Object.fromEntries(serverPasswords())).toEqual({
      bookstore_2025: 'PGPASSWORD_EU_SHARED_2',
      building_shop: 'PGPASSWORD',
      flower_shop: 'PGPASSWORD',
      hardware_store: 'PGPASSWORD',
      online_store_2025: '',
      tea_house: '',
    });
  });

  it('writes the outputs the workflows read to $GITHUB_OUTPUT', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'outputs-'));
    try {
      writeFileSync(path.join(dir, 'review.json'), JSON.stringify(review));
      const output = path.join(dir, 'github-output');
      const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'scripts', 'ci', 'review-outputs.ts'), path.join(dir, 'review.json')], {
        encoding: 'utf8',
        env: { ...process.env, GITHUB_OUTPUT: output, CANARY_TENANT: 'cloud_shop' },
      });
      expect(run.status).toBe(0);
      expect(readFileSync(output, 'utf8')).toBe(githubOutput(reviewOutputs(review, 'cloud_shop', serverPasswords())));
      expect(readFileSync(output, 'utf8')).toContain(
        'stack-paths<<EOF_STACK-PATHS\ncdktf.out/stacks/zoo_shop\ncdktf.out/stacks/cloud_shop-app\ncdktf.out/stacks/cloud_shop\ncdktf.out/stacks/cloud_shop-network\ncdktf.out/stacks/building_shop\nEOF_STACK-PATHS\n',
      );
      expect(readFileSync(output, 'utf8')).toContain('canary={"include":[{"tenant":"cloud_shop","stacks":"cloud_shop-network cloud_shop cloud_shop-app","password":""}]}\nrest=');
      expect(readFileSync(output, 'utf8')).toContain('has-canary=true\nhas-rest=true\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('scripts/ci/pr-comment.ts, against a stand-in for GitHub\'s API (no GitHub here)', () => {
  let server: Server;
  let api: string;
  const comments: { id: number; body: string }[] = [{ id: 1, body: 'LGTM' }];
  const requests: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        requests.push(`${req.method} ${req.url} ${req.headers.authorization}`);
        res.setHeader('content-type', 'application/json');
        if (req.method === 'GET') {
          res.end(JSON.stringify(comments));
          return;
        }
        const sent = JSON.parse(body) as { body: string };
        if (req.method === 'POST') {
          comments.push({ id: 2, body: sent.body });
          res.end(JSON.stringify({ id: 2 }));
          return;
        }
        const id = Number(req.url?.split('/').pop());
        const found = comments.find((c) => c.id === id);
        if (found) found.body = sent.body;
        res.end(JSON.stringify({ id }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address() as { port: number };
    api = `http://127.0.0.1:${address.port}`;
  });
  afterAll(() => server.close());

  it('makes the review comment once, then updates it', async () => {
    const target = { api, repository: 'acme/fleet', pullRequest: 7, token: 'test-token' };
    expect(await upsertReviewComment(target, `${REVIEW_MARKER}\nfirst`)).toEqual({ action: 'created', id: 2 });
    expect(await upsertReviewComment(target, `${REVIEW_MARKER}\nsecond`)).toEqual({ action: 'updated', id: 2 });
    expect(comments).toEqual([
      { id: 1, body: 'LGTM' },
      { id: 2, body: `${REVIEW_MARKER}\nsecond` },
    ]);
    expect(requests).toEqual([
      'GET /repos/acme/fleet/issues/7/comments?per_page=100&page=1 Bearer test-token',
      'POST /repos/acme/fleet/issues/7/comments Bearer test-token',
      'GET /repos/acme/fleet/issues/7/comments?per_page=100&page=1 Bearer test-token',
      'PATCH /repos/acme/fleet/issues/comments/2 Bearer test-token',
    ]);
  });
});

describe('scripts/ci/deploy-tenant.sh, with a stand-in terraform (no postgresql or docker provider runs here)', () => {
  let project: TempProject;
  let bin: string;
  beforeAll(() => {
    project = tempProject();
    bin = mkdtempSync(path.join(tmpdir(), 'stand-in-'));
    // Records every call; `show -json` prints the plan the test chose.
    writeFileSync(
      path.join(bin, 'terraform'),
      '#!/usr/bin/env bash\necho "terraform $*" >> "$CALLS"\nif [ "$2" = show ]; then cat "$PLAN"; fi\n' +
        // Which server passwords a plan would see, by variable name (never the value).
        'if [ "$2" = plan ]; then for v in $(compgen -e); do case "$v" in TF_VAR_pgpassword_* | PGPASSWORD*) echo "env $v" >> "$CALLS" ;; esac; done; fi\n',
    );
    chmodSync(path.join(bin, 'terraform'), 0o755);
  });
  afterAll(() => {
    project?.dispose();
    rmSync(bin, { recursive: true, force: true });
  });

  function deploy(args: string[], plan: unknown, env: NodeJS.ProcessEnv = {}) {
    const dir = mkdtempSync(path.join(tmpdir(), 'deploy-'));
    writeFileSync(path.join(dir, 'plan.json'), JSON.stringify(plan));
    writeFileSync(path.join(dir, 'calls'), '');
    const run = spawnSync('bash', [path.join(project.root, 'scripts', 'ci', 'deploy-tenant.sh'), ...args], {
      cwd: project.root,
      encoding: 'utf8',
      // An undefined value unsets the variable.
      env: Object.fromEntries(
        Object.entries({ ...process.env, PATH: `${bin}:${process.env.PATH}`, CALLS: path.join(dir, 'calls'), PLAN: path.join(dir, 'plan.json'), TF_VAR_stripe_key: '', NO_COLOR: '1', ...env }).filter(([, v]) => v !== undefined),
      ),
      timeout: 240_000,
    });
    // The stacks' calls; cdktf's synth also asks `terraform version`.
    const lines = readFileSync(path.join(dir, 'calls'), 'utf8').trim().split('\n');
    const calls = lines.filter((call) => call.startsWith('terraform -chdir='));
    const planEnv = lines.filter((line) => line.startsWith('env ')).map((line) => line.slice(4)).sort();
    rmSync(dir, { recursive: true, force: true });
    return { ...run, calls, planEnv };
  }
  const planOf = (changes: unknown[]) => ({ format_version: '1.2', planned_values: {}, resource_changes: changes });

  it('plans, checks and applies each stack in the order given', () => {
    const run = deploy(['hardware_store', 'hardware_store'], planOf([]));
    expect(run.stderr).not.toContain('refused');
    expect(run.status).toBe(0);
    const dir = 'cdktf.out/stacks/hardware_store';
    expect(run.calls).toEqual([
      `terraform -chdir=${dir} init -input=false`,
      `terraform -chdir=${dir} plan -input=false -out=tfplan`,
      `terraform -chdir=${dir} show -json tfplan`,
      `terraform -chdir=${dir} apply -input=false tfplan`,
    ]);
    expect(run.stdout).toContain('The plan for hardware_store destroys, replaces and renames no database.');
    // Synthesized from the commit, never served from (or written to) the synthesis cache.
    expect(project.cacheEntries()).toBe(0);
  });

  it('stops before apply when check-plan refuses the plan', () => {
    const destroy = { address: 'postgresql_database.Database_3B28CBDB', type: 'postgresql_database', change: { actions: ['delete'], before: { name: 'hardware_store' }, after: null } };
    const run = deploy(['hardware_store', 'hardware_store'], planOf([destroy]));
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('the plan for hardware_store is refused; do not apply it');
    expect(run.calls.some((call) => call.includes(' apply '))).toBe(false);
  });

  it("hands the tenant's server password to Terraform as that server's variable only, and stops when its secret is missing", () => {
    const clean = Object.fromEntries(Object.keys(process.env).filter((k) => k.startsWith('PGPASSWORD') || k.startsWith('TF_VAR_pgpassword')).map((k) => [k, undefined]));
    const run = deploy(['bookstore_2025', 'bookstore_2025'], planOf([]), { ...clean, SERVER_PASSWORD_VARIABLE: 'PGPASSWORD_EU_SHARED_2', SERVER_PASSWORD: 'not-a-real-password' });
    expect(run.stderr).not.toContain('refused');
    expect(run.status).toBe(0);
    expect(run.planEnv).toEqual(['PGPASSWORD_EU_SHARED_2', 'TF_VAR_pgpassword_eu_shared_2']);

    const missing = deploy(['bookstore_2025', 'bookstore_2025'], planOf([]), { ...clean, SERVER_PASSWORD_VARIABLE: 'PGPASSWORD_EU_SHARED_2', SERVER_PASSWORD: '' });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('the secret PGPASSWORD_EU_SHARED_2 is not set');
    expect(missing.calls).toEqual([]);
  });

  it("refuses a stack that is not the tenant's, before anything runs", () => {
    const run = deploy(['hardware_store', 'building_shop'], planOf([]));
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('building_shop is not a stack of hardware_store');
    expect(run.calls).toEqual([]);
  });
});

describe('scripts/ci/deploy-base.sh', () => {
  it('answers the commit before the push, else its parent, else fails', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'base-'));
    const git = (...args: string[]) => spawnSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', ...args], { cwd: dir, encoding: 'utf8' }).stdout.trim();
    const base = (before: string) => spawnSync('bash', [path.join(PROJECT_ROOT, 'scripts', 'ci', 'deploy-base.sh'), before], { cwd: dir, encoding: 'utf8' });
    try {
      mkdirSync(dir, { recursive: true });
      git('init', '--quiet');
      git('commit', '--quiet', '--allow-empty', '-m', 'one');
      const first = git('rev-parse', 'HEAD');
      expect(base('0000000000000000000000000000000000000000').status).toBe(1);
      git('commit', '--quiet', '--allow-empty', '-m', 'two');
      git('commit', '--quiet', '--allow-empty', '-m', 'three');
      expect(base(first).stdout.trim()).toBe(first);
      expect(base('0000000000000000000000000000000000000000').stdout.trim()).toBe(git('rev-parse', 'HEAD~1'));
      expect(base('1234567890123456789012345678901234567890').stdout.trim()).toBe(git('rev-parse', 'HEAD~1'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
