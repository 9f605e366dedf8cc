/**
 * The registry's messages: every rule a tenant file must meet, each ending
 * with how to fix the value, and the error that lists every problem at once.
 */
import { KEY_PATTERN, MAX_IDENTIFIER_BYTES, MAX_KEY_BYTES, MAX_MONGO_DATABASE_NAME_BYTES, MONGO_RESERVED_DATABASE_NAMES, awsNameRules } from '../../model/naming';
import { PLANS } from '../../model/plans';
import { type Problem, ProblemsError } from '../../model/problems';

/** Problems in the tenant files. */
export class RegistryError extends ProblemsError {
  constructor(problems: readonly Problem[]) {
    super('The tenant registry', problems);
    this.name = 'RegistryError';
  }
}

/** Rule texts, each ending with how to fix the value. */
export const rules = {
  missing: (what: string) => `is missing; add ${what}`,
  wrongType: (expected: string) => `must be ${expected}`,
  unknownField: (known: readonly string[]) => `is not a known field; remove it (known fields: ${known.join(', ')})`,
  identifierFormat: () =>
    'must match ^[a-z][a-z0-9_]*$ (lowercase letters, digits, underscores; start with a letter)',
  keyFormat: () =>
    `must match ${KEY_PATTERN.source} (lowercase letters and digits in words joined by single underscores; start with a letter)`,
  keyTooLong: (bytes: number) =>
    `is ${bytes} bytes; keys are at most ${MAX_KEY_BYTES} bytes so that every role name <key>__<role> fits PostgreSQL's ${MAX_IDENTIFIER_BYTES}; shorten the key`,
  identifierTooLong: (bytes: number) =>
    `is ${bytes} bytes; PostgreSQL identifiers are at most ${MAX_IDENTIFIER_BYTES} bytes and longer ones are silently truncated; shorten it`,
  roleTooLong: (role: string) =>
    `makes the role name "${role}" ${Buffer.byteLength(role)} bytes; PostgreSQL role names are at most ${MAX_IDENTIFIER_BYTES} bytes; shorten the username or the key`,
  reservedDatabaseName: () => 'is reserved by PostgreSQL (postgres, template0, template1); choose another database name',
  reservedUsername: (reserved: readonly string[]) =>
    `is reserved for the tenant's own roles (${reserved.join(', ')}); choose another username`,
  unknownPlan: () => `is not a plan; use one of ${PLANS.join(', ')}`,
  invalidEmail: () => 'is not an email address; use the form name@example.com',
  blank: (what: string) => `must not be empty; give ${what}`,
  missingAdmin: () => 'is empty; every tenant needs at least one admin',
  invalidPort: (min: number, max: number) => `must be a whole number from ${min} to ${max}; choose a free host port`,
  invalidImage: () =>
    'is not a pinned image reference; use [registry/]name:tag or [registry/]name@sha256:<64 hex digits> (no tag means :latest, which changes under you)',
  latestImage: () => 'uses the tag "latest", which changes under you; pin a version tag or a digest',
  unknownTarget: (targets: readonly string[]) => `is not an app target; use one of ${targets.join(', ')}`,
  invalidCollation: () => 'is not a collation name; use e.g. en_US.UTF-8, de_DE.UTF-8, C.UTF-8 or C',
  reservedTag: (prefix: string) => `starts with "${prefix}", which the fleet keeps for its own labels and tags (tenant and plan); choose another key`,
  invalidTag: () => 'must be a string of 1 to 256 characters with a key of letters, digits, and . _ - : / (AWS and Docker accept these)',
  unknownArchitecture: (architectures: readonly string[]) =>
    `is not a Lambda architecture; use one of ${architectures.join(', ')} (the one the artifact is built for)`,
  invalidRegion: awsNameRules.invalidRegion,
  invalidBucket: awsNameRules.invalidBucket,
  invalidObjectKey: () => 'must be a non-empty S3 object key of at most 1024 characters, e.g. api/1.0.0/bootstrap.zip',
  invalidImageUri: () =>
    'is not a pinned ECR image; use <account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag> or @sha256:<digest> (not :latest)',
  invalidArtifact: () => 'must be { s3Bucket, s3Key, s3ObjectVersion or sourceCodeHash } (a zip in S3) or { imageUri } (an image in ECR)',
  unpinnedArtifact: () =>
    'is missing; add s3ObjectVersion (the zip\'s version id in its versioned bucket) or sourceCodeHash (the zip\'s base64 SHA-256), so the function runs exactly the code this file names',
  invalidObjectVersion: () => 'must be an S3 object version id (1 to 1024 characters without spaces), as `aws s3api list-object-versions` shows it',
  invalidSourceCodeHash: () => 'must be the base64 SHA-256 of the zip (44 characters ending in =), from `openssl dgst -sha256 -binary <zip> | base64`',
  invalidMemory: () => 'must be a whole number of MiB from 64 to 65536',
  invalidCpus: () => 'must be a number of CPUs from 0.1 to 64, e.g. 0.5',
  invalidSigningProfileArn: () => 'is not a signing profile version ARN; use arn:aws:signer:<region>:<account>:/signing-profiles/<name>/<version>',
  codeSigningNeedsZip: () => 'applies to zip artifacts only (Lambda does not check signatures of images); remove it, or pin the image by digest',
  invalidIssuer: () => 'must be the https URL of the token issuer, e.g. https://cognito-idp.eu-west-1.amazonaws.com/<user pool id>',
  invalidRouteKey: () => 'must be an HTTP API route key "<METHOD> /<path>", e.g. "ANY /admin/{proxy+}" (METHOD: ANY, GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS)',
  emptyList: (what: string) => `must not be empty; list at least one ${what}`,
  invalidDomainName: () => 'is not a domain name; use lowercase labels of letters, digits and hyphens joined by dots, e.g. shop.example.com',
  invalidCertificateArn: () =>
    'must be an ACM certificate ARN in us-east-1 (arn:aws:acm:us-east-1:<account>:certificate/<id>), the only region CloudFront reads certificates from',
  invalidWebAclArn: () => 'must be a WAFv2 web ACL ARN of scope CLOUDFRONT: arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>',
  needsFrontend: () => 'applies to the CloudFront frontend only; set frontend: true or remove it',
  invalidSecurityGroupId: () => 'is not a security group id; use sg- followed by 8 or 17 hex digits',
  invalidCidr: () => 'is not an IPv4 range; use a CIDR such as 203.0.113.0/24',
  invalidVpcId: () => 'is not a VPC id; use vpc- followed by 8 or 17 hex digits',
  invalidSubnetId: () => 'is not a subnet id; use subnet- followed by 8 or 17 hex digits',
  tooFewSubnets: () => 'needs at least two private subnets, in different availability zones, for the database and the function',
  protectedLegacyRole: () =>
    "is this fleet's own role, the server admin or a system role; adoption would revoke its privileges, so remove it from adopt.legacyRoles",
  invalidLegacyRole: () => 'is not a role name the original system could have created; use the role name as it exists on the server',
  unsupportedPostgresVersion: (majors: readonly number[]) =>
    `is not a PostgreSQL major this project proves; use one of ${majors.join(', ')} (the versions its tests run the access model and migrations on)`,
  postgresVersionOnDocker: () =>
    "applies to a tenant's own RDS server (app.target \"lambda\"); a docker tenant runs on the environment's server (PGHOST), so remove it",
  invalidDatabaseHost: () => 'is not a host name or IPv4 address; use e.g. db.internal.example or 10.20.0.15',
  invalidDatabasePort: () => 'must be a whole number from 1 to 65535 (PostgreSQL listens on 5432 by default)',
  invalidSslmode: (modes: readonly string[]) => `is not an sslmode the pods may use; use one of ${modes.join(', ')} (TLS is always on)`,
  invalidDns1123Label: () => 'is not a Kubernetes name; use at most 63 lowercase letters, digits and hyphens, starting and ending with a letter or digit',
  invalidDns1123Subdomain: () => 'is not a Kubernetes Secret name; use lowercase letters, digits, hyphens and dots, starting and ending with a letter or digit',
  frontendHostNeedsFrontend: () => 'exposes the frontend, which this tenant does not have; add frontend: {} or remove frontendHost',
  namespaceTooLong: (namespace: string) =>
    `makes the namespace "${namespace}", which is not a DNS-1123 label of at most 63 characters; shorten the key`,
  invalidKubernetesLabel: () =>
    'is not a Kubernetes label (keys: an optional DNS prefix and "/", then at most 63 letters, digits, "-", "_", "."; values: the same, at most 63); a Kubernetes tenant carries its tags as labels, so change the tag',
  unknownRoleNames: (schemes: readonly string[]) =>
    `is not a way to name roles; use ${schemes.map((s) => `"${s}"`).join(' or ')} ("opaque" hides usernames from other logins on a shared server)`,
  unknownLifecycle: () => 'is not a lifecycle; use "active", "maintenance" (set by `npx tenants maintenance <key>`) or "offboarding" (set by `npx tenants offboard <key>`)',
  keyMismatchesFile: (fileKey: string) =>
    `must equal the file name "${fileKey}" (the file is tenants/${fileKey}.ts); rename the file or change the key`,
  duplicateUsername: (field: string) => `is already used by ${field} in this tenant; usernames must be unique within a tenant`,
  duplicateAcrossFleet: (what: string, other: string) =>
    `is already used by ${other}; ${what} must be unique across the fleet`,
  roleCollision: (role: string, other: string) =>
    `derives the role "${role}", which ${other} derives too; role names are cluster-wide, so rename one of them`,
  unknownEngine: (engines: readonly string[]) => `is not a database engine; use ${engines.map((e) => `"${e}"`).join(' or ')} (a file without engine is PostgreSQL)`,
  mongoDatabaseNameCharacters: () =>
    'has a character MongoDB refuses in database names (/ \\ . " $ * < > : | ?, a space or a control character); use letters, digits, _ and -',
  mongoDatabaseNameTooLong: (bytes: number) =>
    `is ${bytes} bytes; MongoDB database names must be under 64 bytes (at most ${MAX_MONGO_DATABASE_NAME_BYTES}); shorten it`,
  mongoDatabaseNameEmpty: () => 'must not be empty; give the database name the customer chose',
  mongoReservedDatabaseName: () =>
    `is reserved by MongoDB (${MONGO_RESERVED_DATABASE_NAMES.join(', ')}, in any case): roles on it would reach beyond the tenant (dbOwner on admin is the whole server); choose another database name`,
  unknownPlacement: (placements: readonly string[]) => `is not a MongoDB placement; use one of ${placements.join(', ')}`,
  missingPlacementSettings: (placement: string, example: string) => `is missing; placement "${placement}" needs database.${placement}: ${example}`,
  otherPlacementSettings: (field: string, placement: string) =>
    `applies to placement "${field}", not "${placement}"; remove it, or set database.placement to "${field}"`,
  placementNeedsTarget: (target: string, why: string) => `needs app.target "${target}" (${why}); change app.target or choose another placement`,
  invalidDocdbClass: (classes: readonly string[]) => `is not a DocumentDB instance class; use one of ${classes.join(', ')}`,
  docdbClassNotForPlan: (plan: string, classes: readonly string[]) => `is not offered on the ${plan} plan; use one of ${classes.join(', ')}, or change the plan`,
  invalidAtlasId: (what: string) => `is not an Atlas ${what} id; use the 24 hex digits Atlas shows (Organization or Project Settings)`,
  invalidAtlasRegion: () => 'is not an Atlas region on AWS; use Atlas\'s form, e.g. EU_WEST_1, US_EAST_1 or AP_SOUTHEAST_2',
  unknownAtlasTier: (tiers: readonly string[]) => `is not an Atlas cluster tier; use one of ${tiers.join(', ')}`,
  freeTierOnPaidPlan: (plan: string) => `is the free shared tier, without backups; the ${plan} plan needs backups, so use M10 or larger`,
  atlasAccessEither: () => 'must have exactly one of ipAccessList (CIDRs allowed to connect) and privateEndpoint (a VPC endpoint from the Docker host\'s VPC)',
  openAccessList: () => 'opens the cluster to every address; list the Docker host\'s and the deploy machine\'s addresses instead (or use privateEndpoint)',
  privateEndpointOnFreeTier: () => 'is not available on the M0 tier; use an ipAccessList, or a tier of M10 or larger',
  unknownTenantKey: (known: readonly string[]) => `is not a tenant in the registry; use one of ${known.join(', ') || '(none)'}`,
  badFileName: () =>
    `is not a tenant file name; tenant files are named <key>.ts with a key matching ${KEY_PATTERN.source}; rename it or move it out of tenants/`,
  loadFailed: (reason: string) => `could not be loaded (${reason}); fix the file so that it compiles and runs`,
  noDefaultExport: () => 'has no default export; end it with `export default defineTenant({ ... })`',
} as const;

