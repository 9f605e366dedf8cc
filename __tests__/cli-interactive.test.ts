/**
 * The interactive `add`, driven through a real pseudo-terminal: answers are
 * typed, a wrong one is asked again with the reason, the summary confirmed,
 * and the file written is a tenant that synthesizes.
 */
import { readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { loadRegistry } from '../tenants/registry';
import { PROJECT_ROOT, projectOutdir, type SynthesizedStack, TENANTS_BIN, exampleRegistryCopy, resourcesOf, runApp } from './helpers';
import { KEY, TerminalSession } from './support/terminal';

let registry: ReturnType<typeof exampleRegistryCopy>;
let session: TerminalSession | undefined;
beforeEach(() => {
  registry = exampleRegistryCopy();
});
afterEach(() => {
  session?.kill();
  registry.cleanup();
});

function startAdd(...flags: string[]): TerminalSession {
  return new TerminalSession(process.execPath, [TENANTS_BIN, 'add', ...flags], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, TENANTS_DIR: registry.dir, FORCE_COLOR: '1' },
  });
}

type Answer = (prompt: RegExp, text: string) => Promise<void>;

/** Waits for a prompt, then types the answer. */
const answerer =
  (s: TerminalSession): Answer =>
  async (prompt, text) => {
    await s.waitFor(prompt);
    s.type(text);
  };

/** The questions before the target: suggested database name, key and plan taken, one admin, no developers or customers. */
async function answerUpToTarget(answer: Answer, company: string, admin: string, email: string): Promise<void> {
  await answer(/Company name/, `${company}${KEY.enter}`);
  await answer(/Database name/, KEY.enter);
  await answer(/Tenant key/, KEY.enter);
  await answer(/Plan/, KEY.enter);
  await answer(/admin username/, `${admin}${KEY.enter}`);
  await answer(/admin email/, `${email}${KEY.enter}`);
  await answer(/Add a developer\?/, KEY.enter);
  await answer(/Add a customer\?/, KEY.enter);
}

