import type { PostgresMajor } from '../../model/defaults';
import type { ServerKind, Sslmode } from '../../model/servers';

/**
 * One database server of the fleet: the contents of `servers/<name>.ts`.
 * There are no credentials here, ever: the admin's password comes from the
 * environment (`PGPASSWORD_<NAME>`) or `~/.pgpass`.
 */
export interface ServerDefinition {
  /** Equal to the file name: lowercase words joined by single hyphens, e.g. `eu-shared-1`. */
  readonly name: string;
  /**
   * Host name or address the platform (Terraform, the CLI) reaches the server at.
   * Required, except in `servers/default.ts`: the default server is reached through the environment.
   */
  readonly host?: string;
  /** @default 5432 */
  readonly port?: number;
  /**
   * libpq sslmode of the platform's connections; `verify-full` with `rootCertificate` in production.
   * @default "require"
   */
  readonly sslmode?: Sslmode;
  /** The CA certificate that signs the server's, relative to the project root (for verify-ca and verify-full). */
  readonly rootCertificate?: string;
  /**
   * The server admin Terraform and the runner connect as: a superuser, or a CREATEDB CREATEROLE role with pg_signal_backend (RDS's master user).
   * @default "postgres"
   */
  readonly adminRole?: string;
  /** The server's `max_connections`. */
  readonly maxConnections: number;
  /**
   * Slots kept for administrators (`superuser_reserved_connections`, and from PostgreSQL 16 `reserved_connections`).
   * @default 3
   */
  readonly reservedConnections?: number;
  /** @default "self-hosted" */
  readonly kind?: ServerKind;
  /** AWS region of an RDS or Aurora server. @default - none */
  readonly region?: string;
  /** Free-form labels (team, tier, ...). @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Whether new tenants may be placed here. A closed server keeps the
   * tenants listed in `existingTenants` (`npx tenants servers close <name>`
   * writes both).
   * @default true
   */
  readonly acceptsNewTenants?: boolean;
  /** The tenants a closed server keeps. @default [] */
  readonly existingTenants?: readonly string[];
  /**
   * The host as the tenants' app containers reach it.
   * @default - `host`
   */
  readonly appHost?: string;
  /** The server's PostgreSQL major, one the project proves. @default - not stated */
  readonly postgresVersion?: PostgresMajor;
}

/** A validated server, defaults resolved. `implicit` for the `default` server no file describes (the environment's). */
export interface Server {
  readonly name: string;
  /** Unset for the implicit default server: its connection is the deploying environment's. */
  readonly host?: string;
  readonly port: number;
  readonly sslmode?: Sslmode;
  readonly rootCertificate?: string;
  readonly adminRole?: string;
  /** Unset for the implicit default server: its capacity is not known. */
  readonly maxConnections?: number;
  readonly reservedConnections: number;
  readonly kind: ServerKind;
  readonly region?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly acceptsNewTenants: boolean;
  readonly existingTenants: readonly string[];
  readonly appHost?: string;
  readonly postgresVersion?: PostgresMajor;
  /** The environment variable of its admin password. */
  readonly passwordVariable: string;
  readonly implicit: boolean;
  /** Path of the server file for messages; empty for the implicit default. */
  readonly file: string;
}

/**
 * Declares one server. Use as the default export of `servers/<name>.ts`.
 * Like defineTenant, it only returns its argument.
 */
export function defineServer(definition: ServerDefinition): ServerDefinition {
  return definition;
}
