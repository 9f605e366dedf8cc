/**
 * The review of a change to the fleet: both sides' synthesized stacks
 * compared stack by stack, the tenants and stacks that change, per stack the
 * elements added, changed (with their changed attributes, secrets never
 * shown) and removed, the schema migrations added or edited, and the flags
 * a reviewer must see first. Pure: the caller reads the files.
 */
import { type AttributeChange, attributeChanges } from './attribute-diff';
import { FLAG_IDS, type Flag, type FlagId, type Lifecycles, stackFlags } from './flags';
import { keyAttributes } from './key-attributes';
import { flagMessages } from './messages';
import { sensitiveElement } from './redact';
import { type StackDiff, diffStack } from './stack-diff';
import { type StackDocument, resolveNames, tenantOfStack } from './stack-document';

/** One side of the review: every stack's `cdk.tf.json` text, by stack name. */
export interface SynthesizedFleet {
  readonly stacks: ReadonlyMap<string, string>;
}

/** One migration file of one side. */
export interface MigrationFileSummary {
  /** The file name, e.g. `0006.do.add_gift_cards.sql`. */
  readonly file: string;
  /** Its version number. */
  readonly version: number;
  /** The checksum the runner records (ops/migration-files.ts migrationChecksum). */
  readonly md5: string;
}

/** How the schema migrations changed. */
export interface MigrationChanges {
  readonly added: readonly string[];
  readonly edited: readonly string[];
  readonly removed: readonly string[];
}

/** An element added or removed, with the attributes that say what it is. */
export interface ElementSummary {
  readonly address: string;
  readonly attributes: Record<string, unknown>;
}

/** An element changed, with its changed attributes. */
export interface ElementChange {
  readonly address: string;
  readonly attributes: readonly AttributeChange[];
}

/** The review of one stack that differs. */
export interface StackReview {
  readonly stack: string;
  readonly tenant: string;
  readonly status: 'added' | 'removed' | 'changed';
  readonly added: readonly ElementSummary[];
  readonly changed: readonly ElementChange[];
  readonly removed: readonly ElementSummary[];
}

/** A tenant with stacks that differ. */
export interface TenantReview {
  readonly tenant: string;
  /** Every stack of the tenant is new, every one is gone, or some change. */
  readonly status: 'added' | 'removed' | 'changed';
  readonly offboarding: boolean;
  readonly stacks: readonly string[];
}

/** The whole review, as `tenants review --json` prints it. */
export interface FleetReview {
  readonly base: string;
  readonly head: string;
  /** Flags not allowed: the review exits 1 when there is any. */
  readonly flags: readonly Flag[];
  /** Flags let through by --allow. */
  readonly allowed: readonly Flag[];
  /** Destroys and unprotections of tenants that are offboarding: expected, listed, not flagged. */
  readonly expected: readonly Flag[];
  readonly tenants: readonly TenantReview[];
  readonly stacks: readonly StackReview[];
  readonly migrations: MigrationChanges;
  /** Stacks on both sides that are the same. */
  readonly unchangedStacks: number;
  /**
   * Files of the platform's code the working tree changes against the base (anything but tenant
   * and server files, migrations, snapshots and documentation). The review, and the synthesis it
   * compares, run that code: a change to it is for a person to read, whatever the review says.
   */
  readonly platformCode?: readonly string[];
}

/** How the migrations of the base and the working tree differ, by version. */
export function compareMigrations(base: readonly MigrationFileSummary[], head: readonly MigrationFileSummary[]): MigrationChanges {
  const byVersion = new Map(head.map((m) => [m.version, m]));
  const baseVersions = new Set(base.map((m) => m.version));
  return {
    added: head.filter((m) => !baseVersions.has(m.version)).map((m) => m.file),
    edited: base.filter((m) => byVersion.get(m.version)?.file === m.file && byVersion.get(m.version)?.md5 !== m.md5).map((m) => m.file),
    removed: base.filter((m) => byVersion.get(m.version)?.file !== m.file).map((m) => m.file),
  };
}

