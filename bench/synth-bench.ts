/**
 * Synthesis at fleet scale: for each fleet size, a generated registry is
 * synthesized by the app (`node --import tsx main.ts`, what cdktf.json runs),
 * by the app again with bench/phase-probe.ts loaded first (timing spans), and
 * by `npx cdktf synth` as a user runs it; the floor writes the same JSON
 * files with no construct tree.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import type { AppPhases } from './phase-probe';
import { jsonFiles } from './floor';
import { type Measured, measure, medianOf } from './measure';
import { PROJECT_ROOT, defaultServerOnly, generateFleet, writeRegistry } from './tenant-generator';

/** One fleet size's results; times in milliseconds, memory in MiB. */
export interface SynthRow {
  readonly tenants: number;
  readonly lambdaTenants: number;
  /** Stacks synthesized: one per docker tenant, four per Lambda tenant. */
  readonly stacks: number;
  /** `node --import tsx main.ts`. */
  readonly app: Measured;
  /** main.ts with bench/phase-probe.ts: where the app's time goes (median run). */
  readonly phases: AppPhases;
  /** Loading the registry the first time, before tsx has cached the transformed tenant files. */
  readonly registryColdMs: number;
  /** `npx cdktf synth`. */
  readonly cli: Measured;
  /** The same files written back from parsed JSON, no construct tree. */
  readonly floor: Measured;
  readonly files: number;
  readonly bytes: number;
  /** Runs per measurement (the median is kept). */
  readonly runs: number;
}

/** Whether main.ts synthesizes Lambda tenants into AWS resources yet, and why (not). */
export interface LambdaSupport {
  readonly included: boolean;
  readonly reason: string;
}

/** Options of {@link runSynthBench}. */
export interface SynthOptions {
  readonly sizes: readonly number[];
  /** Runs per measurement for a size; the median is kept. */
  readonly runsFor: (size: number) => number;
  /** Scratch directory; the caller removes it. */
  readonly workDir: string;
  readonly log: (line: string) => void;
}

const APP = ['--import', 'tsx', path.join(PROJECT_ROOT, 'main.ts')];
const PHASES = ['--import', 'tsx', '--import', './bench/phase-probe.ts', path.join(PROJECT_ROOT, 'main.ts')];
const FLOOR = ['--import', 'tsx', path.join(PROJECT_ROOT, 'bench', 'floor.ts')];

function env(registry: string, outdir: string): NodeJS.ProcessEnv {
  // Every run synthesizes every tenant in one process, as main.ts did before its cache (review-bench.ts measures the cache).
  return { ...process.env, TENANTS_DIR: registry, SERVERS_DIR: defaultServerOnly(registry), CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: '1', CI: '1', TENANTS_SYNTH_CACHE: 'off', TENANTS_SYNTH_WORKERS: '1' };
}

/** A fresh, empty directory under the scratch directory. */
function freshDir(workDir: string, name: string): string {
  const dir = path.join(workDir, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Synthesizes one generated Lambda tenant and looks for AWS resources in the output. */
export async function probeLambda(workDir: string): Promise<LambdaSupport> {
  const registry = writeRegistry(generateFleet(1, { lambdaEvery: 1, prefix: 'probe' }), workDir);
  const outdir = freshDir(workDir, 'lambda-probe');
  try {
    const run = await measure('node', APP, { cwd: PROJECT_ROOT, env: env(registry.dir, outdir), check: false });
    if (run.exitCode !== 0) return { included: false, reason: `main.ts fails on a lambda tenant: ${(run.stderr || run.stdout).trim().split('\n').slice(-3).join(' ')}` };
    const aws = jsonFiles(outdir).some((file) => /"aws_[a-z0-9_]+"\s*:/.test(readFileSync(path.join(outdir, file), 'utf8')));
    return aws
      ? { included: true, reason: 'main.ts synthesizes lambda tenants with AWS resources' }
      : { included: false, reason: 'main.ts synthesizes a lambda tenant without any AWS resource (only its database stack): the Lambda stacks are not built yet' };
  } finally {
    registry.remove();
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Runs main.ts with the phase probe; its spans. */
async function phasesOf(registry: string, outdir: string, phasesFile: string, extra: NodeJS.ProcessEnv = {}): Promise<Measured & { readonly phases: AppPhases }> {
  const run = await measure('node', PHASES, { cwd: PROJECT_ROOT, env: { ...env(registry, outdir), BENCH_PHASES_FILE: phasesFile, ...extra } });
  return { ...run, phases: JSON.parse(readFileSync(phasesFile, 'utf8')) as AppPhases };
}

function sizeOf(dir: string): { files: number; bytes: number } {
  const files = jsonFiles(dir);
  return { files: files.length, bytes: files.reduce((sum, file) => sum + readFileSync(path.join(dir, file)).length, 0) };
}

/** Times synthesis for every fleet size. */
export async function runSynthBench(options: SynthOptions, lambda: LambdaSupport): Promise<SynthRow[]> {
  const { workDir, log } = options;
  const rows: SynthRow[] = [];
  for (const size of options.sizes) {
    const definitions = generateFleet(size, { lambdaEvery: lambda.included ? 4 : 0 });
    const registry = writeRegistry(definitions, workDir);
    const runs = options.runsFor(size);
    try {
      const phasesFile = path.join(workDir, 'phases.json');
      log(`synth: ${size} tenants, registry cold load`);
      const cold = await phasesOf(registry.dir, freshDir(workDir, 'cold'), phasesFile, { BENCH_REGISTRY_ONLY: '1' });

      log(`synth: ${size} tenants, node --import tsx main.ts (${runs} run${runs > 1 ? 's' : ''})`);
      const appOut = path.join(workDir, 'app');
      const app = await medianOf(runs, () => measure('node', APP, { cwd: PROJECT_ROOT, env: env(registry.dir, freshDir(workDir, 'app')) }));

      log(`synth: ${size} tenants, main.ts with bench/phase-probe.ts`);
      const phased = await medianOf(runs, () => phasesOf(registry.dir, freshDir(workDir, 'phases'), phasesFile));
      const stacks = readdirSync(path.join(appOut, 'stacks')).length;

      log(`synth: ${size} tenants, npx cdktf synth`);
      const cliOut = path.join(workDir, 'cli');
      const cli = await medianOf(runs, () => measure('npx', ['cdktf', 'synth', '--output', freshDir(workDir, 'cli')], { cwd: PROJECT_ROOT, env: env(registry.dir, cliOut) }));
      const cliStacks = readdirSync(path.join(cliOut, 'stacks')).length;
      if (cliStacks !== stacks) throw new Error(`cdktf synth wrote ${cliStacks} stacks where main.ts wrote ${stacks}`);

      log(`synth: ${size} tenants, floor`);
      const floor = await medianOf(runs, () => measure('node', [...FLOOR, appOut, freshDir(workDir, 'floor')], { cwd: PROJECT_ROOT }));
      rows.push({
        tenants: size,
        lambdaTenants: definitions.filter((d) => d.app.target === 'lambda').length,
        stacks,
        app,
        phases: phased.phases,
        registryColdMs: cold.phases.registryMs,
        cli,
        floor,
        ...sizeOf(appOut),
        runs,
      });
    } finally {
      registry.remove();
      for (const dir of ['app', 'phases', 'cli', 'floor', 'cold']) rmSync(path.join(workDir, dir), { recursive: true, force: true });
    }
  }
  return rows;
}
