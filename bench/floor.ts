/**
 * The floor of synthesis: writes the same JSON files as the app, from data
 * already in hand, with no construct tree. It reads a synthesized output
 * directory, parses every JSON file and writes it back out under another
 * directory (`JSON.stringify(value, null, 2)`, as cdktf writes them).
 *
 *   node --import tsx bench/floor.ts <synthesized dir> <out dir>
 *
 * Prints `{"files":…,"bytes":…,"readMs":…,"writeMs":…}` on stdout.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

/** Every `.json` file under a directory, relative to it, sorted. */
export function jsonFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
    .map((entry) => path.relative(dir, path.join(entry.parentPath ?? entry.path, entry.name)))
    .sort();
}

function main(from: string, to: string): void {
  const started = performance.now();
  const documents = jsonFiles(from).map((file) => ({ file, value: JSON.parse(readFileSync(path.join(from, file), 'utf8')) as unknown }));
  const read = performance.now();
  let bytes = 0;
  for (const { file, value } of documents) {
    const target = path.join(to, file);
    mkdirSync(path.dirname(target), { recursive: true });
    const text = JSON.stringify(value, null, 2);
    bytes += Buffer.byteLength(text);
    writeFileSync(target, text);
  }
  const written = performance.now();
  process.stdout.write(`${JSON.stringify({ files: documents.length, bytes, readMs: read - started, writeMs: written - read })}\n`);
}

if (require.main === module) {
  const [from, to] = process.argv.slice(2);
  if (!from || !to) {
    process.stderr.write('usage: node --import tsx bench/floor.ts <synthesized dir> <out dir>\n');
    process.exit(2);
  }
  main(from, to);
}
