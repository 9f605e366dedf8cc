import type { PostgresMajor } from '../../model/defaults';
import type { AtlasTier, MongoPlacement } from '../../model/mongo-plans';
import type { RoleNameScheme } from '../../model/naming';
import type { Plan } from '../../model/plans';
import type { KubernetesSslmode } from '../../model/kubernetes/defaults';
import type { KubernetesAppSettings } from '../../model/kubernetes/tenant';

export type { Plan } from '../../model/plans';

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

/** The tenant's database engines: PostgreSQL (every tenant so far) or MongoDB. */
export type DatabaseEngine = 'postgresql' | 'mongodb';

/** The tenant's PostgreSQL database, named by the customer. */
export interface DatabaseSettings {
  /**
   * The engine; a file without one is PostgreSQL.
   * @default "postgresql"
   */
  readonly engine?: 'postgresql';
  /** Database name the customer chose: lowercase letters, digits, underscores. */
  readonly name: string;
  /**
   * Collation and character classification (`lc_collate`, `lc_ctype`); changing it recreates the database.
   * @default "en_US.UTF-8"
   */
  readonly collation?: string;
  /**
   * The PostgreSQL major of the tenant's own RDS server (lambda target): 15, 16
   * or 17, the versions the test suites prove. Raising it upgrades the server
   * in place on the next deploy. A docker tenant runs on the environment's
   * server, whatever its version, and takes none.
   * @default 15 - what RDS servers were created with before it could be chosen
   */
  readonly postgresVersion?: PostgresMajor;
  /**
   * The database server the tenant is on: a `servers/<name>.ts` of the fleet.
   * A lambda tenant is on its own RDS instance and takes none.
   * @default "default" - the deploying environment's server (PGHOST, --url)
   */
  readonly server?: string;
}

/** A MongoDB tenant's own `mongo` container on the Docker host (placement `container`). */
export interface MongoContainerSettings {
  /** Host port of the database, on 127.0.0.1 only, unique across the fleet: how the deploy's runner and people reach it. */
  readonly port: number;
  /**
   * The `mongo` image, pinned by tag or digest.
   * @default "mongo:7.0.14"
   */
  readonly image?: string;
}

/** A MongoDB tenant's own Amazon DocumentDB cluster (placement `documentdb`, app target `lambda`, in the app's region and VPC). */
export interface DocumentDbSettings {
  /**
   * The instances' class, one the plan allows (model/mongo-plans.ts).
   * @default - the plan's (db.t4g.medium on free and starter, db.r6g.large on professional, db.r6g.xlarge on enterprise)
   */
  readonly instanceClass?: string;
}

/** A private endpoint (AWS PrivateLink) into the Atlas project from the VPC the Docker host runs in. */
export interface AtlasPrivateEndpoint {
  /** The Docker host's VPC, `vpc-…`, in the AWS region of the cluster. */
  readonly vpcId: string;
  /** Subnets of that VPC for the endpoint's network interfaces. */
  readonly subnetIds: readonly string[];
  /** The Docker host's security group: the only one the endpoint admits. */
  readonly clientSecurityGroupId: string;
}

/** A MongoDB tenant's cluster on MongoDB Atlas (placement `atlas`, app target `docker`), in a project of its own. */
export interface AtlasSettings {
  /** The Atlas organization (24 hex digits) the tenant's project is created in. */
  readonly organizationId: string;
  /**
   * An existing project for this tenant alone (24 hex digits), instead of a new one.
   * @default - a new project `usualstore-<key>`
   */
  readonly projectId?: string;
  /** Atlas region of the cluster on AWS, e.g. `EU_WEST_1`. */
  readonly region: string;
  /**
   * Cluster tier, e.g. `M10`; M0 (shared, no backups) on the free plan only.
   * @default - the plan's (M0 free, M10 starter, M30 professional, M40 enterprise)
   */
  readonly tier?: AtlasTier;
  /** Addresses (CIDRs) allowed to connect: the Docker host's and the deploy machine's. Not 0.0.0.0/0. Either this or privateEndpoint. */
  readonly ipAccessList?: readonly string[];
  /** A private endpoint from the Docker host's VPC instead of an IP access list (not on M0). */
  readonly privateEndpoint?: AtlasPrivateEndpoint;
}

