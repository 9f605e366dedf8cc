/**
 * The content-addressed store of synthesized tenants: one file per key
 * (cache-key.ts) holding each of the tenant's stacks (its `cdk.tf.json` text
 * and its manifest entry) and a checksum of them. An entry is written to a
 * temporary file and renamed into place, so a reader never sees half of one;
 * one that fails its checksum is a miss (and is overwritten). Entries unused
 * for the longest are removed once there are more than a few fleets' worth.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { CACHE_FORMAT } from './cache-key';

/** One synthesized stack, as cdktf wrote it. */
export interface SynthesizedStack {
  readonly name: string;
  /** The stack's entry in manifest.json. */
  readonly manifest: Record<string, unknown>;
  /** The text of its cdk.tf.json. */
  readonly text: string;
}

/** Every stack of one tenant, and the manifest version cdktf wrote. */
export interface TenantOutput {
  readonly key: string;
  readonly manifestVersion: string;
  readonly stacks: readonly SynthesizedStack[];
}

interface StoredEntry extends TenantOutput {
  readonly format: number;
  readonly checksum: string;
}

function checksumOf(output: TenantOutput): string {
  const hash = createHash('sha256').update(`${output.key}\0${output.manifestVersion}\0`);
  for (const stack of output.stacks) hash.update(`${stack.name}\0${JSON.stringify(stack.manifest)}\0${stack.text}\0`);
  return hash.digest('hex');
}

/** The cache in a directory. */
export class SynthCache {
  private readonly root: string;

  constructor(dir: string) {
    this.root = path.join(dir, `v${CACHE_FORMAT}`);
  }

  private fileOf(key: string): string {
    return path.join(this.root, key.slice(0, 2), `${key}.json`);
  }

  /** The entry of a key, or undefined (none, or not intact). A hit counts as a use, for pruning. */
  read(key: string): TenantOutput | undefined {
    const file = this.fileOf(key);
    let entry: StoredEntry;
    try {
      entry = JSON.parse(readFileSync(file, 'utf8')) as StoredEntry;
    } catch {
      return undefined;
    }
    const output: TenantOutput = { key: entry.key, manifestVersion: entry.manifestVersion, stacks: entry.stacks };
    if (entry.format !== CACHE_FORMAT || entry.key !== key || !Array.isArray(entry.stacks) || entry.checksum !== checksumOf(output)) return undefined;
    const now = new Date();
    try {
      utimesSync(file, now, now);
    } catch {
      // A read-only cache (CI restoring one) still serves.
    }
    return output;
  }

  /** Stores an entry (atomically; a concurrent writer of the same key writes the same bytes). */
  write(output: TenantOutput): void {
    const file = this.fileOf(output.key);
    mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const entry: StoredEntry = { format: CACHE_FORMAT, ...output, checksum: checksumOf(output) };
    writeFileSync(temporary, JSON.stringify(entry));
    renameSync(temporary, file);
  }

  /** Removes the least recently used entries beyond `keep`. */
  prune(keep: number): number {
    let files: { file: string; used: number }[] = [];
    try {
      files = readdirSync(this.root).flatMap((sub) =>
        readdirSync(path.join(this.root, sub))
          .filter((name) => name.endsWith('.json'))
          .map((name) => {
            const file = path.join(this.root, sub, name);
            return { file, used: statSync(file).mtimeMs };
          }),
      );
    } catch {
      return 0;
    }
    if (files.length <= keep) return 0;
    const stale = files.sort((a, b) => b.used - a.used).slice(keep);
    for (const { file } of stale) rmSync(file, { force: true });
    return stale.length;
  }
}
