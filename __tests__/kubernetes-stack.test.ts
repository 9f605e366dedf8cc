/**
 * The Kubernetes target's Terraform rendering: the `<key>-k8s` stack of
 * each plan, its provider and variables, the order of its resources, and
 * its agreement with the model's plain manifests, field by field.
 */
import { App, Testing } from 'cdktf';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { kubernetesManifests, manifestList } from '../model/kubernetes/manifests';
import { MANIFEST_PLACEHOLDERS, kubernetesApiSources } from '../model/kubernetes/sources';
import type { KubernetesTenant } from '../model/kubernetes/tenant';
import { PLANS, PLAN_PROFILES } from '../model/plans';
import { createTenantStacks } from '../constructs/stacks/create-tenant-stacks';
import { TenantKubernetesStack } from '../constructs/stacks/tenant-kubernetes-stack';
import type { PostgresTenant, Tenant } from '../tenants/registry/types';
import { MIGRATIONS_CHECKSUM, type SynthesizedStack, resourcesOf, tenant } from './helpers';
import { literalSecrets } from './support/secrets';
import { asText, kubernetesTenant, objectOfResource } from './support/kubernetes';

function stacksOf(t: Tenant) {
  return createTenantStacks(Testing.app(), { tenant: t as PostgresTenant, servers: [], migrationsChecksum: MIGRATIONS_CHECKSUM });
}

function kubernetesJson(t: Tenant): SynthesizedStack & { data?: unknown } {
  const stacks = stacksOf(t);
  return JSON.parse(Testing.synth(stacks.kubernetes as TenantKubernetesStack));
}

/** Every kubernetes_* resource of the stack as the Kubernetes object it creates. */
function objectsOf(json: SynthesizedStack): Record<string, unknown>[] {
  return Object.entries(json.resource)
    .filter(([type]) => type.startsWith('kubernetes_'))
    .flatMap(([type, byId]) => Object.values(byId).map((config) => objectOfResource(type, config)));
}

/** The Terraform references the stack puts where the plain manifests have placeholders. */
function asPlaceholders(value: unknown): unknown {
  const text = JSON.stringify(value)
    .replace(/\$\{random_password\.Roles_PasswordApp_[0-9A-F]{8}\.result\}/g, '${APP_DATABASE_PASSWORD}')
    .replace(/\$\{random_password\.SecretForFront\.result\}/g, '${SECRET_FOR_FRONT}')
    .replace(/\$\{var\.(stripe_key|stripe_secret|smtp_user|smtp_password|smtp_port)\}/g, (_m, name: string) => `\${${name.toUpperCase()}}`);
  return JSON.parse(text);
}

const key = (o: Record<string, unknown>) => `${o.kind}/${(o.metadata as { name: string }).name}`;