/**
 * The tenant's MongoDB database, named by the customer, and where it runs:
 * its own `mongo` container on the Docker host (docker target), its own
 * DocumentDB cluster (lambda target) or its own Atlas project and cluster
 * (docker target). The settings of the chosen placement only.
 */
export interface MongoDatabaseSettings {
  readonly engine: 'mongodb';
  /** Database name the customer chose: none of / \\ . " $ * < > : | ? or a space, under 64 bytes; not admin, local or config. */
  readonly name: string;
  readonly placement: MongoPlacement;
  /** Placement `container` only. */
  readonly container?: MongoContainerSettings;
  /**
   * Placement `documentdb` only.
   * @default - the plan's instance class
   */
  readonly documentdb?: DocumentDbSettings;
  /** Placement `atlas` only. */
  readonly atlas?: AtlasSettings;
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
  /**
   * Memory and CPU of the API container, instead of the plan's.
   * @default - the plan's (`containerMemoryMiB`, `containerCpus` in model/plans.ts)
   */
  readonly limits?: DockerLimits;
}

/** What a docker tenant's API container may use of the shared host. */
export interface DockerLimits {
  /**
   * Memory limit in MiB (64 to 65536); no swap beyond it.
   * @default - the plan's containerMemoryMiB
   */
  readonly memoryMiB?: number;
  /**
   * CPUs (0.1 to 64), e.g. 0.5.
   * @default - the plan's containerCpus
   */
  readonly cpus?: number;
}

/**
 * The API build a Lambda tenant runs: a zip in S3, pinned by the object's
 * version or the zip's hash (one of them is required), or a container image
 * in ECR.
 */
export type LambdaArtifact =
  | {
      /** Bucket holding the zip (same region as the function). */
      readonly s3Bucket: string;
      /** Key of the zip, e.g. `api/1.0.0/bootstrap.zip`. */
      readonly s3Key: string;
      /**
       * Version id of the zip in its (versioned) bucket: the function runs exactly that object,
       * whatever is written to the key later.
       * @default - none; then sourceCodeHash is required
       */
      readonly s3ObjectVersion?: string;
      /**
       * Base64 SHA-256 of the zip (`openssl dgst -sha256 -binary api.zip | base64`): a new hash
       * deploys the object at the key again.
       * @default - none; then s3ObjectVersion is required
       */
      readonly sourceCodeHash?: string;
    }
  | {
      /** ECR image, pinned by tag or digest (a digest is warned about on paid plans when missing). */
      readonly imageUri: string;
    };

/** Only code signed by these AWS Signer profiles may be deployed to the function (zip artifacts). */
export interface CodeSigning {
  /** Signing profile version ARNs, `arn:aws:signer:<region>:<account>:/signing-profiles/<name>/<version>`. */
  readonly signingProfileVersionArns: readonly string[];
}

/** A JWT authorizer in front of some routes of the HTTP API. */
export interface JwtAuthorizer {
  /** The token issuer, an https URL (e.g. a Cognito user pool or an OIDC provider). */
  readonly issuer: string;
  /** Accepted audiences (`aud` claims). */
  readonly audience: readonly string[];
  /** Route keys that require a token, e.g. `ANY /admin/{proxy+}`; every other request goes through `$default` as before. */
  readonly routes: readonly string[];
}

/** The frontend's own domain name on CloudFront. */
export interface FrontendDomain {
  /** e.g. `shop.example.com`; point a CNAME (or alias) at the distribution's domain name. */
  readonly name: string;
  /** ACM certificate for the name, in us-east-1 (CloudFront reads certificates only there). */
  readonly certificateArn: string;
}

