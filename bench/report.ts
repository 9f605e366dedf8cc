/**
 * Turns measurements into Markdown tables: synthesis per fleet size,
 * roll-out per database count, and where the run stands against the
 * issue's targets.
 */
import type { Machine } from './machine';
import type { ReviewRow } from './review-bench';
import type { RolloutRow } from './rollout-bench';
import type { LambdaSupport, SynthRow } from './synth-bench';

const s = (ms: number) => (ms / 1000).toFixed(2);
const mib = (value: number | undefined) => (value === undefined ? '-' : value.toFixed(0));
const ratio = (value: number) => `${value.toFixed(1)}×`;

function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const line = (cells: readonly (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** The synthesis table: one row per fleet size. */
export function synthTable(rows: readonly SynthRow[]): string {
  return table(
    [
      'tenants (lambda)',
      'stacks',
      'app s',
      'app MiB',
      'cdktf synth s',
      'cdktf synth MiB',
      'floor s',
      'app ÷ floor',
      'start-up s',
      'of which registry s (cold)',
      'build s',
      'synth s',
      'files',
      'MB',
    ],
    rows.map((r) => [
      `${r.tenants} (${r.lambdaTenants})`,
      r.stacks,
      s(r.app.wallMs),
      mib(r.app.maxRssMiB),
      s(r.cli.wallMs),
      mib(r.cli.maxRssMiB),
      s(r.floor.wallMs),
      ratio(r.app.wallMs / r.floor.wallMs),
      s(r.phases.startupMs),
      `${s(r.phases.registryMs)} (${s(r.registryColdMs)})`,
      s(r.phases.buildMs),
      s(r.phases.synthMs),
      r.files,
      (r.bytes / 1e6).toFixed(1),
    ]),
  );
}

/** Boot and module loading, the part of start-up that does not grow with the fleet. */
export function startupLine(rows: readonly SynthRow[]): string {
  const first = rows[0];
  if (!first) return '';
  return (
    `Start-up before any tenant file is read (median over sizes): Node and tsx ${s(median(rows.map((r) => r.phases.bootMs)))} s, ` +
    `loading cdktf, providers, constructs and registry code ${s(median(rows.map((r) => r.phases.modulesMs)))} s.`
  );
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** Growth of wall time between two fleet sizes, whole app and construct work only (build + synth). */
export function growthLine(rows: readonly SynthRow[], from: number, to: number): string {
  const a = rows.find((r) => r.tenants === from);
  const b = rows.find((r) => r.tenants === to);
  if (!a || !b) return '';
  const work = (r: SynthRow) => r.phases.buildMs + r.phases.synthMs;
  return (
    `Growth from ${from} to ${to} tenants (${to / from}× the tenants): app ${ratio(b.app.wallMs / a.app.wallMs)}, ` +
    `cdktf synth ${ratio(b.cli.wallMs / a.cli.wallMs)}, build + synth phases ${ratio(work(b) / work(a))}, floor ${ratio(b.floor.wallMs / a.floor.wallMs)}.`
  );
}

/** The roll-out table: one row per method and database count. */
export function rolloutTable(rows: readonly RolloutRow[]): string {
  return table(
    ['databases', 'change', 'method', 'concurrency', 'wall s', 'ms per database', 'peak connections', 'max_connections', 'speed-up vs psql'],
    rows.map((r) => [
      r.databases,
      r.change,
      r.method,
      r.concurrency,
      s(r.wallMs),
      (r.wallMs / r.databases).toFixed(1),
      r.peakConnections,
      r.maxConnections,
      r.speedup === undefined ? '-' : ratio(r.speedup),
    ]),
  );
}

/** One target and where this run stands. */
interface Verdict {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean | undefined;
}

/** The targets against this run; a target whose size was not run is "not measured". */
export function targetsTable(synth: readonly SynthRow[], rollout: readonly RolloutRow[]): string {
  const at = (n: number) => synth.find((r) => r.tenants === n);
  const big = at(1000);
  const hundred = at(100);
  const fleet = rollout.filter((r) => r.databases === 200 && r.concurrency > 1);
  const best = (change: RolloutRow['change']) =>
    fleet.filter((r) => r.change === change).reduce<RolloutRow | undefined>((a, r) => (!a || (r.speedup ?? 0) > (a.speedup ?? 0) ? r : a), undefined);
  const how = (r: RolloutRow) => `${r.method.includes('CLI') ? 'CLI' : 'in-process'}, concurrency ${r.concurrency}`;
  const full = best('full schema');
  const step = best('one new migration');
  const bounded = rollout.filter((r) => r.concurrency > 1);
  const largest = synth[synth.length - 1];
  const verdicts: Verdict[] = [
    { target: '1000 tenants synthesize in under 10 s', measured: big ? `app ${s(big.app.wallMs)} s, cdktf synth ${s(big.cli.wallMs)} s` : 'not measured', met: big && big.app.wallMs < 10_000 },
    { target: '… in under 400 MB', measured: big ? `app ${mib(big.app.maxRssMiB)} MiB, cdktf synth ${mib(big.cli.maxRssMiB)} MiB` : 'not measured', met: big && (big.app.maxRssMiB ?? Infinity) < 400 },
    { target: '… within 10× the floor', measured: big ? ratio(big.app.wallMs / big.floor.wallMs) : 'not measured', met: big && big.app.wallMs / big.floor.wallMs <= 10 },
    {
      target: 'growth from 100 to 1000 tenants at most 11×',
      measured: big && hundred ? ratio(big.app.wallMs / hundred.app.wallMs) : 'not measured',
      met: big && hundred && big.app.wallMs / hundred.app.wallMs <= 11,
    },
    {
      target: 'start-up under 1 s before the first tenant is built',
      measured: largest ? `${s(largest.phases.startupMs)} s at ${largest.tenants} tenants (${s(synth[0].phases.startupMs)} s at ${synth[0].tenants})` : 'not measured',
      met: largest && largest.phases.startupMs < 1000,
    },
    {
      target: 'roll-out at 200 databases at least 4× faster than sequential psql: full schema',
      measured: full?.speedup ? `${ratio(full.speedup)} (${how(full)})` : 'not measured',
      met: full && (full.speedup ?? 0) >= 4,
    },
    {
      target: '… one new migration',
      measured: step?.speedup ? `${ratio(step.speedup)} (${how(step)})` : 'not measured',
      met: step && (step.speedup ?? 0) >= 4,
    },
    {
      // Each database in flight holds two sessions: the admin's (it sets and clears the migrator's one-off password) and the migrator's.
      target: 'connections bounded by twice the concurrency (admin and migrator per database) and max_connections',
      measured: bounded.length ? bounded.map((r) => `${r.peakConnections}/${r.concurrency}`).join(', ') + ' (peak/concurrency)' : 'not measured',
      met: bounded.length ? bounded.every((r) => r.peakConnections <= 2 * r.concurrency && r.peakConnections < r.maxConnections) : undefined,
    },
  ];
  return table(
    ['target', 'measured', 'met'],
    verdicts.map((v) => [v.target, v.measured, v.met === undefined ? 'not measured' : v.met ? 'yes' : '**no**']),
  );
}

/** The machine as a Markdown list. */
export function machineLines(machine: Machine, load: { readonly start: number; readonly end: number }): string {
  return [
    `- Date: ${machine.date}`,
    `- Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB RAM; load average ${load.start} at the start, ${load.end} at the end (other work on the machine)`,
    `- Node ${machine.node}, ${machine.terraform}, ${machine.postgres}, cdktf ${machine.cdktf}`,
    `- Checkout: ${machine.commit}`,
  ].join('\n');
}

/** The review and incremental synthesis table: one row per fleet size. */
export function reviewTable(rows: readonly ReviewRow[]): string {
  return [
    table(
      [
        'tenants (stacks)',
        'full synthesis, 1 process, no cache s',
        'cold, split across N processes s',
        'speed-up',
        'cold, filling the cache s',
        'after a one-tenant change s',
        'tenants review of a one-tenant PR, cache warm s',
        '… cache cold s',
        'review ÷ full synthesis',
      ],
      rows.map((r) => [
        `${r.tenants} (${r.stacks})`,
        s(r.full.wallMs),
        `${s(r.split.wallMs)} (N=${r.processes})`,
        ratio(r.full.wallMs / r.split.wallMs),
        s(r.fillCache.wallMs),
        s(r.incremental.wallMs),
        s(r.review.wallMs),
        s(r.reviewCold.wallMs),
        `${((100 * r.review.wallMs) / r.full.wallMs).toFixed(0)} %`,
      ]),
    ),
    [
      `Wall-clock seconds, the median of ${[...new Set(rows.map((r) => r.runs))].join('/')} run(s) (the cold review: one run); a fleet of generated tenants (every 4th on Lambda) in a temporary git repository.`,
      '"full synthesis" is main.ts as it was before the cache (TENANTS_SYNTH_CACHE=off, one process); "split" the same with TENANTS_SYNTH_WORKERS=N (N the cores), byte-identical output;',
      '"after a one-tenant change" synthesizes one tenant and copies the rest from the cache; the review checks out main in a worktree and synthesizes both sides at once, the cache as main left it (what CI restores).',
    ].join('\n'),
  ].join('\n\n');
}

/** Everything one run produced, as Markdown. */
export function runReport(input: {
  readonly machine: Machine;
  readonly load: { readonly start: number; readonly end: number };
  readonly quick: boolean;
  readonly lambda?: LambdaSupport;
  readonly synth: readonly SynthRow[];
  readonly rollout: readonly RolloutRow[];
  /** Review and incremental synthesis, when measured. */
  readonly review?: readonly ReviewRow[];
  /** Set when the checkout changed during the run. */
  readonly warning?: string;
}): string {
  const { synth, rollout } = input;
  const parts = [machineLines(input.machine, input.load)];
  if (input.warning) parts.push(`**Warning:** ${input.warning}`);
  if (input.quick) parts.push('Quick run (`--quick`): smaller fleets; the targets at 1000 tenants and 200 databases are not measured.');
  if (synth.length) {
    const runs = [...new Set(synth.map((r) => r.runs))].join('/');
    parts.push(
      '### Synthesis',
      `Lambda tenants: ${input.lambda?.included ? 'included (every 4th tenant)' : 'not included, docker only'}: ${input.lambda?.reason ?? 'not probed'}.`,
      synthTable(synth),
      [
        `Times are wall-clock seconds, the median of ${runs} run(s) per size; MiB is peak RSS (/usr/bin/time; for cdktf synth the largest single process).`,
        '"app" is `node --import tsx main.ts` (what cdktf.json runs); start-up, registry, build and synth are phases of a second run of main.ts with bench/phase-probe.ts loaded first.',
        'Start-up is process start until the first tenant is built (Node, tsx, modules, registry, migrations); "cold" is the registry load before tsx has cached the tenant files (a fresh checkout or CI).',
        startupLine(synth),
        growthLine(synth, 100, 1000),
      ]
        .filter(Boolean)
        .join('\n'),
    );
  }
  if (input.review?.length) parts.push('### Review of a pull request and incremental synthesis', reviewTable(input.review));
  if (rollout.length) parts.push('### Migration roll-out', rolloutTable(rollout));
  parts.push('### Targets', targetsTable(synth, rollout));
  return parts.join('\n\n');
}
