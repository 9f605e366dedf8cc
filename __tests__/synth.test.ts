/**
 * The app as a user runs it (main.ts, as cdktf.json starts it): every
 * synthesized stack of the example fleet is read back and checked for the
 * properties the whole fleet must have. The app runs as a process: once for
 * the example fleet (shared by the tests of the fleet and of the tuning),
 * once without the tuning, twice for S3 state and part of the fleet, and
 * for each way of failing. The cdktf CLI itself is tested in cdktf-cli.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App } from 'cdktf';
import { createTenantStacks } from '../constructs/stacks/create-tenant-stacks';
import { readMigrations } from '../ops/migration-files';
import { loadRegistry } from '../tenants/registry';
import { DEFAULT_TENANTS_DIR } from '../tenants/registry/load';
import { PROJECT_ROOT, projectOutdir, type SynthesizedStack, resourcesOf, runApp as runAppCached, tempRegistry, tenantDefinition, tenantSource } from './helpers';
import { literalSecrets, literalUriPasswords, strings } from './support/secrets';

/** The app synthesizing every tenant itself: this suite tests synthesis, synth-cache.test.ts the cache. */
const runApp = (env: NodeJS.ProcessEnv) => runAppCached({ TENANTS_SYNTH_CACHE: 'off', ...env });

/** Every file the app writes, by path relative to the output directory. */
function filesOf(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (sub: string) => {
    for (const entry of readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const relative = path.join(sub, entry.name);
      if (entry.isDirectory()) walk(relative);
      else files[relative] = readFileSync(path.join(dir, relative), 'utf8');
    }
  };
  walk('');
  return files;
}


