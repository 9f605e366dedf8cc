import type { CliIo } from './io';

/** An abort signal for Ctrl-C and SIGTERM, and the way to stop listening. */
export interface Interruption {
  readonly signal: AbortSignal;
  dispose(): void;
}

/**
 * Turns the first Ctrl-C (SIGINT) or SIGTERM into an abort, so a fleet
 * command can cancel what runs on the servers and report before it exits;
 * a second one exits at once (130).
 */
export function interruptOnSignals(what: string, io: CliIo): Interruption {
  const controller = new AbortController();
  const handler = () => {
    if (controller.signal.aborted) process.exit(130);
    io.stderr.write(`\n${io.errorColour.yellow(`interrupted: ${what}; press Ctrl-C again to quit at once`)}\n`);
    controller.abort();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
