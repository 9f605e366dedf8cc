/**
 * MongoDB connection strings, the form the store API reads from
 * `MONGODB_URI`, for each placement. Parts may be Terraform tokens: user
 * names are validated identifiers and generated passwords are letters and
 * digits, so neither needs escaping; the database name may hold characters
 * a URI reserves (`#`, `%`, `@`, ...), so it is percent-encoded.
 */
import { MONGO_AUTH_DATABASE } from './mongo-access-model';
import type { MongoPlacement } from './mongo-plans';

/** Parts of a connection string. */
export interface MongoUriParts {
  /** `host:port`, or for Atlas the cluster's SRV host name (without scheme). */
  readonly host: string;
  readonly user: string;
  readonly password: string;
  /** The tenant's database (the default database of the connection). */
  readonly database: string;
}

/**
 * TLS and driver options by placement. A container is reached on the
 * tenant's own Docker network only and has no certificate, so no TLS.
 * DocumentDB requires TLS (its parameter group enforces it), checked against
 * the RDS CA bundle, reads from a replica where one is there, and does not
 * support retryable writes. Atlas is TLS-only (`mongodb+srv`).
 */
export function mongoUriOptions(placement: MongoPlacement, caFile?: string): Record<string, string> {
  const auth = { authSource: MONGO_AUTH_DATABASE };
  switch (placement) {
    case 'container':
      return auth;
    case 'documentdb':
      return { ...auth, tls: 'true', ...(caFile && { tlsCAFile: caFile }), replicaSet: 'rs0', readPreference: 'secondaryPreferred', retryWrites: 'false' };
    case 'atlas':
      return { ...auth, retryWrites: 'true', w: 'majority' };
  }
}

/** The URI of one user for a placement: `mongodb://user:pass@host/db?…`, or `mongodb+srv://…` on Atlas. */
export function mongoUri(placement: MongoPlacement, parts: MongoUriParts, caFile?: string): string {
  const scheme = placement === 'atlas' ? 'mongodb+srv' : 'mongodb';
  const query = Object.entries(mongoUriOptions(placement, caFile))
    .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
    .join('&');
  return `${scheme}://${parts.user}:${parts.password}@${parts.host}/${encodeURIComponent(parts.database)}?${query}`;
}

/** A server's address without credentials, as the runner takes it (`MONGODB_SERVER_URI`): the URI less user, password and database. */
export function mongoServerUri(placement: MongoPlacement, host: string, caFile?: string): string {
  const scheme = placement === 'atlas' ? 'mongodb+srv' : 'mongodb';
  const { authSource: _auth, ...options } = mongoUriOptions(placement, caFile);
  const query = Object.entries(options)
    .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
    .join('&');
  return `${scheme}://${host}/${query ? `?${query}` : ''}`;
}
