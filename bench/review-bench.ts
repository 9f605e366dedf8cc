/**
 * The review of a pull request and the synthesis behind it, at fleet scale:
 * a generated fleet in a temporary git repository holding a copy of the
 * project (testbed/temp-project.ts), committed as main, then
 *
 * - a full synthesis as main.ts always did it (one process, no cache): the
 *   baseline;
 * - the same cold synthesis split across every core (no cache);
 * - a cold synthesis that fills the cache (what the first run on a machine does);
 * - after one tenant's file changes: the synthesis (one tenant synthesized,
 *   the rest from the cache), and `tenants review --base main` with the
 *   cache warm (what CI does with the cache restored) and cold.
 */
import { readdirSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { type Measured, measure, medianOf } from './measure';
import { generateFleet } from './tenant-generator';
import { tempProject } from '../testbed/temp-project';

/** One fleet size's results, wall milliseconds. */
export interface ReviewRow {
  readonly tenants: number;
  readonly stacks: number;
  /** One process, no cache: main.ts as before. */
  readonly full: Measured;
  /** No cache, split across {@link ReviewRow.processes} processes. */
  readonly split: Measured;
  readonly processes: number;
  /** No cache entries yet: synthesizes every tenant and stores them. */
  readonly fillCache: Measured;
  /** One tenant's file changed, the cache warm. */
  readonly incremental: Measured;
  /** `tenants review --base main` of a one-tenant change, the cache warm. */
  readonly review: Measured;
  /** The same review with an empty cache (both sides synthesized in full, at the same time). */
  readonly reviewCold: Measured;
  readonly runs: number;
}

/** Options of {@link runReviewBench}. */
export interface ReviewBenchOptions {
  readonly sizes: readonly number[];
  readonly runsFor: (size: number) => number;
  /** Scratch directory; the caller removes it. */
  readonly workDir: string;
  readonly log: (line: string) => void;
}

/** Source of a generated tenant file inside the project (its registry by a relative import, as a user writes it). */
function tenantFile(definition: ReturnType<typeof generateFleet>[number]): string {
  return `import { defineTenant } from './registry';\n\nexport default defineTenant(${JSON.stringify(definition, null, 2)});\n`;
}

/** Measures review and synthesis for each fleet size. */
export async function runReviewBench(options: ReviewBenchOptions): Promise<ReviewRow[]> {
  const rows: ReviewRow[] = [];
  const processes = availableParallelism();
  for (const size of options.sizes) {
    const project = tempProject({ withoutTenants: true, parent: options.workDir });
    try {
      const fleet = generateFleet(size, { lambdaEvery: 4 });
      for (const definition of fleet) project.write(`tenants/${definition.key}.ts`, tenantFile(definition));
      // The default server of unknown capacity only, as tenant-generator.ts's defaultServerOnly says why (the review reads server files from git).
      for (const file of readdirSync(path.join(project.root, 'servers'))) project.remove(`servers/${file}`);
      project.commit(`a fleet of ${size} tenants`);
      const cache = path.join(options.workDir, `cache-${size}`);
      const outdir = path.join(project.root, 'cdktf.out');
      const env = (extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({ ...process.env, TENANTS_DIR: '', CHECKPOINT_DISABLE: '1', CI: '1', CDKTF_OUTDIR: outdir, ...extra });
      const synth = (extra: NodeJS.ProcessEnv) => measure('node', ['--import', 'tsx', 'main.ts'], { cwd: project.root, env: env(extra) });
      const review = (extra: NodeJS.ProcessEnv) => measure(process.execPath, [path.join(project.root, 'bin', 'tenants.js'), 'review', '--base', 'main', '--json'], { cwd: project.root, env: env(extra), check: false });
      const emptyCache = () => rmSync(cache, { recursive: true, force: true });
      const runs = options.runsFor(size);

      // Untimed: tsx's cache of this copy's source files is cold on the first run.
      await synth({ TENANTS_SYNTH_CACHE: 'off', TENANTS_SYNTH_WORKERS: '1', TENANT_KEYS: fleet[0].key });
      options.log(`review: ${size} tenants, full synthesis, one process, no cache (${runs} run${runs > 1 ? 's' : ''})`);
      const full = await medianOf(runs, () => synth({ TENANTS_SYNTH_CACHE: 'off', TENANTS_SYNTH_WORKERS: '1' }));
      const stacks = readdirSync(path.join(outdir, 'stacks')).length;
      options.log(`review: ${size} tenants, cold synthesis split across ${processes} processes`);
      const split = await medianOf(runs, () => synth({ TENANTS_SYNTH_CACHE: 'off', TENANTS_SYNTH_WORKERS: String(processes) }));
      options.log(`review: ${size} tenants, cold synthesis filling the cache`);
      const fillCache = await medianOf(runs, async () => {
        emptyCache();
        return synth({ TENANTS_SYNTH_CACHE: cache });
      });

      // The pull request: one tenant's plan changes, in the working tree.
      const changed = fleet[1];
      project.write(`tenants/${changed.key}.ts`, tenantFile({ ...changed, plan: changed.plan === 'enterprise' ? 'free' : 'enterprise' }));
      // The cache as main left it (CI restores the last one): every tenant but the changed one.
      const cacheOfMain = async () => {
        emptyCache();
        project.git('stash', '--quiet');
        await synth({ TENANTS_SYNTH_CACHE: cache });
        project.git('stash', 'pop', '--quiet');
      };
      options.log(`review: ${size} tenants, synthesis after a one-tenant change`);
      const incremental = await medianOf(runs, async () => {
        await cacheOfMain();
        return synth({ TENANTS_SYNTH_CACHE: cache });
      });
      options.log(`review: ${size} tenants, tenants review of the one-tenant change, cache warm`);
      const warm = await medianOf(runs, async () => {
        await cacheOfMain();
        return review({ TENANTS_SYNTH_CACHE: cache });
      });
      if (warm.exitCode !== 0) throw new Error(`the review exited ${warm.exitCode}: ${warm.stderr.slice(-2000)}`);
      const reviewed = JSON.parse(warm.stdout) as { tenants: { tenant: string }[] };
      if (reviewed.tenants.map((t) => t.tenant).join() !== changed.key) throw new Error(`the review lists ${reviewed.tenants.map((t) => t.tenant).join(', ')}, not ${changed.key}`);
      options.log(`review: ${size} tenants, tenants review of the one-tenant change, cache cold`);
      const cold = await review({ TENANTS_SYNTH_CACHE: path.join(options.workDir, `cold-cache-${size}`) });
      rmSync(path.join(options.workDir, `cold-cache-${size}`), { recursive: true, force: true });
      rows.push({ tenants: size, stacks, full, split, processes, fillCache, incremental, review: warm, reviewCold: cold, runs });
    } finally {
      project.dispose();
      rmSync(path.join(options.workDir, `cache-${size}`), { recursive: true, force: true });
    }
  }
  return rows;
}
