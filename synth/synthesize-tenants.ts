/**
 * Synthesizes some tenants with cdktf, as main.ts always has (the fleet
 * tuning, one App, createTenantStacks per tenant), into a directory of their
 * own, and reads back each tenant's stacks. The same code runs in the main
 * process and in a worker (worker.ts), so a split synthesis writes what a
 * single one writes.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App } from 'cdktf';
import { fleetAppOptions, tuneCdktfForFleets } from '../constructs/cdktf/fleet-tuning';
import { createTenantStacks } from '../constructs/stacks/create-tenant-stacks';
import type { StateBackendConfig } from '../model/state-config';
import { tenantStackNames } from '../model/naming';
import type { Server, Tenant } from '../tenants/registry';
import type { TenantOutput } from './synth-cache';

/** What every tenant's stacks are built with. */
export interface StackSettings {
  /** The fleet's servers: each tenant's stacks connect to the one it is placed on. */
  readonly servers: readonly Server[];
  readonly migrationsChecksum: string;
  readonly stateBackend: StateBackendConfig;
  /** Path from a stack's working directory to the project root (depends on where the output goes). */
  readonly projectDir: string;
}

/** Synthesizes the stacks of `tenants` into `outdir` (as cdktf's App writes them). */
export function synthesizeInto(outdir: string, tenants: readonly Tenant[], settings: StackSettings): void {
  tuneCdktfForFleets();
  const app = new App(fleetAppOptions({ outdir }));
  for (const tenant of tenants) createTenantStacks(app, { tenant, ...settings });
  app.synth();
}

/** Each tenant's stacks as synthesized into `outdir`, with their manifest entries; `keys` by tenant key. */
export function readTenantOutputs(outdir: string, tenants: readonly Tenant[], keys: ReadonlyMap<string, string>): TenantOutput[] {
  const manifest = JSON.parse(readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as { version: string; stacks: Record<string, Record<string, unknown>> };
  return tenants.map((tenant) => ({
    key: keys.get(tenant.key) as string,
    manifestVersion: manifest.version,
    stacks: tenantStackNames(tenant).map((name) => {
      const entry = manifest.stacks[name];
      if (!entry) throw new Error(`synthesis wrote no stack ${name} for ${tenant.file}`);
      return { name, manifest: entry, text: readFileSync(path.join(outdir, String(entry.synthesizedStackPath)), 'utf8') };
    }),
  }));
}
