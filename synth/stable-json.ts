/**
 * JSON with sorted keys, written the way cdktf writes `cdk.tf.json` and
 * `manifest.json` (json-stable-stringify with two spaces: an empty object or
 * list still opens a line), so a manifest assembled from parts is the bytes
 * cdktf would have written.
 */

/** `value` as cdktf's stable stringify writes it with `space: 2`. */
export function stableStringify(value: unknown, level = 0): string {
  const indent = `\n${'  '.repeat(level + 1)}`;
  const close = `\n${'  '.repeat(level)}`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    const items = value.map((item) => (item === undefined || typeof item === 'function' ? 'null' : stableStringify(item, level + 1)));
    return `[${items.map((item) => `${indent}${item}`).join(',')}${close}]`;
  }
  const entries = Object.keys(value)
    .sort()
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .map((key) => `${indent}${JSON.stringify(key)}: ${stableStringify((value as Record<string, unknown>)[key], level + 1)}`);
  return `{${entries.join(',')}${close}}`;
}

/** Compact JSON with sorted keys at every depth: the same value always gives the same text (for cache keys). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const record = value as Record<string, unknown>;
  return `{${Object.keys(record)
    .sort()
    .filter((key) => record[key] !== undefined)
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`)
    .join(',')}}`;
}
