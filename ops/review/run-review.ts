/**
 * `tenants review --base <ref>` without the printing: check out the base,
 * synthesize both sides (at the same time, each with its own code), compare
 * them (fleet-review.ts), and remove the checkout again, also on failure.
 */
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { type FleetReview, compareMigrations, reviewFleet } from './fleet-review';
import type { FlagId } from './flags';
import { reviewErrors } from './messages';
import {
  ReviewUsageError,
  changedPlatformCode,
  checkoutBase,
  offboardingTenants,
  outdirOf,
  readMigrationSummaries,
  readSynthesizedFleet,
  resolveRepository,
  synthesizeSide,
} from './review-sides';

/** Options of {@link runReview}. */
export interface RunReviewOptions {
  /** The project's directory (the working tree under review). */
  readonly projectRoot: string;
  /** The base: any git ref of the repository. */
  readonly base: string;
  /** The registry directory of the working tree (TENANTS_DIR or tenants/). */
  readonly tenantsDir: string;
  /** The server files of the working tree (SERVERS_DIR or servers/). */
  readonly serversDir: string;
  readonly env: NodeJS.ProcessEnv;
  /** Flags to let through. @default none */
  readonly allow?: readonly FlagId[];
}

/** A review and how long its parts took. */
export interface ReviewRun {
  readonly review: FleetReview;
  /** Milliseconds: checking out the base, synthesizing both sides, comparing. */
  readonly timings: { readonly checkout: number; readonly synthesis: number; readonly compare: number };
  /** The base needed its own `npm ci` (its lockfile differs). */
  readonly installedBase: boolean;
}

/** Reviews the working tree against `base`. */
export async function runReview(options: RunReviewOptions): Promise<ReviewRun> {
  const { projectRoot, env } = options;
  const tenantsPath = path.relative(projectRoot, options.tenantsDir);
  if (tenantsPath.startsWith('..') || path.isAbsolute(tenantsPath)) throw new ReviewUsageError(reviewErrors.tenantsOutsideRepository(options.tenantsDir));
  const serversPath = path.relative(projectRoot, options.serversDir);
  if (serversPath.startsWith('..') || path.isAbsolute(serversPath)) throw new ReviewUsageError(reviewErrors.serversOutsideRepository(options.serversDir));
  const repository = resolveRepository(projectRoot, options.base);
  let started = performance.now();
  const lap = () => {
    const now = performance.now();
    const ms = Math.round(now - started);
    started = now;
    return ms;
  };
  const base = checkoutBase(projectRoot, repository, env);
  try {
    const checkout = lap();
    const paths = { tenantsPath: tenantsPath === 'tenants' ? undefined : tenantsPath, serversPath: serversPath === 'servers' ? undefined : serversPath };
    await Promise.all([
      synthesizeSide({ root: base.root, ...paths, env }, `base (${options.base})`),
      synthesizeSide({ root: projectRoot, ...paths, env }, 'working tree'),
    ]);
    const synthesis = lap();
    const review = reviewFleet(readSynthesizedFleet(outdirOf(base.root)), readSynthesizedFleet(outdirOf(projectRoot)), {
      base: options.base,
      head: 'working tree',
      allow: options.allow,
      lifecycles: { base: offboardingTenants(path.join(base.root, tenantsPath)), head: offboardingTenants(options.tenantsDir) },
      migrations: compareMigrations(readMigrationSummaries(path.join(base.root, 'schema')), readMigrationSummaries(path.join(projectRoot, 'schema'))),
    });
    const platformCode = changedPlatformCode(projectRoot, repository, [tenantsPath, serversPath]);
    return { review: { ...review, platformCode }, timings: { checkout, synthesis, compare: lap() }, installedBase: base.installed };
  } finally {
    base.remove();
  }
}
