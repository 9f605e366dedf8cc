/**
 * The migration runner over TLS, against a server that accepts nothing else
 * (as RDS does with rds.force_ssl) and presents a certificate Node does not
 * trust (as RDS's own CA): sslmode must mean what it means to libpq.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runCli, tempRegistry, tenant, tenantSourceOf } from './helpers';
import { type Cluster, startCluster } from '../testbed/pg-cluster';
import { applyAccessSql } from './support/tenant-db';

let cluster: Cluster;
let registry: { dir: string; cleanup: () => void };
const shop = tenant({ key: 'tls_shop', database: { name: 'tls_shop' } });

beforeAll(async () => {
  cluster = await startCluster({ ssl: true });
  applyAccessSql(cluster, shop);
  registry = tempRegistry({ 'tls_shop.ts': tenantSourceOf(shop) });
});
afterAll(() => {
  cluster?.stop();
  registry?.cleanup();
});

function migrate(env: NodeJS.ProcessEnv, args: string[] = []) {
  return runCli(['migrate', 'tls_shop', ...args], { ...cluster.env(), TENANTS_DIR: registry.dir, PGSSLROOTCERT: '', ...env });
}

describe('tenants migrate over TLS', () => {
  it('connects with sslmode=require to a server whose certificate no public CA signed, as libpq does', () => {
    const result = migrate({ PGSSLMODE: 'require' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('verifies the certificate and host name with verify-full and the server CA in PGSSLROOTCERT', () => {
    expect(migrate({ PGSSLMODE: 'verify-full', PGSSLROOTCERT: cluster.certificate }).status).toBe(0);
  });

  it('refuses a certificate it cannot verify under verify-full', () => {
    const result = migrate({ PGSSLMODE: 'verify-full' });
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^tls_shop: self[- ]signed certificate/m);
  });

  it('takes sslmode from an admin URL as well', () => {
    expect(migrate({ PGSSLMODE: '' }, ['--url', `${cluster.url()}?sslmode=require`]).status).toBe(0);
  });

  test.each(['prefer', 'allow'])('connects with sslmode=%s, over TLS, as libpq does', (mode) => {
    const result = migrate({ PGSSLMODE: mode });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  test.each(['prefer', 'allow'])('checks the certificate with sslmode=%s when PGSSLROOTCERT is given, as libpq does', (mode) => {
    expect(migrate({ PGSSLMODE: mode, PGSSLROOTCERT: cluster.certificate }).status).toBe(0);
    // A CA that did not sign the server's certificate: TLS fails, and this server refuses a plain connection.
    const dir = mkdtempSync(path.join(tmpdir(), 'other-ca-'));
    try {
      const ca = path.join(dir, 'ca.crt');
      execFileSync('openssl', ['req', '-new', '-x509', '-days', '1', '-nodes', '-subj', '/CN=other-ca', '-keyout', path.join(dir, 'ca.key'), '-out', ca], { stdio: 'ignore' });
      const result = migrate({ PGSSLMODE: mode, PGSSLROOTCERT: ca });
      expect(result.status).toBe(1);
      // prefer: TLS fails on the certificate, then the plain attempt is refused; allow: the other way round.
      expect(result.stdout).toMatch(mode === 'prefer' ? /with TLS: self[- ]signed certificate; then without TLS: .*no encryption/ : /without TLS: .*no encryption.*; then with TLS: self[- ]signed certificate/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ignores a PGSSLROOTCERT that does not exist, short of the verify modes, as libpq does', () => {
    expect(migrate({ PGSSLMODE: 'require', PGSSLROOTCERT: '/nonexistent/root.crt' }).status).toBe(0);
    const verify = migrate({ PGSSLMODE: 'verify-full', PGSSLROOTCERT: '/nonexistent/root.crt' });
    expect(verify.status).toBe(1);
    expect(verify.stdout).toContain('/nonexistent/root.crt');
  });

  it('refuses an sslmode libpq does not know, saying which there are', () => {
    const result = migrate({ PGSSLMODE: 'required' });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('sslmode "required" is not one of disable, allow, prefer, require, verify-ca, verify-full');
  });

  it('is refused by the server without TLS', () => {
    const result = migrate({ PGSSLMODE: 'disable' });
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^tls_shop: .*no encryption/m);
  });
});
