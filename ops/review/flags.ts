/**
 * What a reviewer must look at before a pull request merges, read off the
 * synthesized JSON of both sides (no plan, no state): data that Terraform
 * would destroy, protection turned off, grants widened, a state that moves,
 * and a shipped migration edited. Each flag has an id that `--allow <id>`
 * names to let it through. Destroying and unprotecting a tenant that is
 * offboarding is what offboarding is for: it is listed, not flagged.
 *
 * Which attributes force a replacement is the providers' (cyrilgdn/postgresql
 * 1.26, hashicorp/aws 5.x) `ForceNew` set for the types below; a moved
 * address is a destroy and a create for any type.
 */
import { PROTECTED_TYPES } from '../plan-guard';
import { display } from './redact';
import { flagMessages } from './messages';
import type { ElementDiff, StackDiff } from './stack-diff';
import { type StackElement, resolveRoleName, tenantOfStack } from './stack-document';

/** Every flag, in the order a review lists them. */
export const FLAG_IDS = ['database-destroyed', 'role-destroyed', 'data-destroyed', 'protection-off', 'grants-widened', 'state-moved', 'server-changed', 'migration-edited'] as const;

/** A flag's id. */
export type FlagId = (typeof FLAG_IDS)[number];

/** What each flag means, for help texts and the review's legend. */
export const FLAG_DESCRIPTIONS: Readonly<Record<FlagId, string>> = {
  'database-destroyed': 'a database, RDS instance, DocumentDB or Atlas cluster or KMS key is destroyed, replaced or renamed (a removed tenant, a changed name, collation or engine) in a tenant that is not offboarding',
  'role-destroyed': 'a PostgreSQL role is destroyed, replaced or renamed in a tenant that is not offboarding (a person removed loses their login)',
  'data-destroyed': 'another resource that holds data (a schema, a bucket, a secret, a log group) is destroyed or replaced in a tenant that is not offboarding',
  'protection-off': 'prevent_destroy, deletion or termination protection or the final snapshot is turned off in a tenant that is not offboarding',
  'grants-widened': 'a role gains privileges (or the same privileges on a wider target), a membership, a role attribute or the ownership of a database or schema it did not have',
  'state-moved': "a tenant's state location (backend) changes",
  'server-changed': "a tenant's PostgreSQL server (the provider's host or port) changes: without `tenants move` first, its database would be created empty there",
  'migration-edited': 'a shipped migration is edited, renamed or removed rather than a new one added',
};

/** One flag. */
export interface Flag {
  readonly id: FlagId;
  /** The tenant it concerns; absent for the whole fleet (a migration). */
  readonly tenant?: string;
  readonly stack?: string;
  readonly address?: string;
  readonly message: string;
}

/** What a type is, in messages. */
const WHAT: Readonly<Record<string, string>> = {
  postgresql_database: 'database',
  aws_db_instance: 'RDS instance',
  aws_kms_key: 'KMS key',
  postgresql_role: 'role',
  postgresql_schema: 'schema',
  aws_s3_bucket: 'bucket',
  aws_secretsmanager_secret: 'secret',
  aws_cloudwatch_log_group: 'log group',
  docker_volume: 'volume',
  aws_docdb_cluster: 'DocumentDB cluster',
  mongodbatlas_advanced_cluster: 'Atlas cluster',
};

/** Resources whose loss loses data, by flag. */
const DESTROY_FLAG: Readonly<Record<string, FlagId>> = {
  ...Object.fromEntries(PROTECTED_TYPES.map((type) => [type, 'database-destroyed' as const])),
  postgresql_role: 'role-destroyed',
  postgresql_schema: 'data-destroyed',
  aws_s3_bucket: 'data-destroyed',
  aws_secretsmanager_secret: 'data-destroyed',
  aws_cloudwatch_log_group: 'data-destroyed',
  docker_volume: 'data-destroyed',
};

