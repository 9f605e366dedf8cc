/**
 * Generates a fleet of valid tenant files for the benchmarks: a deterministic
 * mix of plans, team sizes and app targets, written as `<key>.ts` files that
 * import defineTenant from this checkout's registry (as the tests do).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PLANS } from '../model/plans';
import type { Person, TenantDefinition } from '../tenants/registry';

/** The project root, for imports in generated files and for running the app. */
export const PROJECT_ROOT = path.resolve(__dirname, '..');

/** Options of {@link generateFleet}. */
export interface FleetOptions {
  /**
   * Every `lambdaEvery`-th tenant gets the Lambda target; 0 for docker only.
   * @default 0
   */
  readonly lambdaEvery?: number;
  /**
   * Prefix of every key and database name, so two fleets can share a server.
   * @default "t"
   */
  readonly prefix?: string;
  /**
   * Host port of the first API; frontends get the same offset from 30000.
   * @default 10000
   */
  readonly firstPort?: number;
}

function people(kind: string, key: string, count: number): Person[] {
  return Array.from({ length: count }, (_, i) => ({ username: `${kind}${i + 1}`, email: `${kind}${i + 1}@${key.replace(/_/g, '-')}.example` }));
}

/** Tenant number `i` of a generated fleet: plans rotate, team sizes vary, some tenants have a frontend. */
export function tenantAt(i: number, options: FleetOptions = {}): TenantDefinition {
  const prefix = options.prefix ?? 't';
  const firstPort = options.firstPort ?? 10000;
  const key = `${prefix}_${String(i).padStart(5, '0')}`;
  const lambda = options.lambdaEvery ? i % options.lambdaEvery === options.lambdaEvery - 1 : false;
  return {
    key,
    company: `Generated Shop ${i}`,
    plan: PLANS[i % PLANS.length],
    database: { name: `${key}_db` },
    people: {
      admins: people('admin', key, 1 + (i % 2)),
      developers: people('dev', key, i % 4),
      customers: people('cust', key, i % 3),
    },
    app: lambda
      ? {
          target: 'lambda',
          region: 'eu-west-1',
          artifact: { s3Bucket: 'usualstore-artifacts', s3Key: 'api/1.0.0/bootstrap.zip', s3ObjectVersion: '1' },
          frontend: i % 2 === 0,
        }
      : { target: 'docker', port: firstPort + i, ...(i % 2 === 0 && { frontend: { port: firstPort + 20000 + i } }) },
    tags: { costCenter: `cc${i % 7}` },
  };
}

/** The first `count` tenants of a generated fleet. */
/**
 * SERVERS_DIR for a generated fleet: a directory that does not exist, so every tenant is on the
 * default server with no capacity to check, as before servers existed. A generated fleet holds
 * more connections than servers/default.ts allows, and spreading it over generated servers would
 * measure something the baselines of earlier runs did not.
 */
export function defaultServerOnly(registryDir: string): string {
  return path.join(registryDir, '.no-servers');
}

export function generateFleet(count: number, options: FleetOptions = {}): TenantDefinition[] {
  return Array.from({ length: count }, (_, i) => tenantAt(i, options));
}

/** Source of a tenant file, importing defineTenant from this checkout (as __tests__/helpers.ts tenantSource does). */
export function tenantFileSource(definition: TenantDefinition): string {
  const registry = path.join(PROJECT_ROOT, 'tenants', 'registry');
  return `import { defineTenant } from ${JSON.stringify(registry)};\n\nexport default defineTenant(${JSON.stringify(definition, null, 2)});\n`;
}

/** A temporary registry directory holding one file per tenant. */
export interface TempRegistry {
  readonly dir: string;
  readonly tenants: readonly TenantDefinition[];
  remove(): void;
}

/** Writes the tenants into a new temporary directory (under `parent`, default the system's); the caller removes it. */
export function writeRegistry(tenants: readonly TenantDefinition[], parent: string = tmpdir()): TempRegistry {
  const dir = mkdtempSync(path.join(parent, 'tenants-'));
  for (const tenant of tenants) writeFileSync(path.join(dir, `${tenant.key}.ts`), tenantFileSource(tenant));
  return { dir, tenants, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