// The example fleet, synthesized once by the app with its defaults (local state, fleet tuning on).
const outdir = projectOutdir('test-');
let result: ReturnType<typeof runApp>;
let stacks: Record<string, SynthesizedStack>;
beforeAll(() => {
  result = runApp({ CDKTF_OUTDIR: outdir });
  const stackDir = path.join(outdir, 'stacks');
  stacks = Object.fromEntries(
    readdirSync(stackDir).map((name) => [name, JSON.parse(readFileSync(path.join(stackDir, name, 'cdk.tf.json'), 'utf8')) as SynthesizedStack]),
  );
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('npm run synth on the example fleet', () => {
  const STACKS = [
    'bookstore_2025',
    'building_shop',
    'flower_shop',
    'flower_shop-k8s',
    'hardware_store',
    'online_store_2025',
    'online_store_2025-app',
    'online_store_2025-database',
    'online_store_2025-network',
    'tea_house',
  ];
  /** The stacks holding a PostgreSQL tenant database: one per tenant, named after its key (tea_house's database is MongoDB). */
  const databaseStacks = () => Object.entries(stacks).filter(([name]) => !name.includes('-') && name !== 'tea_house').map(([, json]) => json);

  it('writes one stack per tenant, named after its key, and the AWS stacks of the Lambda tenant', () => {
    expect(result.status).toBe(0);
    expect(Object.keys(stacks).sort()).toEqual(STACKS);
    const manifest = JSON.parse(readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as { stacks: Record<string, unknown> };
    expect(Object.keys(manifest.stacks).sort()).toEqual(STACKS);
  });

  it('puts no literal secret in any stack (flaw 2)', () => {
    for (const json of Object.values(stacks)) expect([...literalSecrets(json), ...literalUriPasswords(json)]).toEqual([]);
  });

  it('gives sensitive variables no default, so secrets come from the deploying environment', () => {
    for (const json of Object.values(stacks)) {
      // A null default (the Kubernetes token) holds nothing: the provider then reads the environment.
      const withDefaults = Object.entries(json.variable ?? {}).filter(([, v]) => v.sensitive && v.default !== undefined && v.default !== null);
      expect(withDefaults).toEqual([]);
    }
  });

  it('protects every database with prevent_destroy (flaw 6)', () => {
    expect(databaseStacks()).toHaveLength(5);
    for (const json of databaseStacks()) {
      const databases = resourcesOf(json, 'postgresql_database');
      expect(databases.length).toBeGreaterThan(0);
      expect(databases.map((d) => d.lifecycle)).toEqual(databases.map(() => ({ prevent_destroy: true })));
    }
  });

  it("revokes PUBLIC's CONNECT on every tenant database (flaw 3)", () => {
    for (const json of databaseStacks()) {
      const revokes = resourcesOf(json, 'postgresql_grant').filter((g) => g.role === 'public' && g.object_type === 'database');
      expect(revokes.map((g) => g.privileges)).toEqual([[]]);
    }
  });

  it('keeps each stack in its own state (flaw 1)', () => {
    const paths = Object.values(stacks).map((json) => JSON.stringify(json.terraform.backend));
    expect(new Set(paths).size).toBe(paths.length);
  });

  it('writes no absolute path of this machine into any stack', () => {
    // The checkout's folder name as a path segment: a bare word such as "main" also occurs in "domain_name".
    const folder = new RegExp(`(^|[\\/])${path.basename(PROJECT_ROOT).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([\\/]|$)`);
    for (const json of Object.values(stacks)) {
      expect(strings(json).filter(([, text]) => text.includes(PROJECT_ROOT) || folder.test(text))).toEqual([]);
    }
  });
});

describe('the secret scan itself', () => {
  it('finds literal passwords in fields and in key=value strings, and passes references', () => {
    expect(
      literalSecrets({
        password: 'hunter2',
        env: ['DATABASE_DSN=host=x password=hunter2 dbname=y', 'SMTP_PASSWORD=abc', 'SMTP_PASSWORD=${var.smtp_password}'],
        password_wo: '${random_password.x.result}',
        secret_string_wo: '${jsonencode({"DATABASE_DSN" = "host=x password=hunter3", "SMTP_PASSWORD" = var.smtp_password})}',
        secret_value: 'hunter4',
      }),
    ).toEqual(['password=hunter2', 'password=hunter2', 'PASSWORD=abc', 'password=hunter3', 'secret_value=hunter4']);
  });

  it('finds literal passwords in MongoDB connection strings, and passes references', () => {
    expect(
      literalUriPasswords({
        env: ['MONGODB_URI=mongodb://shop__app:hunter5@db:27017/shop?authSource=admin', 'MONGODB_URI=mongodb://shop__app:${random_password.x.result}@db:27017/shop'],
        value: { shop__alice: 'mongodb+srv://shop__alice:hunter6@cluster.example.net/shop' },
      }),
    ).toEqual(['mongodb://shop__app:hunter5@', 'mongodb+srv://shop__alice:hunter6@']);
  });
});

describe('npm run synth on a broken registry', () => {
  it('exits non-zero, lists every problem with file and field, and writes nothing', () => {
    const registry = tempRegistry({
      'shop_a.ts': tenantSource(tenantDefinition({ key: 'shop_a', database: { name: 'shop' } })),
      'shop_b.ts': tenantSource({ ...tenantDefinition({ key: 'shop_b', database: { name: 'shop' } }), plan: 'gold' }),
    });
    const outdir = path.join(mkdtempSync(path.join(tmpdir(), 'synth-')), 'out');
    try {
      const broken = runApp({ TENANTS_DIR: registry.dir, CDKTF_OUTDIR: outdir });
      expect(broken.status).toBe(1);
      expect(broken.stderr).toContain('The tenant registry has 3 problems; nothing was synthesized or written:');
      expect(broken.stderr).toContain('shop_b.ts: plan "gold" is not a plan; use one of free, starter, professional, enterprise');
      expect(broken.stderr).toMatch(/shop_b\.ts: database\.name "shop" is already used by \S*shop_a\.ts \(database\.name\); database names must be unique across the fleet/);
      expect(existsSync(outdir)).toBe(false);
    } finally {
      registry.cleanup();
      rmSync(path.dirname(outdir), { recursive: true, force: true });
    }
  });
});

describe('npm run synth for part of the fleet', () => {
  it('refuses an unknown key in TENANT_KEYS, naming the keys there are', () => {
    const result = runApp({ CDKTF_OUTDIR: path.join(tmpdir(), 'never-written'), TENANT_KEYS: 'nope' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('The environment has 1 problem; nothing was synthesized or written:');
    expect(result.stderr).toContain('TENANT_KEYS "nope" is not a tenant in the registry; use one of bookstore_2025, building_shop, flower_shop, hardware_store, online_store_2025');
  });
});

describe('the cdktf tuning main.ts applies', () => {
  it('changes nothing in the synthesized output', () => {
    const tuned = outdir;
    const plain = projectOutdir('test-plain-');
    try {
      expect(result.status).toBe(0);
      // The same stacks built in this process, where cdktf is not tuned.
      const app = new App({ outdir: plain });
      const projectDir = path.relative(path.join(plain, 'stacks', 'any'), PROJECT_ROOT).split(path.sep).join('/');
      const registry = loadRegistry(DEFAULT_TENANTS_DIR);
      for (const tenant of registry.tenants) {
        createTenantStacks(app, { tenant, servers: registry.servers, migrationsChecksum: readMigrations().checksum, projectDir });
      }
      app.synth();
      const stacks = readdirSync(path.join(tuned, 'stacks')).sort();
      expect(readdirSync(path.join(plain, 'stacks')).sort()).toEqual(stacks);
      for (const stack of stacks) {
        const file = (root: string) => readFileSync(path.join(root, 'stacks', stack, 'cdk.tf.json'), 'utf8');
        expect(file(tuned)).toBe(file(plain));
      }
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });
});

describe('the fleet tuning of cdktf (constructs/cdktf/fleet-tuning.ts)', () => {
  const UNTUNED = { CDKTF_FLEET_TUNING: 'off', CDKTF_TOKEN_STACK_TRACES: '1' };

  it('changes no byte of what is written, with local state', () => {
    const plain = projectOutdir('test-plain-');
    try {
      expect(result.status).toBe(0);
      expect(runApp({ CDKTF_OUTDIR: plain, ...UNTUNED }).status).toBe(0);
      const [a, b] = [filesOf(outdir), filesOf(plain)];
      expect(Object.keys(a).filter((f) => f.endsWith('cdk.tf.json'))).toHaveLength(10);
      expect(a).toEqual(b);
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });

  // Part of the fleet (a docker and a Lambda tenant) with S3 state: also what TENANT_KEYS builds.
  it('changes no byte of what is written, with S3 state, building only the tenants in TENANT_KEYS, all stacks of each', () => {
    const env = { TENANT_STATE_BUCKET: 'fleet-state', TENANT_STATE_REGION: 'eu-west-1', TENANT_STATE_KMS_KEY_ID: 'alias/state', TENANT_KEYS: 'hardware_store, online_store_2025' };
    const [tuned, plain] = [projectOutdir('test-tuned-'), projectOutdir('test-plain-')];
    try {
      expect(runApp({ ...env, CDKTF_OUTDIR: tuned }).status).toBe(0);
      expect(runApp({ ...env, CDKTF_OUTDIR: plain, ...UNTUNED }).status).toBe(0);
      expect(readdirSync(path.join(tuned, 'stacks')).sort()).toEqual([
        'hardware_store',
        'online_store_2025',
        'online_store_2025-app',
        'online_store_2025-database',
        'online_store_2025-network',
      ]);
      expect(filesOf(tuned)).toEqual(filesOf(plain));
      expect(JSON.parse(readFileSync(path.join(tuned, 'stacks', 'hardware_store', 'cdk.tf.json'), 'utf8')).terraform.backend.s3).toEqual(
        expect.objectContaining({ bucket: 'fleet-state', key: 'usual-store-tenants/hardware_store/terraform.tfstate' }),
      );
    } finally {
      for (const dir of [tuned, plain]) rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the fleet tuning on stacks with overrides of their own', () => {
  it('changes no byte when the overrides hold what a second resolve would change, nor when they are plain', () => {
    const outdirs = ['tuned', 'plain'].map((name) => path.join(mkdtempSync(path.join(tmpdir(), `override-${name}-`)), 'out'));
    try {
      const script = path.join(__dirname, 'fixtures', 'override-stacks.ts');
      const [tuned, plain] = outdirs.map((outdir, i) =>
        spawnSync(process.execPath, ['--import', 'tsx', script], {
          encoding: 'utf8',
          env: { ...process.env, CDKTF_OUTDIR: outdir, ...(i === 1 && { CDKTF_FLEET_TUNING: 'off' }) },
        }),
      );
      expect([tuned.status, plain.status]).toEqual([0, 0]);
      const read = (outdir: string, stack: string) => readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8');
      for (const stack of ['tokens', 'keys', 'map', 'plain']) expect(read(outdirs[0], stack)).toBe(read(outdirs[1], stack));
      expect(JSON.parse(read(outdirs[0], 'map')).locals).toEqual({ a: 'b' });
      expect(JSON.parse(read(outdirs[0], 'tokens')).locals).toEqual({ lazy: 'produced', as_any: 'plain', list: ['a', 'b'] });
      expect(JSON.parse(read(outdirs[0], 'keys')).locals).toEqual({ produced_key: 'v' });
    } finally {
      for (const outdir of outdirs) rmSync(path.dirname(outdir), { recursive: true, force: true });
    }
  });
});

describe('npm run synth with a broken state backend setting', () => {
  it('exits 1 with the problem and no stack trace, and writes nothing', () => {
    const outdir = path.join(tmpdir(), `never-written-${process.pid}`);
    const result = runApp({ CDKTF_OUTDIR: outdir, TENANT_STATE_BUCKET: 'fleet-state', TENANT_STATE_REGION: '', AWS_REGION: '' });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      'The environment has 1 problem; nothing was synthesized or written:\n' +
        '  - TENANT_STATE_REGION is not set, nor AWS_REGION, but TENANT_STATE_BUCKET is ("fleet-state"): set it to the bucket\'s region',
    );
    expect(existsSync(outdir)).toBe(false);
  });
});
