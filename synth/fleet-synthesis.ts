/**
 * Synthesis of the fleet that redoes only what changed: each tenant's stacks
 * are looked up in the content-addressed cache by a key of everything they
 * depend on (cache-key.ts); only the tenants not found are synthesized, in
 * this process or, when there are many, split across processes (one per
 * core, this process doing a share); then every stack is written to the
 * output directory and the manifest assembled, as cdktf would write them.
 *
 * The written stacks are byte for byte what a single cdktf App writes; so is
 * the manifest, except the stack traces of annotations, which say where the
 * synthesis ran (`synth.test.ts` checks both). Settings the cache does not
 * cover (cdktf's HCL output, a target stack, synthesis past error
 * annotations), and TENANTS_SYNTH_CACHE=off with one process, synthesize as
 * before: one App, straight into the output directory.
 *
 * Environment:
 * - `TENANTS_SYNTH_CACHE`: the cache directory, or `off`
 *   (default node_modules/.cache/usual-store-tenants/synth);
 * - `TENANTS_SYNTH_WORKERS`: processes for the tenants to synthesize, or
 *   `auto` (default: one per core when there are at least
 *   {@link TENANTS_PER_WORKER} tenants per process).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import * as path from 'node:path';
import { EnvironmentError } from '../model/state-config';
import { tenantStackNames } from '../model/naming';
import { type Tenant, placedOn } from '../tenants/registry';
import { codeFingerprint, sharedKey, tenantKey } from './cache-key';
import { stableStringify } from './stable-json';
import { SynthCache, type TenantOutput } from './synth-cache';
import type { StackSettings } from './synthesize-tenants';
import type { WorkerJob } from './worker';

/** The project this checkout is: where main.ts and the worker live. */
export const PROJECT_ROOT = path.resolve(__dirname, '..');

/** The default cache directory, inside node_modules (git-ignored, and shared with a review's base checkout, which links it). */
export const DEFAULT_CACHE_DIR = path.join(PROJECT_ROOT, 'node_modules', '.cache', 'usual-store-tenants', 'synth');

/** Below this many tenants per process, another process costs more (its start-up, about a second) than it saves. */
export const TENANTS_PER_WORKER = 150;

/** What one synthesis did. */
export interface FleetSynthesis {
  readonly mode: 'cached' | 'plain';
  /** Tenants whose stacks came from the cache. */
  readonly hits: number;
  /** Tenants synthesized. */
  readonly synthesized: number;
  /** Processes that synthesized them (this one included). */
  readonly processes: number;
}

/** Options of {@link synthesizeFleet}. */
export interface FleetSynthesisOptions extends StackSettings {
  readonly tenants: readonly Tenant[];
  readonly outdir: string;
  /** The environment (TENANTS_SYNTH_CACHE, TENANTS_SYNTH_WORKERS, cdktf's settings). */
  readonly env: NodeJS.ProcessEnv;
  /** Absolute path of each tenant's file, by key (its bytes are part of the key). */
  readonly files: ReadonlyMap<string, string>;
}

/**
 * Settings under which the output is not what the cache stores: synthesize as before. The cdktf
 * CLI runs the app with SYNTH_HCL_OUTPUT=false and CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS=true
 * on every `cdktf synth`, `diff` and `deploy`: neither changes a byte of a stack without error
 * annotations (HCL output is only "true" or "1", as cdktf reads it), and a tenant whose stacks
 * carry an error is never cached (see {@link hasErrorAnnotation}), so both keep the cache on.
 */
function plainReason(env: NodeJS.ProcessEnv): boolean {
  return env.SYNTH_HCL_OUTPUT === 'true' || env.SYNTH_HCL_OUTPUT === '1' || env.CDKTF_TARGET_STACK_ID !== undefined;
}

/** cdktf's error annotation level (AnnotationMetadataEntryType.ERROR). */
export const ERROR_ANNOTATION = '@cdktf/error';

/**
 * Whether a tenant's stacks carry an error annotation: synthesized only when cdktf was told to
 * continue past errors (the CLI reports them from the manifest). Never cached, so a later
 * synthesis that is not told so fails on them as it should.
 */
export function hasErrorAnnotation(output: TenantOutput): boolean {
  return output.stacks.some((stack) => ((stack.manifest.annotations ?? []) as { level?: string }[]).some((a) => a.level === ERROR_ANNOTATION));
}

/** How many processes to use for `count` tenants. */
export function workerCount(count: number, setting: string | undefined, cores: number = availableParallelism()): number {
  if (setting !== undefined && setting !== '' && setting !== 'auto') {
    const n = Number(setting);
    if (!Number.isInteger(n) || n < 1) {
      throw new EnvironmentError([{ file: 'TENANTS_SYNTH_WORKERS', field: '', value: setting, rule: 'must be auto or a whole number of processes, at least 1' }]);
    }
    return Math.min(n, Math.max(1, count));
  }
  return Math.max(1, Math.min(cores, Math.floor(count / TENANTS_PER_WORKER)));
}

/** Splits tenants into `parts` runs of about equal cost (a tenant costs its stacks: a Lambda tenant's four count four). */
export function splitTenants(tenants: readonly Tenant[], parts: number): Tenant[][] {
  const cost = (t: Tenant) => tenantStackNames(t).length;
  const total = tenants.reduce((sum, t) => sum + cost(t), 0);
  const chunks: Tenant[][] = Array.from({ length: parts }, () => []);
  let done = 0;
  for (const tenant of tenants) {
    const index = Math.min(parts - 1, Math.floor((done * parts) / total));
    chunks[index].push(tenant);
    done += cost(tenant);
  }
  return chunks.filter((chunk) => chunk.length);
}

