/**
 * `tenants review --base main` on a temporary git repository holding a copy
 * of the project, one pull request at a time (a branch off main, the change
 * in the working tree): a new tenant, a plan change, a renamed database, an
 * edited migration, a change of shared code, a removed tenant. Each review
 * is checked against what real synthesis produces: the stacks it lists are
 * exactly those whose cdk.tf.json differs between the two sides synthesized
 * without the cache, with exactly the resources added and removed there.
 */
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import type { FleetReview } from '../ops/review/fleet-review';
import { tenantDefinition, tenantSource, writeVerifiedBackupManifest } from './helpers';
import { type TempProject, tempProject } from '../testbed/temp-project';
import { isPostgresTenant, loadRegistry, tenantsDir } from '../tenants/registry';

/** The example tenants with a TenantStack (PostgreSQL): the migrations and TenantStack's code are theirs; a MongoDB tenant has neither. */
const POSTGRES_TENANTS = loadRegistry(tenantsDir()).tenants.filter(isPostgresTenant).map((t) => t.key).sort();

let project: TempProject;
/** main, synthesized without the cache: stack name → cdk.tf.json text. */
let baseStacks: Record<string, string>;

/** Synthesizes the working tree without the cache into a directory at cdktf.out's depth. */
function realSynthesis(): Record<string, string> {
  const outdir = path.join(project.root, 'real.out');
  rmSync(outdir, { recursive: true, force: true });
  const run = project.synth({ CDKTF_OUTDIR: outdir, TENANTS_SYNTH_CACHE: 'off', TENANTS_SYNTH_WORKERS: '1' });
  if (run.status !== 0) throw new Error(run.stderr);
  const stacks = Object.fromEntries(readdirSync(path.join(outdir, 'stacks')).map((name) => [name, readFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8')]));
  rmSync(outdir, { recursive: true, force: true });
  return stacks;
}

const resourceAddresses = (text: string | undefined): string[] =>
  text === undefined
    ? []
    : Object.entries((JSON.parse(text) as { resource?: Record<string, Record<string, unknown>> }).resource ?? {}).flatMap(([type, byId]) => Object.keys(byId).map((id) => `${type}.${id}`));

beforeAll(() => {
  project = tempProject();
  baseStacks = realSynthesis();
});
afterAll(() => project?.dispose());

/** A pull request: a branch off main with `change` made in its working tree. */
function pullRequest(name: string, change: () => void): void {
  project.git('checkout', '--quiet', '-f', 'main');
  project.git('clean', '--quiet', '-fdx', '-e', 'node_modules');
  project.git('checkout', '--quiet', '-b', name);
  change();
}

/** `tenants review --base main --json` (and the Markdown, written beside it). */
function review(...extra: string[]): { status: number | null; review: FleetReview; markdown: string; stderr: string } {
  const markdownFile = path.join(project.root, 'review.md');
  const run = project.tenants(['review', '--base', 'main', '--json', '--markdown-file', markdownFile, ...extra]);
  if (run.status !== 0 && run.status !== 1) throw new Error(`review exited ${run.status}: ${run.stderr}`);
  return { status: run.status, review: JSON.parse(run.stdout) as FleetReview, markdown: readFileSync(markdownFile, 'utf8'), stderr: run.stderr };
}

/** The review lists exactly what real synthesis of the two sides changes. */
function expectMatchesRealSynthesis(result: FleetReview): void {
  const head = realSynthesis();
  const changed = [...new Set([...Object.keys(baseStacks), ...Object.keys(head)])].filter((name) => baseStacks[name] !== head[name]).sort();
  expect(result.stacks.map((s) => s.stack).sort()).toEqual(changed);
  for (const stack of result.stacks) {
    const [before, after] = [resourceAddresses(baseStacks[stack.stack]), resourceAddresses(head[stack.stack])];
    const resourcesIn = (elements: readonly { address: string }[]) => elements.map((e) => e.address).filter((a) => !/^(data|output|variable|provider|terraform|locals|import|moved)[.[]/.test(a)).sort();
    expect(resourcesIn(stack.added)).toEqual(after.filter((a) => !before.includes(a)).sort());
    expect(resourcesIn(stack.removed)).toEqual(before.filter((a) => !after.includes(a)).sort());
  }
  expect(result.unchangedStacks).toBe(Object.keys(head).filter((name) => baseStacks[name] === head[name]).length);
}

describe('tenants review on pull requests', () => {
  it('lists a new tenant and its stack, flags nothing, exits 0', () => {
    pullRequest('add-tenant', () =>
      project.write(
        'tenants/garden_center.ts',
        tenantSource(tenantDefinition({ key: 'garden_center', company: 'Garden Center GmbH', database: { name: 'garden_center' }, app: { target: 'docker', port: 4990 } })).replace(
          /from "[^"]+"/,
          "from './registry'",
        ),
      ),
    );
    const { status, review: result, markdown } = review();
    expect(status).toBe(0);
    expect(result.flags).toEqual([]);
    expect(result.tenants).toEqual([{ tenant: 'garden_center', status: 'added', offboarding: false, stacks: ['garden_center'] }]);
    expect(result.stacks[0].added.find((e) => e.address.startsWith('postgresql_database.'))?.attributes).toEqual(
      expect.objectContaining({ name: 'garden_center', owner: 'garden_center__owner', lifecycle: { prevent_destroy: true } }),
    );
    expectMatchesRealSynthesis(result);
    expect(markdown).toContain('**✅ Nothing flagged.**');
    expect(markdown).toContain('| `garden_center` | added | `garden_center` |');
    // A tenant file is data: no platform code changes.
    expect(result.platformCode).toEqual([]);
    expect(markdown).not.toContain("changes the platform's code");
  });

  it("shows a plan change as the changed limits of that tenant's resources", () => {
    pullRequest('change-plan', () => project.write('tenants/hardware_store.ts', project.read('tenants/hardware_store.ts').replace(/plan: '[a-z]+'/, "plan: 'enterprise'")));
    const { status, review: result } = review();
    expect(status).toBe(0);
    expect(result.tenants.map((t) => [t.tenant, t.status])).toEqual([['hardware_store', 'changed']]);
    const database = result.stacks[0].changed.find((e) => e.address.startsWith('postgresql_database.'));
    expect(database?.attributes).toEqual([{ path: 'connection_limit', before: expect.any(String), after: '50' }]);
    expect(result.stacks[0].changed.map((e) => e.address)).toEqual(expect.arrayContaining([expect.stringMatching(/^docker_container\.App_Api_/)]));
    expectMatchesRealSynthesis(result);
  });

  it('flags a renamed database and exits 1, unless the flag is allowed', () => {
    pullRequest('rename-database', () => project.write('tenants/building_shop.ts', project.read('tenants/building_shop.ts').replace("name: 'building_shop'", "name: 'building_shop_v2'")));
    const flagged = review();
    expect(flagged.status).toBe(1);
    expect(flagged.review.flags).toEqual([
      {
        id: 'database-destroyed',
        tenant: 'building_shop',
        stack: 'building_shop',
        address: expect.stringMatching(/^postgresql_database\./),
        message: expect.stringContaining('is renamed from "building_shop" to "building_shop_v2"'),
      },
    ]);
    expect(flagged.stderr).toContain('1 flag (database-destroyed)');
    // The flags come first.
    expect(flagged.markdown.indexOf('database-destroyed')).toBeLessThan(flagged.markdown.indexOf('### Per stack'));
    expectMatchesRealSynthesis(flagged.review);
    const allowed = review('--allow', 'database-destroyed');
    expect(allowed.status).toBe(0);
    expect(allowed.review.flags).toEqual([]);
    expect(allowed.review.allowed.map((f) => f.id)).toEqual(['database-destroyed']);
  });

  it('flags a shipped migration that is edited, and lists every tenant whose migration trigger changes', () => {
    pullRequest('edit-migration', () => project.write('schema/0003.do.maintain_updated_at.sql', `${project.read('schema/0003.do.maintain_updated_at.sql')}\n-- tidied\n`));
    const { status, review: result } = review();
    expect(status).toBe(1);
    expect(result.flags.map((f) => [f.id, f.message])).toEqual([['migration-edited', expect.stringContaining('0003.do.maintain_updated_at.sql has shipped and is edited')]]);
    expect(result.migrations).toEqual({ added: [], edited: ['0003.do.maintain_updated_at.sql'], removed: [] });
    expect(result.tenants.map((t) => t.tenant).sort()).toEqual(POSTGRES_TENANTS);
    expectMatchesRealSynthesis(result);
  });

  it('lists every tenant when shared code changes', () => {
    pullRequest('shared-code', () =>
      project.write('constructs/stacks/tenant-stack.ts', project.read('constructs/stacks/tenant-stack.ts').replace("description: 'The customer plan.'", "description: 'The plan the customer pays for.'")),
    );
    const { status, review: result, markdown } = review();
    expect(status).toBe(0);
    expect(result.tenants.map((t) => t.tenant).sort()).toEqual(POSTGRES_TENANTS);
    // The review runs the code under review: it says so, naming the files, for a person to read.
    expect(result.platformCode).toEqual(['constructs/stacks/tenant-stack.ts']);
    expect(markdown).toContain("**⚠️ This pull request changes the platform's code** (1 file: `constructs/stacks/tenant-stack.ts`)");
    for (const stack of result.stacks) expect(stack.changed).toEqual([{ address: 'output.plan', attributes: [{ path: 'description', before: '"The customer plan."', after: '"The plan the customer pays for."' }] }]);
    expectMatchesRealSynthesis(result);
  });

  it("flags a removed tenant's database and roles, unless it was offboarding", () => {
    pullRequest('remove-tenant', () => project.remove('tenants/hardware_store.ts'));
    const removed = review();
    expect(removed.status).toBe(1);
    expect(removed.review.tenants).toEqual([{ tenant: 'hardware_store', status: 'removed', offboarding: false, stacks: ['hardware_store'] }]);
    expect(new Set(removed.review.flags.map((f) => f.id))).toEqual(new Set(['database-destroyed', 'role-destroyed', 'data-destroyed']));
    expectMatchesRealSynthesis(removed.review);

    // Offboarded on main first: removing the file is then the last step of offboarding.
    project.git('checkout', '--quiet', '-f', 'main');
    // Offboarding asks for a verified backup first (a fixture manifest here: backup.pg.test.ts takes real ones).
    const backups = path.join(project.root, 'backups');
    writeVerifiedBackupManifest(backups, 'hardware_store');
    const offboarded = project.tenants(['offboard', 'hardware_store', '--yes', '--backups', backups]);
    expect(offboarded.status).toBe(0);
    project.commit('offboard hardware_store');
    project.git('checkout', '--quiet', '-b', 'remove-offboarded');
    project.remove('tenants/hardware_store.ts');
    const expected = review();
    expect(expected.status).toBe(0);
    expect(expected.review.flags).toEqual([]);
    expect(expected.review.expected.map((f) => f.id)).toEqual(expect.arrayContaining(['database-destroyed', 'role-destroyed']));
    project.git('checkout', '--quiet', '-f', 'main');
    project.git('reset', '--quiet', '--hard', 'HEAD~1');
  });
});

describe('tenants review usage', () => {
  it('exits 2 for a ref that is not a commit, and for a flag it does not know', () => {
    const ref = project.tenants(['review', '--base', 'no-such-branch']);
    expect(ref.status).toBe(2);
    expect(ref.stderr).toContain('--base "no-such-branch" is not a commit of this repository');
    const flag = project.tenants(['review', '--base', 'main', '--allow', 'everything']);
    expect(flag.status).toBe(2);
    expect(flag.stderr).toContain('--allow "everything" is not a flag; use one of database-destroyed, role-destroyed');
  });

  it('leaves no worktree behind', () => {
    expect(project.git('worktree', 'list').split('\n')).toHaveLength(1);
  });
});
