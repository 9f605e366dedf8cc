/** Suggestions the interactive `add` offers, each valid by the registry's rules. */
import { hostPorts } from '../../tenants/registry';
import { FIRST_HOST_PORT, MAX_HOST_PORT } from '../../model/defaults';
import { MAX_IDENTIFIER_BYTES, MAX_KEY_BYTES, RESERVED_DATABASE_NAMES } from '../../model/naming';
import type { Registry } from '../../tenants/registry';

function words(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

function fit(parts: string[], maxBytes: number): string {
  let name = parts.join('_');
  while (name.length > maxBytes && parts.length > 1) name = (parts = parts.slice(0, -1)).join('_');
  name = name.slice(0, maxBytes).replace(/_+$/, '');
  return /^[a-z]/.test(name) ? name : `shop_${name}`.slice(0, maxBytes).replace(/_+$/, '');
}

function unused(base: string, taken: ReadonlySet<string>, maxBytes: number): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base.slice(0, maxBytes - String(n).length - 1)}_${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** A database name from a company name: "Garden Center GmbH" → garden_center_gmbh. */
export function suggestDatabaseName(company: string, registry: Registry): string {
  const base = fit(words(company), MAX_IDENTIFIER_BYTES) || 'store';
  return unused(base, new Set([...registry.tenants.map((t) => t.database.name), ...RESERVED_DATABASE_NAMES]), MAX_IDENTIFIER_BYTES);
}

/** A tenant key from a database name: lowercase words joined by single underscores. */
export function suggestKey(database: string, registry: Registry): string {
  const base = fit(words(database), MAX_KEY_BYTES) || 'store';
  return unused(base, new Set(registry.tenants.map((t) => t.key)), MAX_KEY_BYTES);
}

/** The lowest host port from `from` that no tenant (API or frontend) uses, nor any of `alsoTaken`. */
export function nextFreePort(registry: Registry, from = FIRST_HOST_PORT, alsoTaken: readonly number[] = []): number {
  const taken = new Set<number>([...alsoTaken, ...registry.tenants.flatMap((t) => hostPorts(t).map((p) => p.port))]);
  for (let port = from; port <= MAX_HOST_PORT; port++) if (!taken.has(port)) return port;
  throw new Error(`no free host port from ${from}`);
}
