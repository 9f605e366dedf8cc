/**
 * Timing spans for an unmodified main.ts, loaded before it:
 *
 *   TENANTS_DIR=… CDKTF_OUTDIR=… BENCH_PHASES_FILE=phases.json \
 *     node --import tsx --import ./bench/phase-probe.ts main.ts
 *
 * It watches three things main.ts cannot avoid doing: listing or requiring
 * the registry's tenant files (module loading is over), adding the first
 * stack to the App (start-up is over), and `App.synth()`. At exit it writes {@link AppPhases}
 * to BENCH_PHASES_FILE. With BENCH_REGISTRY_ONLY set it exits as soon as the
 * first stack is added, to time a registry load with tsx's cache cold.
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

/** Milliseconds from process start (or between marks), and the peak memory. */
export interface AppPhases {
  /** Process start until this probe runs: Node itself and tsx's loader. */
  readonly bootMs: number;
  /** Loading cdktf, the constructs, the providers, zod and the registry code: until the registry directory is read. */
  readonly modulesMs: number;
  /** Loading and validating every tenant file, reading the migrations, creating the App. */
  readonly registryMs: number;
  /** Process start until the first stack is constructed: what a user waits for before any tenant is built. */
  readonly startupMs: number;
  /** Constructing every stack. */
  readonly buildMs: number;
  /** `app.synth()`: aspects, validation, resolution and writing JSON. */
  readonly synthMs: number;
  /** Peak resident set size of the process (process.resourceUsage). */
  readonly maxRssMiB: number;
}

const bootMs = performance.now();
const marks: { registryStart?: number; firstStack?: number; synthStart?: number; synthEnd?: number } = {};

const tenantsDir = path.resolve(process.env.TENANTS_DIR ?? path.join(__dirname, '..', 'tenants'));
const registryStarts = () => {
  if (marks.registryStart === undefined) marks.registryStart = performance.now();
};
// The registry lists its directory (tenantFiles), then loads the files: one by one or bundled.
const fs = require('node:fs') as { readdirSync: (dir: unknown, ...rest: unknown[]) => unknown };
const readdirSync = fs.readdirSync;
fs.readdirSync = function (dir: unknown, ...rest: unknown[]) {
  if (typeof dir === 'string' && path.resolve(dir) === tenantsDir) registryStarts();
  return readdirSync.call(this, dir, ...rest);
};
const Module = require('node:module') as { _load: (request: string, ...rest: unknown[]) => unknown };
const load = Module._load;
Module._load = function (this: unknown, request: string, ...rest: unknown[]) {
  if (request.startsWith(tenantsDir + path.sep)) registryStarts();
  return load.call(this, request, ...rest);
};

// The first construct added directly to the App is the first tenant's first stack.
type NodeInternals = { readonly scope?: unknown; addChild(child: unknown, childName: string): void };
const nodePrototype = (require('constructs') as typeof import('constructs')).Node.prototype as unknown as NodeInternals;
const addChild = nodePrototype.addChild;
nodePrototype.addChild = function (this: NodeInternals, child: unknown, childName: string) {
  if (marks.firstStack === undefined && this.scope === undefined) {
    marks.firstStack = performance.now();
    if (process.env.BENCH_REGISTRY_ONLY) process.exit(0);
  }
  return addChild.call(this, child, childName);
};

const { App } = require('cdktf') as typeof import('cdktf');
const synth = App.prototype.synth;
App.prototype.synth = function (this: InstanceType<typeof App>) {
  marks.synthStart = performance.now();
  synth.call(this);
  marks.synthEnd = performance.now();
};

process.on('exit', () => {
  const file = process.env.BENCH_PHASES_FILE;
  if (!file) return;
  const { registryStart = NaN, firstStack = NaN, synthStart = NaN, synthEnd = NaN } = marks;
  const phases: AppPhases = {
    bootMs,
    modulesMs: registryStart - bootMs,
    registryMs: firstStack - registryStart,
    startupMs: firstStack,
    buildMs: synthStart - firstStack,
    synthMs: synthEnd - synthStart,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
  };
  writeFileSync(file, JSON.stringify(phases));
});