/** Messages of the tools that edit tenant files. */
export const editErrors = {
  noDefineTenant: (file: string) => `${file} has no defineTenant({ ... }) call to edit; it must export default defineTenant({ ... })`,
  noDefinition: (file: string, call: string) => `${file} has no ${call}({ ... }) call to edit; it must export default ${call}({ ... })`,
  notAnObject: (file: string, field: string) => `${file}: ${field} is not an object written in the file ({ ... }), so it cannot be edited here; edit the file by hand`,
} as const;

/** Rule texts of server files and of the placement of tenants on servers, each ending with the fix. */
export const serverRules = {
  nameFormat: () => 'must be lowercase words of letters and digits joined by single hyphens, e.g. eu-shared-1, and equal the file name',
  nameMismatchesFile: (fileName: string) => `must equal the file name "${fileName}" (the file is servers/${fileName}.ts); rename the file or change the name`,
  badFileName: () => 'is not a server file name; server files are named <name>.ts, the name lowercase words joined by single hyphens',
  invalidHost: () => 'is not a host name or address; use e.g. db1.example.com or 10.0.0.5',
  invalidPort: () => 'must be a whole number from 1 to 65535',
  unknownSslmode: (modes: readonly string[]) => `is not an sslmode; use one of ${modes.join(', ')} (verify-full with rootCertificate in production)`,
  invalidRootCertificate: () => 'must be the path of the CA certificate, relative to the project root',
  verifyNeedsCertificate: (mode: string) => `is missing, but sslmode is ${mode}: give the CA certificate that signs the server's, relative to the project root`,
  invalidAdminRole: () => 'is not a role name; use the server admin Terraform and the runner connect as, e.g. postgres',
  invalidMaxConnections: () => "must be the server's max_connections, a whole number from 10 to 262143",
  invalidReservedConnections: () => 'must be a whole number from 0 to 1000 (superuser_reserved_connections, plus reserved_connections from PostgreSQL 16)',
  reservedTooMany: (max: number) => `must be fewer than maxConnections (${max}); leave slots for the tenants`,
  unknownKind: (kinds: readonly string[]) => `is not a kind of server; use one of ${kinds.join(', ')}`,
  unknownServer: (known: readonly string[]) =>
    `is not a server of the fleet; use one of ${known.join(', ')} (servers/<name>.ts; "default" is the deploying environment's PGHOST)`,
  serverOfLambda: () => "applies to tenants on a shared server; a lambda tenant's database is on its own RDS instance, so remove it",
  closedServer: (server: string, suggestion: string) =>
    `names server "${server}", which takes no new tenants (acceptsNewTenants: false); place the tenant on an open server${suggestion}, or add it to the server's existingTenants if it is already there`,
  overFull: (available: number, needed: number, tenants: readonly string[]) =>
    `leaves ${available} connections for tenants (maxConnections less reservedConnections), but the tenants placed here can hold ${needed} (${tenants.join(', ')}): ` +
    'raise maxConnections on the server, or move tenants to another server (npx tenants move <key> --to <server>)',
  noDefaultExport: () => 'has no default export; end it with `export default defineServer({ ... })`',
  missingHost: () => 'is missing; add host: "<host name or address>" (only the default server takes its host from the environment)',
  defaultConnectionField: () =>
    'is not set in servers/default.ts: the default server is reached through the deploying environment (PGHOST, PGPORT, PGUSER, PGSSLMODE, PGSSLROOTCERT, or --url); remove it, or describe the server under a name of its own',
  missingRootCertificate: () => 'names no file; give the path of the CA certificate relative to the project root (e.g. certs/rds-ca-bundle.pem)',
  noRoom: (free: number, needed: number, suggestion: string) =>
    `has room for ${free} more connections, but the tenant can hold ${needed}: place it on an open server with room${suggestion}, or raise the server's maxConnections`,
  unknownExistingTenant: (known: readonly string[]) => `is not a tenant of the registry; remove it (tenants: ${known.join(', ') || '(none)'})`,
} as const;
