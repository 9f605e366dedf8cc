/**
 * One process of a split synthesis: `node --import tsx synth/worker.ts <job.json>`
 * synthesizes the tenants of the job into the job's directory, exactly as the
 * main process synthesizes its own share (synthesize-tenants.ts). The job
 * holds the tenants as the main process validated them, so a worker loads no
 * tenant file and builds only what it was given.
 */
import { readFileSync } from 'node:fs';
import type { Tenant } from '../tenants/registry';
import { type StackSettings, synthesizeInto } from './synthesize-tenants';

/** What a worker is given. */
export interface WorkerJob {
  readonly outdir: string;
  readonly tenants: readonly Tenant[];
  readonly settings: StackSettings;
}

if (require.main === module) {
  const job = JSON.parse(readFileSync(process.argv[2], 'utf8')) as WorkerJob;
  synthesizeInto(job.outdir, job.tenants, job.settings);
}
