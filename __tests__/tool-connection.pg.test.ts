/**
 * libpq's tools (psql, pg_dump, pg_restore) reach a server of the fleet at
 * its file's address only, with its own password, whatever the environment
 * the operator set up for the default server says: PGHOSTADDR and a service
 * (PGSERVICE, whose entry may name a hostaddr) would otherwise send another
 * server's admin password, or a migrator's one-off password, to the default
 * server's address. A stand-in server at that address asks for the password
 * in clear text and records whatever it is sent; the real server (trust
 * authentication) is the one that must answer.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, type Socket, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runTool, toolConnection } from '../ops/libpq-tools';
import { newestServer } from '../testbed/pg-binaries';
import { type Cluster, startCluster } from '../testbed/pg-cluster';

const SECRET = 'srv-b-admin-password-7f3a';

let cluster: Cluster;
let trap: Server;
let captured: string[];
let dir: string;

/** A server on 127.0.0.2 at the cluster's port that asks every client for a clear-text password and keeps it. */
function passwordTrap(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer((socket: Socket) => {
      let startup = true;
      socket.on('data', (data: Buffer) => {
        if (startup) {
          // An SSLRequest (8 bytes, code 80877103) is refused with 'N'; the startup message gets AuthenticationCleartextPassword.
          if (data.length === 8 && data.readInt32BE(4) === 80877103) return void socket.write('N');
          startup = false;
          const ask = Buffer.alloc(9);
          ask.write('R', 0);
          ask.writeInt32BE(8, 1);
          ask.writeInt32BE(3, 5);
          return void socket.write(ask);
        }
        if (data[0] === 0x70) captured.push(data.subarray(5, data.length - 1).toString());
        socket.destroy();
      });
      socket.on('error', () => undefined);
    });
    server.on('error', reject);
    server.listen(port, '127.0.0.2', () => resolve(server));
  });
}

beforeAll(async () => {
  cluster = await startCluster({ server: newestServer() });
  trap = await passwordTrap(cluster.port);
  dir = mkdtempSync(path.join(tmpdir(), 'tool-connection-'));
}, 120_000);
afterAll(async () => {
  await new Promise((resolve) => trap?.close(resolve));
  await cluster?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => (captured = []));

const srvB = {
  server: { name: 'srv-b', host: '127.0.0.1', port: 0, user: '', sslmode: 'disable', passwordVariable: 'PGPASSWORD_SRV_B' },
};
const connection = () => ({ server: { ...srvB.server, port: cluster.port, user: cluster.superuser } });

/** psql run as the fleet commands run it, on server srv-b, in an environment set up for the default server. */
async function psqlOnSrvB(env: NodeJS.ProcessEnv, as?: { user: string; password: string }) {
  const tool = toolConnection(connection(), 'postgres', { PATH: process.env.PATH, PGCONNECT_TIMEOUT: '5', PGPASSWORD_SRV_B: SECRET, ...env }, as);
  return runTool('psql', ['-X', '-A', '-t', '-c', 'SELECT pg_catalog.inet_server_addr()', '--dbname', tool.dbname], tool.env);
}

describe("a server of the fleet's password reaches that server only", () => {
  it('whatever PGHOSTADDR says (the default server at an address without a name)', async () => {
    const run = await psqlOnSrvB({ PGHOSTADDR: '127.0.0.2' });
    expect(captured).toEqual([]);
    expect([run.status, run.stdout.trim()]).toEqual([0, '127.0.0.1']);
  });

  it('whatever service PGSERVICE names (its entry may name another hostaddr)', async () => {
    const services = path.join(dir, 'pg_service.conf');
    writeFileSync(services, `[default_server]\nhostaddr=127.0.0.2\n`);
    const run = await psqlOnSrvB({ PGSERVICE: 'default_server', PGSERVICEFILE: services });
    expect(captured).toEqual([]);
    expect([run.status, run.stdout.trim()]).toEqual([0, '127.0.0.1']);
  });

  it("and a migrator's one-off password goes where its server is, too", async () => {
    const run = await psqlOnSrvB({ PGHOSTADDR: '127.0.0.2' }, { user: cluster.superuser, password: 'one-off-migrator-password' });
    expect(captured).toEqual([]);
    expect(run.status).toBe(0);
  });
});

describe('a tool inherits no secret it does not need', () => {
  const secrets = { PGPASSWORD_SRV_B: SECRET, PGPASSWORD_EU_SHARED_2: 'other-server-password', TF_VAR_stripe_secret: 'sk_test_x', TF_VAR_pgpassword_srv_b: SECRET, PATH: '/usr/bin' };
  const names = (env: NodeJS.ProcessEnv) => Object.keys(env).filter((name) => /PASSWORD|TF_VAR_/.test(name)).sort();

  it("on a server of the fleet: that server's password as PGPASSWORD, no other server's, no Terraform variable", () => {
    const tool = toolConnection(connection(), 'postgres', secrets);
    expect(names(tool.env)).toEqual(['PGPASSWORD']);
    expect(tool.env.PGPASSWORD).toBe(SECRET);
    expect(tool.env.PATH).toBe('/usr/bin');
  });

  it('on the default server, by URL or by the environment: its own PGPASSWORD only', () => {
    expect(names(toolConnection({ url: 'postgres://admin:default-pw@db.internal:5432/postgres' }, 'shop', secrets).env)).toEqual(['PGPASSWORD']);
    expect(names(toolConnection({}, 'shop', { ...secrets, PGPASSWORD: 'default-pw' }).env)).toEqual(['PGPASSWORD']);
  });
});
