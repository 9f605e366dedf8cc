/**
 * The real guard against losing a tenant's data: a check of the Terraform
 * plan (`terraform show -json <planfile>`). `prevent_destroy` only protects a
 * resource that is still in the configuration; this also catches a database
 * that disappeared from it, a replacement forced by a changed collation, and
 * a rename, none of which may happen unless made explicit.
 */

/** Resource types whose loss loses a tenant's data: its PostgreSQL database, RDS instance and key; its MongoDB's DocumentDB cluster, Atlas cluster or container volume. */
export const PROTECTED_TYPES: readonly string[] = ['postgresql_database', 'aws_db_instance', 'aws_kms_key', 'aws_docdb_cluster', 'mongodbatlas_advanced_cluster', 'docker_volume'];

/** The part of Terraform's JSON plan the guard reads. */
export interface PlanJson {
  readonly resource_changes?: readonly {
    readonly address: string;
    readonly type: string;
    readonly change: { readonly actions: readonly string[]; readonly before?: Record<string, unknown> | null; readonly after?: Record<string, unknown> | null };
  }[];
}

/**
 * Why a parsed JSON value is not a plan from `terraform show -json <planfile>`
 * (a state, a `cdk.tf.json`, an empty object), or undefined when it is one.
 * A guard that read anything else would find nothing to refuse.
 */
export function notAPlan(value: unknown): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'it is not a JSON object';
  const plan = value as Record<string, unknown>;
  if (typeof plan.format_version !== 'string') return 'it has no format_version';
  if (!plan.planned_values || typeof plan.planned_values !== 'object') return 'it has no planned_values (a state or configuration, not a plan?)';
  if (plan.resource_changes !== undefined && !Array.isArray(plan.resource_changes)) return 'its resource_changes is not a list';
  return undefined;
}

/** What the plan may do. */
export interface GuardOptions {
  /** The tenant is offboarding: deleting its data resources is expected. */
  readonly offboarding: boolean;
  /** A database rename was asked for explicitly. */
  readonly allowRename: boolean;
  /** @default PROTECTED_TYPES */
  readonly protectedTypes?: readonly string[];
  /**
   * Names (database name, RDS identifier, DocumentDB and Atlas cluster, MongoDB volume) of the tenant the plan is for: a
   * plan touching another tenant's protected resource is refused, whatever
   * this tenant's lifecycle.
   * @default - not checked
   */
  readonly ownNames?: readonly string[];
}

/** A change the guard refuses, with why and how to make it explicit. */
export interface PlanViolation {
  readonly address: string;
  readonly actions: readonly string[];
  readonly reason: string;
}

function nameOf(value: Record<string, unknown> | null | undefined): unknown {
  return value?.name ?? value?.identifier ?? value?.cluster_identifier;
}

/** A change of a protected resource that the options make explicit: a rename with allowRename, a destroy of an offboarding tenant. */
export interface AllowedChange {
  readonly address: string;
  readonly actions: readonly string[];
  /** What happens and what allows it, e.g. `is renamed from "a" to "b" (--allow-rename)`. */
  readonly description: string;
}

/** What a plan does to protected resources: the changes refused, and the changes let through because they were made explicit. */
export interface PlanReview {
  readonly violations: readonly PlanViolation[];
  readonly allowed: readonly AllowedChange[];
}

/** Every change in the plan that would lose or move a tenant's data without being explicit. */
export function checkPlan(plan: PlanJson, options: GuardOptions): PlanViolation[] {
  return [...reviewPlan(plan, options).violations];
}

/** {@link GuardOptions} for {@link reviewPlan}. */
export interface ReviewOptions extends GuardOptions {
  /**
   * The tenant's key, for the description of an allowed destroy.
   * @default "the tenant"
   */
  readonly tenant?: string;
}

/** {@link checkPlan}, and the protected changes it lets through. */
export function reviewPlan(plan: PlanJson, options: ReviewOptions): PlanReview {
  const protectedTypes = options.protectedTypes ?? PROTECTED_TYPES;
  const violations: PlanViolation[] = [];
  const allowed: AllowedChange[] = [];
  const offboarding = `${options.tenant ?? 'the tenant'} is offboarding`;
  for (const change of plan.resource_changes ?? []) {
    if (!protectedTypes.includes(change.type)) continue;
    const { actions, before, after } = change.change;
    const names = [nameOf(before), nameOf(after)].filter((n): n is string => typeof n === 'string');
    const foreign = options.ownNames && names.length && !names.some((n) => options.ownNames?.includes(n));
    if (foreign && !actions.every((a) => a === 'no-op' || a === 'read')) {
      violations.push({
        address: change.address,
        actions,
        reason: `belongs to another tenant ("${names[0]}" is not ${options.ownNames?.map((n) => `"${n}"`).join(' or ')}); check the plan of that tenant's own stack`,
      });
    } else if (actions.includes('delete')) {
      const replaced = actions.includes('create');
      if (options.offboarding) {
        allowed.push({ address: change.address, actions, description: `is ${replaced ? 'replaced' : 'destroyed'} (${offboarding})` });
      } else {
        violations.push({
          address: change.address,
          actions,
          reason: replaced
            ? 'would be replaced (destroyed and created again), losing its data; undo the change that forces it (template, encoding, collation, engine settings)'
            : 'would be destroyed; only an offboarding tenant may lose its data (npx tenants offboard <key>)',
        });
      }
    } else if (actions.includes('update') && before && after && nameOf(before) !== nameOf(after)) {
      const renamed = `renamed from "${String(nameOf(before))}" to "${String(nameOf(after))}"`;
      if (options.allowRename) {
        allowed.push({ address: change.address, actions, description: `is ${renamed} (--allow-rename)` });
      } else {
        violations.push({ address: change.address, actions, reason: `would be ${renamed}, breaking every connection string; pass --allow-rename if that is intended` });
      }
    }
  }
  return { violations, allowed };
}