/** Runs a worker process on a job; rejects with its error output when it fails. */
function runWorker(job: WorkerJob, jobFile: string, env: NodeJS.ProcessEnv): Promise<void> {
  writeFileSync(jobFile, JSON.stringify(job));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'synth', 'worker.ts'), jobFile], {
      cwd: process.cwd(),
      env,
      stdio: ['ignore', 'inherit', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(stderr.trim() || `a synthesis worker exited with ${code}`))));
  });
}

/** Synthesizes `tenants` in `parts` processes (this one included); each tenant's output. */
async function synthesizeSplit(tenants: readonly Tenant[], keys: ReadonlyMap<string, string>, settings: StackSettings, parts: number, env: NodeJS.ProcessEnv): Promise<TenantOutput[]> {
  // Loaded only when something is synthesized: a fully cached run never loads cdktf.
  const { readTenantOutputs, synthesizeInto } = await import('./synthesize-tenants');
  const scratch = mkdtempSync(path.join(tmpdir(), 'tenants-synth-'));
  try {
    const chunks = splitTenants(tenants, parts);
    const jobs = chunks.map((chunk, i): WorkerJob => ({ outdir: path.join(scratch, `part-${i}`), tenants: chunk, settings }));
    for (const job of jobs) mkdirSync(job.outdir, { recursive: true });
    const others = Promise.allSettled(jobs.slice(1).map((job, i) => runWorker(job, path.join(scratch, `job-${i + 1}.json`), env)));
    let own: unknown;
    try {
      synthesizeInto(jobs[0].outdir, jobs[0].tenants, settings);
    } catch (error) {
      own = error;
    }
    const results = await others;
    if (own) throw own;
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    return jobs.flatMap((job) => readTenantOutputs(job.outdir, job.tenants, keys));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Writes every tenant's stacks and the manifest into the output directory, in the fleet's order. */
function writeOutput(outdir: string, outputs: readonly TenantOutput[]): void {
  mkdirSync(path.join(outdir, 'stacks'), { recursive: true });
  const stacks: Record<string, unknown> = {};
  let version: string | undefined;
  for (const output of outputs) {
    version ??= output.manifestVersion;
    for (const stack of output.stacks) {
      const file = path.join(outdir, String(stack.manifest.synthesizedStackPath));
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, stack.text);
      stacks[stack.name] = stack.manifest;
    }
  }
  // cdktf writes the manifest with its own package version; an empty fleet has none to copy.
  version ??= (require('cdktf/package.json') as { version: string }).version;
  writeFileSync(path.join(outdir, 'manifest.json'), stableStringify({ version, stacks }));
}

/** The cache of the environment, or undefined when it is off. */
export function cacheFrom(env: NodeJS.ProcessEnv): SynthCache | undefined {
  const setting = env.TENANTS_SYNTH_CACHE;
  if (setting === 'off') return undefined;
  return new SynthCache(setting ? path.resolve(setting) : DEFAULT_CACHE_DIR);
}

/**
 * Synthesizes the fleet into `outdir`: cached tenants copied, the others
 * synthesized (split across processes when there are many) and cached.
 */
export async function synthesizeFleet(options: FleetSynthesisOptions): Promise<FleetSynthesis> {
  const { tenants, outdir, env } = options;
  const settings: StackSettings = { servers: options.servers, migrationsChecksum: options.migrationsChecksum, stateBackend: options.stateBackend, projectDir: options.projectDir };
  const cache = cacheFrom(env);
  const parts = workerCount(tenants.length, env.TENANTS_SYNTH_WORKERS);
  if (plainReason(env) || (!cache && parts === 1)) {
    const { synthesizeInto } = await import('./synthesize-tenants');
    synthesizeInto(outdir, tenants, settings);
    return { mode: 'plain', hits: 0, synthesized: tenants.length, processes: 1 };
  }

  const { servers, ...sharedSettings } = settings;
  const shared = sharedKey({
    code: codeFingerprint(PROJECT_ROOT),
    ...sharedSettings,
    cdktfContext: env.CDKTF_CONTEXT_JSON,
    // The tuning changes no byte (synth.test.ts proves it); keyed anyway, so that proof always synthesizes.
    cdktfTuning: `${env.CDKTF_FLEET_TUNING ?? ''}/${env.CDKTF_TOKEN_STACK_TRACES ?? ''}`,
  });
  const keys = new Map(tenants.map((t) => [t.key, tenantKey(shared, t, readFileSync(options.files.get(t.key) ?? t.file), placedOn(servers, t))]));
  const found = new Map<string, TenantOutput>();
  for (const tenant of tenants) {
    const hit = cache?.read(keys.get(tenant.key) as string);
    if (hit) found.set(tenant.key, hit);
  }
  const missing = tenants.filter((t) => !found.has(t.key));
  const processes = missing.length ? workerCount(missing.length, env.TENANTS_SYNTH_WORKERS) : 0;
  if (missing.length) {
    const outputs = await synthesizeSplit(missing, keys, settings, processes, env);
    missing.forEach((tenant, i) => found.set(tenant.key, outputs[i]));
    for (const output of outputs) if (!hasErrorAnnotation(output)) cache?.write(output);
  }
  writeOutput(
    outdir,
    tenants.map((t) => found.get(t.key) as TenantOutput),
  );
  // Room for a few versions of the fleet (the base and the head of a review, and the last ones before them).
  cache?.prune(Math.max(200, 4 * tenants.length));
  return { mode: 'cached', hits: tenants.length - missing.length, synthesized: missing.length, processes };
}
