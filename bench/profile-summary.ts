/**
 * Summarizes a V8 `.cpuprofile` (from `node --cpu-prof`): where the time goes,
 * by self time per function and by inclusive time per source (package or
 * project file), so a missed target can be explained with evidence.
 *
 *   npx tsx bench/profile-summary.ts <file.cpuprofile> [top]
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

/** A row of the summary: a name and milliseconds. */
export interface Share {
  readonly name: string;
  readonly ms: number;
}

/** Where a profile's time goes. */
export interface ProfileSummary {
  readonly totalMs: number;
  /** Self time per function (`name file:line`). */
  readonly selfByFunction: readonly Share[];
  /** Inclusive time per source (an npm package or a project file); a stack counts once per source. */
  readonly inclusiveBySource: readonly Share[];
}

/** `cdktf`, `@cdktf/provider-docker`, `constructs/stacks/tenant-stack.ts`, `(node)`, `(native)`. */
export function sourceOf(url: string, root: string): string {
  if (!url) return '(native)';
  if (url.startsWith('node:')) return '(node)';
  const file = url.replace(/^file:\/\//, '');
  const modules = file.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const parts = file.slice(modules + '/node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  return path.isAbsolute(file) ? path.relative(root, file) : file;
}

function top(map: Map<string, number>, count: number): Share[] {
  return [...map.entries()]
    .map(([name, us]) => ({ name, ms: us / 1000 }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, count);
}

/** Reads a profile and attributes every sample to its function and to every source on its stack. */
export function summarizeProfile(file: string, root: string, count = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const node = byId.get(id) as ProfileNode;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = `${functionName || '(anonymous)'} ${sourceOf(url, root)}:${lineNumber + 1}`;
    self.set(name, (self.get(name) ?? 0) + us);
    const sources = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = (byId.get(at) as ProfileNode).callFrame;
      if (frame.url) sources.add(sourceOf(frame.url, root));
      else if (!frame.functionName.startsWith('(')) sources.add('(native)');
      else sources.add(frame.functionName);
    }
    for (const source of sources) inclusive.set(source, (inclusive.get(source) ?? 0) + us);
  });
  return {
    totalMs: (profile.endTime - profile.startTime) / 1000,
    selfByFunction: top(self, count),
    inclusiveBySource: top(inclusive, count),
  };
}

if (require.main === module) {
  const [file, count] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: tsx bench/profile-summary.ts <file.cpuprofile> [top]\n');
    process.exit(2);
  }
  const summary = summarizeProfile(file, path.resolve(__dirname, '..'), Number(count ?? 15));
  const show = (title: string, rows: readonly Share[]) =>
    `${title}\n${rows.map((r) => `  ${r.ms.toFixed(0).padStart(7)} ms  ${r.name}`).join('\n')}\n`;
  process.stdout.write(`total ${summary.totalMs.toFixed(0)} ms\n`);
  process.stdout.write(show('inclusive by source:', summary.inclusiveBySource));
  process.stdout.write(show('self by function:', summary.selfByFunction));
}
