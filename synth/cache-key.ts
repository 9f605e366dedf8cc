/**
 * What a tenant's synthesized stacks depend on, as one key: the same key
 * means the same bytes. A key covers
 *
 * - the code: every project file the app imports, found by following the
 *   imports of main.ts and the synthesis worker with esbuild (so a new
 *   folder cannot be forgotten), by content;
 * - the dependencies: package.json, package-lock.json and what npm last
 *   installed (node_modules/.package-lock.json), and Node's version;
 * - the migrations' checksum (every TenantStack's migration trigger holds it);
 * - the environment that shapes the output: the state backend read from
 *   TENANT_STATE_*, the path from a stack's directory to the project, and
 *   cdktf's context (CDKTF_CONTEXT_JSON);
 * - the tenant: its validated, defaults-resolved definition and the bytes of
 *   its file;
 * - the server it is placed on, as the registry resolved it (its address,
 *   admin role, TLS settings and password variable shape the provider), so
 *   that a change of one server redoes only the tenants placed on it.
 *
 * Anything else a stack could depend on is a bug to add here: the tests
 * check that a change of code, of a dependency, of the state settings and of
 * the schema each gives new keys.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import type { StateBackendConfig } from '../model/state-config';
import type { Server, Tenant } from '../tenants/registry';
import { canonicalJson } from './stable-json';

/** Bump when the cache's entries change shape or meaning. */
export const CACHE_FORMAT = 1;

/** Files that shape the output without being imported. */
const CONFIGURATION_FILES = ['package.json', 'package-lock.json', path.join('node_modules', '.package-lock.json'), 'tsconfig.json', 'cdktf.json'];

/** The entry points whose imports are the synthesis code. */
export const SYNTHESIS_ENTRY_POINTS = ['main.ts', path.join('synth', 'worker.ts')];

const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

/**
 * The project files the synthesis imports, relative to `root`, sorted:
 * esbuild follows every static import, `require` and `import()` of a literal
 * path from the entry points; packages stay outside (the lockfiles cover them).
 */
export function synthesisSources(root: string): string[] {
  const result = buildSync({
    entryPoints: SYNTHESIS_ENTRY_POINTS.map((entry) => path.join(root, entry)),
    bundle: true,
    write: false,
    metafile: true,
    packages: 'external',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'silent',
    outdir: path.join(root, '.synth-fingerprint'),
    absWorkingDir: root,
  });
  return Object.keys(result.metafile?.inputs ?? {})
    .map((input) => path.relative(root, path.resolve(root, input)))
    .filter((file) => !file.startsWith('..') && !file.split(path.sep).includes('node_modules'))
    .sort();
}

/** One hash of the code and the dependencies of the synthesis in `root`. */
export function codeFingerprint(root: string): string {
  const hash = createHash('sha256');
  hash.update(`format ${CACHE_FORMAT}\0node ${process.versions.node}\0`);
  for (const file of [...synthesisSources(root), ...CONFIGURATION_FILES]) {
    const full = path.join(root, file);
    hash.update(`${file.split(path.sep).join('/')}\0${existsSync(full) ? sha256(readFileSync(full)) : 'absent'}\0`);
  }
  return hash.digest('hex');
}

/** What every tenant's key shares. */
export interface SharedKeyInputs {
  /** {@link codeFingerprint} of the checkout. */
  readonly code: string;
  readonly migrationsChecksum: string;
  readonly stateBackend: StateBackendConfig;
  /** Path from a stack's directory to the project root. */
  readonly projectDir: string;
  /** CDKTF_CONTEXT_JSON, which cdktf reads into the App's context. */
  readonly cdktfContext?: string;
  /** CDKTF_FLEET_TUNING and CDKTF_TOKEN_STACK_TRACES. */
  readonly cdktfTuning?: string;
}

/** The part of every key that the fleet shares. */
export function sharedKey(inputs: SharedKeyInputs): string {
  return sha256(canonicalJson({ format: CACHE_FORMAT, ...inputs }));
}

/** The key of one tenant's stacks: the shared part, the resolved tenant, its file's bytes and its server (none for Lambda and MongoDB tenants). */
export function tenantKey(shared: string, tenant: Tenant, fileBytes: Buffer | string, server: Server | undefined): string {
  return sha256(`${shared}\0${canonicalJson(tenant)}\0${sha256(fileBytes)}\0${canonicalJson(server ?? null)}`);
}