/** The review's view of one differing stack, for people and --json. */
function stackReview(diff: StackDiff): StackReview {
  const summary = (element: NonNullable<StackDiff['diffs'][number]['before']>, elements: StackDiff['before']): ElementSummary => ({
    address: element.address,
    attributes: keyAttributes(element, elements),
  });
  return {
    stack: diff.stack,
    tenant: tenantOfStack(diff.stack),
    status: diff.status,
    added: diff.diffs.filter((d) => d.change === 'added' && d.after).map((d) => summary(d.after!, diff.after)),
    changed: diff.diffs
      .filter((d) => d.change === 'changed' && d.before && d.after)
      .map((d) => ({
        address: d.address,
        attributes: attributeChanges(
          resolveNames(d.before!.body, diff.before) as Record<string, unknown>,
          resolveNames(d.after!.body, diff.after) as Record<string, unknown>,
          sensitiveElement(d.after!.block, d.before!.body) || sensitiveElement(d.after!.block, d.after!.body),
        ),
      })),
    removed: diff.diffs.filter((d) => d.change === 'removed' && d.before).map((d) => summary(d.before!, diff.before)),
  };
}

/** Options of {@link reviewFleet}. */
export interface ReviewOptions {
  /** What the base is called (the ref given), and the working tree. */
  readonly base: string;
  readonly head: string;
  readonly lifecycles: Lifecycles;
  readonly migrations: MigrationChanges;
  /** Flags to let through. @default none */
  readonly allow?: readonly FlagId[];
}

/** Compares the two sides stack by stack. Stacks whose text is the same are not parsed. */
export function reviewFleet(base: SynthesizedFleet, head: SynthesizedFleet, options: ReviewOptions): FleetReview {
  const names = [...new Set([...base.stacks.keys(), ...head.stacks.keys()])].sort();
  const parse = (text: string | undefined): StackDocument | undefined => (text === undefined ? undefined : (JSON.parse(text) as StackDocument));
  const diffs: StackDiff[] = [];
  let unchangedStacks = 0;
  for (const name of names) {
    const [a, b] = [base.stacks.get(name), head.stacks.get(name)];
    if (a !== undefined && a === b) {
      unchangedStacks++;
      continue;
    }
    const diff = diffStack(name, parse(a), parse(b));
    if (diff) diffs.push(diff);
    else unchangedStacks++;
  }

  const raised: Flag[] = [];
  const expected: Flag[] = [];
  for (const diff of diffs) {
    const { flags, expected: offboarding } = stackFlags(diff, options.lifecycles);
    raised.push(...flags);
    expected.push(...offboarding);
  }
  for (const file of options.migrations.edited) raised.push({ id: 'migration-edited', message: flagMessages.migrationEdited(file) });
  for (const file of options.migrations.removed) raised.push({ id: 'migration-edited', message: flagMessages.migrationRemoved(file) });
  raised.sort((x, y) => FLAG_IDS.indexOf(x.id) - FLAG_IDS.indexOf(y.id));

  const byTenant = new Map<string, StackDiff[]>();
  for (const diff of diffs) byTenant.set(tenantOfStack(diff.stack), [...(byTenant.get(tenantOfStack(diff.stack)) ?? []), diff]);
  const tenantsOf = (fleet: SynthesizedFleet) => new Set([...fleet.stacks.keys()].map(tenantOfStack));
  const [baseTenants, headTenants] = [tenantsOf(base), tenantsOf(head)];
  const tenants: TenantReview[] = [...byTenant.entries()].map(([tenant, stacks]) => ({
    tenant,
    status: !baseTenants.has(tenant) ? 'added' : !headTenants.has(tenant) ? 'removed' : 'changed',
    offboarding: options.lifecycles.head.has(tenant) || options.lifecycles.base.has(tenant),
    stacks: stacks.map((s) => s.stack),
  }));

  const allow = new Set(options.allow ?? []);
  return {
    base: options.base,
    head: options.head,
    flags: raised.filter((f) => !allow.has(f.id)),
    allowed: raised.filter((f) => allow.has(f.id)),
    expected,
    tenants,
    stacks: diffs.map(stackReview),
    migrations: options.migrations,
    unchangedStacks,
  };
}
