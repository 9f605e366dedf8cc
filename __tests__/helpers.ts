/**
 * Shared fixtures: tenant definitions, registries in temporary directories,
 * and synthesized stacks.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { type App, TerraformResource, type TerraformStack, Testing } from 'cdktf';
import { createIo } from '../cli/io';
import { runTenants } from '../cli/program';
import { TenantStack, type TenantStackProps } from '../constructs/stacks/tenant-stack';
import { createTenantStacks } from '../constructs/stacks/create-tenant-stacks';
import { type MongoDatabaseSettings, type MongoTenant, type PostgresTenant as Tenant, type Tenant as AnyTenant, type TenantDefinition, isPostgresTenant } from '../tenants/registry/types';
import type { Server } from '../tenants/registry';
import { tenantFiles } from '../tenants/registry';
import { DEFAULT_TENANTS_DIR } from '../tenants/registry/load';
import { registryImportFor } from '../tenants/registry/render';
import { resolveTenant } from '../tenants/registry/validate';

export const PROJECT_ROOT = path.resolve(__dirname, '..');

/** A fresh output directory inside the project, as cdktf.out is (stacks find the project root by a relative path); cdktf.out need not exist yet. */
export function projectOutdir(prefix: string): string {
  mkdirSync(path.join(PROJECT_ROOT, 'cdktf.out'), { recursive: true });
  return mkdtempSync(path.join(PROJECT_ROOT, 'cdktf.out', prefix));
}

/** A valid docker tenant; override any field. */
export function tenantDefinition(overrides: Partial<TenantDefinition> = {}): TenantDefinition {
  return {
    key: 'test_shop',
    company: 'Test Shop',
    plan: 'free',
    database: { name: 'test_shop' },
    people: {
      admins: [{ username: 'alice', email: 'alice@test.example' }],
      developers: [{ username: 'bob', email: 'bob@test.example' }],
      customers: [{ username: 'carol', email: 'carol@test.example' }],
    },
    app: { target: 'docker', port: 4100 },
    ...overrides,
  };
}

/** The same tenant, validated and with defaults resolved (a PostgreSQL tenant: see {@link mongoTenant} for MongoDB). */
export function tenant(overrides: Partial<TenantDefinition> = {}): Tenant {
  const definition = tenantDefinition(overrides);
  return resolveTenant(definition, `tenants/${definition.key}.ts`) as Tenant;
}

/** A valid MongoDB tenant on a container (docker target); override any field, or the database's. */
export function mongoTenantDefinition(overrides: Partial<TenantDefinition> = {}, database: Partial<MongoDatabaseSettings> = {}): TenantDefinition {
  return tenantDefinition({
    database: { engine: 'mongodb', name: 'test_shop', placement: 'container', container: { port: 27100 }, ...database } as MongoDatabaseSettings,
    ...overrides,
  });
}

/** The same MongoDB tenant, validated and with defaults resolved. */
export function mongoTenant(overrides: Partial<TenantDefinition> = {}, database: Partial<MongoDatabaseSettings> = {}): MongoTenant {
  const definition = mongoTenantDefinition(overrides, database);
  return resolveTenant(definition, `tenants/${definition.key}.ts`) as MongoTenant;
}

/** Source of a tenant file for a resolved tenant. */
export function tenantSourceOf(t: Tenant): string {
  const { file: _file, tags, ...definition } = t;
  return tenantSource({ ...definition, ...(Object.keys(tags).length && { tags }) });
}

/** A fixed checksum, so snapshots do not change when a migration is added. */
export const MIGRATIONS_CHECKSUM = 'test-migrations-checksum';

/** The PostgreSQL tenants of a registry (the example fleet also has a MongoDB tenant, which has no PostgreSQL stack). */
export function postgresTenants(tenants: readonly AnyTenant[]): Tenant[] {
  return tenants.filter(isPostgresTenant);
}

/** A tenant stack in a fresh app. */
export function tenantStack(t: Tenant, props: Partial<TenantStackProps> = {}): TenantStack {
  const app: App = Testing.app();
  return new TenantStack(app, { tenant: t, migrationsChecksum: MIGRATIONS_CHECKSUM, ...props });
}

