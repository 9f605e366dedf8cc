import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { FLAG_IDS, type FlagId } from '../../ops/review/flags';
import { reviewErrors } from '../../ops/review/messages';
import { ReviewUsageError } from '../../ops/review/review-sides';
import { runReview } from '../../ops/review/run-review';
import { DEFAULT_CACHE_DIR } from '../../synth/fleet-synthesis';
import { serversDir, tenantsDir } from '../../tenants/registry';
import { CommandFailed, EXIT, UsageError } from '../errors';
import type { CliIo } from '../io';
import { reviewMarkdown } from '../review-markdown';

/** The project under review: this checkout. */
const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

interface ReviewOptions {
  readonly base: string;
  readonly allow: string[];
  readonly json?: boolean;
  readonly jsonFile?: string;
  readonly markdownFile?: string;
}

/** --allow, repeatable and comma-separated. */
function allowed(values: readonly string[]): FlagId[] {
  const ids = values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  for (const id of ids) if (!(FLAG_IDS as readonly string[]).includes(id)) throw new UsageError(reviewErrors.unknownFlag(id, FLAG_IDS));
  return ids as FlagId[];
}

/** `tenants review --base <ref>`: what the working tree changes across the fleet, from the synthesized JSON of both sides. */
export function registerReview(program: Command, io: CliIo): void {
  program
    .command('review')
    .description('show what the working tree changes in every tenant\'s stacks against a git ref, flagging destructive and widening changes (no credentials, no state)')
    .requiredOption('--base <ref>', 'the git ref to compare with, e.g. origin/main')
    .option('--allow <flag>', `let a flag through (repeatable, or comma-separated): ${FLAG_IDS.join(', ')}`, (value: string, list: string[]) => [...list, value], [])
    .option('--json', 'print the review as JSON instead of Markdown')
    .option('--json-file <file>', 'also write the JSON review to a file (for CI)')
    .option('--markdown-file <file>', 'also write the Markdown review to a file (a PR comment, a job summary)')
    .addHelpText(
      'after',
      '\nExit codes: 0 nothing flagged, 1 flagged (or a side does not synthesize), 2 usage.\n' +
        'The working tree is synthesized into cdktf.out as npm run synth does; the base in a temporary git worktree.\n\n' +
        'Example (in CI):\n  npx tenants review --base origin/main --json-file review.json --markdown-file review.md',
    )
    .action(async (options: ReviewOptions) => {
      const allow = allowed(options.allow);
      // Both sides share this checkout's synthesis cache (the base links its node_modules, or installs its own).
      const env = { ...io.env, TENANTS_SYNTH_CACHE: io.env.TENANTS_SYNTH_CACHE || DEFAULT_CACHE_DIR };
      let run: Awaited<ReturnType<typeof runReview>>;
      try {
        run = await runReview({ projectRoot: PROJECT_ROOT, base: options.base, tenantsDir: tenantsDir(io.env), serversDir: serversDir(io.env), env, allow });
      } catch (error) {
        if (error instanceof ReviewUsageError) throw new UsageError(error.message);
        throw new CommandFailed(error instanceof Error ? error.message : String(error));
      }
      const { review } = run;
      const exitCode = review.flags.length ? EXIT.failure : EXIT.ok;
      const json = `${JSON.stringify(review, null, 2)}\n`;
      const markdown = reviewMarkdown(review, exitCode);
      if (options.jsonFile) writeFileSync(options.jsonFile, json);
      if (options.markdownFile) writeFileSync(options.markdownFile, markdown);
      io.stdout.write(options.json ? json : markdown);
      if (review.flags.length) {
        throw new CommandFailed(`${review.flags.length} flag${review.flags.length === 1 ? '' : 's'} (${[...new Set(review.flags.map((f) => f.id))].join(', ')}); --allow <flag> lets one through once it is intended`);
      }
    });
}
