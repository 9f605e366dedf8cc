/**
 * Writes a tenant definition as TypeScript source, formatted like the
 * hand-written tenant files: single quotes, two-space indent, trailing
 * commas, an object or list on one line while it fits in 100 columns.
 */
import * as path from 'node:path';
import type { TenantDefinition } from './types';

const WIDTH = 100;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function literal(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

function propertyKey(key: string): string {
  return IDENTIFIER.test(key) ? key : literal(key);
}

function entries(value: object): [string, unknown][] {
  return Object.entries(value).filter(([, v]) => v !== undefined);
}

function inline(value: unknown): string {
  if (typeof value === 'string') return literal(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(inline).join(', ')}]`;
  const fields = entries(value as object);
  return fields.length ? `{ ${fields.map(([k, v]) => `${propertyKey(k)}: ${inline(v)}`).join(', ')} }` : '{}';
}

/** `value` at `indent`, after `prefix` on the same line; breaks lists and objects that do not fit. */
function printValue(value: unknown, indent: string, prefix: string, suffix: string): string {
  const flat = `${indent}${prefix}${inline(value)}${suffix}`;
  if (flat.length <= WIDTH || value === null || typeof value !== 'object') return flat;
  const inner = `${indent}  `;
  const lines = Array.isArray(value)
    ? value.map((item) => printValue(item, inner, '', ','))
    : entries(value).map(([k, v]) => printValue(v, inner, `${propertyKey(k)}: `, ','));
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return [`${indent}${prefix}${open}`, ...lines, `${indent}${close}${suffix}`].join('\n');
}

/** Field order of tenant files, as in the shipped examples. */
const FIELD_ORDER: readonly (keyof TenantDefinition)[] = ['key', 'company', 'plan', 'database', 'people', 'app', 'tags', 'lifecycle', 'adopt'];

/** Drops empty optional lists and objects, so generated files say only what differs from the defaults. */
function compact(definition: TenantDefinition): Record<string, unknown> {
  const people = Object.fromEntries(entries(definition.people).filter(([kind, list]) => kind === 'admins' || (list as unknown[]).length));
  const ordered: Record<string, unknown> = {};
  for (const field of FIELD_ORDER) {
    const value = field === 'people' ? people : definition[field];
    if (value === undefined) continue;
    if (field === 'tags' && !Object.keys(value as object).length) continue;
    if (field === 'lifecycle' && value === 'active') continue;
    ordered[field] = value;
  }
  return ordered;
}

/** How a tenant file in `dir` imports `defineTenant`: `./registry` for the project's own tenants/. */
export function registryImportFor(dir: string): string {
  const relative = path.relative(dir, __dirname).split(path.sep).join('/');
  return relative.startsWith('.') ? relative : `./${relative}`;
}

/** The source of `tenants/<key>.ts` for a definition. */
export function renderTenantFile(definition: TenantDefinition, registryImport = './registry'): string {
  const body = entries(compact(definition))
    .map(([k, v]) => printValue(v, '  ', `${propertyKey(k)}: `, ','))
    .join('\n');
  return `import { defineTenant } from ${literal(registryImport)};\n\nexport default defineTenant({\n${body}\n});\n`;
}
