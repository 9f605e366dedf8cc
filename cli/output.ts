import Table from 'cli-table3';
import pc from 'picocolors';

/**
 * Whether to colour what goes to a stream: a non-empty NO_COLOR turns colour
 * off (no-color.org), a FORCE_COLOR other than 0 turns it on, otherwise only
 * a terminal that is not `dumb` gets colour. Unlike picocolors' own default,
 * a CI environment is not a reason to colour piped output.
 */
export function wantsColour(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return stream.isTTY === true && env.TERM !== 'dumb';
}

/** Colours for standard output. */
export const colour = pc.createColors(wantsColour(process.stdout));

/** Colours for standard error (decided by its own terminal). */
export const errorColour = pc.createColors(wantsColour(process.stderr));

/** A plain table: aligned columns, a header line, no colour codes when piped. */
export function table(head: readonly string[], rows: readonly (readonly (string | number)[])[], colours: { bold: (text: string) => string } = colour): string {
  const t = new Table({
    head: head.map((h) => colours.bold(h)),
    style: { head: [], border: [], compact: true },
    chars: { top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '', left: '', 'left-mid': '', mid: '-', 'mid-mid': ' ', right: '', 'right-mid': '', middle: ' ' },
  });
  t.push(...rows.map((row) => row.map(String)));
  return t.toString().replace(/\s+$/, '');
}

/** Milliseconds as `1.2 s` or `340 ms`. */
export function duration(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms} ms`;
}

/**
 * The lines that differ between two texts, as `-` and `+` lines after a
 * `@@ line N @@` header: enough to show a one-place edit (what --dry-run
 * shows), not a general diff.
 */
export function changedLines(before: string, after: string): string {
  const [a, b] = [before.split('\n'), after.split('\n')];
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  const removed = a.slice(start, a.length - end).map((line) => `-${line}`);
  const added = b.slice(start, b.length - end).map((line) => `+${line}`);
  return [`@@ line ${start + 1} @@`, ...removed, ...added, ''].join('\n');
}

/** Bytes as people read them: 7.9 MB, 1.2 GB (powers of 1024, as pg_size_pretty). */
export function bytes(n: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${n} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}