/** Where the function may open connections besides its database. */
export interface EgressAllowList {
  /**
   * IPv4 ranges the function may reach on 443 (Stripe, AWS APIs without endpoints).
   * @default ["0.0.0.0/0"]
   */
  readonly httpsCidrs?: readonly string[];
  /**
   * IPv4 ranges the function may reach on the SMTP port.
   * @default ["0.0.0.0/0"]
   */
  readonly smtpCidrs?: readonly string[];
}

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
  /**
   * The frontend's own domain and ACM certificate, served with TLSv1.2_2021 at least.
   * @default - the distribution's *.cloudfront.net name and certificate, which allow TLS 1.0
   */
  readonly frontendDomain?: FrontendDomain;
  /**
   * ARN of a WAFv2 web ACL (scope CLOUDFRONT, in us-east-1) for the frontend distribution.
   * @default - no web ACL
   */
  readonly frontendWebAclArn?: string;
  /**
   * Require a signature by an AWS Signer profile on the zip (Enforce): unsigned or otherwise signed code is refused.
   * @default - no code signing
   */
  readonly codeSigning?: CodeSigning;
  /**
   * A JWT authorizer on some routes.
   * @default - none: the store app authenticates its own users
   */
  readonly authorizer?: JwtAuthorizer;
  /**
   * A security group (of a CI runner or CodeBuild project in the tenant's VPC)
   * that may connect to the database, to deploy the in-database stack.
   * @default - none: deploy through an SSM port forward
   */
  readonly deployRunnerSecurityGroupId?: string;
  /**
   * Interface endpoints for Secrets Manager and KMS in the private subnets,
   * for a VPC without NAT (or to keep AWS API calls off the NAT).
   * @default false
   */
  readonly vpcEndpoints?: boolean;
  /**
   * Narrow the function's outbound HTTPS and SMTP to these ranges.
   * @default - both open to 0.0.0.0/0
   */
  readonly egress?: EgressAllowList;
}

/** The tenant's PostgreSQL server, as the pods of a Kubernetes tenant reach it. */
export interface KubernetesDatabaseServer {
  /** Host name or IPv4 address the pods connect to (the DSN's host). */
  readonly host: string;
  /**
   * The server's port.
   * @default 5432
   */
  readonly port?: number;
  /** IPv4 ranges the server answers from, e.g. `["10.20.0.15/32"]`: the API pods' only egress besides DNS. */
  readonly cidrs: readonly string[];
  /**
   * libpq sslmode of the API's connection: `require`, or `verify-ca` / `verify-full` when the image carries the server's CA.
   * @default "require"
   */
  readonly sslmode?: KubernetesSslmode;
}

/** An Ingress for a Kubernetes tenant, with TLS from a Secret in its namespace. */
export interface KubernetesIngress {
  /** Host name the API answers on, e.g. `api.shop.example`. */
  readonly host: string;
  /**
   * Host name the frontend answers on; needs `frontend`.
   * @default - the frontend is not exposed
   */
  readonly frontendHost?: string;
  /** Name of the `kubernetes.io/tls` Secret in the tenant's namespace (e.g. made by cert-manager) covering the hosts. */
  readonly tlsSecret: string;
  /**
   * The IngressClass.
   * @default - the cluster's default class
   */
  readonly className?: string;
}

/** Runs the store API (and optionally its frontend) in a hardened namespace of its own on a Kubernetes cluster. */
export interface KubernetesTarget {
  readonly target: 'kubernetes';
  /**
   * API image, pinned by tag or digest.
   * @default "ghcr.io/usualstore/api:1.0.0"
   */
  readonly image?: string;
  /**
   * A frontend Deployment and Service.
   * @default - no frontend
   */
  readonly frontend?: { readonly image?: string };
  /** The database server as the pods reach it (the tenant's database lives there, as for a docker tenant). */
  readonly databaseServer: KubernetesDatabaseServer;
  /**
   * Namespace of the ingress controller: the only pods that may connect to the API and the frontend.
   * @default "ingress-nginx"
   */
  readonly ingressNamespace?: string;
  /**
   * An Ingress with TLS.
   * @default - no Ingress; the Services answer inside the cluster only
   */
  readonly ingress?: KubernetesIngress;
}

/** Where and how the tenant's store app runs. */
export type AppTarget = DockerTarget | LambdaTarget | KubernetesTarget;

/** A tenant taken over from the original system: its database exists and is adopted, not created. */
export interface Adoption {
  /**
   * The original system's roles for this tenant's people, named after bare
   * usernames and shared across tenants. Adoption revokes their privileges in
   * this database; dropping them is left to the operator (see the README).
   */
  readonly legacyRoles: readonly string[];
}

