/**
 * The attributes that differ between two versions of an element, as paths
 * (`lifecycle.prevent_destroy`, `env.STRIPE_SECRET`), each with what it was
 * and what it becomes, shown only as far as {@link redact} allows.
 */
import { SENSITIVE, display, isSecretKey, isSecretVariable, redact } from './redact';

/** One changed attribute. */
export interface AttributeChange {
  /** Dotted path of the attribute; environment lists by variable name. */
  readonly path: string;
  /** The value before, shown as one line (redacted), or `(none)`. */
  readonly before: string;
  /** The value after, shown likewise. */
  readonly after: string;
  /** The value is secret-bearing: before and after only say that it changed. */
  readonly sensitive?: boolean;
}

const ENV_ENTRY = /^([A-Za-z_][A-Za-z0-9_]*)=/;

/** A list of `NAME=value` strings (a container's environment), as a map by name; undefined when it is not one. */
function asEnvironment(value: unknown): Map<string, string> | undefined {
  if (!Array.isArray(value) || !value.length || !value.every((v) => typeof v === 'string' && ENV_ENTRY.test(v))) return undefined;
  return new Map((value as string[]).map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]));
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => Boolean(v) && typeof v === 'object' && !Array.isArray(v);

/**
 * The changed attributes of an element, in path order. `sensitive` marks the
 * whole element as secret-bearing (a sensitive variable or output).
 */
export function attributeChanges(before: Record<string, unknown>, after: Record<string, unknown>, sensitive = false): AttributeChange[] {
  const changes: AttributeChange[] = [];
  const walk = (a: unknown, b: unknown, path: string, secret: boolean) => {
    if (JSON.stringify(a) === JSON.stringify(b)) return;
    const parts = path.split('.');
    const key = parts[parts.length - 1];
    // A map of environment variables (a Lambda function's): secret by the variable's name.
    const inEnvironment = ['variables', 'environment'].includes(parts[parts.length - 2] ?? '');
    const hidden = secret || isSecretKey(key) || (inEnvironment && isSecretVariable(key));
    if (isPlainObject(a) && isPlainObject(b)) {
      for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) walk(a[k], b[k], path ? `${path}.${k}` : k, hidden);
      return;
    }
    const [envA, envB] = [asEnvironment(a), asEnvironment(b)];
    if ((envA || a === undefined) && (envB || b === undefined) && (envA || envB)) {
      for (const name of [...new Set([...(envA?.keys() ?? []), ...(envB?.keys() ?? [])])].sort()) {
        const [va, vb] = [envA?.get(name), envB?.get(name)];
        if (va === vb) continue;
        const secretVariable = hidden || isSecretVariable(name);
        changes.push(change(`${path}.${name}`, va, vb, secretVariable));
      }
      return;
    }
    changes.push(change(path, a, b, hidden));
  };
  const change = (path: string, a: unknown, b: unknown, hidden: boolean): AttributeChange => {
    if (hidden) return { path, before: a === undefined ? '(none)' : SENSITIVE, after: b === undefined ? '(none)' : SENSITIVE, sensitive: true };
    const key = path.split('.').pop() ?? '';
    const [shownA, shownB] = [display(redact(a, key)), display(redact(b, key))];
    // A change only inside a secret part of a value (the password of a DSN): say so, show nothing.
    if (shownA === shownB) return { path, before: SENSITIVE, after: SENSITIVE, sensitive: true };
    return { path, before: shownA, after: shownB };
  };
  walk(before, after, '', sensitive);
  return changes;
}
