/**
 * The Kubernetes model (model/kubernetes): what a tenant gets on each plan,
 * every object valid against the OpenAPI schemas of the pinned Kubernetes
 * version (1.33.0, kubernetes-models 4.5.1), and the YAML rendering of
 * `tenants manifests`, which says the same as the model and holds no secret.
 */
import { parseAllDocuments } from 'yaml';
import { API_CONTAINER_PORT } from '../model/defaults';
import { KUBERNETES_SCHEMA_VERSION } from '../model/kubernetes/defaults';
import { type KubernetesManifests, kubernetesManifests, manifestList } from '../model/kubernetes/manifests';
import { MANIFEST_PLACEHOLDERS, kubernetesApiSources } from '../model/kubernetes/sources';
import type { KubernetesTenant } from '../model/kubernetes/tenant';
import { renderManifestsYaml } from '../model/kubernetes/yaml';
import { PLANS, PLAN_PROFILES, type Plan } from '../model/plans';
import { STORE_API_VARIABLES } from '../model/store-api';
import type { Tenant } from '../tenants/registry/types';
import { kubernetesTenant, openApiProblems } from './support/kubernetes';

function manifestsOf(t: Tenant): KubernetesManifests {
  const k8s = t as Tenant & KubernetesTenant;
  return kubernetesManifests(k8s, kubernetesApiSources(k8s, MANIFEST_PLACEHOLDERS));
}

const VARIANTS: [string, Tenant][] = [
  ...PLANS.map((plan): [string, Tenant] => [`${plan}, frontend and Ingress`, kubernetesTenant(plan)]),
  ['free, API only, no Ingress', kubernetesTenant('free', { frontend: undefined, ingress: undefined })],
  ['enterprise, API only, an Ingress class, verify-full, two server ranges', kubernetesTenant('enterprise', {
    frontend: undefined,
    ingress: { host: 'api.test-shop.example', tlsSecret: 'test-shop-tls', className: 'nginx' },
    databaseServer: { host: '10.20.0.15', port: 6432, cidrs: ['10.20.0.15/32', '10.20.1.0/24'], sslmode: 'verify-full' },
  })],
];

describe(`every manifest against the OpenAPI schemas of Kubernetes ${KUBERNETES_SCHEMA_VERSION}`, () => {
  test.each(VARIANTS)('validates every object of a tenant: %s', (_case, t) => {
    const objects = manifestList(manifestsOf(t));
    expect(objects.length).toBeGreaterThan(10);
    expect(objects.flatMap(openApiProblems)).toEqual([]);
  });

  it('refuses what the API server would refuse: the check bites', () => {
    const { api } = manifestsOf(kubernetesTenant('starter'));
    const broken = { ...api.deployment, spec: { ...api.deployment.spec, replicas: 'two' } };
    const unknownEnum = { ...api.service, spec: { ...api.service.spec, type: 'Public' } };
    expect([openApiProblems(broken), openApiProblems(unknownEnum)]).toEqual([
      ['Deployment/api: data/spec/replicas must be integer'],
      [expect.stringContaining('Service/api: data/spec/type must be equal to one of the allowed values')],
    ]);
  });
});

