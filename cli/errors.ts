/**
 * Exit codes of every command: 0 success, 1 failure, 2 usage error, 130
 * cancelled at a prompt with Ctrl-C (128 + SIGINT, what a shell reports for a
 * command Ctrl-C ended, so scripts can tell it from a failure).
 */
export const EXIT = { ok: 0, failure: 1, usage: 2, interrupted: 130 } as const;

/** The last line of every usage error. */
export const USAGE_HINT = '(add --help for usage)';

/** Bad arguments: exits 2 with the message. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A command that ran and failed (some tenants did not migrate, say): exits 1. */
export class CommandFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandFailed';
  }
}

/** A command stopped by Ctrl-C or SIGTERM after cleaning up: exits 130, as a shell reports SIGINT. */
export class CommandInterrupted extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandInterrupted';
  }
}
