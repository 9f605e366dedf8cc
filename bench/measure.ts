/**
 * Runs a command as a child process and measures it: wall time, and peak
 * resident memory from `/usr/bin/time` (GNU time reports the largest
 * ru_maxrss among the process and the descendants it waited for, so for
 * `npx cdktf synth` it is the biggest single process of the tree).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const GNU_TIME = '/usr/bin/time';
/** GNU time writes this line last on stderr; it is taken out of the child's stderr. */
const RSS_LINE = /\n?BENCH_MAX_RSS_KIB=(\d+)\n?$/;

/** A finished, measured command. */
export interface Measured {
  readonly wallMs: number;
  /** Peak RSS in MiB, when /usr/bin/time is available. */
  readonly maxRssMiB?: number;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link measure}. */
export interface MeasureOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Fail (throw) on a non-zero exit. @default true */
  readonly check?: boolean;
}

/** Runs `command args…` to completion and measures it. */
export function measure(command: string, args: readonly string[], options: MeasureOptions = {}): Promise<Measured> {
  const timed = existsSync(GNU_TIME);
  const [file, argv] = timed ? [GNU_TIME, ['-f', 'BENCH_MAX_RSS_KIB=%M', command, ...args]] : [command, [...args]];
  const started = performance.now();
  return new Promise<Measured>((resolve, reject) => {
    const child = spawn(file, argv, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      const stderr = Buffer.concat(err).toString('utf8');
      const rss = RSS_LINE.exec(stderr);
      const result: Measured = {
        wallMs,
        ...(rss && { maxRssMiB: Number(rss[1]) / 1024 }),
        exitCode: code ?? 1,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: rss ? stderr.slice(0, rss.index) : stderr,
      };
      if ((options.check ?? true) && result.exitCode !== 0) {
        reject(new Error(`${command} ${args.join(' ')} exited ${result.exitCode}:\n${(result.stderr || result.stdout).slice(-4000)}`));
      } else {
        resolve(result);
      }
    });
  });
}

/** The median of some numbers (the lower middle for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** Runs a measurement `times` times and keeps the run with the median wall time. */
export async function medianOf<T extends { readonly wallMs: number }>(times: number, run: () => Promise<T>): Promise<T & { readonly runs: number }> {
  const results: T[] = [];
  for (let i = 0; i < times; i++) results.push(await run());
  const middle = median(results.map((r) => r.wallMs));
  return { ...(results.find((r) => r.wallMs === middle) as T), runs: times };
}
