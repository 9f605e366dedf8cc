/**
 * Incremental synthesis (synth/), on a copy of the project as a user runs
 * it (`node --import tsx main.ts`): the cache redoes only the tenants whose
 * inputs changed, and never serves a stale stack: a change of the code, of
 * a dependency, of the state settings or of the schema synthesizes every
 * tenant again. Every output is compared with a synthesis without the cache,
 * byte for byte (the manifest's annotation stack traces aside: they say
 * where the synthesis ran). The number of cache entries written counts the
 * tenants synthesized.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { AnnotationMetadataEntryType } from 'cdktf';
import { ERROR_ANNOTATION, hasErrorAnnotation } from '../synth/fleet-synthesis';
import { tenantStackNames } from '../model/naming';
import { type TempProject, tempProject } from '../testbed/temp-project';
import { loadRegistry, tenantsDir } from '../tenants/registry';

/** The example fleet the copy holds: a cache entry per tenant, a directory per stack. */
const EXAMPLES = loadRegistry(tenantsDir()).tenants;
const TENANTS = EXAMPLES.length;
const STACKS = EXAMPLES.flatMap(tenantStackNames).length;

let project: TempProject;
beforeAll(() => {
  project = tempProject();
});
afterAll(() => project?.dispose());

/** Every stack's cdk.tf.json text, by stack name, and the manifest without stack traces. */
function output(dir: string): { stacks: Record<string, string>; manifest: string } {
  const stacksDir = path.join(dir, 'stacks');
  const stacks = Object.fromEntries(readdirSync(stacksDir).map((name) => [name, readFileSync(path.join(stacksDir, name, 'cdk.tf.json'), 'utf8')]));
  const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { stacks: Record<string, { annotations: { stacktrace?: unknown }[] }> };
  for (const stack of Object.values(manifest.stacks)) for (const annotation of stack.annotations) delete annotation.stacktrace;
  return { stacks, manifest: JSON.stringify(manifest) };
}