describe('tenants add in a terminal', () => {
  it('asks, re-asks a wrong answer with the reason, confirms, writes the tenant, and the tenant synthesizes', async () => {
    const s = (session = startAdd());
    await s.waitFor(/Company name/);
    s.type(`Garden Center GmbH${KEY.enter}`);

    await s.waitFor(/Database name \(the customer chooses\) \(garden_center_gmbh\)/);
    s.type(`Garden-DB${KEY.enter}`);
    await s.waitFor(/must match \^\[a-z\]\[a-z0-9_\]\*\$/);
    s.type(`${KEY.backspace.repeat('Garden-DB'.length)}building_shop${KEY.enter}`);
    await s.waitFor(/is already used by .*building_shop\.ts \(database\.name\)/);
    s.type(`${KEY.backspace.repeat('building_shop'.length)}garden_center${KEY.enter}`);

    await s.waitFor(/Tenant key \(stack name, role prefix\) \(garden_center\)/);
    s.type(KEY.enter);
    await s.waitFor(/Plan/);
    s.type(`${KEY.down}${KEY.enter}`);

    await s.waitFor(/admin username/);
    s.type(`owner${KEY.enter}`);
    await s.waitFor(/is reserved for the tenant's own roles/);
    s.type(`${KEY.backspace.repeat(5)}greta${KEY.enter}`);
    await s.waitFor(/admin email/);
    s.type(`greta${KEY.enter}`);
    await s.waitFor(/is not an email address/);
    s.type(`@garden.example${KEY.enter}`);

    await s.waitFor(/Add a developer\?/);
    s.type(`y${KEY.enter}`);
    await s.waitFor(/developer username/);
    s.type(`ole${KEY.enter}`);
    await s.waitFor(/developer email/);
    s.type(`ole@garden.example${KEY.enter}`);
    await s.waitFor(/Add another developer\?/);
    s.type(KEY.enter);
    await s.waitFor(/Add a customer\?/);
    s.type(KEY.enter);

    await s.waitFor(/Where the store app runs/);
    s.type(KEY.enter);
    // The fleet has two servers: each with its free connections, the one with the most room suggested.
    await s.waitFor(/Database server[\s\S]*default\s+137 of 197 connections free[\s\S]*❯ eu-shared-2\s+347 of 397 connections free/);
    s.type(KEY.enter);
    await s.waitFor(/API host port \(4004\)/);
    s.type(`${KEY.backspace.repeat(4)}4001${KEY.enter}`);
    await s.waitFor(/is already used by .*building_shop\.ts \(app\.port\)/);
    s.type(`${KEY.backspace.repeat(4)}4004${KEY.enter}`);
    await s.waitFor(/Run a frontend container too\?/);
    s.type(KEY.enter);

    await s.waitFor(/Roles it will get:\s+garden_center__owner, garden_center__admins, garden_center__developers, garden_center__customers, garden_center__app, garden_center__migrator, garden_center__greta, garden_center__ole/);
    await s.waitFor(/Write \S*\/garden_center\.ts\?/);
    s.type(KEY.enter);
    await s.waitFor(/Wrote \S*\/garden_center\.ts\./);
    await s.waitFor(/bash scripts\/cdktf\.sh deploy garden_center/);
    expect(await s.exited).toBe(0);

    const written = loadRegistry(registry.dir).tenants.find((t) => t.key === 'garden_center');
    expect(written).toEqual(
      expect.objectContaining({
        company: 'Garden Center GmbH',
        plan: 'starter',
        database: { name: 'garden_center', collation: 'en_US.UTF-8', server: 'eu-shared-2' },
        people: { admins: [{ username: 'greta', email: 'greta@garden.example' }], developers: [{ username: 'ole', email: 'ole@garden.example' }], customers: [] },
        app: { target: 'docker', port: 4004, image: 'ghcr.io/usualstore/api:1.0.0', limits: { memoryMiB: 512, cpus: 0.5 } },
      }),
    );
    expect(readFileSync(path.join(registry.dir, 'garden_center.ts'), 'utf8')).toContain("  app: { target: 'docker', port: 4004 },\n");
    const outdir = projectOutdir('pty-');
    try {
      expect(runApp({ TENANTS_DIR: registry.dir, CDKTF_OUTDIR: outdir }).status).toBe(0);
      const json = JSON.parse(readFileSync(path.join(outdir, 'stacks', 'garden_center', 'cdk.tf.json'), 'utf8')) as SynthesizedStack;
      expect(resourcesOf(json, 'postgresql_database').map((d) => d.name)).toEqual(['garden_center']);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it('asks for a Lambda tenant: region (re-asked when wrong), zip, processor, VPC, frontend', async () => {
    const s = (session = startAdd());
    const answer = answerer(s);
    await answerUpToTarget(answer, 'Cloud Shop', 'ann', 'ann@cloud.example');
    await answer(/Where the store app runs/, `${KEY.down}${KEY.enter}`);
    await answer(/AWS region/, `${KEY.backspace.repeat('eu-west-1'.length)}Frankfurt${KEY.enter}`);
    await answer(/is not an AWS region name/, `${KEY.backspace.repeat('Frankfurt'.length)}eu-central-1${KEY.enter}`);
    await answer(/API build/, KEY.enter);
    await answer(/S3 bucket of the zip/, `usualstore-builds${KEY.enter}`);
    await answer(/S3 key of the zip/, `api/1.0.0/bootstrap.zip${KEY.enter}`);
    await answer(/S3 object version of the zip/, `v1${KEY.enter}`);
    await answer(/Processor the build is for/, `${KEY.down}${KEY.enter}`);
    await answer(/Existing VPC id/, KEY.enter);
    await answer(/Serve the frontend from S3 and CloudFront\?/, KEY.enter);
    await answer(/Write \S*\/cloud_shop\.ts\?/, KEY.enter);
    await s.waitFor(/Wrote \S*\/cloud_shop\.ts\./);
    expect(await s.exited).toBe(0);
    expect(loadRegistry(registry.dir).tenants.find((t) => t.key === 'cloud_shop')?.app).toEqual({
      target: 'lambda',
      region: 'eu-central-1',
      artifact: { s3Bucket: 'usualstore-builds', s3Key: 'api/1.0.0/bootstrap.zip', s3ObjectVersion: 'v1' },
      architecture: 'arm64',
      frontend: false,
      vpcEndpoints: false,
      egress: { httpsCidrs: ['0.0.0.0/0'], smtpCidrs: ['0.0.0.0/0'] },
    });
  });

  it('asks for a Kubernetes tenant: database host, its range (re-asked when wrong), ingress namespace, frontend, Ingress and TLS', async () => {
    const s = (session = startAdd());
    const answer = answerer(s);
    await answerUpToTarget(answer, 'Pod Shop', 'pia', 'pia@pod.example');
    await answer(/Where the store app runs/, `${KEY.down}${KEY.down}${KEY.enter}`);
    await answer(/Database server/, KEY.enter);
    await answer(/Database host as the pods reach it/, `db.internal.example${KEY.enter}`);
    await answer(/address range\(s\), CIDR/, `10.20.0.15${KEY.enter}`);
    await answer(/is not an IPv4 range/, `/32${KEY.enter}`);
    await answer(/Ingress controller's namespace \(ingress-nginx\)/, KEY.enter);
    await answer(/Run a frontend too\?/, `y${KEY.enter}`);
    await answer(/Ingress host of the API/, `api.pod.example${KEY.enter}`);
    await answer(/TLS Secret of the Ingress/, `pod-tls${KEY.enter}`);
    await answer(/Ingress host of the frontend/, `pod.example${KEY.enter}`);
    await answer(/Write \S*\/pod_shop\.ts\?/, KEY.enter);
    await s.waitFor(/bash scripts\/cdktf\.sh deploy pod_shop-k8s/);
    expect(await s.exited).toBe(0);
    expect(loadRegistry(registry.dir).tenants.find((t) => t.key === 'pod_shop')?.app).toEqual({
      target: 'kubernetes',
      image: 'ghcr.io/usualstore/api:1.0.0',
      frontend: { image: 'ghcr.io/usualstore/frontend:1.0.0' },
      ingressNamespace: 'ingress-nginx',
      ingress: { host: 'api.pod.example', frontendHost: 'pod.example', tlsSecret: 'pod-tls' },
      databaseServer: { host: 'db.internal.example', port: 5432, cidrs: ['10.20.0.15/32'], sslmode: 'require' },
    });
  });

  it('asks a MongoDB tenant (--engine mongodb) where MongoDB runs and its port, suggesting the next free one, and lists the users it will get', async () => {
    const s = (session = startAdd('--engine', 'mongodb'));
    const answer = answerer(s);
    await answerUpToTarget(answer, 'Leaf Shop', 'lena', 'lena@leaf.example');
    await answer(/Where the store app runs/, KEY.enter);
    await answer(/API host port \(4004\)/, KEY.enter);
    await answer(/Run a frontend container too\?/, KEY.enter);
    await answer(/Where MongoDB runs/, KEY.enter);
    await answer(/Database host port \(127\.0\.0\.1 only\) \(27102\)/, KEY.enter);
    await s.waitFor(/Users it will get:\s+leaf_shop__app \(readWrite\), leaf_shop__migrator \(dbAdmin, readWrite\), leaf_shop__lena \(dbOwner\)/);
    await answer(/Write \S*\/leaf_shop\.ts\?/, KEY.enter);
    await s.waitFor(/Wrote \S*\/leaf_shop\.ts\./);
    expect(await s.exited).toBe(0);
    expect(loadRegistry(registry.dir).tenants.find((t) => t.key === 'leaf_shop')?.database).toEqual({
      engine: 'mongodb',
      name: 'leaf_shop',
      placement: 'container',
      container: { port: 27102, image: 'mongo:7.0.14' },
    });
  });

  it('writes nothing when the summary is declined', async () => {
    const s = (session = startAdd());
    const answer = answerer(s);
    await answerUpToTarget(answer, 'Nope Shop', 'nina', 'nina@nope.example');
    await answer(/Where the store app runs/, KEY.enter);
    await answer(/Database server/, KEY.enter);
    await answer(/API host port/, KEY.enter);
    await answer(/Run a frontend container too\?/, KEY.enter);
    await answer(/Write \S*\/nope_shop\.ts\?/, `n${KEY.enter}`);
    await s.waitFor(/Nothing written\./);
    expect(await s.exited).toBe(0);
    expect(loadRegistry(registry.dir).tenants.map((t) => t.key)).toEqual(['bookstore_2025', 'building_shop', 'flower_shop', 'hardware_store', 'online_store_2025', 'tea_house']);
  });

  it('refuses, before asking anything, a docker flag with --target lambda', async () => {
    const s = (session = startAdd('--target', 'lambda', '--port', '4010'));
    await s.waitFor(/--port applies to --target docker, not lambda; remove it/);
    expect(await s.exited).toBe(2);
    expect(s.screen).not.toMatch(/Company name/);
  });

  it('stops on Ctrl-C with exit status 130, writing nothing', async () => {
    const s = (session = startAdd());
    await s.waitFor(/Company name/);
    s.type(`Half Shop${KEY.enter}`);
    await s.waitFor(/Database name/);
    s.type(KEY.ctrlC);
    await s.waitFor(/cancelled; nothing was written/);
    expect(await s.exited).toBe(130);
    expect(loadRegistry(registry.dir).tenants.map((t) => t.key)).toEqual(['bookstore_2025', 'building_shop', 'flower_shop', 'hardware_store', 'online_store_2025', 'tea_house']);
  });
});

describe('tenants offboard in a terminal', () => {
  function startOffboard(): TerminalSession {
    return new TerminalSession(process.execPath, [TENANTS_BIN, 'offboard', 'hardware_store'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, TENANTS_DIR: registry.dir, TENANTS_BACKUPS: registry.backups },
    });
  }
  const lifecycle = () => loadRegistry(registry.dir).tenants.find((t) => t.key === 'hardware_store')?.lifecycle;

  it('changes nothing and exits 1 unless the tenant key is typed back', async () => {
    const s = (session = startOffboard());
    await s.waitFor(/Type the tenant key \(hardware_store\) to confirm/);
    s.type(`building_shop${KEY.enter}`);
    await s.waitFor(/not confirmed: "building_shop" is not "hardware_store"; nothing changed/);
    expect(await s.exited).toBe(1);
    expect(lifecycle()).toBe('active');
  });

  it('stops on Ctrl-C with exit status 130, changing nothing', async () => {
    const s = (session = startOffboard());
    await s.waitFor(/Type the tenant key \(hardware_store\) to confirm/);
    s.type(KEY.ctrlC);
    await s.waitFor(/cancelled; nothing was written/);
    expect(await s.exited).toBe(130);
    expect(lifecycle()).toBe('active');
  });

  it('marks the tenant once its key is typed back', async () => {
    const s = (session = startOffboard());
    await s.waitFor(/Type the tenant key \(hardware_store\) to confirm/);
    s.type(`hardware_store${KEY.enter}`);
    await s.waitFor(/Marked hardware_store as offboarding/);
    expect(await s.exited).toBe(0);
    expect(lifecycle()).toBe('offboarding');
  });
});