/** Attributes whose change replaces the resource (ForceNew), and those that rename it in place. */
const REPLACED_BY: Readonly<Record<string, { readonly replace: readonly string[]; readonly rename: readonly string[] }>> = {
  postgresql_database: { replace: ['template', 'encoding', 'lc_collate', 'lc_ctype'], rename: ['name'] },
  postgresql_role: { replace: [], rename: ['name'] },
  postgresql_schema: { replace: ['database'], rename: ['name'] },
  aws_db_instance: {
    replace: ['identifier', 'identifier_prefix', 'engine', 'db_name', 'username', 'kms_key_id', 'storage_encrypted', 'character_set_name', 'nchar_character_set_name', 'timezone', 'availability_zone', 'snapshot_identifier', 'custom_iam_instance_profile'],
    rename: [],
  },
  aws_kms_key: { replace: ['customer_master_key_spec', 'key_usage', 'multi_region', 'custom_key_store_id', 'xks_key_id'], rename: [] },
  aws_s3_bucket: { replace: ['bucket', 'bucket_prefix', 'object_lock_enabled'], rename: [] },
  aws_secretsmanager_secret: { replace: ['name', 'name_prefix'], rename: [] },
  aws_cloudwatch_log_group: { replace: ['name', 'name_prefix'], rename: [] },
  docker_volume: { replace: ['name', 'driver', 'driver_opts'], rename: [] },
  aws_docdb_cluster: {
    replace: ['cluster_identifier', 'cluster_identifier_prefix', 'engine', 'master_username', 'kms_key_id', 'storage_encrypted', 'snapshot_identifier', 'db_subnet_group_name', 'availability_zones'],
    rename: [],
  },
  mongodbatlas_advanced_cluster: { replace: ['project_id', 'name'], rename: [] },
};

/** Per type, the attributes that protect it: turned off (or, for a final snapshot, skipped), the next destroy loses its data. */
const PROTECTION_ATTRIBUTES: Readonly<Record<string, readonly { readonly attribute: string; readonly on: boolean }[]>> = {
  aws_db_instance: [
    { attribute: 'deletion_protection', on: true },
    { attribute: 'skip_final_snapshot', on: false },
  ],
  aws_docdb_cluster: [
    { attribute: 'deletion_protection', on: true },
    { attribute: 'skip_final_snapshot', on: false },
  ],
  mongodbatlas_advanced_cluster: [{ attribute: 'termination_protection_enabled', on: true }],
};

/** Types whose `owner` makes a role the owner of what holds the tenant's data. */
const OWNED_TYPES: Readonly<Record<string, string>> = { postgresql_database: 'database', postgresql_schema: 'schema' };

/** Role attributes that widen what a role may do when they turn on. */
const WIDENING_ROLE_ATTRIBUTES = ['superuser', 'create_database', 'create_role', 'replication', 'bypass_row_level_security'];

/** What a review knows about each tenant's lifecycle. */
export interface Lifecycles {
  /** Tenants offboarding in the base. */
  readonly base: ReadonlySet<string>;
  /** Tenants offboarding in the working tree. */
  readonly head: ReadonlySet<string>;
}

/** The flags of one stack, and the destructive changes that are expected because its tenant is offboarding. */
export interface StackFlags {
  readonly flags: Flag[];
  readonly expected: Flag[];
}

/** A provider's one configuration (cdktf writes a list; an alias would make more). */
const asConfig = (configurations: unknown): Record<string, unknown> => (Array.isArray(configurations) && configurations[0] && typeof configurations[0] === 'object' ? (configurations[0] as Record<string, unknown>) : {});

const nameOf = (element: StackElement | undefined): unknown => element?.body.name ?? element?.body.identifier ?? element?.body.bucket;
const setOf = (value: unknown): Set<string> => new Set(Array.isArray(value) ? value.map(String) : []);
const gained = (before: unknown, after: unknown): string[] => [...setOf(after)].filter((p) => !setOf(before).has(p)).sort();

