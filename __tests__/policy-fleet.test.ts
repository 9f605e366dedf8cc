/**
 * The whole rule set over the example fleet, as `npm run synth` applies it:
 * no finding is left unsuppressed, the warnings are the ones the README
 * describes, every suppression is listed in the README's rule table; and a
 * deliberately weakened fleet fails synthesis with the rule ids.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Container } from '@cdktf/provider-docker/lib/container';
import { App } from 'cdktf';
import { POLICY_RULES } from '../constructs/policy';
import type { MongoTenantStacks } from '../constructs/stacks/create-mongo-tenant-stacks';
import { type TenantStacks, createTenantStacks } from '../constructs/stacks/create-tenant-stacks';
import { loadRegistry } from '../tenants/registry';
import { DEFAULT_TENANTS_DIR } from '../tenants/registry/load';
import { MIGRATIONS_CHECKSUM, PROJECT_ROOT } from './helpers';

interface Annotation {
  readonly level: string;
  readonly path: string;
  readonly message: string;
}

/** The example fleet in an app of its own; `weaken` may add to its stacks before synthesis. */
function fleet(weaken?: (stacks: readonly (TenantStacks | MongoTenantStacks)[]) => void): { app: App; annotations: () => Annotation[]; cleanup: () => void } {
  const outdir = mkdtempSync(path.join(tmpdir(), 'policy-fleet-'));
  const app = new App({ outdir });
  const registry = loadRegistry(DEFAULT_TENANTS_DIR);
  const stacks = registry.tenants.map((tenant) => createTenantStacks(app, { tenant, servers: registry.servers, migrationsChecksum: MIGRATIONS_CHECKSUM }));
  weaken?.(stacks);
  const annotations = () =>
    app.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type.startsWith('@cdktf/')).map((m) => ({ level: m.type.slice('@cdktf/'.length), path: c.node.path, message: String(m.data) })));
  return { app, annotations, cleanup: () => rmSync(outdir, { recursive: true, force: true }) };
}

/** The rows of the README's policy table: rule id → the row's text. */
function readmeRuleTable(): Map<string, string> {
  const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Policy checks at synth'));
  return new Map([...section.matchAll(/^\| `([A-Z0-9-]+)` \|(.*)\|$/gm)].map((m) => [m[1], m[2]]));
}

describe('the full rule set over the example fleet', () => {
  const { app, annotations, cleanup } = fleet();
  let found: Annotation[] = [];
  beforeAll(() => {
    app.synth();
    found = annotations();
  });
  afterAll(cleanup);

  it('leaves no finding unsuppressed', () => {
    expect(found.filter((a) => a.level === 'error')).toEqual([]);
  });

  it("warns, and only warns, about the paying docker tenants' images pinned by tag only", () => {
    expect(found.filter((a) => a.level === 'warn').map((a) => `${a.path} ${a.message.split(':')[0]}`)).toEqual([
      'bookstore_2025/App/Api IMAGE-DIGEST (warning)',
      'bookstore_2025/App/Frontend IMAGE-DIGEST (warning)',
      'building_shop/App/Api IMAGE-DIGEST (warning)',
      'building_shop/App/Frontend IMAGE-DIGEST (warning)',
      'hardware_store/App/Api IMAGE-DIGEST (warning)',
    ]);
  });

  it('suppresses only what the README lists, each with its reason', () => {
    const suppressed = found.filter((a) => a.level === 'info' && a.message.includes(' suppressed: '));
    expect(suppressed.map((a) => `${a.path} ${a.message.split(' ')[0]}`)).toEqual([
      'online_store_2025-network/Vpc/FlowLogGroup LOGS-ENCRYPTED',
      'online_store_2025-app/Secrets/Secret SECRETS-ROTATION',
      'online_store_2025-app/Frontend/Distribution CLOUDFRONT-TLS',
      'online_store_2025-app/Function/Permissions IAM-NO-WILDCARD',
    ]);
    const table = readmeRuleTable();
    expect(suppressed.filter((a) => !/Suppressed/.test(table.get(a.message.split(' ')[0]) ?? '')).map((a) => a.message)).toEqual([]);
  });

  it('lists every rule in the README, and nothing else', () => {
    expect([...readmeRuleTable().keys()]).toEqual(POLICY_RULES.map((rule) => rule.id));
  });
});

describe('a deliberately weakened fleet', () => {
  it('fails synthesis with the rule ids of a wildcard policy, a container without limits and a KMS key without policy', () => {
    const weaken = (stacks: readonly (TenantStacks | MongoTenantStacks)[]) => {
      const aws = stacks.find((s) => s.aws)?.aws as NonNullable<TenantStacks['aws']>;
      const docker = stacks.find((s) => !s.aws) as TenantStacks;
      new DataAwsIamPolicyDocument(aws.app, 'Wildcard', { statement: [{ sid: 'Everything', actions: ['*'], resources: ['*'] }] });
      new KmsKey(aws.database, 'BareKey', { description: 'no policy' });
      new Container(docker.tenant, 'Unlimited', { name: 'unlimited', image: 'ghcr.io/usualstore/api:1.0.0', user: '1000:1000' });
    };
    const failing = fleet(weaken);
    try {
      // cdktf stops at the first stack with an error: that one is the docker tenant's.
      expect(() => failing.app.synth()).toThrow(/\[bookstore_2025\/Unlimited\] CONTAINER-LIMITS: /);
    } finally {
      failing.cleanup();
    }
    // Every stack's errors, as `cdktf synth` lists them with CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS.
    process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = '1';
    const all = fleet(weaken);
    delete process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
    try {
      all.app.synth();
      expect(all.annotations().filter((a) => a.level === 'error').map((a) => `${a.path} ${a.message.split(':')[0]}`)).toEqual([
        'bookstore_2025/Unlimited CONTAINER-LIMITS',
        'bookstore_2025/Unlimited CONTAINER-HARDENED',
        'bookstore_2025/Unlimited CONTAINER-LOG-ROTATION',
        'bookstore_2025/Unlimited CONTAINER-HEALTHCHECK',
        'online_store_2025-database/BareKey KMS-KEY-POLICY',
        'online_store_2025-app/Wildcard IAM-NO-WILDCARD',
      ]);
    } finally {
      all.cleanup();
    }
  });
});
