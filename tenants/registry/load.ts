import * as path from 'node:path';
import { EnvironmentError } from '../../model/state-config';
import { type Problem } from '../../model/problems';
import { RegistryError, rules } from './messages';
import { KEY_PATTERN } from '../../model/naming';
import { loadDefaultExports } from './bundle';
import { displayPath, loadFile, tenantFiles } from './files';
import { checkPlacement } from './placement';
import type { Server } from './server-types';
import { checkServers, serversDir } from './servers';
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
  /** The fleet's database servers: the default one first unless a file describes it. */
  readonly servers: readonly Server[];
}

/** Loads and checks every tenant and server file, and where the tenants are placed; the problems of all files, or none. */
export function checkRegistry(dir: string = tenantsDir(), serversDirectory: string = serversDir()): { tenants: Tenant[]; servers: Server[]; problems: Problem[] } {
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
  const fleet = checkServers(serversDirectory);
  problems.push(...fleet.problems);
  const keys = files.map((file) => path.basename(file, '.ts')).filter((key) => KEY_PATTERN.test(key));
  problems.push(...checkPlacement(fleet.servers, tenants, keys));
  return { tenants, servers: fleet.servers, problems };
}

/**
 * Loads the registry for synthesis or the CLI. Throws a {@link RegistryError}
 * listing every problem when any file is wrong, so nothing is built from a
 * partly valid fleet.
 */
export function loadRegistry(dir: string = tenantsDir(), serversDirectory: string = serversDir()): Registry {
  const { tenants, servers, problems } = checkRegistry(dir, serversDirectory);
  if (problems.length) throw new RegistryError(problems);
  return { dir, tenants, servers };
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
