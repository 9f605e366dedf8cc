/**
 * `npm run bench`: synthesis at fleet scale and migration roll-out across
 * many tenant databases, with their baselines in the same run. Prints the
 * tables and, for a full run, records them in bench/RESULTS.md.
 *
 *   npm run bench                       # 1, 10, 100, 1000 tenants; 50 and 200 databases
 *   npm run bench -- --quick            # up to 100 tenants; 50 databases
 *   npm run bench -- --only synth       # or: --only rollout, --only review
 *   npm run bench -- --sizes 1,100 --databases 20 --concurrency 8 --runs 1 --no-record
 *
 * Temporary registries, outputs and the PostgreSQL cluster are removed at the
 * end, on failure and on Ctrl-C.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { checkoutFingerprint, describeMachine, loadAverage } from './machine';
import { runReport } from './report';
import { recordResults } from './results-file';
import { type ReviewRow, runReviewBench } from './review-bench';
import { type RolloutRow, runRolloutBench } from './rollout-bench';
import { type LambdaSupport, type SynthRow, probeLambda, runSynthBench } from './synth-bench';
import { newestServer } from '../testbed/pg-binaries';
import { type ThrowawayCluster, startThrowawayCluster } from './throwaway-cluster';

const USAGE = `usage: npm run bench -- [--quick] [--only synth|rollout|review] [--sizes 1,10,100,1000] [--review-sizes 100,1000] [--databases 50,200] [--concurrency 4,8,16] [--runs N] [--no-record]`;

function numbers(value: string | undefined, fallback: readonly number[]): number[] {
  if (value === undefined) return [...fallback];
  const list = value.split(',').map(Number);
  if (!list.length || list.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`"${value}" is not a list of positive whole numbers\n${USAGE}`);
  return list;
}

function options() {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      sizes: { type: 'string' },
      'review-sizes': { type: 'string' },
      databases: { type: 'string' },
      concurrency: { type: 'string' },
      runs: { type: 'string' },
      'no-record': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  if (values.only !== undefined && !['synth', 'rollout', 'review'].includes(values.only)) throw new Error(`--only takes synth, rollout or review\n${USAGE}`);
  const quick = values.quick;
  const runs = values.runs === undefined ? undefined : numbers(values.runs, [])[0];
  const custom = values.sizes !== undefined || values['review-sizes'] !== undefined || values.databases !== undefined || values.concurrency !== undefined || values.runs !== undefined;
  return {
    quick,
    synth: values.only === undefined || values.only === 'synth',
    rollout: values.only === undefined || values.only === 'rollout',
    review: values.only === undefined || values.only === 'review',
    reviewSizes: numbers(values['review-sizes'], quick ? [100] : [100, 1000]),
    sizes: numbers(values.sizes, quick ? [1, 10, 100] : [1, 10, 100, 1000]),
    databases: numbers(values.databases, quick ? [50] : [50, 200]),
    concurrencies: numbers(values.concurrency, quick ? [8] : [4, 8, 16]),
    // Three runs where they are cheap, one for the largest fleet.
    runsFor: (size: number) => runs ?? (quick || size >= 1000 ? 1 : 3),
    // Only a full, default run is the record; a partial or quick one is printed.
    record: !values['no-record'] && !quick && !custom && values.only === undefined,
  };
}

/** The server binaries the tests use: PG_BIN_DIR, else the newest pinned pg-server-* package. */
function pgBinDir(): string | undefined {
  try {
    return newestServer().binDir;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const opts = options();
  const log = (line: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
  const workDir = mkdtempSync(path.join(tmpdir(), 'bench-'));
  let server: ThrowawayCluster | undefined;
  const cleanup = () => {
    server?.stop();
    rmSync(workDir, { recursive: true, force: true, maxRetries: 5 });
  };
  const interrupted = (signal: NodeJS.Signals) => {
    log(`${signal}: removing the temporary directories and the cluster`);
    cleanup();
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  const binDir = pgBinDir();
  const machine = describeMachine(binDir);
  const load = { start: loadAverage(), end: 0 };
  const checkout = checkoutFingerprint();
  let lambda: LambdaSupport | undefined;
  let synth: SynthRow[] = [];
  let rollout: RolloutRow[] = [];
  let review: ReviewRow[] = [];
  try {
    if (opts.synth) {
      lambda = await probeLambda(workDir);
      log(`lambda tenants: ${lambda.included ? 'included' : 'not included'} (${lambda.reason})`);
      synth = await runSynthBench({ sizes: opts.sizes, runsFor: opts.runsFor, workDir, log }, lambda);
    }
    if (opts.review) review = await runReviewBench({ sizes: opts.reviewSizes, runsFor: opts.runsFor, workDir, log });
    if (opts.rollout) {
      if (!binDir) throw new Error('PostgreSQL server binaries not found: run npm ci (the pg-server-* packages) or set PG_BIN_DIR');
      log('starting a throwaway PostgreSQL cluster');
      server = await startThrowawayCluster(binDir);
      const admin = await server.cluster.connect();
      try {
        rollout = await runRolloutBench(server.cluster, admin, { sizes: opts.databases, concurrencies: opts.concurrencies, workDir, log });
      } finally {
        await admin.end();
      }
    }
  } finally {
    cleanup();
  }
  load.end = loadAverage();
  const changed = checkoutFingerprint();
  const warning =
    changed === checkout
      ? undefined
      : `The checkout changed during this run (${checkout} → ${changed}, HEAD+hash of uncommitted changes): some numbers measure the old code, some the new. Run again.`;
  if (warning) log(warning);
  const report = runReport({ machine, load, quick: opts.quick, lambda, synth, rollout, review, warning });
  process.stdout.write(`\n${report}\n`);
  if (opts.record) {
    recordResults(report, machine.date);
    log('recorded in bench/RESULTS.md');
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
