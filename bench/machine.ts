/**
 * What a result was measured on: date, machine, tool versions and the
 * checkout, so results from different runs can be compared honestly.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROJECT_ROOT } from './tenant-generator';

/** The machine and versions a run used. */
export interface Machine {
  /** Output of `date`. */
  readonly date: string;
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly terraform: string;
  readonly postgres: string;
  readonly cdktf: string;
  /** Short commit and whether the working tree had uncommitted changes. */
  readonly commit: string;
}

function firstLine(command: string, args: readonly string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8', env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null' } });
  const line = `${result.stdout ?? ''}`.split('\n').find((l) => l.trim()) ?? '';
  return result.status === 0 && line ? line.trim() : 'not found';
}

function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match) return match[1].trim();
  } catch {
    // Not Linux: os.cpus() below.
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

function commit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim() !== '';
    return dirty ? `${head} (working tree with uncommitted changes)` : head;
  } catch {
    return 'unknown';
  }
}

/**
 * HEAD and a hash of the uncommitted changes to tracked files outside bench/:
 * other sessions commit to this checkout while a run is going, and a run that
 * straddles a change measures two versions.
 */
export function checkoutFingerprint(): string {
  try {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim();
    const diff = execFileSync('git', ['diff', 'HEAD', '--', '.', ':(exclude)bench'], { cwd: PROJECT_ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    return `${head.slice(0, 7)}+${createHash('sha1').update(diff).digest('hex').slice(0, 7)}`;
  } catch {
    return 'unknown';
  }
}

/** Describes this machine; `pgBinDir` locates the PostgreSQL server binaries. */
export function describeMachine(pgBinDir: string | undefined): Machine {
  const cdktf = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'node_modules', 'cdktf', 'package.json'), 'utf8')) as { version: string };
  return {
    date: firstLine('date', []),
    cpu: cpuModel(),
    cores: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    terraform: firstLine('terraform', ['version']),
    postgres: pgBinDir ? firstLine(path.join(pgBinDir, 'postgres'), ['--version']) : 'not found (PG_BIN_DIR unset)',
    cdktf: cdktf.version,
    commit: commit(),
  };
}

/** The 1-minute load average, rounded: the noise other work put on this run. */
export function loadAverage(): number {
  return Math.round(os.loadavg()[0] * 10) / 10;
}
