/**
 * A throwaway PostgreSQL cluster for tests: initdb into a temporary
 * directory, a free port on 127.0.0.1, torn down by {@link Cluster.stop}
 * (call it in afterAll so it runs when tests fail too).
 *
 * The server binaries come from PG_BIN_DIR (npm test and .ci/run find them).
 * PostgreSQL refuses to run as root, so under root the server runs as the
 * operating system user PG_OS_USER (default: postgres, created by Debian's
 * package).
 */
import { type SpawnSyncOptions, execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';

/** A running test cluster. */
export interface Cluster {
  readonly host: string;
  readonly port: number;
  /** Bootstrap superuser. */
  readonly superuser: string;
  /** `postgres://user@127.0.0.1:port/db` (trust authentication: no password). */
  url(database?: string, user?: string): string;
  /** A connected client; the caller ends it. */
  connect(database?: string, user?: string): Promise<Client>;
  /**
   * Runs psql against a database, stopping at the first error and throwing
   * with psql's stderr, unless `stopOnError` is false (as the original system ran it).
   */
  psql(sql: string, options?: { database?: string; user?: string; stopOnError?: boolean }): string;
  /** Libpq environment pointing at this cluster, for child processes. */
  env(user?: string): NodeJS.ProcessEnv;
  stop(): void;
}

function binDir(): string {
  const dir = process.env.PG_BIN_DIR;
  if (!dir) {
    throw new Error(
      'PG_BIN_DIR is not set: point it at the directory holding initdb, pg_ctl and postgres ' +
        "(on Debian: dirname \"$(dpkg -L postgresql-15 | grep '/bin/initdb$')\"). `npm test` finds it for you.",
    );
  }
  return dir;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function runAs(user: string | undefined, command: string, args: string[], options: SpawnSyncOptions = {}): string {
  const [file, argv] = user ? ['runuser', ['-u', user, '--', command, ...args]] : [command, args];
  const result = spawnSync(file, argv, { encoding: 'utf8', ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stderr || result.stdout}`);
  }
  return String(result.stdout);
}

/** Starts a fresh cluster. */
export async function startCluster(): Promise<Cluster> {
  const bin = binDir();
  const osUser = process.getuid?.() === 0 ? (process.env.PG_OS_USER ?? 'postgres') : undefined;
  const root = mkdtempSync(path.join(tmpdir(), 'pg-test-'));
  const dataDir = path.join(root, 'data');
  const superuser = 'postgres';
  if (osUser) {
    const uid = Number(execFileSync('id', ['-u', osUser], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', osUser], { encoding: 'utf8' }));
    chownSync(root, uid, gid);
  }
  chmodSync(root, 0o700);
  const port = await freePort();
  const host = '127.0.0.1';
  let running = false;
  const stop = () => {
    if (running) {
      running = false;
      try {
        runAs(osUser, path.join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // Already gone; the directory is removed below either way.
      }
    }
    rmSync(root, { recursive: true, force: true });
  };
  try {
    runAs(osUser, path.join(bin, 'initdb'), ['-D', dataDir, '-U', superuser, '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
    writeFileSync(path.join(dataDir, 'pg_hba.conf'), 'host all all 127.0.0.1/32 trust\nlocal all all trust\n');
    const options = [
      `-p ${port}`,
      `-c listen_addresses=${host}`,
      `-c unix_socket_directories=${root}`,
      '-c fsync=off',
      '-c max_connections=300',
      '-c shared_buffers=32MB',
    ].join(' ');
    runAs(osUser, path.join(bin, 'pg_ctl'), ['-D', dataDir, '-o', options, '-l', path.join(root, 'server.log'), '-w', 'start']);
    running = true;
  } catch (error) {
    stop();
    throw error;
  }

  const url = (database = 'postgres', user = superuser) => `postgres://${encodeURIComponent(user)}@${host}:${port}/${encodeURIComponent(database)}`;
  const env = (user = superuser): NodeJS.ProcessEnv => ({
    ...process.env,
    PGHOST: host,
    PGPORT: String(port),
    PGUSER: user,
    PGDATABASE: 'postgres',
    PGSSLMODE: 'disable',
  });
  return {
    host,
    port,
    superuser,
    url,
    env,
    async connect(database = 'postgres', user = superuser) {
      const client = new Client({ host, port, user, database, ssl: false });
      await client.connect();
      return client;
    },
    psql(sql, options = {}) {
      const result = spawnSync(
        'psql',
        ['-X', '-q', '-v', `ON_ERROR_STOP=${options.stopOnError === false ? 0 : 1}`, '-h', host, '-p', String(port), '-U', options.user ?? superuser, '-d', options.database ?? 'postgres', '-f', '-'],
        { input: sql, encoding: 'utf8', env: { ...process.env, PGSSLMODE: 'disable' } },
      );
      if (result.status !== 0) throw new Error(`psql failed (${result.status}):\n${result.stderr}`);
      return result.stdout;
    },
    stop,
  };
}
