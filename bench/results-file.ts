/**
 * bench/RESULTS.md keeps every full run, newest first, below a marker line;
 * everything above the marker (how to run, findings, proposed fixes) is
 * written by hand and left alone.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export const RESULTS_FILE = path.join(__dirname, 'RESULTS.md');

/** The line after which runs are inserted. */
export const RUNS_MARKER = '<!-- bench runs, newest first: npm run bench inserts each full run below this line -->';

/** Inserts a run's report as the newest run, under a heading with its date. */
export function recordResults(report: string, date: string, file: string = RESULTS_FILE): void {
  const current = existsSync(file) ? readFileSync(file, 'utf8') : `# Benchmark results\n\n${RUNS_MARKER}\n`;
  const text = current.includes(RUNS_MARKER) ? current : `${current.trimEnd()}\n\n${RUNS_MARKER}\n`;
  const at = text.indexOf(RUNS_MARKER) + RUNS_MARKER.length;
  writeFileSync(file, `${text.slice(0, at)}\n\n## Run of ${date}\n\n${report.trim()}\n${text.slice(at)}`);
}
