/**
 * Drives a command in a real pseudo-terminal (node-pty), the way a person
 * would: wait for a prompt, type, read what the screen says.
 */
import * as pty from 'node-pty';

/** Strips ANSI escape sequences (colour, cursor moves) from terminal output. */
export function plain(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;?]*[A-Za-z]|\u001b[()][A-Za-z0-9]|\u001b[78=>]/g, '');
}

/** A running command in a terminal. */
export class TerminalSession {
  private output = '';
  /** Position in the plain screen text up to which earlier waits matched. */
  private consumed = 0;
  private readonly process: pty.IPty;
  readonly exited: Promise<number>;

  constructor(file: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }) {
    this.process = pty.spawn(file, args, { name: 'xterm-256color', cols: 160, rows: 50, cwd: options.cwd, env: options.env as Record<string, string> });
    this.process.onData((data) => {
      this.output += data;
    });
    this.exited = new Promise((resolve) => this.process.onExit(({ exitCode }) => resolve(exitCode)));
  }

  /** Everything the terminal showed so far, without escape codes. */
  get screen(): string {
    return plain(this.output);
  }

  /** Waits until text matching `pattern` appears after what earlier waits consumed. */
  async waitFor(pattern: RegExp, timeoutMs = 15000): Promise<string> {
    const started = Date.now();
    for (;;) {
      const rest = this.screen.slice(this.consumed);
      const match = pattern.exec(rest);
      if (match) {
        this.consumed += match.index + match[0].length;
        return match[0];
      }
      if (Date.now() - started > timeoutMs) {
        throw new Error(`timed out waiting for ${pattern}; the terminal shows:\n${rest.slice(-2000)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** Types text (use \r for Enter). */
  type(text: string): void {
    this.process.write(text);
  }

  kill(): void {
    try {
      this.process.kill();
    } catch {
      // Already exited.
    }
  }
}

/** Keys as a terminal sends them. */
export const KEY = { enter: '\r', down: '\u001b[B', backspace: '\u007f', ctrlC: '\u0003' } as const;
