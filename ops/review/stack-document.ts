/**
 * A synthesized stack (`cdk.tf.json`) as the review reads it: every element
 * by its Terraform address, without cdktf's `//` metadata (construct paths
 * are not configuration), and references to the stack's own roles resolved to
 * their names where Terraform would know them from the configuration alone.
 * Pure: no cdktf, no I/O.
 */

/** The blocks of a Terraform JSON document the review compares. */
export type Block = 'resource' | 'data' | 'output' | 'variable' | 'provider' | 'terraform' | 'import' | 'locals' | 'moved';

/** One element of a stack: a resource, a data source, an output, the backend, ... */
export interface StackElement {
  /** `postgresql_role.Roles_RoleApp_BDAE2D3F`, `data.aws_iam_policy_document.x`, `output.plan`, `terraform.backend`. */
  readonly address: string;
  readonly block: Block;
  /** The resource or data source type; the block's name otherwise. */
  readonly type: string;
  /** Its arguments, cdktf's metadata removed. */
  readonly body: Record<string, unknown>;
}

/** A parsed `cdk.tf.json`. */
export type StackDocument = Record<string, unknown>;

/** A value with cdktf's `//` metadata removed at every depth. */
export function withoutMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutMetadata);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => k !== '//').map(([k, v]) => [k, withoutMetadata(v)]));
  }
  return value;
}

const asObject = (value: unknown): Record<string, unknown> => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

/** Every element of a stack document, by address. */
export function stackElements(document: StackDocument): Map<string, StackElement> {
  const elements = new Map<string, StackElement>();
  const add = (address: string, block: Block, type: string, body: unknown) =>
    elements.set(address, { address, block, type, body: asObject(withoutMetadata(body)) });
  for (const [type, byId] of Object.entries(asObject(document.resource))) {
    for (const [id, body] of Object.entries(asObject(byId))) add(`${type}.${id}`, 'resource', type, body);
  }
  for (const [type, byId] of Object.entries(asObject(document.data))) {
    for (const [id, body] of Object.entries(asObject(byId))) add(`data.${type}.${id}`, 'data', type, body);
  }
  for (const block of ['output', 'variable', 'locals'] as const) {
    for (const [name, body] of Object.entries(asObject(document[block]))) add(`${block}.${name}`, block, block, block === 'locals' ? { value: body } : body);
  }
  for (const [name, configs] of Object.entries(asObject(document.provider))) add(`provider.${name}`, 'provider', name, { configurations: configs });
  const terraform = asObject(document.terraform);
  for (const [name, body] of Object.entries(terraform)) add(`terraform.${name}`, 'terraform', name, name === 'backend' || name === 'required_providers' ? body : { value: body });
  for (const block of ['import', 'moved'] as const) {
    const list = document[block];
    if (Array.isArray(list)) list.forEach((body, index) => add(`${block}[${index}]`, block, block, body));
  }
  return elements;
}

const NAME_REFERENCE = /^\$\{([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)\.name\}$/;

/**
 * The literal name a reference to one of the stack's resources stands for
 * (`${postgresql_role.X.name}` → `shop__app`, `${postgresql_database.X.name}`
 * → `shop`) when the configuration gives it; any other value as it is.
 */
export function resolveRoleName(value: unknown, elements: ReadonlyMap<string, StackElement>): unknown {
  if (typeof value !== 'string') return value;
  const match = NAME_REFERENCE.exec(value);
  if (!match) return value;
  const name = elements.get(`${match[1]}.${match[2]}`)?.body.name;
  return typeof name === 'string' ? name : value;
}

/** A value with every reference to one of the stack's names resolved, at any depth (for people to read). */
export function resolveNames(value: unknown, elements: ReadonlyMap<string, StackElement>): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveNames(v, elements));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveNames(v, elements)]));
  return resolveRoleName(value, elements);
}

/** The tenant a stack belongs to: its name, or the part before `-` (`shop-network` → `shop`); keys never hold `-`. */
export function tenantOfStack(stack: string): string {
  return stack.split('-')[0];
}
