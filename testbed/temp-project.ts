/**
 * A copy of this project in a temporary git repository, for tests and the
 * benchmark that change its code, dependencies or tenants and run it as a
 * user would (the synthesis cache, `tenants review`). Its node_modules is a directory of
 * links to this checkout's packages, with its own `.package-lock.json` and
 * its own cache, so a test may change those without touching the checkout.
 */
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** This checkout. */
const PROJECT_ROOT = path.resolve(__dirname, '..');

/** A project copy; remove() deletes it. */
export interface TempProject {
  readonly root: string;
  /** Writes a file of the project (relative path). */
  write(file: string, text: string): void;
  read(file: string): string;
  remove(file: string): void;
  /** Runs git in the project; throws on failure. */
  git(...args: string[]): string;
  /** Commits everything as it is. */
  commit(message: string): string;
  /** `npx tenants <args>` in the project, as a process. */
  tenants(args: readonly string[], env?: NodeJS.ProcessEnv): SpawnSyncReturns<string>;
  /** `node --import tsx main.ts` (what `npm run synth` runs) in the project. */
  synth(env?: NodeJS.ProcessEnv): SpawnSyncReturns<string>;
  /** Synthesis cache entries written so far. */
  cacheEntries(): number;
  dispose(): void;
}

/** The files of this checkout that git would commit (tracked, and new ones not ignored). */
function projectFiles(): string[] {
  const run = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return run.stdout.split('\0').filter((file) => file && existsSync(path.join(PROJECT_ROOT, file)));
}

/** node_modules of links to this checkout's packages, with a copy of npm's own record of what it installed. */
function linkedNodeModules(target: string): void {
  const source = path.join(PROJECT_ROOT, 'node_modules');
  mkdirSync(target);
  for (const entry of readdirSync(source)) {
    if (entry === '.cache') continue;
    if (entry === '.package-lock.json') copyFileSync(path.join(source, entry), path.join(target, entry));
    else symlinkSync(realpathSync(path.join(source, entry)), path.join(target, entry));
  }
}

/** Options of {@link tempProject}. */
export interface TempProjectOptions {
  /** Leave out the example tenants (tenants/*.ts), for a fleet of the caller's own. @default false */
  readonly withoutTenants?: boolean;
  /** Where to make it. @default the system's temporary directory */
  readonly parent?: string;
}

/** A fresh copy of the project in a new git repository with one commit on `main`. */
export function tempProject(options: TempProjectOptions = {}): TempProject {
  const root = realpathSync(mkdtempSync(path.join(options.parent ?? tmpdir(), 'project-')));
  const exampleTenant = /^tenants\/[^/]+\.ts$/;
  for (const file of projectFiles().filter((f) => !(options.withoutTenants && exampleTenant.test(f)))) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    cpSync(path.join(PROJECT_ROOT, file), path.join(root, file));
  }
  linkedNodeModules(path.join(root, 'node_modules'));
  const run = (command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}) =>
    spawnSync(command, args, { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', TENANTS_DIR: '', CHECKPOINT_DISABLE: '1', ...env }, timeout: 300_000 });
  const git = (...args: string[]) => {
    const result = run('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args]);
    if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
    return result.stdout.trim();
  };
  git('init', '--quiet', '--initial-branch=main');
  const project: TempProject = {
    root,
    write: (file, text) => {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), text);
    },
    read: (file) => readFileSync(path.join(root, file), 'utf8'),
    remove: (file) => rmSync(path.join(root, file), { force: true }),
    git,
    commit: (message) => {
      git('add', '-A');
      git('commit', '--quiet', '--allow-empty', '-m', message);
      return git('rev-parse', 'HEAD');
    },
    tenants: (args, env) => run(process.execPath, [path.join(root, 'bin', 'tenants.js'), ...args], env),
    synth: (env) => run(process.execPath, ['--import', 'tsx', 'main.ts'], env),
    cacheEntries: () => {
      const dir = path.join(root, 'node_modules', '.cache', 'usual-store-tenants', 'synth', 'v1');
      return existsSync(dir) ? readdirSync(dir).reduce((n, sub) => n + readdirSync(path.join(dir, sub)).filter((f) => f.endsWith('.json')).length, 0) : 0;
    },
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
  project.commit('the project as the tests found it');
  return project;
}