/**
 * Where a tenant is in its life: `offboarding` lifts its database's
 * protection for `cdktf destroy`; `maintenance` lets a restored database be
 * swapped in for the live one, and `migrate --all` leaves the tenant alone.
 */
export type TenantLifecycle = 'active' | 'maintenance' | 'offboarding';

/** Everything the fleet knows about one customer: the contents of `tenants/<key>.ts`. */
export interface TenantDefinition {
  /** Stack name and prefix of every role: equal to the file name. */
  readonly key: string;
  /** The customer's company name, for people. */
  readonly company: string;
  /** free, starter, professional or enterprise. */
  readonly plan: Plan;
  readonly database: DatabaseSettings | MongoDatabaseSettings;
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
  /**
   * The database settings, defaults resolved; for PostgreSQL, `postgresVersion`
   * for a lambda tenant (its own RDS server) only, `server` for every other tenant.
   */
  readonly database: ResolvedPostgresDatabase | ResolvedMongoDatabase;
  readonly people: Required<People>;
  readonly app: ResolvedDockerTarget | ResolvedLambdaTarget | ResolvedKubernetesTarget;
  readonly tags: Readonly<Record<string, string>>;
  readonly roleNames: RoleNameScheme;
  readonly lifecycle: TenantLifecycle;
  readonly adopt?: Adoption;
  /** Path of the tenant file relative to the project, for messages. */
  readonly file: string;
}

/** A PostgreSQL database with its defaults resolved (no `engine`: a tenant without one is PostgreSQL). */
export type ResolvedPostgresDatabase = Required<Omit<DatabaseSettings, 'postgresVersion' | 'engine' | 'server'>> & Pick<DatabaseSettings, 'postgresVersion' | 'engine' | 'server'>;

/** A MongoDB database with the settings of its placement, defaults resolved. */
export type ResolvedMongoDatabase = {
  readonly engine: 'mongodb';
  readonly name: string;
} & (
  | { readonly placement: 'container'; readonly container: Required<MongoContainerSettings> }
  | { readonly placement: 'documentdb'; readonly documentdb: { readonly instanceClass: string; readonly instances: number } }
  | { readonly placement: 'atlas'; readonly atlas: Omit<AtlasSettings, 'tier'> & { readonly tier: AtlasTier } }
);

/** A tenant whose database is PostgreSQL. */
export type PostgresTenant = Tenant & { readonly database: ResolvedPostgresDatabase };

/** A tenant whose database is MongoDB. */
export type MongoTenant = Tenant & { readonly database: ResolvedMongoDatabase };

/** Whether a tenant's database is MongoDB. */
export function isMongoTenant(tenant: Tenant): tenant is MongoTenant {
  return tenant.database.engine === 'mongodb';
}

/** Whether a tenant's database is PostgreSQL. */
export function isPostgresTenant(tenant: Tenant): tenant is PostgresTenant {
  return tenant.database.engine !== 'mongodb';
}

/** A docker target with its images and limits resolved. */
export interface ResolvedDockerTarget {
  readonly target: 'docker';
  readonly port: number;
  readonly image: string;
  readonly frontend?: Required<DockerFrontend>;
  readonly limits: Required<DockerLimits>;
}

/** A Kubernetes target with its defaults resolved (the shape the Kubernetes model reads). */
export type ResolvedKubernetesTarget = KubernetesAppSettings;

/** A Lambda target with its defaults resolved. */
export interface ResolvedLambdaTarget {
  readonly target: 'lambda';
  readonly region: string;
  readonly artifact: LambdaArtifact;
  readonly architecture: LambdaArchitecture;
  readonly vpc?: ExistingVpc;
  readonly frontend: boolean;
  readonly frontendDomain?: FrontendDomain;
  readonly frontendWebAclArn?: string;
  readonly codeSigning?: CodeSigning;
  readonly authorizer?: JwtAuthorizer;
  readonly deployRunnerSecurityGroupId?: string;
  readonly vpcEndpoints: boolean;
  readonly egress: Required<EgressAllowList>;
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
