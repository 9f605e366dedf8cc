import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * Writes every file or none: a failure part-way (a file that appeared
 * meanwhile, a full disk) removes the files this call created, then throws.
 * Without `replace`, an existing file is such a failure; with it, replaced
 * files are neither restored nor removed.
 */
export function writeFilesOrNone(files: readonly (readonly [file: string, content: string])[], replace = false): void {
  const existing = new Set(files.filter(([file]) => existsSync(file)).map(([file]) => file));
  const written: string[] = [];
  try {
    for (const [file, content] of files) {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content, { flag: replace ? 'w' : 'wx' });
      written.push(file);
    }
  } catch (error) {
    for (const file of written.filter((f) => !existing.has(f))) rmSync(file, { force: true });
    throw error;
  }
}