/** Synthesized JSON of a stack, as a string (for cdktf's matchers). */
export function synth(stack: TenantStack): string {
  return Testing.synth(stack);
}

/** The in-database stack of a tenant, synthesized as main.ts builds it (with its AWS stacks, for a Lambda tenant). */
export function databaseStack(t: Tenant, servers: readonly Server[] = []): SynthesizedStack {
  return JSON.parse(Testing.synth(createTenantStacks(Testing.app(), { tenant: t, servers, migrationsChecksum: MIGRATIONS_CHECKSUM }).tenant)) as SynthesizedStack;
}

/** Synthesized JSON of a stack, parsed. */
export function synthJson(stack: TenantStack): SynthesizedStack {
  return JSON.parse(Testing.synth(stack)) as SynthesizedStack;
}

/** The parts of a cdk.tf.json the tests read. */
export interface SynthesizedStack {
  readonly terraform: { readonly backend: Record<string, Record<string, unknown>> };
  readonly provider: Record<string, Record<string, unknown>[]>;
  readonly resource: Record<string, Record<string, Record<string, unknown>>>;
  readonly output: Record<string, { value: unknown; sensitive?: boolean }>;
  readonly variable: Record<string, { default?: unknown; sensitive?: boolean }>;
  readonly import?: readonly { readonly id: string; readonly to: string }[];
}

/** Every resource of a type, without cdktf's metadata. */
export function resourcesOf(json: SynthesizedStack, type: string): Record<string, unknown>[] {
  return Object.values(json.resource[type] ?? {}).map(({ '//': _metadata, ...rest }) => rest);
}

/** A directory removed after the test file, holding tenant files written from source text. */
export function tempRegistry(files: Record<string, string>): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'tenants-'));
  for (const [name, source] of Object.entries(files)) writeFileSync(path.join(dir, name), source);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Source of a tenant file exporting a definition, importing defineTenant from this checkout. */
export function tenantSource(definition: unknown): string {
  const registry = path.join(PROJECT_ROOT, 'tenants', 'registry');
  return `import { defineTenant } from ${JSON.stringify(registry)};\n\nexport default defineTenant(${JSON.stringify(definition, null, 2)} as never);\n`;
}

/** Source of a server file exporting a definition, importing defineServer from this checkout. */
export function serverSource(definition: unknown): string {
  const registry = path.join(PROJECT_ROOT, 'tenants', 'registry');
  return `import { defineServer } from ${JSON.stringify(registry)};\n\nexport default defineServer(${JSON.stringify(definition, null, 2)} as never);\n`;
}

/** A registry of tenant and server files in two temporary directories: TENANTS_DIR and SERVERS_DIR. */
export function tempFleet(tenants: Record<string, unknown>, servers: Record<string, unknown>): { dir: string; serversDir: string; env: NodeJS.ProcessEnv; cleanup: () => void } {
  const registry = tempRegistry(Object.fromEntries(Object.entries(tenants).map(([key, definition]) => [`${key}.ts`, tenantSource(definition)])));
  const serverFiles = tempRegistry(Object.fromEntries(Object.entries(servers).map(([name, definition]) => [`${name}.ts`, serverSource(definition)])));
  return {
    dir: registry.dir,
    serversDir: serverFiles.dir,
    env: { TENANTS_DIR: registry.dir, SERVERS_DIR: serverFiles.dir },
    cleanup: () => {
      registry.cleanup();
      serverFiles.cleanup();
    },
  };
}

/** `type.id` of the resource created at a construct path inside the stack, e.g. `Roles/RoleOwner`. */
export function addressOf(stack: TerraformStack, constructPath: string): string {
  const element = stack.node.findChild(constructPath.split('/')[0]).node.findAll().find((c) => c.node.path === `${stack.node.path}/${constructPath}`);
  if (!(element instanceof TerraformResource)) throw new Error(`no resource at ${constructPath}`);
  return `${element.terraformResourceType}.${stack.getLogicalId(element)}`;
}