/** The flags raised by one stack's differences. */
export function stackFlags(diff: StackDiff, lifecycles: Lifecycles): StackFlags {
  const tenant = tenantOfStack(diff.stack);
  const offboarding = lifecycles.head.has(tenant) || (diff.status === 'removed' && lifecycles.base.has(tenant));
  const result: StackFlags = { flags: [], expected: [] };
  const raise = (id: FlagId, address: string, message: string, destructive: boolean) =>
    (destructive && offboarding ? result.expected : result.flags).push({ id, tenant, stack: diff.stack, address, message });

  const added = diff.diffs.filter((d) => d.change === 'added');
  for (const d of diff.diffs) {
    const element = (d.before ?? d.after) as StackElement;
    const destroyFlag = DESTROY_FLAG[element.type];
    if (d.change === 'removed' && destroyFlag && element.block === 'resource') {
      const what = WHAT[element.type] ?? element.type;
      const movedTo = added.find((a) => a.after?.type === element.type && nameOf(a.after) !== undefined && nameOf(a.after) === nameOf(d.before));
      if (movedTo) raise(destroyFlag, d.address, flagMessages.moved(what, d.address, movedTo.address), true);
      else {
        const why = diff.status === 'removed' ? `the stack ${diff.stack} is no longer synthesized: its tenant was removed` : 'it is no longer in the configuration';
        raise(destroyFlag, d.address, flagMessages.destroyed(what, d.address, why), true);
      }
    }
    if (d.change !== 'changed' || !d.before || !d.after) continue;
    const [before, after] = [d.before.body, d.after.body];
    const replacing = REPLACED_BY[element.type];
    if (destroyFlag && replacing) {
      const what = WHAT[element.type] ?? element.type;
      for (const attribute of replacing.replace) {
        if (JSON.stringify(before[attribute]) !== JSON.stringify(after[attribute])) {
          raise(destroyFlag, d.address, flagMessages.replaced(what, d.address, attribute, display(before[attribute]), display(after[attribute])), true);
        }
      }
      for (const attribute of replacing.rename) {
        if (JSON.stringify(before[attribute]) !== JSON.stringify(after[attribute])) {
          raise(destroyFlag, d.address, flagMessages.renamed(what, d.address, display(before[attribute]), display(after[attribute])), true);
        }
      }
    }
    protection(d, before, after, raise);
    widening(d, diff, raise);
    if (element.block === 'provider' && element.type === 'postgresql') {
      const server = (body: Record<string, unknown>) => {
        const config = asConfig(body.configurations);
        return config.host === undefined ? 'the default server (PGHOST)' : `${String(config.host)}:${String(config.port ?? 5432)}`;
      };
      if (server(before) !== server(after)) {
        result.flags.push({ id: 'server-changed', tenant, stack: diff.stack, address: d.address, message: flagMessages.serverChanged(diff.stack, server(before), server(after)) });
      }
    }
    if (element.block === 'terraform' && element.type === 'backend') {
      result.flags.push({ id: 'state-moved', tenant, stack: diff.stack, address: d.address, message: flagMessages.stateMoved(diff.stack, display(before), display(after)) });
    }
  }
  for (const d of added) if (diff.status === 'changed') widening(d, diff, raise);
  return result;
}

type Raise = (id: FlagId, address: string, message: string, destructive: boolean) => void;

function protection(d: ElementDiff, before: Record<string, unknown>, after: Record<string, unknown>, raise: Raise): void {
  const preventDestroy = (body: Record<string, unknown>) => (body.lifecycle as { prevent_destroy?: unknown } | undefined)?.prevent_destroy === true;
  if (preventDestroy(before) && !preventDestroy(after)) raise('protection-off', d.address, flagMessages.preventDestroyOff(d.address), true);
  for (const { attribute, on } of PROTECTION_ATTRIBUTES[d.after?.type ?? ''] ?? []) {
    // Protected when the attribute is `on` (a skipped final snapshot counts as protected while it is not true).
    const isProtected = (body: Record<string, unknown>) => (on ? body[attribute] === true : body[attribute] !== true);
    if (isProtected(before) && !isProtected(after)) {
      raise('protection-off', d.address, flagMessages.protectionOff(d.address, attribute, display(before[attribute]), display(after[attribute])), true);
    }
  }
}

/** The names of the roles a version of a stack creates. */
function roleNames(elements: ReadonlyMap<string, StackElement>): Set<string> {
  return new Set([...elements.values()].filter((e) => e.type === 'postgresql_role' && e.block === 'resource').map((e) => String(e.body.name)));
}

/** What a grant is on, for matching a grant that moved address and for messages. */
function grantTarget(element: StackElement, elements: ReadonlyMap<string, StackElement>): string {
  const { database, schema, object_type: objectType, objects, owner } = element.body;
  const parts = [`${String(objectType ?? 'object')}s`, schema !== undefined ? `in schema ${String(schema)}` : '', database !== undefined ? `of ${String(resolveRoleName(database, elements))}` : ''];
  if (Array.isArray(objects) && objects.length) parts.push(`(${objects.join(', ')})`);
  if (owner !== undefined) parts.push(`created by ${String(resolveRoleName(owner, elements))}`);
  return parts.filter(Boolean).join(' ');
}

