/**
 * What the review may show of a value. Secret-bearing values are never
 * shown, even when the JSON holds only a reference: the value of a sensitive
 * variable or output, anything under a key that names a password, secret,
 * token or key, the secret variables of the store API's environment, and the
 * `password=` part of a connection string. A review shows that such a value
 * changed, not what it was or became.
 */
import { SECRET_STORE_API_VARIABLES } from '../../model/store-api';

/** What stands in for a secret-bearing value. */
export const SENSITIVE = '(sensitive)';

/** Keys whose values carry secrets (a `*_version` beside a write-only password is a counter, not a secret). */
const SECRET_KEY = /password|secret|token|private_key|access_key|_wo$/i;

/** Whether a key names a secret-bearing value. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) && !/_version$/i.test(key);
}

/** `NAME=value` of an environment list. */
const ENV_ENTRY = /^([A-Za-z_][A-Za-z0-9_]*)=([\s\S]*)$/;

/** Whether an environment variable of that name holds a secret. */
export function isSecretVariable(name: string): boolean {
  return SECRET_STORE_API_VARIABLES.includes(name) || isSecretKey(name) || /_DSN$|_URL_WITH_PASSWORD$/.test(name);
}

/** A string with the values of `password=…`, `secret=…` (and the like) inside it replaced. */
function redactInline(text: string): string {
  return text.replace(/\b(password|secret|token)([A-Za-z_]*)=([^\s"&;]+)/gi, (_m, key: string, rest: string) => `${key}${rest}=${SENSITIVE}`);
}

/**
 * A value with every secret-bearing part replaced by {@link SENSITIVE}.
 * `key` is the key the value sits under; `sensitive` says the element itself
 * is sensitive (a variable or output marked so).
 */
export function redact(value: unknown, key = '', sensitive = false): unknown {
  if (sensitive || isSecretKey(key)) return value === undefined ? undefined : SENSITIVE;
  if (typeof value === 'string') {
    const entry = ENV_ENTRY.exec(value);
    if (entry && isSecretVariable(entry[1])) return `${entry[1]}=${SENSITIVE}`;
    return redactInline(value);
  }
  if (Array.isArray(value)) return value.map((v) => redact(v, key));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, key === 'variables' || key === 'environment' ? (isSecretVariable(k) ? SENSITIVE : redact(v, k)) : redact(v, k)]),
    );
  }
  return value;
}

/** Whether an element's own value is sensitive: a variable or output marked `sensitive`. */
export function sensitiveElement(block: string, body: Record<string, unknown>): boolean {
  return (block === 'variable' || block === 'output') && body.sensitive === true;
}

/** A value as one short line for a review, redacted first. */
export function display(value: unknown, max = 160): string {
  if (value === undefined) return '(none)';
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
