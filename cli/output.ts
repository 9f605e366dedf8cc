import Table from 'cli-table3';
import pc from 'picocolors';

/** Colours only when stdout is a terminal (picocolors also honours NO_COLOR and FORCE_COLOR). */
export const colour = pc;

/** A plain table: aligned columns, a header line, no colour codes when piped. */
export function table(head: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const t = new Table({
    head: head.map((h) => colour.bold(h)),
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