/** Whether a grant only lost objects: the same target otherwise, and a non-empty list of objects that is a subset of before's (an empty list means every object). */
function narrowedObjects(before: Record<string, unknown>, after: Record<string, unknown>): boolean {
  const listed = (body: Record<string, unknown>) => (Array.isArray(body.objects) ? body.objects.map(String) : []);
  const [was, is] = [listed(before), listed(after)];
  const rest = (body: Record<string, unknown>) => JSON.stringify([body.database, body.schema, body.object_type, body.owner]);
  return rest(before) === rest(after) && is.length > 0 && (was.length === 0 || is.every((o) => was.includes(o)));
}

function widening(d: ElementDiff, diff: StackDiff, raise: Raise): void {
  const element = d.after;
  if (!element || element.block !== 'resource') return;
  const { type, body } = element;
  const roleOf = (e: StackElement, elements: ReadonlyMap<string, StackElement>, key = 'role') => String(resolveRoleName(e.body[key], elements));
  const existedBefore = (role: string) => role === 'public' || role.startsWith('${var.') || roleNames(diff.before).has(role);

  if (type === 'postgresql_grant' || type === 'postgresql_default_privileges') {
    const role = roleOf(element, diff.after);
    const target = grantTarget(element, diff.after);
    let before = d.before;
    if (!before) {
      // A grant at a new address: the same role and target in the base, or nothing (a new role's grants widen nothing it had).
      before = [...diff.before.values()].find((e) => e.type === type && roleOf(e, diff.before) === role && grantTarget(e, diff.before) === target);
      if (!before && !existedBefore(role)) return;
    }
    const priorRole = before ? roleOf(before, diff.before) : role;
    // The same role on the same target keeps what it had; on another target (a schema, a database, every object instead of some), nothing.
    const sameGrant = priorRole === role && (!before || grantTarget(before, diff.before) === target || narrowedObjects(before.body, body));
    const privileges = sameGrant ? gained(before?.body.privileges, body.privileges) : [...setOf(body.privileges)].sort();
    if (privileges.length) raise('grants-widened', d.address, flagMessages.privilegesGained(d.address, role, privileges, target), false);
    if (body.with_grant_option === true && before?.body.with_grant_option !== true && setOf(body.privileges).size) {
      raise('grants-widened', d.address, flagMessages.grantOption(d.address, role), false);
    }
  } else if (type === 'postgresql_grant_role') {
    const [member, group] = [roleOf(element, diff.after), roleOf(element, diff.after, 'grant_role')];
    const before = d.before;
    const sameMembership = before && roleOf(before, diff.before) === member && roleOf(before, diff.before, 'grant_role') === group;
    if (!sameMembership && (before || existedBefore(member))) raise('grants-widened', d.address, flagMessages.membershipGained(d.address, member, group), false);
    if (body.with_admin_option === true && before?.body.with_admin_option !== true) raise('grants-widened', d.address, flagMessages.adminOption(d.address, member, group), false);
  } else if (OWNED_TYPES[type] && d.before) {
    const [priorOwner, owner] = [roleOf(d.before, diff.before, 'owner'), roleOf(element, diff.after, 'owner')];
    if (priorOwner !== owner) raise('grants-widened', d.address, flagMessages.ownerChanged(d.address, owner, OWNED_TYPES[type], String(body.name), priorOwner), false);
  } else if (type === 'postgresql_role' && d.before) {
    const role = String(body.name);
    for (const attribute of WIDENING_ROLE_ATTRIBUTES) {
      if (body[attribute] === true && d.before.body[attribute] !== true) raise('grants-widened', d.address, flagMessages.roleAttribute(d.address, role, attribute), false);
    }
    const groups = (e: StackElement, elements: ReadonlyMap<string, StackElement>) => (Array.isArray(e.body.roles) ? e.body.roles.map((r) => resolveRoleName(r, elements)) : []);
    for (const group of gained(groups(d.before, diff.before), groups(element, diff.after))) raise('grants-widened', d.address, flagMessages.membershipGained(d.address, role, group), false);
  }
}
