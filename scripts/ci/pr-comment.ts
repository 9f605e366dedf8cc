/**
 * Puts the review on the pull request as one comment, updated on every push: the comment that
 * holds the review's marker is edited, or a new one is made. GitHub's REST API, with the job's
 * token (GITHUB_TOKEN) and the run's GITHUB_API_URL, GITHUB_REPOSITORY and PR_NUMBER.
 *
 *   node --import tsx scripts/ci/pr-comment.ts review.md
 */
import { readFileSync } from 'node:fs';
import { REVIEW_MARKER } from '../../cli/review-markdown';

/** Where and as whom to comment. */
export interface CommentTarget {
  readonly api: string;
  readonly repository: string;
  readonly pullRequest: number;
  readonly token: string;
}

/** What was done: the comment updated or made, by id. */
export interface CommentResult {
  readonly action: 'updated' | 'created';
  readonly id: number;
}

async function call(target: CommentTarget, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${target.api}${path}`, {
    method,
    headers: { authorization: `Bearer ${target.token}`, accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28', 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** Edits the review comment of the pull request, or makes one. */
export async function upsertReviewComment(target: CommentTarget, markdown: string): Promise<CommentResult> {
  const body = markdown.includes(REVIEW_MARKER) ? markdown : `${REVIEW_MARKER}\n${markdown}`;
  const base = `/repos/${target.repository}/issues`;
  for (let page = 1; ; page++) {
    const comments = (await call(target, 'GET', `${base}/${target.pullRequest}/comments?per_page=100&page=${page}`)) as { id: number; body?: string }[];
    const existing = comments.find((c) => c.body?.includes(REVIEW_MARKER));
    if (existing) {
      await call(target, 'PATCH', `${base}/comments/${existing.id}`, { body });
      return { action: 'updated', id: existing.id };
    }
    if (comments.length < 100) break;
  }
  const created = (await call(target, 'POST', `${base}/${target.pullRequest}/comments`, { body })) as { id: number };
  return { action: 'created', id: created.id };
}

if (require.main === module) {
  const { GITHUB_API_URL, GITHUB_REPOSITORY, PR_NUMBER, GITHUB_TOKEN } = process.env;
  const file = process.argv[2];
  if (!file || !GITHUB_REPOSITORY || !PR_NUMBER || !GITHUB_TOKEN) {
    process.stderr.write('usage: GITHUB_TOKEN=… GITHUB_REPOSITORY=owner/repo PR_NUMBER=n node --import tsx scripts/ci/pr-comment.ts <review.md>\n');
    process.exit(2);
  }
  upsertReviewComment({ api: GITHUB_API_URL ?? 'https://api.github.com', repository: GITHUB_REPOSITORY, pullRequest: Number(PR_NUMBER), token: GITHUB_TOKEN }, readFileSync(file, 'utf8'))
    .then((result) => process.stdout.write(`${result.action} comment ${result.id}\n`))
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    });
}