describe('a tenant namespace on each plan', () => {
  test.each(PLANS.map((plan) => [plan, PLAN_PROFILES[plan]] as const))('sizes the %s API by its plan', (plan, profile) => {
    const m = manifestsOf(kubernetesTenant(plan));
    const [api] = m.api.deployment.spec?.template.spec?.containers ?? [];
    const scales = profile.podMaxReplicas > profile.podReplicas;
    expect({
      replicas: m.api.deployment.spec?.replicas,
      autoscaler: m.api.autoscaler?.spec && [m.api.autoscaler.spec.minReplicas, m.api.autoscaler.spec.maxReplicas],
      resources: api.resources,
      quota: m.resourceQuota.spec?.hard,
    }).toEqual({
      replicas: scales ? undefined : profile.podReplicas,
      autoscaler: scales ? [profile.podReplicas, profile.podMaxReplicas] : undefined,
      resources: {
        requests: { cpu: `${profile.podCpuRequestMillis}m`, memory: `${profile.podMemoryRequestMiB}Mi` },
        limits: { cpu: `${profile.containerCpus * 1000}m`, memory: `${profile.containerMemoryMiB}Mi` },
      },
      quota: {
        'requests.cpu': `${profile.namespaceQuota.cpuMillis}m`,
        'limits.cpu': `${profile.namespaceQuota.cpuMillis}m`,
        'requests.memory': `${profile.namespaceQuota.memoryMiB}Mi`,
        'limits.memory': `${profile.namespaceQuota.memoryMiB}Mi`,
        pods: String(profile.namespaceQuota.pods),
        'services.loadbalancers': '0',
        'services.nodeports': '0',
        persistentvolumeclaims: '0',
      },
    });
  });

  it('runs at least 2 API pods on every paid plan, as the original did, and 1 on free', () => {
    expect(PLANS.map((plan) => [plan, PLAN_PROFILES[plan].podReplicas >= (plan === 'free' ? 1 : 2)])).toEqual(PLANS.map((plan) => [plan, true]));
  });

  test.each(PLANS)('gives the %s quota room for the API at its most and the frontend, each with one pod more during a rollout', (plan: Plan) => {
    const profile = PLAN_PROFILES[plan];
    const m = manifestsOf(kubernetesTenant(plan));
    const pods = [
      ...Array.from({ length: profile.podMaxReplicas + 1 }, () => m.api.deployment),
      ...Array.from({ length: profile.podReplicas + 1 }, () => m.frontend?.deployment),
    ].map((d) => d?.spec?.template.spec?.containers[0].resources?.limits as { cpu: string; memory: string });
    const cpu = pods.reduce((sum, l) => sum + Number.parseInt(l.cpu, 10), 0);
    const memory = pods.reduce((sum, l) => sum + Number.parseInt(l.memory, 10), 0);
    expect([cpu <= profile.namespaceQuota.cpuMillis, memory <= profile.namespaceQuota.memoryMiB, pods.length <= profile.namespaceQuota.pods]).toEqual([true, true, true]);
  });

  it('names and labels the namespace from the key, plan and tags, and enforces the restricted Pod Security Standard', () => {
    expect(manifestsOf(kubernetesTenant('starter')).namespace.metadata).toEqual({
      name: 'usualstore-test-shop',
      labels: {
        'usualstore.tenant': 'test_shop',
        'usualstore.plan': 'starter',
        team: 'north',
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/warn': 'restricted',
      },
      annotations: { 'usualstore.company': 'Test Shop' },
    });
  });

  it('hardens every pod and container: non-root, read-only root, no escalation, no capabilities, seccomp, no token, TCP probes, zero-downtime rollouts, spread over nodes', () => {
    const m = manifestsOf(kubernetesTenant('professional'));
    for (const { deployment } of [m.api, m.frontend].filter((w) => w !== undefined)) {
      const spec = deployment?.spec;
      const pod = spec?.template.spec;
      const [container] = pod?.containers ?? [];
      const port = container.ports?.[0].containerPort;
      expect({
        strategy: spec?.strategy,
        pod: [pod?.automountServiceAccountToken, pod?.securityContext?.runAsNonRoot, pod?.securityContext?.seccompProfile],
        container: container.securityContext,
        probes: [container.readinessProbe?.tcpSocket, container.livenessProbe?.tcpSocket],
        spread: pod?.topologySpreadConstraints?.map((t) => [t.topologyKey, t.maxSkew, t.whenUnsatisfiable]),
      }).toEqual({
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        pod: [false, true, { type: 'RuntimeDefault' }],
        container: {
          runAsNonRoot: true,
          runAsUser: 10001,
          runAsGroup: 10001,
          privileged: false,
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
          seccompProfile: { type: 'RuntimeDefault' },
        },
        probes: [{ port }, { port }],
        spread: [['kubernetes.io/hostname', 1, 'DoNotSchedule']],
      });
    }
    expect(m.api.deployment.spec?.template.spec?.containers[0].ports?.[0].containerPort).toBe(API_CONTAINER_PORT);
  });

  it('denies all traffic, then allows DNS, the ingress controller to the API and frontend, and the API to its database only', () => {
    const policies = manifestsOf(kubernetesTenant('starter', { ingressNamespace: 'traefik' })).networkPolicies;
    expect(policies.map((p) => [p.metadata?.name, p.spec?.podSelector.matchLabels?.['app.kubernetes.io/name'] ?? '*', p.spec?.policyTypes, JSON.stringify(p.spec?.ingress ?? p.spec?.egress ?? null)])).toEqual([
      ['deny-all', '*', ['Ingress', 'Egress'], 'null'],
      ['allow-dns', '*', ['Egress'], '[{"to":[{"namespaceSelector":{"matchLabels":{"kubernetes.io/metadata.name":"kube-system"}},"podSelector":{"matchLabels":{"k8s-app":"kube-dns"}}}],"ports":[{"protocol":"UDP","port":53},{"protocol":"TCP","port":53}]}]'],
      ['api-from-ingress-controller', 'api', ['Ingress'], '[{"from":[{"namespaceSelector":{"matchLabels":{"kubernetes.io/metadata.name":"traefik"}}}],"ports":[{"protocol":"TCP","port":4000}]}]'],
      ['frontend-from-ingress-controller', 'frontend', ['Ingress'], '[{"from":[{"namespaceSelector":{"matchLabels":{"kubernetes.io/metadata.name":"traefik"}}}],"ports":[{"protocol":"TCP","port":80}]}]'],
      ['api-to-database', 'api', ['Egress'], '[{"to":[{"ipBlock":{"cidr":"10.20.0.15/32"}}],"ports":[{"protocol":"TCP","port":5432}]}]'],
    ]);
  });

  it("gives the API's Secret every variable of the store's contract, the DSN for the app role over TLS to the server as pods reach it", () => {
    const secret = manifestsOf(kubernetesTenant('starter')).apiEnvironment;
    expect(Object.keys(secret.stringData ?? {})).toEqual(STORE_API_VARIABLES.map((v) => v.name));
    expect(secret.stringData).toEqual({
      DATABASE_DSN: 'host=db.internal.example port=5432 user=test_shop__app password=${APP_DATABASE_PASSWORD} dbname=test_shop sslmode=require',
      API_PORT: '4000',
      STRIPE_KEY: '${STRIPE_KEY}',
      STRIPE_SECRET: '${STRIPE_SECRET}',
      SECRET_FOR_FRONT: '${SECRET_FOR_FRONT}',
      FRONT_URL: 'https://test-shop.example',
      SMTP_USER: '${SMTP_USER}',
      SMTP_PASSWORD: '${SMTP_PASSWORD}',
      SMTP_PORT: '${SMTP_PORT}',
    });
  });

  it('routes the hosts to the Services with TLS, and creates no Ingress or frontend when the tenant has none', () => {
    const m = manifestsOf(kubernetesTenant('starter'));
    expect(m.ingress?.spec).toEqual({
      tls: [{ hosts: ['api.test-shop.example', 'test-shop.example'], secretName: 'test-shop-tls' }],
      rules: [
        { host: 'api.test-shop.example', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 4000 } } } }] } },
        { host: 'test-shop.example', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'frontend', port: { number: 80 } } } }] } },
      ],
    });
    const bare = manifestsOf(kubernetesTenant('starter', { frontend: undefined, ingress: undefined }));
    expect([bare.ingress, bare.frontend, bare.apiEnvironment.stringData?.FRONT_URL]).toEqual([undefined, undefined, 'http://api.usualstore-test-shop.svc.cluster.local:4000']);
  });
});

describe('the YAML rendering', () => {
  const t = kubernetesTenant('enterprise');
  const yaml = renderManifestsYaml(manifestsOf(t));

  it('holds every object of the model, in apply order, and nothing else', () => {
    const documents = parseAllDocuments(yaml).map((d) => d.toJS());
    expect(documents).toEqual(JSON.parse(JSON.stringify(manifestList(manifestsOf(t)))));
    expect(documents.map((d) => d.kind)).toEqual([
      'Namespace',
      'ResourceQuota',
      'LimitRange',
      ...Array(5).fill('NetworkPolicy'),
      'Secret',
      'Deployment',
      'Service',
      'PodDisruptionBudget',
      'HorizontalPodAutoscaler',
      'Deployment',
      'Service',
      'PodDisruptionBudget',
      'Ingress',
    ]);
  });

  it('holds no secret: the secret values are placeholders', () => {
    const values = [...yaml.matchAll(/(PASSWORD|SECRET)[A-Z_]*: (.*)$/gm)].map((m) => m[2]);
    expect(values).toEqual(['${STRIPE_SECRET}', '${SECRET_FOR_FRONT}', '${SMTP_PASSWORD}']);
    expect(yaml).toContain('password=${APP_DATABASE_PASSWORD} ');
  });
});
