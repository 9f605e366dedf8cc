/**
 * What each plan gives a tenant. One table, read by the constructs, the CLI
 * (to explain the plans while onboarding) and the docs.
 */

/** Plans a tenant can be on, cheapest first. */
export const PLANS = ['free', 'starter', 'professional', 'enterprise'] as const;
export type Plan = (typeof PLANS)[number];

/** The resources a plan buys. */
export interface PlanProfile {
  /** Maximum concurrent connections to the tenant's database. */
  readonly connectionLimit: number;
}

/** Plan profiles, as the original system defined them. */
export const PLAN_PROFILES: Readonly<Record<Plan, PlanProfile>> = {
  free: { connectionLimit: 5 },
  starter: { connectionLimit: 10 },
  professional: { connectionLimit: 25 },
  enterprise: { connectionLimit: 50 },
};

/** Whether a value names a plan. */
export function isPlan(value: unknown): value is Plan {
  return typeof value === 'string' && (PLANS as readonly string[]).includes(value);
}
