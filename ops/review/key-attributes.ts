/**
 * The attributes that say what a resource is, per type: what a review shows
 * of an added or removed resource, and what the fleet snapshot
 * (`fleet-snapshot.test.ts`) records of every resource. References to the
 * stack's roles read as role names; secret-bearing values never appear.
 */
import { redact } from './redact';
import { type StackDocument, type StackElement, resolveRoleName, stackElements } from './stack-document';

/** Per resource type, the attributes worth a line in a review or snapshot. */
export const KEY_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  postgresql_database: ['name', 'owner', 'template', 'encoding', 'lc_collate', 'lc_ctype', 'connection_limit', 'lifecycle'],
  postgresql_role: ['name', 'login', 'connection_limit', 'superuser', 'create_database', 'create_role', 'replication', 'bypass_row_level_security', 'roles', 'search_path'],
  postgresql_grant: ['role', 'database', 'schema', 'object_type', 'objects', 'privileges', 'with_grant_option'],
  postgresql_default_privileges: ['role', 'owner', 'database', 'schema', 'object_type', 'privileges'],
  postgresql_grant_role: ['role', 'grant_role', 'with_admin_option'],
  postgresql_schema: ['name', 'owner', 'database'],
  docker_container: ['name', 'image', 'ports', 'memory', 'cpus', 'user', 'read_only', 'restart'],
  docker_image: ['name'],
  docker_network: ['name'],
  random_password: ['length', 'special'],
  terraform_data: ['provisioner'],
  aws_db_instance: ['identifier', 'engine', 'engine_version', 'instance_class', 'allocated_storage', 'storage_encrypted', 'deletion_protection', 'skip_final_snapshot', 'multi_az', 'backup_retention_period', 'publicly_accessible'],
  aws_kms_key: ['description', 'enable_key_rotation', 'deletion_window_in_days'],
  aws_lambda_function: ['function_name', 'runtime', 'architectures', 'memory_size', 'timeout', 'reserved_concurrent_executions'],
  aws_s3_bucket: ['bucket', 'bucket_prefix'],
  aws_security_group: ['name', 'vpc_id'],
  aws_vpc_security_group_ingress_rule: ['from_port', 'to_port', 'ip_protocol', 'cidr_ipv4', 'cidr_ipv6', 'referenced_security_group_id'],
  aws_vpc_security_group_egress_rule: ['from_port', 'to_port', 'ip_protocol', 'cidr_ipv4', 'cidr_ipv6', 'referenced_security_group_id'],
};

/** What any other type shows: its name, under whichever key it has one. */
const NAME_KEYS = ['name', 'identifier', 'bucket', 'function_name', 'name_prefix', 'bucket_prefix'];

/** terraform_data's provisioner, as the command it runs (its triggers hold checksums that say nothing to a reader). */
function commandsOf(provisioner: unknown): unknown {
  if (!Array.isArray(provisioner)) return provisioner;
  return provisioner.map((p) => (p && typeof p === 'object' ? Object.values(p as Record<string, { command?: unknown }>).map((v) => v?.command ?? v)[0] : p));
}

/** The key attributes of one element, redacted, references to the stack's roles resolved. */
export function keyAttributes(element: StackElement, elements: ReadonlyMap<string, StackElement>): Record<string, unknown> {
  const keys = KEY_ATTRIBUTES[element.type] ?? NAME_KEYS;
  const picked: Record<string, unknown> = {};
  for (const key of keys) {
    const value = element.body[key];
    if (value === undefined) continue;
    const resolved = key === 'provisioner' ? commandsOf(value) : Array.isArray(value) ? value.map((v) => resolveRoleName(v, elements)) : resolveRoleName(value, elements);
    picked[key] = redact(resolved, key);
  }
  return picked;
}

/**
 * Every resource and data source of a stack by address, in address order,
 * with its key attributes: a stack's change log in a few lines per resource.
 */
export function stackDigest(document: StackDocument): Record<string, Record<string, unknown>> {
  const elements = stackElements(document);
  const digest: Record<string, Record<string, unknown>> = {};
  for (const address of [...elements.keys()].sort()) {
    const element = elements.get(address) as StackElement;
    if (element.block !== 'resource' && element.block !== 'data') continue;
    digest[address] = keyAttributes(element, elements);
  }
  return digest;
}
