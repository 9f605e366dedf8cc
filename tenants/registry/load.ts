import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { EnvironmentError } from '../../model/state-config';
import { type Problem } from '../../model/problems';
import { RegistryError, rules } from './messages';
import { KEY_PATTERN } from '../../model/naming';
import { buildErrors, loadDefaultExports } from './bundle';
import type { Tenant } from './types';
import { type FleetFacts, checkDefinition, checkFleetFacts, factsOf, partialFacts } from './validate';

/** The tenant files that ship with the project. */
export const DEFAULT_TENANTS_DIR = path.resolve(__dirname, '..');

/** Where the registry lives: `TENANTS_DIR` if set, else `tenants/`. */
export function tenantsDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.TENANTS_DIR ? path.resolve(env.TENANTS_DIR) : DEFAULT_TENANTS_DIR;
}

/** The validated fleet, in file-name order. */
export interface Registry {
  readonly dir: string;
  readonly tenants: readonly Tenant[];
}

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
function loadFile(file: string): { raw?: unknown; problems?: Problem[] } {
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
    if (mod.default === undefined) return { problems: [{ file: shown, field: '', value: undefined, rule: rules.noDefaultExport() }] };
    return { raw: mod.default };
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    return { problems: [{ file: shown, field: '', value: undefined, rule: rules.loadFailed(reason) }] };
  }
}

/** Loads and checks every tenant file; the problems of all files, or none. */
export function checkRegistry(dir: string = tenantsDir()): { tenants: Tenant[]; problems: Problem[] } {
  const tenants: Tenant[] = [];
  const problems: Problem[] = [];
  const facts: FleetFacts[] = [];
  const files = tenantFiles(dir);
  const named = files.filter((file) => KEY_PATTERN.test(path.basename(file, '.ts')));
  // All at once when every file loads; one by one otherwise, to name the broken one.
  const bundled = loadDefaultExports(named);
  for (const file of files) {
    const fileKey = path.basename(file, '.ts');
    const shown = displayPath(file);
    if (!KEY_PATTERN.test(fileKey)) {
      problems.push({ file: shown, field: '', value: undefined, rule: rules.badFileName() });
      continue;
    }
    const { raw, problems: loadProblems } = bundled && bundled.get(file) !== undefined ? { raw: bundled.get(file), problems: undefined } : loadFile(file);
    if (loadProblems) {
      problems.push(...loadProblems);
      continue;
    }
    const check = checkDefinition(shown, fileKey, raw);
    problems.push(...check.problems);
    if (check.tenant) tenants.push(check.tenant);
    facts.push(check.tenant ? factsOf(check.tenant) : partialFacts(shown, raw, check.problems));
  }
  problems.push(...checkFleetFacts(facts));
  return { tenants, problems };
}

/**
 * Loads the registry for synthesis or the CLI. Throws a {@link RegistryError}
 * listing every problem when any file is wrong, so nothing is built from a
 * partly valid fleet.
 */
export function loadRegistry(dir: string = tenantsDir()): Registry {
  const { tenants, problems } = checkRegistry(dir);
  if (problems.length) throw new RegistryError(problems);
  return { dir, tenants };
}

/**
 * The tenants to build stacks for: all of them, or those named in
 * `TENANT_KEYS` (comma-separated), so that a CI runner deploying a few tenants
 * of a large fleet synthesizes only theirs. The whole registry is still
 * validated; an unknown key is a problem like any other.
 */
export function tenantsToSynthesize(registry: Registry, env: NodeJS.ProcessEnv = process.env): readonly Tenant[] {
  const wanted = env.TENANT_KEYS?.split(',').map((key) => key.trim()).filter(Boolean);
  if (!wanted?.length) return registry.tenants;
  const known = new Set(registry.tenants.map((t) => t.key));
  const unknown = wanted.filter((key) => !known.has(key));
  if (unknown.length) {
    throw new EnvironmentError(unknown.map((key) => ({ file: 'TENANT_KEYS', field: '', value: key, rule: rules.unknownTenantKey([...known]) })));
  }
  return registry.tenants.filter((t) => wanted.includes(t.key));
}
