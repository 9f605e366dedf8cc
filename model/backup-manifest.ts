/**
 * What a backup is: the dump's name and the manifest written beside it. Pure:
 * the backup, verify, restore and offboard commands read and write these.
 */

/** The manifest's format, for readers of older and newer manifests. */
export const MANIFEST_FORMAT = 1;

/** The manifest beside each dump: enough to check and restore it without the server it came from. */
export interface BackupManifest {
  readonly format: typeof MANIFEST_FORMAT;
  readonly tenant: string;
  readonly database: string;
  /** The server it was taken on (`default`, a server of the fleet, or `rds:<key>`). */
  readonly server: string;
  /** The tenant's schema version (its migration history) when the dump was taken. */
  readonly schemaVersion: number;
  /** `server_version` of the server. */
  readonly postgresVersion: string;
  /** `pg_dump --version`. */
  readonly pgDump: string;
  /** ISO 8601, UTC. */
  readonly createdAt: string;
  /** The dump's file name, beside the manifest. */
  readonly file: string;
  readonly bytes: number;
  /** sha256 of the dump, hex. */
  readonly sha256: string;
  /** Rows of every table the owner owns, counted in the dump's own snapshot. */
  readonly tables: Readonly<Record<string, number>>;
  /** What the dump leaves out: objects of other owners (a person's workspace table), which the owner cannot read. */
  readonly excluded: readonly string[];
  /** Set by `tenants backup verify` once the dump restored and matched. */
  readonly verified?: { readonly at: string; readonly server: string };
}

/** `20261130T061500Z` for a date: sorts as it reads. */
export function backupTimestamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

/** `<key>/<UTC timestamp>-<schema version>`: the dump adds `.dump`, the manifest `.json`. */
export function backupBaseName(key: string, date: Date, schemaVersion: number): string {
  return `${key}/${backupTimestamp(date)}-${schemaVersion}`;
}

/** The manifest's name for a dump's: `x.dump` → `x.json`. */
export function manifestNameOf(dumpName: string): string {
  return dumpName.replace(/\.dump$/, '') + '.json';
}

/** Whether a parsed JSON value is a manifest this version reads; the reason when not. */
export function manifestProblem(value: unknown): string | undefined {
  const m = value as Partial<BackupManifest> | null;
  if (typeof m !== 'object' || m === null) return 'is not a JSON object';
  if (m.format !== MANIFEST_FORMAT) return `has format ${String(m.format)}, not ${MANIFEST_FORMAT}`;
  for (const field of ['tenant', 'database', 'server', 'file', 'sha256', 'createdAt'] as const) if (typeof m[field] !== 'string') return `has no ${field}`;
  if (typeof m.schemaVersion !== 'number' || typeof m.bytes !== 'number') return 'has no schemaVersion or bytes';
  if (typeof m.tables !== 'object' || m.tables === null) return 'has no tables';
  return undefined;
}
