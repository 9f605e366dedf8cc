/**
 * A throwaway PostgreSQL cluster for tests: initdb into a temporary
 * directory, a free port on 127.0.0.1, torn down by {@link Cluster.stop}
 * (call it in afterAll so it runs when tests fail too).
 *
 * The server binaries, the en_US.UTF-8 locale and the user the server runs
 * as come from pg-binaries.ts: pinned npm packages per major version (or
 * PG_BIN_DIR), a locale generated without root, and under root an
 * unprivileged user (PostgreSQL refuses to run as root).
 */
import { type SpawnSyncOptions, execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { type PgBinaries, TENANT_LOCALE, newestServer, readableBy, serverOsUser, testLocalePath } from './pg-binaries';

/** A running test cluster. */
export interface Cluster {
  readonly host: string;
  readonly port: number;
  /** Bootstrap superuser. */
  readonly superuser: string;
  /** The server's major version. */
  readonly major: number;
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
  /** With `ssl`: the server's self-signed certificate (its own CA), for PGSSLROOTCERT. */
  readonly certificate?: string;
  stop(): void;
}

/** Options of {@link startCluster}. */
export interface ClusterOptions {
  /**
   * Accept TLS connections only (as RDS with rds.force_ssl), with a
   * self-signed certificate for 127.0.0.1.
   * @default false
   */
  readonly ssl?: boolean;
  /**
   * The server binaries to run.
   * @default - the newest proven major (pg-binaries.ts)
   */
  readonly server?: PgBinaries;
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
  // The server sees LOCPATH (the generated en_US.UTF-8), whoever it runs as.
  const locales = testLocalePath();
  const locpath = locales && readableBy(user, locales, TENANT_LOCALE);
  const withLocale = locpath ? ['env', `LOCPATH=${locpath}`, command, ...args] : [command, ...args];
  const [file, argv] = user ? ['runuser', ['-u', user, '--', ...withLocale]] : [withLocale[0], withLocale.slice(1)];
  const result = spawnSync(file, argv, { encoding: 'utf8', ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stderr || result.stdout}`);
  }
  return String(result.stdout);
}

/** A self-signed certificate for 127.0.0.1 and localhost, readable by the server's user. */
function makeCertificate(dir: string, osUser: string | undefined): { cert: string; key: string } {
  const cert = path.join(dir, 'server.crt');
  const key = path.join(dir, 'server.key');
  execFileSync('openssl', ['req', '-new', '-x509', '-days', '2', '-nodes', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  chmodSync(key, 0o600);
  if (osUser) {
    const uid = Number(execFileSync('id', ['-u', osUser], { encoding: 'utf8' }));
    chownSync(key, uid, -1);
    chownSync(cert, uid, -1);
  }
  return { cert, key };
}

/** Starts a fresh cluster. */
export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const server = options.server ?? newestServer();
  const osUser = serverOsUser();
  // The binaries find their libraries and share/ beside bin/: the whole installation is what the server's user must reach.
  const bin = path.join(readableBy(osUser, path.dirname(server.binDir), path.join(path.basename(server.binDir), 'initdb')), path.basename(server.binDir));
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
  let certificate: string | undefined;
  const sslmode = options.ssl ? 'require' : 'disable';
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
    const tls = options.ssl ? makeCertificate(root, osUser) : undefined;
    writeFileSync(
      path.join(dataDir, 'pg_hba.conf'),
      tls ? 'hostssl all all 127.0.0.1/32 trust\nhostnossl all all 127.0.0.1/32 reject\nlocal all all trust\n' : 'host all all 127.0.0.1/32 trust\nlocal all all trust\n',
    );
    const serverOptions = [
      `-p ${port}`,
      `-c listen_addresses=${host}`,
      `-c unix_socket_directories=${root}`,
      '-c fsync=off',
      '-c max_connections=300',
      '-c shared_buffers=32MB',
      ...(tls ? ['-c ssl=on', `-c ssl_cert_file=${tls.cert}`, `-c ssl_key_file=${tls.key}`] : []),
    ].join(' ');
    certificate = tls?.cert;
    runAs(osUser, path.join(bin, 'pg_ctl'), ['-D', dataDir, '-o', serverOptions, '-l', path.join(root, 'server.log'), '-w', 'start']);
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
    PGSSLMODE: sslmode,
  });
  return {
    host,
    port,
    superuser,
    major: server.major,
    url,
    env,
    certificate,
    async connect(database = 'postgres', user = superuser) {
      const client = new Client({ host, port, user, database, ssl: options.ssl ? { rejectUnauthorized: false } : false });
      await client.connect();
      return client;
    },
    psql(sql, options = {}) {
      const result = spawnSync(
        'psql',
        ['-X', '-q', '-v', `ON_ERROR_STOP=${options.stopOnError === false ? 0 : 1}`, '-h', host, '-p', String(port), '-U', options.user ?? superuser, '-d', options.database ?? 'postgres', '-f', '-'],
        { input: sql, encoding: 'utf8', env: { ...process.env, PGSSLMODE: sslmode } },
      );
      if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new Error("psql (PostgreSQL's client) is not on the PATH: the tests pipe `tenants sql` into it as users do; install it (Debian: postgresql-client)");
      }
      if (result.status !== 0) throw new Error(`psql failed (${result.status}):\n${result.stderr}`);
      return result.stdout;
    },
    stop,
  };
}
