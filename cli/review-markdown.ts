/**
 * The fleet review as Markdown, for a pull request comment or a job summary:
 * the flags first, then which tenants and stacks change, then each stack's
 * added, changed and removed resources in a collapsed section. It stays
 * under GitHub's comment limit: past {@link MARKDOWN_BUDGET} characters the
 * remaining stacks are only named (the --json report has them all).
 */
import type { FleetReview, StackReview } from '../ops/review/fleet-review';
import { FLAG_DESCRIPTIONS, type Flag } from '../ops/review/flags';

/** GitHub refuses comments over 65,536 characters; leave room for the rest of the page. */
export const MARKDOWN_BUDGET = 60_000;

/** The marker the CI workflow finds its own comment by, to update it rather than add another. */
export const REVIEW_MARKER = '<!-- tenants-review -->';

/** More changed code files than this are counted, not named. */
const PLATFORM_CODE_LIMIT = 15;

/** More tenants than this are listed in a line, not a table. */
const TABLE_LIMIT = 50;

const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function flagTable(flags: readonly Flag[]): string[] {
  return ['| flag | tenant | what |', '| --- | --- | --- |', ...flags.map((f) => `| ${code(f.id)} | ${f.tenant ? code(f.tenant) : 'fleet'} | ${cell(f.message)} |`)];
}

function attributesLine(attributes: Record<string, unknown>): string {
  const parts = Object.entries(attributes).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  const text = parts.join(', ');
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

/** One stack's section. */
function stackSection(stack: StackReview): string {
  const counts = [stack.added.length && `${stack.added.length} added`, stack.changed.length && `${stack.changed.length} changed`, stack.removed.length && `${stack.removed.length} removed`]
    .filter(Boolean)
    .join(', ');
  const title = `${code(stack.stack)}${stack.status === 'changed' ? '' : ` (stack ${stack.status})`}: ${counts || 'settings only'}`;
  const lines = [`<details><summary>${title.replace(/`([^`]*)`/g, '<code>$1</code>')}</summary>`, ''];
  for (const element of stack.changed) {
    lines.push(`- changed ${code(element.address)}`);
    for (const a of element.attributes) lines.push(`  - ${code(a.path)}: ${a.sensitive ? 'sensitive value changed' : `${cell(a.before)} → ${cell(a.after)}`}`);
  }
  for (const element of stack.added) lines.push(`- added ${code(element.address)}${Object.keys(element.attributes).length ? ` ${cell(attributesLine(element.attributes))}` : ''}`);
  for (const element of stack.removed) lines.push(`- removed ${code(element.address)}${Object.keys(element.attributes).length ? ` ${cell(attributesLine(element.attributes))}` : ''}`);
  lines.push('', '</details>', '');
  return lines.join('\n');
}

/** The review as Markdown. */
export function reviewMarkdown(review: FleetReview, exitCode: number): string {
  const out: string[] = [REVIEW_MARKER, `## Fleet review: ${code(review.base)} → ${review.head}`, ''];
  if (review.flags.length) {
    out.push(`**⛔ ${plural(review.flags.length, 'flag')}**: the review fails (exit ${exitCode}). Fix what is flagged, or once it is intended let it through with \`--allow <flag>\`.`, '');
    out.push(...flagTable(review.flags), '');
  } else {
    out.push('**✅ Nothing flagged.**', '');
  }
  const platformCode = review.platformCode ?? [];
  if (platformCode.length) {
    const shown = platformCode.slice(0, PLATFORM_CODE_LIMIT).map(code).join(', ');
    const more = platformCode.length > PLATFORM_CODE_LIMIT ? ` and ${platformCode.length - PLATFORM_CODE_LIMIT} more` : '';
    out.push(
      `**⚠️ This pull request changes the platform's code** (${plural(platformCode.length, 'file')}: ${shown}${more}). This review and the synthesis it compares run that code, so read the change itself: no review can vouch for the code that computes it.`,
      '',
    );
  }
  if (review.allowed.length) out.push(`Let through with --allow (${plural(review.allowed.length, 'flag')}):`, '', ...flagTable(review.allowed), '');
  if (review.expected.length) out.push(`Expected, as the tenant is offboarding (${review.expected.length}):`, '', ...review.expected.map((f) => `- ${code(f.tenant ?? '')}: ${f.message}`), '');

  const stacks = review.stacks;
  const count = (status: StackReview['status']) => stacks.filter((s) => s.status === status).length;
  out.push(
    review.tenants.length
      ? `**${plural(review.tenants.length, 'tenant')} change** (${['added', 'changed', 'removed'].map((s) => `${review.tenants.filter((t) => t.status === s).length} ${s}`).join(', ')}); ` +
          `stacks: ${count('changed')} changed, ${count('added')} added, ${count('removed')} removed, ${review.unchangedStacks} unchanged.`
      : `**No stack changes** (${plural(review.unchangedStacks, 'stack')} unchanged).`,
    '',
  );
  const { added, edited, removed } = review.migrations;
  if (added.length || edited.length || removed.length) {
    out.push(`Migrations: ${[added.length && `added ${added.map(code).join(', ')}`, edited.length && `edited ${edited.map(code).join(', ')}`, removed.length && `removed ${removed.map(code).join(', ')}`].filter(Boolean).join('; ')}.`, '');
  }
  if (review.tenants.length > TABLE_LIMIT) {
    out.push(`Tenants: ${review.tenants.map((t) => `${code(t.tenant)}${t.status === 'changed' ? '' : ` (${t.status})`}`).join(', ')}`, '');
  } else if (review.tenants.length) {
    out.push('| tenant | change | stacks | added | changed | removed |', '| --- | --- | --- | --- | --- | --- |');
    for (const t of review.tenants) {
      const own = stacks.filter((s) => s.tenant === t.tenant);
      const sum = (pick: (s: StackReview) => number) => own.reduce((n, s) => n + pick(s), 0);
      out.push(
        `| ${code(t.tenant)} | ${t.status}${t.offboarding ? ' (offboarding)' : ''} | ${t.stacks.map(code).join(', ')} | ${sum((s) => s.added.length)} | ${sum((s) => s.changed.length)} | ${sum((s) => s.removed.length)} |`,
      );
    }
    out.push('');
  }
  if (stacks.length) out.push('### Per stack', '');
  let text = out.join('\n');
  const omitted: string[] = [];
  for (const stack of stacks) {
    const section = stackSection(stack);
    if (omitted.length || text.length + section.length > MARKDOWN_BUDGET) omitted.push(stack.stack);
    else text += `\n${section}`;
  }
  if (omitted.length) text += `\n…and ${plural(omitted.length, 'more stack')} (${omitted.slice(0, 20).map(code).join(', ')}${omitted.length > 20 ? ', …' : ''}): see the --json report.\n`;
  const legend = Object.entries(FLAG_DESCRIPTIONS).map(([id, description]) => `- ${code(id)}: ${description}`);
  return `${text}\n<details><summary>What each flag means</summary>\n\n${legend.join('\n')}\n\n</details>\n`;
}
