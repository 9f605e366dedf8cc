/**
 * IAM policy statements as rules read them, from an `aws_iam_policy_document`
 * data source or from a policy written as literal JSON.
 */
import { blocks, isUnresolved, list } from './policy-rule';

/** One statement, its fields normalized to lists. */
export interface Statement {
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  readonly actions: readonly unknown[];
  readonly notActions: readonly unknown[];
  readonly resources: readonly unknown[];
  readonly notResources: readonly unknown[];
  /** Principals as `<type>:<identifier>`, e.g. `Service:logs.eu-west-1.amazonaws.com`, `AWS:*`. */
  readonly principals: readonly string[];
  /** Conditions as `<test> <variable>`, e.g. `StringEquals kms:ViaService`. */
  readonly conditions: readonly string[];
}

/** Statements of an `aws_iam_policy_document`'s configuration. */
export function documentStatements(config: Readonly<Record<string, unknown>>): Statement[] {
  return blocks(config.statement).map((s) => ({
    ...(typeof s.sid === 'string' && { sid: s.sid }),
    effect: s.effect === 'Deny' ? 'Deny' : 'Allow',
    actions: list(s.actions),
    notActions: list(s.not_actions),
    resources: list(s.resources),
    notResources: list(s.not_resources),
    principals: blocks(s.principals).flatMap((p) => list(p.identifiers).map((id) => `${String(p.type)}:${String(id)}`)),
    conditions: blocks(s.condition).map((c) => `${String(c.test)} ${String(c.variable)}`),
  }));
}

/** Statements of a policy written as JSON text; none when it is a reference or not JSON. */
export function jsonStatements(policy: unknown): Statement[] {
  if (typeof policy !== 'string' || isUnresolved(policy)) return [];
  let parsed: { Statement?: unknown };
  try {
    parsed = JSON.parse(policy) as { Statement?: unknown };
  } catch {
    return [];
  }
  return blocks(parsed.Statement).map((s) => {
    const principal = s.Principal;
    const principals =
      principal === '*'
        ? ['AWS:*']
        : Object.entries((principal as Record<string, unknown> | undefined) ?? {}).flatMap(([type, ids]) => list(ids).map((id) => `${type}:${String(id)}`));
    return {
      ...(typeof s.Sid === 'string' && { sid: s.Sid }),
      effect: s.Effect === 'Deny' ? 'Deny' : 'Allow',
      actions: list(s.Action),
      notActions: list(s.NotAction),
      resources: list(s.Resource),
      notResources: list(s.NotResource),
      principals,
      conditions: Object.entries((s.Condition as Record<string, Record<string, unknown>> | undefined) ?? {}).flatMap(([test, vars]) =>
        Object.keys(vars).map((variable) => `${test} ${variable}`),
      ),
    };
  });
}

/** How a statement is named in findings: its sid, or its position. */
export function statementName(statement: Statement, index: number): string {
  return statement.sid ? `statement "${statement.sid}"` : `statement ${index + 1}`;
}
