/**
 * The two sides of a review on disk: the base commit checked out in a
 * temporary git worktree (sharing the working tree's node_modules when the
 * lockfiles agree, installing its own with `npm ci` otherwise), each side
 * synthesized by its own code (`node --import tsx main.ts`, what `npm run
 * synth` runs) into its own cdktf.out, and read back: the stacks the
 * manifest lists, the migrations, and which tenants are offboarding.
 * No credentials and no state are read.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { checkRegistry } from '../../tenants/registry';
import { MIGRATION_FILE_PATTERN, migrationChecksum } from '../migration-files';
import type { MigrationFileSummary, SynthesizedFleet } from './fleet-review';
import { reviewErrors } from './messages';

/** A failure that is the caller's doing (a bad ref, no repository): the CLI exits 2. */
export class ReviewUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReviewUsageError';
  }
}

/** Runs git in a directory; its output, or throws with git's message. */
function git(cwd: string, args: readonly string[]): string {
  const run = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`git ${args.join(' ')}: ${(run.stderr || run.stdout).trim()}`);
  return run.stdout.trim();
}

/** Where the project sits in its repository, and the commit the base names. */
export interface ReviewRepository {
  /** The repository's top directory. */
  readonly top: string;
  /** The project's directory inside it ('' at the top). */
  readonly projectPath: string;
  /** The base commit's sha. */
  readonly baseCommit: string;
}

/** Finds the repository and the base commit; a usage error when either is missing. */
export function resolveRepository(projectRoot: string, ref: string): ReviewRepository {
  const inside = spawnSync('git', ['rev-parse', '--show-toplevel'], { cwd: projectRoot, encoding: 'utf8' });
  if (inside.status !== 0) throw new ReviewUsageError(reviewErrors.notAGitRepository(projectRoot));
  const top = realpathSync(inside.stdout.trim());
  const commit = spawnSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: projectRoot, encoding: 'utf8' });
  if (commit.status !== 0 || !commit.stdout.trim()) throw new ReviewUsageError(reviewErrors.unknownRef(ref));
  return { top, projectPath: path.relative(top, realpathSync(projectRoot)), baseCommit: commit.stdout.trim() };
}

/** Paths of a project that are data or prose, not code the review runs (`dir/` for a folder). */
const NOT_CODE = [/^schema\//, /^docs\//, /\.md$/, /(^|\/)__snapshots__\//];

/**
 * The files of the project the working tree changes against the base commit (committed or
 * not, new files included), without the tenant and server files (`dataPaths`), migrations,
 * snapshots and documentation: the platform's code.
 */
export function changedPlatformCode(projectRoot: string, repository: ReviewRepository, dataPaths: readonly string[]): string[] {
  const git = (...args: string[]) => {
    const run = spawnSync('git', args, { cwd: projectRoot, encoding: 'utf8' });
    return run.status === 0 ? run.stdout.split('\n').filter(Boolean) : [];
  };
  const files = new Set([...git('diff', '--name-only', '--relative', repository.baseCommit), ...git('ls-files', '--others', '--exclude-standard')]);
  const data = dataPaths.map((dir) => `${dir.split(path.sep).join('/')}/`);
  return [...files].filter((file) => !data.some((dir) => file.startsWith(dir)) && !NOT_CODE.some((pattern) => pattern.test(file))).sort();
}

/** A checkout of the base commit; `remove` takes the worktree away again. */
export interface BaseCheckout {
  /** The project's directory in the checkout. */
  readonly root: string;
  /** Whether it installed its own dependencies (the lockfiles differ). */
  readonly installed: boolean;
  remove(): void;
}

/**
 * Checks out the base commit in a temporary worktree. Its node_modules is
 * the working tree's when the lockfiles agree (a link, so the synthesis
 * cache inside it is shared); otherwise `npm ci` installs the base's own.
 */
export function checkoutBase(projectRoot: string, repository: ReviewRepository, env: NodeJS.ProcessEnv): BaseCheckout {
  const scratch = mkdtempSync(path.join(tmpdir(), 'tenants-review-'));
  const worktree = path.join(scratch, 'base');
  git(repository.top, ['worktree', 'add', '--detach', '--quiet', worktree, repository.baseCommit]);
  const remove = () => {
    spawnSync('git', ['worktree', 'remove', '--force', worktree], { cwd: repository.top });
    rmSync(scratch, { recursive: true, force: true });
    spawnSync('git', ['worktree', 'prune'], { cwd: repository.top });
  };
  try {
    const root = path.join(worktree, repository.projectPath);
    const lock = (dir: string) => (existsSync(path.join(dir, 'package-lock.json')) ? readFileSync(path.join(dir, 'package-lock.json'), 'utf8') : '');
    let installed = false;
    if (lock(root) === lock(projectRoot) && existsSync(path.join(projectRoot, 'node_modules'))) {
      symlinkSync(path.join(projectRoot, 'node_modules'), path.join(root, 'node_modules'), 'dir');
    } else {
      const install = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, env, encoding: 'utf8' });
      if (install.status !== 0) throw new Error(reviewErrors.installFailed((install.stderr || install.stdout).trim()));
      installed = true;
    }
    return { root, installed, remove };
  } catch (error) {
    remove();
    throw error;
  }
}

