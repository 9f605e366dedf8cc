/**
 * What the workflows take from a review (`tenants review --json-file review.json`), written
 * to $GITHUB_OUTPUT:
 *
 * - `stack-paths`: the synthesized stacks that are added or changed (cdktf.out/stacks/<stack>),
 *   one a line, for the pull request's artifact;
 * - `tenants`: the tenants that change, comma-separated;
 * - `canary` and `rest`: the deploy matrices (`{ include: [{ tenant, stacks, password }] }`, stacks in
 *   deploy order, removed ones left out: removing never destroys; `password` the name of the
 *   secret holding the admin password of the tenant's server, PGPASSWORD or PGPASSWORD_<NAME>
 *   (servers/<name>.ts), empty for a tenant on its own RDS instance or a MongoDB tenant), the canary being
 *   CANARY_TENANT when it changed, else the first changed tenant; `has-canary`, `has-rest`.
 *
 *   node --import tsx scripts/ci/review-outputs.ts review.json
 */
import { appendFileSync, readFileSync } from 'node:fs';
import type { FleetReview } from '../../ops/review/fleet-review';
import { loadRegistry, placedOn, tenantsDir } from '../../tenants/registry';

/** One job of the deploy matrix. */
export interface DeployJob {
  readonly tenant: string;
  /** Its stacks to deploy, space-separated, in deploy order. */
  readonly stacks: string;
  /** The secret (and environment variable) of its server's admin password; empty when it has no server of the fleet. */
  readonly password: string;
}

/** A stack's place in a tenant's deploy order: network, database, the tenant's own, then app or k8s. */
function deployRank(stack: string, tenant: string): number {
  return ['-network', '-database', '', '-app', '-k8s'].indexOf(stack.slice(tenant.length));
}

/** The deploy matrices: the canary alone, then the rest; `passwords` by tenant key (see {@link DeployJob.password}). */
export function deployMatrix(review: FleetReview, canary?: string, passwords: ReadonlyMap<string, string> = new Map()): { canary: DeployJob[]; rest: DeployJob[] } {
  const jobs = review.tenants
    .map((t) => ({
      tenant: t.tenant,
      stacks: review.stacks
        .filter((s) => s.tenant === t.tenant && s.status !== 'removed')
        .map((s) => s.stack)
        .sort((a, b) => deployRank(a, t.tenant) - deployRank(b, t.tenant))
        .join(' '),
      password: passwords.get(t.tenant) ?? '',
    }))
    .filter((job) => job.stacks)
    .sort((a, b) => a.tenant.localeCompare(b.tenant));
  const first = jobs.find((job) => job.tenant === canary) ?? jobs[0];
  return { canary: first ? [first] : [], rest: jobs.filter((job) => job !== first) };
}

/** The synthesized stacks a pull request adds or changes, as paths in the checkout. */
export function changedStackPaths(review: FleetReview): string[] {
  return review.stacks.filter((s) => s.status !== 'removed').map((s) => `cdktf.out/stacks/${s.stack}`);
}

/** The secret of each tenant's server admin password, from the registry of the checkout (a tenant on its own RDS instance, or a MongoDB tenant, has none). */
export function serverPasswords(dir: string = tenantsDir()): Map<string, string> {
  const registry = loadRegistry(dir);
  return new Map(registry.tenants.map((t) => [t.key, placedOn(registry.servers, t)?.passwordVariable ?? '']));
}

/** `name=value` lines for $GITHUB_OUTPUT; a value of several lines between delimiters. */
export function githubOutput(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([name, value]) => (value.includes('\n') ? `${name}<<EOF_${name.toUpperCase()}\n${value}\nEOF_${name.toUpperCase()}\n` : `${name}=${value}\n`))
    .join('');
}

/** Every output of a review. */
export function reviewOutputs(review: FleetReview, canary?: string, passwords?: ReadonlyMap<string, string>): Record<string, string> {
  const matrix = deployMatrix(review, canary, passwords);
  return {
    'stack-paths': changedStackPaths(review).join('\n'),
    tenants: review.tenants.map((t) => t.tenant).join(','),
    canary: JSON.stringify({ include: matrix.canary }),
    rest: JSON.stringify({ include: matrix.rest }),
    'has-canary': String(matrix.canary.length > 0),
    'has-rest': String(matrix.rest.length > 0),
  };
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: node --import tsx scripts/ci/review-outputs.ts <review.json>\n');
    process.exit(2);
  }
  const review = JSON.parse(readFileSync(file, 'utf8')) as FleetReview;
  const text = githubOutput(reviewOutputs(review, process.env.CANARY_TENANT || undefined, serverPasswords()));
  if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, text);
  else process.stdout.write(text);
}
