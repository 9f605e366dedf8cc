/**
 * What a policy rule is and what it reads. Rules are small pure functions of
 * a resource's synthesized configuration, in the manner of cdk-nag: each has
 * an id, a one-line reason and a check that returns findings.
 */
import { Token } from 'cdktf';

/** One resource as a rule sees it. */
export interface ResourceView {
  /** Terraform type, e.g. `aws_db_instance`. */
  readonly type: string;
  /** The resource's arguments as they will be synthesized (snake_case, escape-hatch overrides applied); references are unresolved tokens. */
  readonly config: Readonly<Record<string, unknown>>;
  /** Whether the resource type accepts `tags`. */
  readonly taggable: boolean;
  /** `default_tags` of the stack's AWS provider, which Terraform adds to every taggable resource. */
  readonly defaultTags: Readonly<Record<string, string>>;
}

/** A cdk-nag style rule. */
export interface PolicyRule {
  /** Stable id, used in messages and suppressions, e.g. `RDS-ENCRYPTED`. */
  readonly id: string;
  /** One line: what the rule demands and why. */
  readonly reason: string;
  /** Resource types the rule applies to; `'*'` for every AWS resource. */
  readonly appliesTo: readonly string[] | '*';
  /** What is wrong with the resource; empty when it complies. */
  check(resource: ResourceView): string[];
}

/**
 * Whether a value is a reference Terraform resolves at deploy time, so the
 * rule cannot judge it: a cdktf token, or a Terraform expression written as
 * a string (an escape hatch's `${var.x}`).
 */
export function isUnresolved(value: unknown): boolean {
  if (typeof value === 'string' && value.includes('${')) return true;
  return typeof value === 'string' || typeof value === 'number' || Array.isArray(value) ? Token.isUnresolved(value) : false;
}

/** A nested block: providers synthesize single blocks as objects, repeated ones as lists. */
export function blocks(value: unknown): Record<string, unknown>[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null);
}

/** A finding that an argument has the wrong value (or none). */
export function expected(argument: string, actual: unknown, want: string): string {
  return `${argument} is ${actual === undefined ? 'not set' : JSON.stringify(actual)}, must be ${want}`;
}
