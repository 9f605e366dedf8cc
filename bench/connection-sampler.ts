/**
 * Samples the server's client connections (pg_stat_activity) while a
 * roll-out runs, to report the peak: it must stay within max_connections and
 * the configured concurrency.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from 'pg';

/** What the sampler saw. */
export interface ConnectionPeak {
  /** Most client backends seen at once, not counting the sampler's own. */
  readonly peak: number;
  readonly samples: number;
}

/** A running sampler; {@link stop} ends it and returns the peak. */
export interface ConnectionSampler {
  stop(): Promise<ConnectionPeak>;
}

const COUNT_CLIENTS = `SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()`;

/** Starts polling every `intervalMs` on an already connected client (which the caller ends). */
export function sampleConnections(client: Client, intervalMs = 5): ConnectionSampler {
  let running = true;
  let peak = 0;
  let samples = 0;
  const loop = (async () => {
    while (running) {
      const { rows } = await client.query<{ n: number }>(COUNT_CLIENTS);
      peak = Math.max(peak, rows[0].n);
      samples++;
      await sleep(intervalMs);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { peak, samples };
    },
  };
}

/** The server's `max_connections`. */
export async function maxConnections(client: Client): Promise<number> {
  const { rows } = await client.query<{ max_connections: string }>('SHOW max_connections');
  return Number(rows[0].max_connections);
}
