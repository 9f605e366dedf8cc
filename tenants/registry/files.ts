/** Finding and loading the registry's files (tenants and servers), each problem at its file. */
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { type Problem } from '../../model/problems';
import { buildErrors } from './bundle';
import { rules } from './messages';

/**
 * Every `.ts` file directly in the registry directory, sorted by code point so
 * the order is the same on every machine. None is skipped: a file whose name
 * is not a tenant key is reported, not ignored.
 */
export function tenantFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => path.join(dir, entry.name))
    .sort();
}

/** How a tenant file is named in messages: relative to the working directory when inside it. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative.split(path.sep).join('/');
}

/**
 * One file on its own: the errors esbuild finds building it (syntax, imports
 * that do not resolve), each at its file, line and column; else the file run,
 * for what only running finds.
 */
export function loadFile(file: string, noDefaultExport: string = rules.noDefaultExport()): { raw?: unknown; problems?: Problem[] } {
  const shown = displayPath(file);
  const errors = buildErrors(file);
  if (errors.length) {
    return {
      problems: errors.map((error) => {
        const at = error.line ? `:${error.line}:${error.column}` : '';
        // An error in a file the tenant file imports is named inside the message.
        return error.file === path.resolve(file)
          ? { file: `${shown}${at}`, field: '', value: undefined, rule: rules.loadFailed(error.text) }
          : { file: shown, field: '', value: undefined, rule: rules.loadFailed(`${displayPath(error.file)}${at}: ${error.text}`) };
      }),
    };
  }
  try {
    const mod = require(file) as { default?: unknown };
    if (mod.default === undefined) return { problems: [{ file: shown, field: '', value: undefined, rule: noDefaultExport }] };
    return { raw: mod.default };
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    return { problems: [{ file: shown, field: '', value: undefined, rule: rules.loadFailed(reason) }] };
  }
}
