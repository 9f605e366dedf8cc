/**
 * What a policy rule is and what it reads. Rules are small pure functions of
 * one element's synthesized configuration (and, where a control spans
 * several elements, of the other elements of its stack), in the manner of
 * cdk-nag: each has an id, a one-line reason and a check that returns findings.
 */
import { Token } from 'cdktf';

/** One resource or data source, of any provider, as a rule sees it. */
export interface ResourceView {
  /** A resource, or a data source (an IAM policy document is one). */
  readonly kind: 'resource' | 'data';
  /** Terraform type, e.g. `aws_db_instance`, `docker_container`, `aws_iam_policy_document`. */
  readonly type: string;
  /** Terraform address inside its stack, e.g. `aws_vpc.Vpc_Vpc_1A2B3C4D` or `data.aws_iam_policy_document.Permissions_1A2B3C4D`. */
  readonly address: string;
  /** The arguments as they will be synthesized (snake_case, escape-hatch overrides applied); references are unresolved tokens. */
  readonly config: Readonly<Record<string, unknown>>;
  /** Whether the resource type accepts `tags`. */
  readonly taggable: boolean;
  /** `default_tags` of the stack's AWS provider, which Terraform adds to every taggable AWS resource. */
  readonly defaultTags: Readonly<Record<string, string>>;
}

/**
 * What a rule may look up besides the element it checks: controls such as
 * "every VPC has a flow log" or "every bucket blocks public access" are
 * separate resources that refer to the one checked.
 */
export interface PolicyContext {
  /** Every resource and data source of the checked element's stack. */
  readonly elements: readonly ResourceView[];
  /** A value as Terraform reads it in this stack: a reference becomes `${aws_vpc.Vpc_Vpc_1A2B3C4D.id}`. */
  resolve(value: unknown): unknown;
  /** Every resource of a type, in every stack of the app (the database servers whose port a security group must not open). */
  acrossStacks(type: string): readonly ResourceView[];
}

/** A cdk-nag style rule. */
export interface PolicyRule {
  /** Stable id, used in messages and suppressions, e.g. `RDS-ENCRYPTED`. */
  readonly id: string;
  /** One line: what the rule demands and why. */
  readonly reason: string;
  /** Terraform types the rule applies to (resources and data sources alike); `'*'` for every element. */
  readonly appliesTo: readonly string[] | '*';
  /**
   * `error` fails synthesis; `warning` is shown (by `cdktf synth` and in the
   * manifest) and lets it pass.
   * @default "error"
   */
  readonly level?: 'error' | 'warning';
  /** What is wrong with the element; empty when it complies. */
  check(element: ResourceView, context: PolicyContext): string[];
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

/** A list argument as a list (a single value becomes a list of one; nothing, an empty list). */
export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
}

/** A finding that an argument has the wrong value (or none). */
export function expected(argument: string, actual: unknown, want: string): string {
  return `${argument} is ${actual === undefined ? 'not set' : JSON.stringify(actual)}, must be ${want}`;
}

/** `${aws_vpc.Vpc_Vpc_1A2B3C4D.id}` → `aws_vpc.Vpc_Vpc_1A2B3C4D`: every address a resolved value refers to. */
export function addressesIn(resolved: unknown): string[] {
  const text = typeof resolved === 'string' ? resolved : JSON.stringify(resolved ?? null);
  const expressions = [...text.matchAll(/\$\{([\s\S]*?)\}/g)].map((m) => m[1]);
  return expressions.flatMap((expression) => [...expression.matchAll(/(?<![\w.])((?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_-]*)\.[a-z_]/g)].map((m) => m[1]));
}

/** The element of the stack a value refers to (the first reference in it), if it is in the stack. */
export function referenced(context: PolicyContext, value: unknown): ResourceView | undefined {
  const [address] = addressesIn(context.resolve(value));
  return address === undefined ? undefined : context.elements.find((e) => e.address === address);
}

/** Elements of the stack, of one of the types, whose argument refers to the element. */
export function referrers(context: PolicyContext, element: ResourceView, types: readonly string[], argument: string): ResourceView[] {
  return context.elements.filter((e) => types.includes(e.type) && addressesIn(context.resolve(e.config[argument])).includes(element.address));
}
