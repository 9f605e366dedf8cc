import type { RoleNameScheme } from '../../constructs/naming';
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

/** The API build a Lambda tenant runs: a zip in S3 or a container image in ECR. */
export type LambdaArtifact =
  | {
      /** Bucket holding the zip (same region as the function). */
      readonly s3Bucket: string;
      /** Key of the zip, e.g. `api/1.0.0/bootstrap.zip`. */
      readonly s3Key: string;
    }
  | {
      /** ECR image, pinned by tag or digest. */
      readonly imageUri: string;
    };

/** The processor a Lambda function runs on. */
export type LambdaArchitecture = 'x86_64' | 'arm64';

/** An existing VPC to place a Lambda tenant in, instead of a new one. */
export interface ExistingVpc {
  /** `vpc-…` */
  readonly id: string;
  /** At least two private subnets in different availability zones. */
  readonly privateSubnetIds: readonly string[];
}

/** Runs the store API as an AWS Lambda function behind an HTTP API, with its own RDS PostgreSQL. */
export interface LambdaTarget {
  readonly target: 'lambda';
  /** AWS region of every resource of the tenant, e.g. `eu-west-1`. */
  readonly region: string;
  /** The API build. */
  readonly artifact: LambdaArtifact;
  /**
   * The processor the artifact is built for: `arm64` (Graviton) costs about
   * 20 % less per GB-second than `x86_64` for the same memory.
   * @default 'x86_64'
   */
  readonly architecture?: LambdaArchitecture;
  /**
   * Place the tenant in an existing VPC.
   * @default - a new VPC with two private subnets across two availability zones
   */
  readonly vpc?: ExistingVpc;
  /**
   * Serve the store frontend from S3 behind CloudFront.
   * @default false
   */
  readonly frontend?: boolean;
}

/** Where and how the tenant's store app runs. */
export type AppTarget = DockerTarget | LambdaTarget;

/** A tenant taken over from the original system: its database exists and is adopted, not created. */
export interface Adoption {
  /**
   * The original system's roles for this tenant's people, named after bare
   * usernames and shared across tenants. Adoption revokes their privileges in
   * this database; dropping them is left to the operator (see the README).
   */
  readonly legacyRoles: readonly string[];
}

/** Where a tenant is in its life: `offboarding` lifts its database's protection for `cdktf destroy`. */
export type TenantLifecycle = 'active' | 'offboarding';

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
  /**
   * How the people's login roles are named on the database server:
   * `usernames` (`<key>__alice`) or `opaque` (`<key>__p_3f9a…`). Every login
   * on a shared server can list every role, so a tenant whose usernames are
   * confidential takes `opaque` (or a dedicated server). Changing it renames
   * the roles in place; tell the people their new login names.
   * @default "usernames"
   */
  readonly roleNames?: RoleNameScheme;
  /**
   * Set to `offboarding` (by `tenants offboard`) to let the next deploy or
   * destroy remove the tenant's database. Nothing else lifts the protection.
   * @default "active"
   */
  readonly lifecycle?: TenantLifecycle;
  /**
   * Set by `tenants import-tfvars`: adopt the database the original system
   * created (Terraform imports it) instead of creating one.
   * @default - the database is created
   */
  readonly adopt?: Adoption;
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
  readonly app: ResolvedDockerTarget | ResolvedLambdaTarget;
  readonly tags: Readonly<Record<string, string>>;
  readonly roleNames: RoleNameScheme;
  readonly lifecycle: TenantLifecycle;
  readonly adopt?: Adoption;
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

/** A Lambda target with its defaults resolved. */
export interface ResolvedLambdaTarget {
  readonly target: 'lambda';
  readonly region: string;
  readonly artifact: LambdaArtifact;
  readonly architecture: LambdaArchitecture;
  readonly vpc?: ExistingVpc;
  readonly frontend: boolean;
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