let runs = 0;
/** Synthesizes into a fresh directory of the project (at cdktf.out's depth); its output. */
function synth(env: NodeJS.ProcessEnv = {}): ReturnType<typeof output> {
  runs += 1;
  const outdir = path.join(project.root, `out-${runs}`);
  const run = project.synth({ CDKTF_OUTDIR: outdir, ...env });
  if (run.status !== 0) throw new Error(`synthesis failed: ${run.stderr}`);
  try {
    return output(outdir);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** A synthesis with the cache off and one process: what main.ts always wrote. */
const plain = (env: NodeJS.ProcessEnv = {}) => synth({ TENANTS_SYNTH_CACHE: 'off', TENANTS_SYNTH_WORKERS: '1', ...env });

describe('incremental synthesis', () => {
  let reference: ReturnType<typeof output>;
  beforeAll(() => {
    reference = plain();
  });

  it('writes what a synthesis without the cache writes, and synthesizes nothing the second time', () => {
    expect(project.cacheEntries()).toBe(0);
    expect(synth()).toEqual(reference);
    expect(project.cacheEntries()).toBe(TENANTS);
    expect(synth()).toEqual(reference);
    expect(project.cacheEntries()).toBe(TENANTS);
    expect(Object.keys(reference.stacks)).toHaveLength(STACKS);
  });

  it('synthesizes only the tenant whose file changed, and writes what a full synthesis writes', () => {
    const before = project.cacheEntries();
    project.write('tenants/hardware_store.ts', project.read('tenants/hardware_store.ts').replace(/plan: '[a-z]+'/, "plan: 'enterprise'"));
    const cached = synth();
    expect(project.cacheEntries()).toBe(before + 1);
    expect(cached).toEqual(plain());
    expect(Object.keys(cached.stacks).filter((name) => cached.stacks[name] !== reference.stacks[name])).toEqual(['hardware_store']);
  });

  it("synthesizes only the tenants placed on a server whose file changed", () => {
    const old = synth();
    const before = project.cacheEntries();
    const onServer = EXAMPLES.filter((t) => 'server' in t.database && t.database.server === 'eu-shared-2').map((t) => t.key);
    expect(onServer).toEqual(['bookstore_2025']);
    project.write('servers/eu-shared-2.ts', project.read('servers/eu-shared-2.ts').replace('port: 5432', 'port: 5433'));
    const cached = synth();
    expect(project.cacheEntries()).toBe(before + onServer.length);
    expect(cached).toEqual(plain());
    expect(Object.keys(cached.stacks).filter((name) => cached.stacks[name] !== old.stacks[name])).toEqual(onServer);
    expect(JSON.parse(cached.stacks.bookstore_2025).provider.postgresql[0].port).toBe(5433);
  });

  it('synthesizes every tenant again after a change of the code', () => {
    const before = project.cacheEntries();
    project.write('constructs/stacks/tenant-stack.ts', project.read('constructs/stacks/tenant-stack.ts').replace("description: 'The customer plan.'", "description: 'The plan the customer pays for.'"));
    const cached = synth();
    expect(project.cacheEntries()).toBe(before + TENANTS);
    expect(cached.stacks.building_shop).toContain('The plan the customer pays for.');
    expect(cached).toEqual(plain());
  });

  it('synthesizes every tenant again after a change of the lockfile, or of what npm installed', () => {
    let before = project.cacheEntries();
    project.write('package-lock.json', project.read('package-lock.json').replace('"lockfileVersion": 3', '"lockfileVersion": 3 '));
    expect(synth()).toEqual(plain());
    expect(project.cacheEntries()).toBe(before + TENANTS);
    before = project.cacheEntries();
    const installed = path.join(project.root, 'node_modules', '.package-lock.json');
    writeFileSync(installed, readFileSync(installed, 'utf8').replace('"node_modules/cdktf": {', '"node_modules/cdktf": { "patched": true,'));
    expect(synth()).toEqual(plain());
    expect(project.cacheEntries()).toBe(before + TENANTS);
  });

  it('synthesizes every tenant again when the state settings change, and finds the old ones when they change back', () => {
    const s3 = { TENANT_STATE_BUCKET: 'fleet-state', TENANT_STATE_REGION: 'eu-west-1' };
    const before = project.cacheEntries();
    const moved = synth(s3);
    expect(project.cacheEntries()).toBe(before + TENANTS);
    expect(moved).toEqual(plain(s3));
    expect(JSON.parse(moved.stacks.building_shop).terraform.backend.s3.key).toBe('usual-store-tenants/building_shop/terraform.tfstate');
    const prefixed = synth({ ...s3, TENANT_STATE_PREFIX: 'fleets/eu' });
    expect(project.cacheEntries()).toBe(before + 2 * TENANTS);
    expect(JSON.parse(prefixed.stacks.building_shop).terraform.backend.s3.key).toBe('fleets/eu/building_shop/terraform.tfstate');
    expect(synth()).toEqual(plain());
    expect(project.cacheEntries()).toBe(before + 2 * TENANTS);
  });

  it('synthesizes every tenant again when a migration is added', () => {
    const before = project.cacheEntries();
    const old = synth();
    project.write('schema/0006.do.add_gift_cards.sql', 'CREATE TABLE gift_cards (id serial PRIMARY KEY);\n');
    const migrated = synth();
    expect(project.cacheEntries()).toBe(before + TENANTS);
    expect(migrated).toEqual(plain());
    expect(migrated.stacks.hardware_store).not.toBe(old.stacks.hardware_store);
  });

  it('serves no entry whose stacks were altered: it synthesizes the tenant again', () => {
    const dir = path.join(project.root, 'node_modules', '.cache', 'usual-store-tenants', 'synth', 'v1');
    const expected = plain();
    synth();
    for (const sub of readdirSync(dir)) {
      for (const file of readdirSync(path.join(dir, sub))) {
        const entry = path.join(dir, sub, file);
        writeFileSync(entry, readFileSync(entry, 'utf8').replace(/"connection_limit\\": (\d+)/g, '"connection_limit\\": 999'));
      }
    }
    expect(synth()).toEqual(expected);
  });
});

describe('a cold synthesis split across processes', () => {
  it('writes the same bytes as one process, with and without the cache', () => {
    const expected = plain();
    expect(synth({ TENANTS_SYNTH_CACHE: 'off', TENANTS_SYNTH_WORKERS: '2' })).toEqual(expected);
    expect(synth({ TENANTS_SYNTH_CACHE: path.join(project.root, 'split-cache'), TENANTS_SYNTH_WORKERS: '3' })).toEqual(expected);
  });

  it('refuses a worker count that is not a number, naming the setting', () => {
    const run = project.synth({ CDKTF_OUTDIR: path.join(project.root, 'never'), TENANTS_SYNTH_WORKERS: 'many' });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(
      'The environment has 1 problem; nothing was synthesized or written:\n  - TENANTS_SYNTH_WORKERS "many" must be auto or a whole number of processes, at least 1',
    );
  });
});

describe('through the cdktf CLI (npm run synth, cdktf diff and deploy)', () => {
  /** Cache entries in a cache directory. */
  const entries = (dir: string) => (existsSync(dir) ? readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith('.json')).length : 0);

  it('uses the cache, although cdktf runs the app with SYNTH_HCL_OUTPUT=false and CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS=true', () => {
    const cache = path.join(project.root, 'cli-cache');
    const cdktf = () =>
      spawnSync('bash', ['scripts/cdktf.sh', 'synth'], { cwd: project.root, encoding: 'utf8', env: { ...process.env, TENANTS_DIR: '', TENANTS_SYNTH_CACHE: cache, CHECKPOINT_DISABLE: '1' }, timeout: 300_000 });
    const expected = plain();
    const first = cdktf();
    expect(first.stderr).not.toMatch(/error/i);
    expect(first.status).toBe(0);
    expect(entries(path.join(cache, 'v1'))).toBe(TENANTS);
    expect(output(path.join(project.root, 'cdktf.out'))).toEqual(expected);
    // The second run finds every tenant: no entry is added, the output is the same.
    expect(cdktf().status).toBe(0);
    expect(entries(path.join(cache, 'v1'))).toBe(TENANTS);
    expect(output(path.join(project.root, 'cdktf.out'))).toEqual(expected);
  });

  it("never caches a tenant whose stacks carry an error (cdktf's error level, which it continues past only when told)", () => {
    expect(ERROR_ANNOTATION).toBe(AnnotationMetadataEntryType.ERROR);
    const stack = (annotations: unknown[]) => ({ name: 's', manifest: { annotations }, text: '{}' });
    expect(hasErrorAnnotation({ key: 'k', manifestVersion: '0.21.0', stacks: [stack([{ level: '@cdktf/warn', message: 'w' }])] })).toBe(false);
    expect(hasErrorAnnotation({ key: 'k', manifestVersion: '0.21.0', stacks: [stack([]), stack([{ level: ERROR_ANNOTATION, message: 'e' }])] })).toBe(true);
  });
});