/** `${type.id.attribute}`, the reference Terraform JSON uses. */
export function refTo(stack: TerraformStack, constructPath: string, attribute = 'name'): string {
  return `\${${addressOf(stack, constructPath)}.${attribute}}`;
}

/** Whether `from` depends on `to`, directly or through other resources' depends_on. */
export function dependsOn(json: SynthesizedStack, from: string, to: string): boolean {
  const byAddress = new Map<string, Record<string, unknown>>(
    Object.entries(json.resource).flatMap(([type, byId]) => Object.entries(byId).map(([id, r]): [string, Record<string, unknown>] => [`${type}.${id}`, r])),
  );
  const seen = new Set<string>();
  const stack: string[] = [from];
  while (stack.length) {
    const current = stack.pop() as string;
    for (const next of (byAddress.get(current)?.depends_on as string[] | undefined) ?? []) {
      if (next === to) return true;
      if (!seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }
  return false;
}

/**
 * A temporary copy of the shipped tenant files, importing this checkout's
 * registry, and `backups`: a directory (for TENANTS_BACKUPS) holding a
 * verified backup's manifest for each, which is all offboarding reads
 * (backup.pg.test.ts takes and verifies real ones).
 */
export function exampleRegistryCopy(): { dir: string; backups: string; cleanup: () => void } {
  const registry = tempRegistry({});
  for (const file of tenantFiles(DEFAULT_TENANTS_DIR)) {
    const source = readFileSync(file, 'utf8').replace("from './registry'", `from '${registryImportFor(registry.dir)}'`);
    writeFileSync(path.join(registry.dir, path.basename(file)), source);
  }
  const backups = mkdtempSync(path.join(tmpdir(), 'backups-'));
  for (const file of tenantFiles(DEFAULT_TENANTS_DIR)) writeVerifiedBackupManifest(backups, path.basename(file, '.ts'));
  return {
    dir: registry.dir,
    backups,
    cleanup: () => {
      registry.cleanup();
      rmSync(backups, { recursive: true, force: true });
    },
  };
}

/**
 * A verified backup's manifest for `key` in a backups directory (a fixture:
 * no dump behind it), which is all offboarding reads; backup.pg.test.ts
 * takes and verifies real ones.
 */
export function writeVerifiedBackupManifest(backups: string, key: string): void {
  const manifest = {
    format: 1,
    tenant: key,
    database: key,
    server: 'default',
    schemaVersion: 5,
    postgresVersion: '15.18',
    pgDump: 'pg_dump (PostgreSQL) 15.18',
    createdAt: '2026-11-30T06:00:00.000Z',
    file: '20261130T060000Z-5.dump',
    bytes: 1,
    sha256: '0'.repeat(64),
    tables: {},
    excluded: [],
    verified: { at: '2026-11-30T06:01:00.000Z', server: 'default' },
  };
  mkdirSync(path.join(backups, key), { recursive: true });
  writeFileSync(path.join(backups, key, '20261130T060000Z-5.json'), JSON.stringify(manifest));
}

/** What a run of the CLI printed and how it exited. */
export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `tenants <args>` in this process (cli/program.ts), with its output
 * captured: the fast way for most CLI tests. Not a terminal; no colour unless
 * the environment asks for it. `env` is added to the process's environment
 * (an undefined value removes a variable).
 */
export async function runCliInProcess(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io = createIo({
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  const status = await runTenants(args, io);
  return { status, stdout, stderr };
}

/** The `tenants` command as package.json's bin names it (`npx tenants`). */
export const TENANTS_BIN = path.join(PROJECT_ROOT, 'bin', 'tenants.js');

/**
 * Runs `tenants <args>` as its own process, as `npx tenants` runs it, in the
 * project. A command still running after `timeoutMs` is killed (status null),
 * so a hang fails its test instead of stalling the suite.
 */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}, input?: string, timeoutMs = 120_000) {
  return spawnSync(process.execPath, [TENANTS_BIN, ...args], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    input,
    timeout: timeoutMs,
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
}

/** Runs the app (main.ts) as cdktf.json starts it. */
export function runApp(env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'main.ts'], { cwd: PROJECT_ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
}
