import pc from 'picocolors';
import { wantsColour } from './output';

/** Where the CLI writes: a process's stream, or a test's buffer. */
export interface OutputStream {
  write(text: string): unknown;
  /** A terminal: colour and live displays only then. */
  readonly isTTY?: boolean;
}

/** Colour functions; plain identity functions when colour is off. */
export type Colours = ReturnType<typeof pc.createColors>;

/**
 * What one run of the CLI reads and writes. The process's own streams and
 * environment when run as `npx tenants`; buffers in tests, which run the
 * program in-process.
 */
export interface CliIo {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  /** The environment commands read (TENANTS_DIR, the state backend, NO_COLOR, ...). */
  readonly env: NodeJS.ProcessEnv;
  /** Whether a person is at the keyboard: prompts only then. */
  readonly interactive: boolean;
  /** Colours for standard output, decided by its own terminal and the environment. */
  readonly colour: Colours;
  /** Colours for standard error. */
  readonly errorColour: Colours;
}

/** The parts of {@link CliIo} a caller gives; colours follow from them. */
export interface CliIoOptions {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** @default false */
  readonly interactive?: boolean;
}

/** An io over the given streams, with colours decided per stream (see {@link wantsColour}). */
export function createIo(options: CliIoOptions): CliIo {
  const env = options.env ?? process.env;
  return {
    stdout: options.stdout,
    stderr: options.stderr,
    env,
    interactive: options.interactive ?? false,
    colour: pc.createColors(wantsColour(options.stdout, env)),
    errorColour: pc.createColors(wantsColour(options.stderr, env)),
  };
}

/** The process's own streams and environment; interactive when stdin and stdout are terminals. */
export function processIo(): CliIo {
  return createIo({ stdout: process.stdout, stderr: process.stderr, env: process.env, interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY) });
}
