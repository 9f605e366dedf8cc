/**
 * The CLI and the Kubernetes target, in-process: `add` from flags, `list`,
 * `show` and `offboard` of a Kubernetes tenant, and `tenants manifests`,
 * whose YAML is the model the `<key>-k8s` stack deploys.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Testing } from 'cdktf';
import { kubernetesManifests, manifestList } from '../model/kubernetes/manifests';
import { MANIFEST_PLACEHOLDERS, kubernetesApiSources } from '../model/kubernetes/sources';
import type { KubernetesTenant } from '../model/kubernetes/tenant';
import { createTenantStacks } from '../constructs/stacks/create-tenant-stacks';
import { loadRegistry } from '../tenants/registry';
import type { PostgresTenant, Tenant } from '../tenants/registry/types';
import { MIGRATIONS_CHECKSUM, exampleRegistryCopy, runCliInProcess } from './helpers';
import { openApiProblems } from './support/kubernetes';

let registry: ReturnType<typeof exampleRegistryCopy>;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  registry = exampleRegistryCopy();
  env = { TENANTS_DIR: registry.dir, TENANTS_BACKUPS: registry.backups };
});
afterEach(() => registry.cleanup());

const ADD = [
  'add', '--key', 'cluster_shop', '--company', 'Cluster Shop', '--database', 'cluster_shop', '--plan', 'starter', '--admin', 'ann:ann@cluster.example',
  '--target', 'kubernetes', '--database-host', 'db.internal.example', '--database-cidrs', '10.20.0.15/32, 10.20.1.0/24', '--frontend',
  '--ingress-host', 'api.cluster.example', '--frontend-host', 'cluster.example', '--tls-secret', 'cluster-tls', '--yes',
];

describe('tenants add --target kubernetes', () => {
  it('writes the tenant from flags, and it synthesizes its <key>-k8s stack', async () => {
    const result = await runCliInProcess(ADD, env);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('bash scripts/cdktf.sh deploy cluster_shop-k8s');
    const source = readFileSync(path.join(registry.dir, 'cluster_shop.ts'), 'utf8');
    expect(source.slice(source.indexOf('  app:'))).toBe(
      [
        '  app: {',
        "    target: 'kubernetes',",
        '    frontend: {},',
        "    databaseServer: { host: 'db.internal.example', cidrs: ['10.20.0.15/32', '10.20.1.0/24'] },",
        '    ingress: {',
        "      host: 'api.cluster.example',",
        "      frontendHost: 'cluster.example',",
        "      tlsSecret: 'cluster-tls',",
        '    },',
        '  },',
        '});',
        '',
      ].join('\n'),
    );
    const added = loadRegistry(registry.dir).tenants.find((t) => t.key === 'cluster_shop') as PostgresTenant;
    const stacks = createTenantStacks(Testing.app(), { tenant: added, servers: [], migrationsChecksum: MIGRATIONS_CHECKSUM });
    expect(Object.keys(JSON.parse(Testing.synth(stacks.kubernetes!)).resource)).toContain('kubernetes_deployment_v1');
  });

  test.each([
    ['a docker flag', [...ADD, '--port', '4010'], '--port applies to --target docker, not kubernetes; remove it'],
    ['a lambda flag', [...ADD, '--region', 'eu-west-1'], '--region applies to --target lambda, not kubernetes; remove it'],
    ['a kubernetes flag on a docker tenant', ['add', '--key', 'x_shop', '--company', 'X', '--database', 'x_shop', '--plan', 'free', '--admin', 'a:a@x.example', '--port', '4010', '--database-host', 'db', '--yes'], '--database-host applies to --target kubernetes, not docker; remove it'],
    ['no database server', ADD.filter((a, i, all) => !['--database-host', '--database-cidrs'].includes(a) && !['--database-host', '--database-cidrs'].includes(all[i - 1])), '--database-host (app.databaseServer.host) is missing; add host: "<database host as the pods reach it>"'],
    ['a bad CIDR', ADD.map((a) => (a.startsWith('10.20.0.15/32') ? '10.20.0.15' : a)), '--database-cidrs (app.databaseServer.cidrs[0]) "10.20.0.15" is not an IPv4 range; use a CIDR such as 203.0.113.0/24'],
    ['an Ingress without its TLS secret', ADD.filter((a, i, all) => a !== '--tls-secret' && all[i - 1] !== '--tls-secret'), '--tls-secret (app.ingress.tlsSecret) is missing; add tlsSecret: "<secret name>"'],
  ])('refuses %s, naming the flag, and writes nothing', async (_case, args, expected) => {
    const result = await runCliInProcess(args, env);
    expect([result.status, existsSync(path.join(registry.dir, 'cluster_shop.ts'))]).toEqual([2, false]);
    expect(result.stderr).toContain(expected);
  });
});

describe('list, show and offboard of a Kubernetes tenant', () => {
  it('lists its namespace and Ingress, and shows its two stacks in deploy order', async () => {
    const listed = JSON.parse((await runCliInProcess(['list', '--json'], env)).stdout).find((e: { key: string }) => e.key === 'flower_shop');
    expect([listed.target, listed.namespace, listed.endpoint]).toEqual(['kubernetes', 'usualstore-flower-shop', 'https://api.flower-shop.example']);
    const shown = JSON.parse((await runCliInProcess(['show', 'flower_shop', '--json'], env)).stdout);
    expect(shown.stacks.map((s: { name: string }) => s.name)).toEqual(['flower_shop', 'flower_shop-k8s']);
    const text = (await runCliInProcess(['show', 'flower_shop'], env)).stdout;
    expect(text).toContain('kubernetes: namespace usualstore-flower-shop, ghcr.io/usualstore/api:1.0.0, 2 to 4 API pods (autoscaled), limits 1024 MiB and 1 CPU each');
    expect(text).toContain('database db.internal.example:5432 (sslmode require); egress only to 10.20.0.15/32 and DNS');
  });

  it('offboards: the namespace goes first, the data stays in the database until the backup is checked', async () => {
    const result = await runCliInProcess(['offboard', 'flower_shop', '--yes'], env);
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n').filter((l) => /cdktf\.sh destroy|kubectl/.test(l)).map((l) => l.trim())).toEqual([
      'bash scripts/cdktf.sh destroy flower_shop-k8s    # first: removes namespace usualstore-flower-shop and all in it (pods, Services, the API\'s Secret, policies)',
      'kubectl get namespace usualstore-flower-shop    # gone (NotFound) once Kubernetes has finished; the data is still in database flower_shop, untouched',
      'bash scripts/cdktf.sh destroy flower_shop --ignore-missing-stack-dependencies    # then, only with the backup checked: the database, its roles and its data (its dependant, flower_shop-k8s, is gone)',
    ]);
    expect(result.stdout.indexOf('pg_dump')).toBeLessThan(result.stdout.indexOf('destroy flower_shop-k8s'));
  });
});

describe('tenants manifests', () => {
  it('prints the model as YAML, every document valid for Kubernetes, its secrets as placeholders', async () => {
    const result = await runCliInProcess(['manifests', 'flower_shop'], env);
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe(
      `# Generated by \`npx tenants manifests flower_shop\` from ${registry.dir}/flower_shop.ts: the objects the flower_shop-k8s stack creates (Kubernetes 1.33.0 schemas).`,
    );
    const documents = parseAllDocuments(result.stdout).map((d) => d.toJS());
    const t = loadRegistry(registry.dir).tenants.find((x) => x.key === 'flower_shop') as Tenant & KubernetesTenant;
    expect(documents).toEqual(JSON.parse(JSON.stringify(manifestList(kubernetesManifests(t, kubernetesApiSources(t, MANIFEST_PLACEHOLDERS))))));
    expect(documents.flatMap(openApiProblems)).toEqual([]);
    expect(documents.find((d) => d.kind === 'Secret').stringData.STRIPE_SECRET).toBe('${STRIPE_SECRET}');
  });

  it('leaves the Secret out with --without-secret', async () => {
    const result = await runCliInProcess(['manifests', 'flower_shop', '--without-secret'], env);
    const kinds = parseAllDocuments(result.stdout).map((d) => d.toJS().kind);
    expect([result.status, kinds.includes('Secret'), kinds.length]).toEqual([0, false, 16]);
  });

  it('refuses a tenant on another target as a usage error', async () => {
    const result = await runCliInProcess(['manifests', 'building_shop'], env);
    expect([result.status, result.stdout]).toEqual([2, '']);
    expect(result.stderr).toContain('building_shop runs on docker, not kubernetes; manifests are for kubernetes tenants');
  });
});
