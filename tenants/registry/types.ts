import type { Plan } from '../../constructs/plans';

export type { Plan } from '../../constructs/plans';

/** One person who gets a login role. There is no password here, ever: Terraform generates it. */
export interface Person {
  /** PostgreSQL-safe username, unique within the tenant; the role is `<key>__<username>`. */
  readonly username: string;
  /** Where to reach the person. */
  readonly email: string;
}

/** The people of a tenant by kind; each kind gets its own privileges. */
export interface People {
  /** Full data access and database CREATE. At least one. */
  readonly admins: readonly Person[];
  /**
   * Read, insert and update; no delete.
   * @default []
   */
  readonly developers?: readonly Person[];
  /**
   * Read only.
   * @default []
   */
  readonly customers?: readonly Person[];
}

/** The tenant's database, named by the customer. */
export interface DatabaseSettings {
  /** Database name the customer chose: lowercase letters, digits, underscores. */
  readonly name: string;
  /**
   * Collation and character classification (`lc_collate`, `lc_ctype`); changing it recreates the database.
   * @default "en_US.UTF-8"
   */
  readonly collation?: string;
}

/** The frontend container of a docker tenant. */
export interface DockerFrontend {
  /** Host port of the frontend, unique across the fleet. */
  readonly port: number;
  /**
   * Frontend image, pinned by tag or digest.
   * @default "ghcr.io/usualstore/frontend:1.0.0"
   */
  readonly image?: string;
}

/** Runs the store API as a Docker container next to the tenant's database server. */
export interface DockerTarget {
  readonly target: 'docker';
  /** Host port of the API, unique across the fleet. */
  readonly port: number;
  /**
   * API image, pinned by tag or digest; the same for every tenant unless overridden.
   * @default "ghcr.io/usualstore/api:1.0.0"
   */
  readonly image?: string;
  /**
   * A frontend container pointed at this tenant's API.
   * @default - no frontend container
   */
  readonly frontend?: DockerFrontend;
}

/** Where and how the tenant's store app runs. */
export type AppTarget = DockerTarget;

/** Everything the fleet knows about one customer: the contents of `tenants/<key>.ts`. */
export interface TenantDefinition {
  /** Stack name and prefix of every role: equal to the file name. */
  readonly key: string;
  /** The customer's company name, for people. */
  readonly company: string;
  /** free, starter, professional or enterprise. */
  readonly plan: Plan;
  readonly database: DatabaseSettings;
  readonly people: People;
  readonly app: AppTarget;
  /**
   * Extra labels and tags on everything the tenant gets.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * A validated tenant with every default resolved, as the constructs and the
 * CLI see it.
 */
export interface Tenant {
  readonly key: string;
  readonly company: string;
  readonly plan: Plan;
  readonly database: Required<DatabaseSettings>;
  readonly people: Required<People>;
  readonly app: ResolvedDockerTarget;
  readonly tags: Readonly<Record<string, string>>;
  /** Path of the tenant file relative to the project, for messages. */
  readonly file: string;
}

/** A docker target with its images resolved. */
export interface ResolvedDockerTarget {
  readonly target: 'docker';
  readonly port: number;
  readonly image: string;
  readonly frontend?: Required<DockerFrontend>;
}

/**
 * Declares one tenant. Use as the default export of `tenants/<key>.ts`.
 *
 * It only returns its argument: the type gives editors completion and
 * checking, and the registry validates every file at load time.
 */
export function defineTenant(definition: TenantDefinition): TenantDefinition {
  return definition;
}
