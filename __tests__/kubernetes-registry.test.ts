/**
 * The registry's Kubernetes target: its defaults, every field rule with
 * its exact message, the namespace derived from the key, tags that must be
 * Kubernetes labels.
 */
import * as fc from 'fast-check';
import { KEY_PATTERN, MAX_KEY_BYTES, isDns1123Label, isKubernetesLabelKey, isKubernetesLabelValue, kubernetesNamespace } from '../model/naming';
import { formatProblem } from '../model/problems';
import { kubernetesProblems } from '../tenants/registry/kubernetes';
import { checkDefinition } from '../tenants/registry/validate';
import { tenantDefinition } from './helpers';

const FILE = 'tenants/test_shop.ts';
const SERVER = { host: 'db.internal.example', cidrs: ['10.20.0.15/32'] };

/** A Kubernetes tenant's definition with these app fields (and tags). */
function kubernetes(app: Record<string, unknown> = {}, tags?: Record<string, string>) {
  return { ...tenantDefinition(), app: { target: 'kubernetes', databaseServer: SERVER, ...app }, ...(tags && { tags }) };
}

function messages(raw: unknown): string[] {
  return checkDefinition(FILE, 'test_shop', raw).problems.map(formatProblem);
}

describe('the Kubernetes target in the registry', () => {
  it('resolves the defaults: shared images, ingress-nginx, port 5432, sslmode require, no frontend or Ingress', () => {
    expect(checkDefinition(FILE, 'test_shop', kubernetes()).tenant?.app).toEqual({
      target: 'kubernetes',
      image: 'ghcr.io/usualstore/api:1.0.0',
      ingressNamespace: 'ingress-nginx',
      databaseServer: { host: 'db.internal.example', port: 5432, cidrs: ['10.20.0.15/32'], sslmode: 'require' },
    });
  });

  it('keeps what the file sets', () => {
    const app = {
      image: 'ghcr.io/usualstore/api:1.2.0',
      frontend: { image: 'ghcr.io/usualstore/frontend:1.2.0' },
      ingressNamespace: 'traefik',
      ingress: { host: 'api.shop.example', frontendHost: 'shop.example', tlsSecret: 'shop-tls', className: 'traefik' },
      databaseServer: { host: '10.20.0.15', port: 6432, cidrs: ['10.20.0.15/32', '10.20.1.0/24'], sslmode: 'verify-full' },
    };
    expect(checkDefinition(FILE, 'test_shop', kubernetes(app)).tenant?.app).toEqual({ target: 'kubernetes', ...app });
  });

  test.each([
    ['a missing database server', kubernetes({ databaseServer: undefined }), 'app.databaseServer is missing; add databaseServer: { host, cidrs }'],
    ['a bad database host', kubernetes({ databaseServer: { ...SERVER, host: 'db server' } }), 'app.databaseServer.host "db server" is not a host name or IPv4 address; use e.g. db.internal.example or 10.20.0.15'],
    ['no database CIDR', kubernetes({ databaseServer: { ...SERVER, cidrs: [] } }), 'app.databaseServer.cidrs [] must not be empty; list at least one CIDR'],
    ['a bad database CIDR', kubernetes({ databaseServer: { ...SERVER, cidrs: ['10.20.0.15'] } }), 'app.databaseServer.cidrs[0] "10.20.0.15" is not an IPv4 range; use a CIDR such as 203.0.113.0/24'],
    ['a bad database port', kubernetes({ databaseServer: { ...SERVER, port: 0 } }), 'app.databaseServer.port 0 must be a whole number from 1 to 65535 (PostgreSQL listens on 5432 by default)'],
    ['TLS turned off', kubernetes({ databaseServer: { ...SERVER, sslmode: 'disable' } }), 'app.databaseServer.sslmode "disable" is not an sslmode the pods may use; use one of require, verify-ca, verify-full (TLS is always on)'],
    ['a latest image', kubernetes({ image: 'ghcr.io/usualstore/api:latest' }), 'app.image "ghcr.io/usualstore/api:latest" uses the tag "latest", which changes under you; pin a version tag or a digest'],
    ['an unpinned frontend image', kubernetes({ frontend: { image: 'ghcr.io/usualstore/frontend' } }), 'app.frontend.image "ghcr.io/usualstore/frontend" is not a pinned image reference; use [registry/]name:tag or [registry/]name@sha256:<64 hex digits> (no tag means :latest, which changes under you)'],
    ['a bad ingress namespace', kubernetes({ ingressNamespace: 'Ingress_NGINX' }), 'app.ingressNamespace "Ingress_NGINX" is not a Kubernetes name; use at most 63 lowercase letters, digits and hyphens, starting and ending with a letter or digit'],
    ['a bad ingress host', kubernetes({ ingress: { host: 'https://shop.example', tlsSecret: 'shop-tls' } }), 'app.ingress.host "https://shop.example" is not a domain name; use lowercase labels of letters, digits and hyphens joined by dots, e.g. shop.example.com'],
    ['a bad TLS secret name', kubernetes({ ingress: { host: 'shop.example', tlsSecret: 'Shop TLS' } }), 'app.ingress.tlsSecret "Shop TLS" is not a Kubernetes Secret name; use lowercase letters, digits, hyphens and dots, starting and ending with a letter or digit'],
    ['an ingress without TLS', kubernetes({ ingress: { host: 'shop.example' } }), 'app.ingress.tlsSecret is missing; add tlsSecret: "<secret name>"'],
    ['a frontend host without a frontend', kubernetes({ ingress: { host: 'api.shop.example', frontendHost: 'shop.example', tlsSecret: 'shop-tls' } }), 'app.ingress.frontendHost "shop.example" exposes the frontend, which this tenant does not have; add frontend: {} or remove frontendHost'],
    ['a docker field', kubernetes({ port: 4100 }), 'app.port is not a known field; remove it (known fields: target, image, frontend, databaseServer, ingressNamespace, ingress)'],
    ['a tag that is no Kubernetes label value', kubernetes({}, { team: 'north and south' }), 'tags.team "north and south" is not a Kubernetes label (keys: an optional DNS prefix and "/", then at most 63 letters, digits, "-", "_", "."; values: the same, at most 63); a Kubernetes tenant carries its tags as labels, so change the tag'],
    ['a tag key that is no Kubernetes label key', kubernetes({}, { 'cost center': 'x' }), 'tags "cost center" is not a Kubernetes label (keys: an optional DNS prefix and "/", then at most 63 letters, digits, "-", "_", "."; values: the same, at most 63); a Kubernetes tenant carries its tags as labels, so change the tag'],
  ])('refuses %s with the exact message', (_case, raw, expected) => {
    expect(messages(raw)).toEqual([`${FILE}: ${expected}`]);
  });

  it('refuses a namespace that would not be a DNS-1123 label, naming it (unreachable from a key the key rules accept)', () => {
    const key = `a${'b'.repeat(60)}`;
    expect(kubernetesProblems(FILE, { key }).map(formatProblem)).toEqual([
      `${FILE}: key "${key}" makes the namespace "usualstore-${key}", which is not a DNS-1123 label of at most 63 characters; shorten the key`,
    ]);
  });

  it('derives a valid namespace, distinct per tenant, from every key the registry accepts', () => {
    const key = fc.stringMatching(KEY_PATTERN).filter((k) => Buffer.byteLength(k) <= MAX_KEY_BYTES);
    const broken: string[] = [];
    fc.assert(fc.property(key, key, (a, b) => {
      const ok = isDns1123Label(kubernetesNamespace(a)) && (a === b) === (kubernetesNamespace(a) === kubernetesNamespace(b));
      if (!ok) broken.push(`${a} ${b}`);
      return true;
    }));
    expect(broken).toEqual([]);
  });

  test.each([
    ['usualstore.tenant', true],
    ['app.kubernetes.io/name', true],
    ['costCenter', true],
    ['-x', false],
    ['Example.com/x', false],
    [`${'k'.repeat(64)}`, false],
  ])('takes %s as a label key: %s', (key, valid) => {
    expect(isKubernetesLabelKey(key)).toBe(valid);
  });

  test.each([
    ['building_shop', true],
    ['', true],
    ['a b', false],
    ['x'.repeat(64), false],
  ])('takes %j as a label value: %s', (value, valid) => {
    expect(isKubernetesLabelValue(value)).toBe(valid);
  });
});
