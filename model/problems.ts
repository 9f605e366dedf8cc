/**
 * The shape of every problem with a user's input, whichever layer finds it:
 * where (file and field), the value received, the rule and how to fix it,
 * and the error that carries all of them at once. Each layer's own messages
 * live beside it (tenants/registry/messages.ts, model/state-config.ts, ...).
 */

/** One thing wrong with the input, before it is formatted. */
export interface Problem {
  /** Tenant file relative to the project, e.g. `tenants/acme.ts`. */
  readonly file: string;
  /** Field path inside the tenant, e.g. `people.admins[0].email`; empty for the file itself. */
  readonly field: string;
  /** The value received; `undefined` when it is missing. */
  readonly value: unknown;
  /** The rule and the fix, e.g. `must be one of free, starter`. */
  readonly rule: string;
}

/** Renders a value the way the user wrote it. */
export function showValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  const json = JSON.stringify(value);
  return json === undefined ? String(value) : json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

/** `tenants/acme.ts: database.name "Acme-DB" must match …` */
export function formatProblem(problem: Problem): string {
  const where = problem.field ? `${problem.file}: ${problem.field}` : problem.file;
  return problem.value === undefined ? `${where} ${problem.rule}` : `${where} ${showValue(problem.value)} ${problem.rule}`;
}

/** Thrown when the input holds problems; carries all of them. `main.ts` and the CLI print it and exit 1. */
export class ProblemsError extends Error {
  constructor(
    subject: string,
    readonly problems: readonly Problem[],
  ) {
    super(
      `${subject} has ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was synthesized or written:\n` +
        problems.map((p) => `  - ${formatProblem(p)}`).join('\n'),
    );
    this.name = 'ProblemsError';
  }
}