describe('the <key>-k8s stack', () => {
  it('gives a Kubernetes tenant its in-database stack and <key>-k8s after it, and a docker tenant none', () => {
    const stacks = stacksOf(kubernetesTenant());
    expect(stacks.all.map((s) => s.node.id)).toEqual(['test_shop', 'test_shop-k8s']);
    expect(stacks.kubernetes?.dependencies).toEqual([stacks.tenant]);
    expect(stacksOf(tenant()).kubernetes).toBeUndefined();
    // The in-database stack has no app of its own: no container, no kubernetes provider.
    const tenantJson = JSON.parse(Testing.synth(stacks.tenant)) as SynthesizedStack;
    expect([Object.keys(tenantJson.provider).sort(), resourcesOf(tenantJson, 'docker_container')]).toEqual([['postgresql', 'random'], []]);
  });

  it('uses only the kubernetes provider, from the standard environment or null-default variables, with its own state', () => {
    const json = kubernetesJson(kubernetesTenant());
    expect(json.provider).toEqual({
      kubernetes: [{ host: '${var.kubernetes_host}', token: '${var.kubernetes_token}', cluster_ca_certificate: '${var.kubernetes_cluster_ca_certificate}' }],
    });
    expect(json.variable.kubernetes_token).toEqual(expect.objectContaining({ default: null, sensitive: true, nullable: true }));
    expect(json.variable.kubernetes_host.default).toBeNull();
    expect(json.terraform.backend).toEqual({ local: { path: '../../../state/test_shop-k8s.tfstate' } });
    expect(literalSecrets(json)).toEqual([]);
  });

  test.each(PLANS.map((plan) => [plan, PLAN_PROFILES[plan]] as const))('creates the objects of a %s tenant, an autoscaler only where the plan scales', (plan, profile) => {
    const json = kubernetesJson(kubernetesTenant(plan));
    const counts = Object.fromEntries(Object.entries(json.resource).map(([type, byId]) => [type, Object.keys(byId).length]));
    expect(counts).toEqual({
      kubernetes_namespace_v1: 1,
      kubernetes_resource_quota_v1: 1,
      kubernetes_limit_range_v1: 1,
      kubernetes_network_policy_v1: 5,
      kubernetes_secret_v1: 1,
      kubernetes_deployment_v1: 2,
      kubernetes_service_v1: 2,
      kubernetes_pod_disruption_budget_v1: 2,
      ...(profile.podMaxReplicas > profile.podReplicas && { kubernetes_horizontal_pod_autoscaler_v2: 1 }),
      kubernetes_ingress_v1: 1,
    });
    const [api] = resourcesOf(json, 'kubernetes_deployment_v1');
    expect((api.spec as { replicas?: string }).replicas).toBe(profile.podMaxReplicas > profile.podReplicas ? undefined : String(profile.podReplicas));
  });

  it('starts no pod before its namespace, quota, limits, NetworkPolicies and Secret exist', () => {
    const json = kubernetesJson(kubernetesTenant());
    const [api] = resourcesOf(json, 'kubernetes_deployment_v1');
    expect((api.depends_on as string[]).map((a) => a.split('.')[0])).toEqual([
      'kubernetes_resource_quota_v1',
      'kubernetes_limit_range_v1',
      ...Array(5).fill('kubernetes_network_policy_v1'),
      'kubernetes_secret_v1',
    ]);
  });

  it('reads the app password and frontend secret from the in-database stack, never from the JSON', () => {
    const outdir = mkdtempSync(path.join(tmpdir(), 'k8s-stack-'));
    try {
      const app = new App({ outdir });
      createTenantStacks(app, { tenant: kubernetesTenant(), servers: [], migrationsChecksum: MIGRATIONS_CHECKSUM });
      app.synth();
      const json = JSON.parse(readFileSync(path.join(outdir, 'stacks', 'test_shop-k8s', 'cdk.tf.json'), 'utf8'));
      const [secret] = Object.values(json.resource.kubernetes_secret_v1) as { data: Record<string, string> }[];
      expect(secret.data.DATABASE_DSN).toMatch(/^host=db\.internal\.example port=5432 user=test_shop__app password=\$\{data\.terraform_remote_state\.[\w-]+\.outputs\.[\w-]+\} dbname=test_shop sslmode=require$/);
      expect(Object.keys(json.data.terraform_remote_state)).toHaveLength(1);
      expect(literalSecrets(json)).toEqual([]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('the Terraform resources and the plain manifests', () => {
  const VARIANTS: [string, Tenant][] = [
    ...PLANS.map((plan): [string, Tenant] => [plan, kubernetesTenant(plan)]),
    ['free, API only', kubernetesTenant('free', { frontend: undefined, ingress: undefined })],
    ['enterprise, Ingress class, own port and sslmode', kubernetesTenant('enterprise', { ingress: { host: 'api.x.example', tlsSecret: 'x-tls', className: 'nginx' }, databaseServer: { host: '10.0.0.9', port: 6432, cidrs: ['10.0.0.9/32'], sslmode: 'verify-full' } })],
  ];

  test.each(VARIANTS)('agree field by field: %s', (_case, t) => {
    const k8s = t as Tenant & KubernetesTenant;
    const manifests = manifestList(kubernetesManifests(k8s, kubernetesApiSources(k8s, MANIFEST_PLACEHOLDERS)));
    const fromTerraform = objectsOf(kubernetesJson(t)).map((o) => asPlaceholders(o) as Record<string, unknown>);
    expect(fromTerraform.map(key).sort()).toEqual(manifests.map((m) => key(m as never)).sort());
    const byKey = new Map(fromTerraform.map((o) => [key(o), o]));
    for (const manifest of manifests) expect([key(manifest as never), asText(byKey.get(key(manifest as never)))]).toEqual([key(manifest as never), asText(manifest)]);
  });

});
