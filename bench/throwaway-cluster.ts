/**
 * The tests' throwaway PostgreSQL cluster (testbed/pg-cluster.ts),
 * with a stop that also holds when Ctrl-C has reached the server first: the
 * server shares the terminal's process group, so it may be half-way through
 * its own shutdown when the benchmark cleans up.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import type { Cluster } from '../testbed/pg-cluster';

/** A running cluster and a stop that is safe to call twice, from a signal handler too. */
export interface ThrowawayCluster {
  readonly cluster: Cluster;
  stop(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Starts a cluster with the server binaries in `binDir`. */
export async function startThrowawayCluster(binDir: string): Promise<ThrowawayCluster> {
  process.env.PG_BIN_DIR = binDir;
  const { startCluster } = await import('../testbed/pg-cluster');
  const cluster = await startCluster();
  let dataDir: string;
  try {
    const client = await cluster.connect();
    try {
      dataDir = String((await client.query<{ data_directory: string }>('SHOW data_directory')).rows[0].data_directory);
    } finally {
      await client.end();
    }
  } catch (error) {
    cluster.stop();
    throw error;
  }
  const pidFile = path.join(dataDir, 'postmaster.pid');
  const postmaster = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : undefined;
  let stopped = false;
  return {
    cluster,
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        cluster.stop();
      } catch {
        // The server was already shutting down; finished below.
      }
      // Only the server this benchmark started, by its process id.
      if (postmaster && alive(postmaster)) {
        process.kill(postmaster, 'SIGQUIT');
        for (let i = 0; i < 50 && alive(postmaster); i++) sleepSync(100);
      }
      rmSync(path.dirname(dataDir), { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    },
  };
}