/** What a side's synthesis needs to know. */
export interface SideOptions {
  /** The project's directory of that side. */
  readonly root: string;
  /** The registry, relative to the project (TENANTS_DIR), when it is not tenants/. */
  readonly tenantsPath?: string;
  /** The server files, relative to the project (SERVERS_DIR), when they are not servers/. */
  readonly serversPath?: string;
  /** The environment of the review (state settings, the synthesis cache). */
  readonly env: NodeJS.ProcessEnv;
}

/** The output directory of a side: its cdktf.out, so that every path in the stacks is what `npm run synth` writes there. */
export function outdirOf(root: string): string {
  return path.join(root, 'cdktf.out');
}

/** Synthesizes one side with its own code; rejects with the app's error output. */
export function synthesizeSide(side: SideOptions, name: string): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...side.env, CDKTF_OUTDIR: outdirOf(side.root), CHECKPOINT_DISABLE: '1' };
  delete env.TENANT_KEYS;
  if (side.tenantsPath !== undefined) env.TENANTS_DIR = path.join(side.root, side.tenantsPath);
  if (side.serversPath !== undefined) env.SERVERS_DIR = path.join(side.root, side.serversPath);
  else delete env.SERVERS_DIR;
  rmSync(path.join(outdirOf(side.root), 'manifest.json'), { force: true });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'main.ts'], { cwd: side.root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(reviewErrors.synthesisFailed(name, output.trim())))));
  });
}

/** The stacks a side's manifest lists, each as its cdk.tf.json text. */
export function readSynthesizedFleet(outdir: string): SynthesizedFleet {
  const manifest = JSON.parse(readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as { stacks: Record<string, { synthesizedStackPath: string }> };
  return { stacks: new Map(Object.entries(manifest.stacks).map(([name, entry]) => [name, readFileSync(path.join(outdir, entry.synthesizedStackPath), 'utf8')])) };
}

/** The migration files of a side (any it has, whether or not they pass the runner's checks). */
export function readMigrationSummaries(schemaDir: string): MigrationFileSummary[] {
  if (!existsSync(schemaDir)) return [];
  return readdirSync(schemaDir)
    .map((file) => ({ file, match: MIGRATION_FILE_PATTERN.exec(file) }))
    .filter((f): f is { file: string; match: RegExpExecArray } => f.match !== null)
    .map(({ file, match }) => ({ file, version: Number(match[1]), md5: migrationChecksum(readFileSync(path.join(schemaDir, file), 'utf8')) }))
    .sort((a, b) => a.version - b.version || a.file.localeCompare(b.file));
}

/** The keys of a side's tenants that are offboarding (files that do not load are left out: they cannot say). */
export function offboardingTenants(tenantsDir: string): Set<string> {
  if (!existsSync(tenantsDir)) return new Set();
  return new Set(checkRegistry(tenantsDir).tenants.filter((t) => t.lifecycle === 'offboarding').map((t) => t.key));
}
