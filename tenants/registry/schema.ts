import { z } from 'zod';
import { rules, serverRules } from './messages';
import { MAX_HOST_PORT, MIN_HOST_PORT, SUPPORTED_POSTGRES_MAJORS } from '../../model/defaults';
import { KUBERNETES_SSLMODES } from '../../model/kubernetes/defaults';
import { ATLAS_TIERS, DOCDB_INSTANCE_CLASSES, MONGO_PLACEMENTS } from '../../model/mongo-plans';
import {
  AWS_REGION_PATTERN,
  DNS1123_SUBDOMAIN_PATTERN,
  IDENTIFIER_PATTERN,
  KEY_PATTERN,
  MAX_IDENTIFIER_BYTES,
  MAX_KEY_BYTES,
  RESERVED_DATABASE_NAMES,
  RESERVED_USERNAMES,
  ROLE_NAME_SCHEMES,
  S3_BUCKET_PATTERN,
  byteLength,
  isDns1123Label,
  isProtectedRole,
  mongoDatabaseNameProblem,
} from '../../model/naming';
import { PLANS } from '../../model/plans';
import { SERVER_NAME_PATTERN } from '../../model/servers';
import { RESERVED_TAG_PREFIX, isReservedTag } from '../../model/tenant-tags';
import type { LambdaArchitecture, LambdaArtifact, TenantDefinition } from './types';

/** App targets the registry accepts. */
export const APP_TARGETS = ['docker', 'lambda', 'kubernetes'] as const;

/** Database engines the registry accepts; a file without `engine` is PostgreSQL. */
export const DATABASE_ENGINES = ['postgresql', 'mongodb'] as const;

/** Processors a Lambda tenant's function can run on. */
const LAMBDA_ARCHITECTURES = ['x86_64', 'arm64'] as const satisfies readonly LambdaArchitecture[];

/**
 * A Docker image reference pinned by tag or digest:
 * `[registry[:port]/]path[:tag][@sha256:digest]`, after the grammar of
 * distribution/reference.
 */
const IMAGE_COMPONENT = '[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*';
const IMAGE_DOMAIN = '[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?';
export const IMAGE_PATTERN = new RegExp(
  `^(?:${IMAGE_DOMAIN}/)?${IMAGE_COMPONENT}(?:/${IMAGE_COMPONENT})*(?::(?<tag>[\\w][\\w.-]{0,127}))?(?:@(?<digest>sha256:[a-f0-9]{64}))?$`,
);

/** Collation names PostgreSQL accepts from the operating system's locales. */
export const COLLATION_PATTERN = /^(?:C|POSIX|C\.(?:UTF-8|utf8)|[a-z]{2,3}_[A-Z]{2}(?:\.(?:UTF-8|utf8))?)$/;

/** Roles of the original system: any PostgreSQL role name it could have created from a username. */
const LEGACY_ROLE_PATTERN = /^[A-Za-z_][A-Za-z0-9_$.-]{0,62}$/;

/** Tag keys AWS and Docker labels both accept. */
const TAG_KEY_PATTERN = /^[A-Za-z0-9 _.:/=+\-@]{1,128}$/;

/** Company names: printable, one line (no control characters). */
// eslint-disable-next-line no-control-regex
const COMPANY_PATTERN = /^[^\u0000-\u001f\u007f]{1,120}$/;

type IssueInput = { input?: unknown };
export const describe = (what: string, expected: string) => (iss: IssueInput) =>
  iss.input === undefined ? rules.missing(what) : rules.wrongType(expected);

/** A string field with a format rule; missing and wrong types get their own messages. */
export function text(what: string) {
  return z.string({ error: describe(what, 'a string') });
}

function identifier(what: string, extra: (value: string) => string | undefined = () => undefined) {
  return text(what)
    .regex(IDENTIFIER_PATTERN, { error: rules.identifierFormat() })
    .check((ctx) => {
      const bytes = byteLength(ctx.value);
      if (IDENTIFIER_PATTERN.test(ctx.value) && bytes > MAX_IDENTIFIER_BYTES) {
        ctx.issues.push({ code: 'custom', message: rules.identifierTooLong(bytes), input: ctx.value });
        return;
      }
      const message = extra(ctx.value);
      if (message) ctx.issues.push({ code: 'custom', message, input: ctx.value });
    });
}

const key = text('key: "<file name>"')
  .regex(KEY_PATTERN, { error: rules.keyFormat() })
  .check((ctx) => {
    const bytes = byteLength(ctx.value);
    if (KEY_PATTERN.test(ctx.value) && bytes > MAX_KEY_BYTES) {
      ctx.issues.push({ code: 'custom', message: rules.keyTooLong(bytes), input: ctx.value });
    }
  });

const email = z.email({
  error: (iss) => (iss.input === undefined ? rules.missing('email: "name@example.com"') : rules.invalidEmail()),
});

const person = z.strictObject(
  {
    username: identifier('username: "<lowercase name>"', (value) =>
      RESERVED_USERNAMES.includes(value) ? rules.reservedUsername(RESERVED_USERNAMES) : undefined,
    ),
    email,
  },
  { error: describe('a person', 'an object { username, email }') },
);

const people = (what: string) => z.array(person, { error: describe(what, 'a list of { username, email }') });

const port = (what: string) =>
  z
    .int({
      error: (iss) =>
        iss.input === undefined ? rules.missing(what) : rules.invalidPort(MIN_HOST_PORT, MAX_HOST_PORT),
    })
    .min(MIN_HOST_PORT, { error: rules.invalidPort(MIN_HOST_PORT, MAX_HOST_PORT) })
    .max(MAX_HOST_PORT, { error: rules.invalidPort(MIN_HOST_PORT, MAX_HOST_PORT) });

const image = text('image: "<registry>/<name>:<tag>"').check((ctx) => {
  const match = IMAGE_PATTERN.exec(ctx.value);
  if (!match || (!match.groups?.tag && !match.groups?.digest)) {
    ctx.issues.push({ code: 'custom', message: rules.invalidImage(), input: ctx.value });
  } else if (match.groups?.tag === 'latest' && !match.groups?.digest) {
    ctx.issues.push({ code: 'custom', message: rules.latestImage(), input: ctx.value });
  }
});

const dockerTarget = z.strictObject({
  target: z.literal('docker'),
  port: port('port: <host port of the API>'),
  image: image.optional(),
  frontend: z
    .strictObject(
      { port: port('port: <host port of the frontend>'), image: image.optional() },
      { error: describe('frontend', 'an object { port, image? }') },
    )
    .optional(),
  limits: z
    .strictObject(
      {
        memoryMiB: z.int({ error: rules.invalidMemory() }).min(64, { error: rules.invalidMemory() }).max(65536, { error: rules.invalidMemory() }).optional(),
        cpus: z.number({ error: rules.invalidCpus() }).min(0.1, { error: rules.invalidCpus() }).max(64, { error: rules.invalidCpus() }).optional(),
      },
      { error: describe('limits', 'an object { memoryMiB?, cpus? }') },
    )
    .optional(),
});

/** Domain names CloudFront serves: lowercase labels joined by dots. */
const DOMAIN_PATTERN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** HTTP API route keys with a method and a path. */
const ROUTE_KEY_PATTERN = /^(?:ANY|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) \/[\w\-./{}+]*$/;

/** An IPv4 CIDR, each octet 0 to 255, prefix 0 to 32. */
const cidr = text('a CIDR').regex(/^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\/(?:3[0-2]|[12]?\d)$/, { error: rules.invalidCidr() });

/** AWS region names: eu-west-1, us-gov-west-1, ap-southeast-2. */
const ECR_IMAGE_PATTERN = /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?\/[a-z0-9][a-z0-9._/-]*(?::(?<tag>[\w][\w.-]{0,127}))?(?:@(?<digest>sha256:[a-f0-9]{64}))?$/;

// One object with optional fields rather than a union, so that a bad value is
// reported at its own field instead of as "matches neither shape".
const artifact = z
  .strictObject(
    {
      s3Bucket: text('s3Bucket').regex(S3_BUCKET_PATTERN, { error: rules.invalidBucket() }).optional(),
      s3Key: text('s3Key').min(1, { error: rules.invalidObjectKey() }).max(1024, { error: rules.invalidObjectKey() }).optional(),
      s3ObjectVersion: text('s3ObjectVersion').regex(/^\S{1,1024}$/, { error: rules.invalidObjectVersion() }).optional(),
      sourceCodeHash: text('sourceCodeHash').regex(/^[A-Za-z0-9+/]{43}=$/, { error: rules.invalidSourceCodeHash() }).optional(),
      imageUri: text('imageUri')
        .check((ctx) => {
          const match = ECR_IMAGE_PATTERN.exec(ctx.value);
          const tag = match?.groups?.tag;
          if (!match || (!tag && !match.groups?.digest) || (tag === 'latest' && !match.groups?.digest)) {
            ctx.issues.push({ code: 'custom', message: rules.invalidImageUri(), input: ctx.value });
          }
        })
        .optional(),
    },
    { error: (iss) => (iss.input === undefined ? rules.missing('artifact: { s3Bucket, s3Key } or { imageUri }') : rules.invalidArtifact()) },
  )
  .check((ctx) => {
    const { s3Bucket, s3Key, s3ObjectVersion, sourceCodeHash, imageUri } = ctx.value;
    const pinned = s3ObjectVersion !== undefined || sourceCodeHash !== undefined;
    const zip = s3Bucket !== undefined && s3Key !== undefined && imageUri === undefined;
    const image = imageUri !== undefined && s3Bucket === undefined && s3Key === undefined && !pinned;
    if (!zip && !image) ctx.issues.push({ code: 'custom', message: rules.invalidArtifact(), input: ctx.value });
    else if (zip && !pinned) ctx.issues.push({ code: 'custom', message: rules.unpinnedArtifact(), input: undefined, path: ['s3ObjectVersion'] });
  })
  .transform((value) => value as LambdaArtifact);

const lambdaTarget = z.strictObject({
  target: z.literal('lambda'),
  region: text('region: "<aws region>"').regex(AWS_REGION_PATTERN, { error: rules.invalidRegion() }),
  artifact,
  architecture: z.enum(LAMBDA_ARCHITECTURES, { error: rules.unknownArchitecture(LAMBDA_ARCHITECTURES) }).optional(),
  vpc: z
    .strictObject(
      {
        id: text('id: "vpc-…"').regex(/^vpc-(?:[0-9a-f]{8}|[0-9a-f]{17})$/, { error: rules.invalidVpcId() }),
        privateSubnetIds: z
          .array(text('a subnet id').regex(/^subnet-(?:[0-9a-f]{8}|[0-9a-f]{17})$/, { error: rules.invalidSubnetId() }), {
            error: describe('privateSubnetIds: ["subnet-…", "subnet-…"]', 'a list of subnet ids'),
          })
          .min(2, { error: rules.tooFewSubnets() }),
      },
      { error: describe('vpc', 'an object { id, privateSubnetIds }') },
    )
    .optional(),
  frontend: z.boolean({ error: rules.wrongType('true or false') }).optional(),
  frontendDomain: z
    .strictObject(
      {
        name: text('name: "<domain>"').regex(DOMAIN_PATTERN, { error: rules.invalidDomainName() }),
        certificateArn: text('certificateArn: "arn:aws:acm:us-east-1:…"').regex(/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]{36}$/, {
          error: rules.invalidCertificateArn(),
        }),
      },
      { error: describe('frontendDomain', 'an object { name, certificateArn }') },
    )
    .optional(),
  frontendWebAclArn: text('frontendWebAclArn')
    .regex(/^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/[\w-]{1,128}\/[0-9a-f-]{36}$/, { error: rules.invalidWebAclArn() })
    .optional(),
  codeSigning: z
    .strictObject(
      {
        signingProfileVersionArns: z
          .array(text('a signing profile version ARN').regex(/^arn:aws[a-z-]*:signer:[a-z0-9-]+:\d{12}:\/signing-profiles\/\w{2,64}\/\w{10}$/, { error: rules.invalidSigningProfileArn() }), {
            error: describe('signingProfileVersionArns: ["arn:aws:signer:…"]', 'a list of signing profile version ARNs'),
          })
          .min(1, { error: rules.emptyList('signing profile version ARN') }),
      },
      { error: describe('codeSigning', 'an object { signingProfileVersionArns }') },
    )
    .optional(),
  authorizer: z
    .strictObject(
      {
        issuer: text('issuer: "https://…"').regex(/^https:\/\/[^\s/]+(?:\/\S*)?$/, { error: rules.invalidIssuer() }),
        audience: z.array(text('an audience').min(1, { error: rules.blank('an audience') }), { error: describe('audience: ["<client id>"]', 'a list of audiences') }).min(1, {
          error: rules.emptyList('audience'),
        }),
        routes: z
          .array(text('a route key').regex(ROUTE_KEY_PATTERN, { error: rules.invalidRouteKey() }), { error: describe('routes: ["ANY /admin/{proxy+}"]', 'a list of route keys') })
          .min(1, { error: rules.emptyList('route key') }),
      },
      { error: describe('authorizer', 'an object { issuer, audience, routes }') },
    )
    .optional(),
  deployRunnerSecurityGroupId: text('deployRunnerSecurityGroupId').regex(/^sg-(?:[0-9a-f]{8}|[0-9a-f]{17})$/, { error: rules.invalidSecurityGroupId() }).optional(),
  vpcEndpoints: z.boolean({ error: rules.wrongType('true or false') }).optional(),
  egress: z
    .strictObject(
      {
        httpsCidrs: z.array(cidr, { error: describe('httpsCidrs', 'a list of CIDRs') }).min(1, { error: rules.emptyList('CIDR') }).optional(),
        smtpCidrs: z.array(cidr, { error: describe('smtpCidrs', 'a list of CIDRs') }).min(1, { error: rules.emptyList('CIDR') }).optional(),
      },
      { error: describe('egress', 'an object { httpsCidrs?, smtpCidrs? }') },
    )
    .optional(),
}).check((ctx) => {
  const { frontend, frontendDomain, frontendWebAclArn, codeSigning, artifact } = ctx.value;
  if (!frontend) {
    if (frontendDomain) ctx.issues.push({ code: 'custom', message: rules.needsFrontend(), input: frontendDomain, path: ['frontendDomain'] });
    if (frontendWebAclArn) ctx.issues.push({ code: 'custom', message: rules.needsFrontend(), input: frontendWebAclArn, path: ['frontendWebAclArn'] });
  }
  if (codeSigning && 'imageUri' in artifact) ctx.issues.push({ code: 'custom', message: rules.codeSigningNeedsZip(), input: codeSigning, path: ['codeSigning'] });
});

/** Host names (DNS) or IPv4 addresses, as libpq takes them. */
const HOST_PATTERN = /^(?=.{1,253}$)[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;

const dns1123Label = (what: string) => text(what).refine(isDns1123Label, { error: rules.invalidDns1123Label() });

const kubernetesTarget = z
  .strictObject({
    target: z.literal('kubernetes'),
    image: image.optional(),
    frontend: z.strictObject({ image: image.optional() }, { error: describe('frontend', 'an object { image? }') }).optional(),
    databaseServer: z.strictObject(
      {
        host: text('host: "<database host as the pods reach it>"').regex(HOST_PATTERN, { error: rules.invalidDatabaseHost() }),
        port: z
          .int({ error: rules.invalidDatabasePort() })
          .min(1, { error: rules.invalidDatabasePort() })
          .max(65535, { error: rules.invalidDatabasePort() })
          .optional(),
        cidrs: z.array(cidr, { error: describe('cidrs: ["<server address>/32"]', 'a list of CIDRs') }).min(1, { error: rules.emptyList('CIDR') }),
        sslmode: z.enum(KUBERNETES_SSLMODES, { error: rules.invalidSslmode(KUBERNETES_SSLMODES) }).optional(),
      },
      { error: describe('databaseServer: { host, cidrs }', 'an object { host, port?, cidrs, sslmode? }') },
    ),
    ingressNamespace: dns1123Label('ingressNamespace').optional(),
    ingress: z
      .strictObject(
        {
          host: text('host: "<domain>"').regex(DOMAIN_PATTERN, { error: rules.invalidDomainName() }),
          frontendHost: text('frontendHost').regex(DOMAIN_PATTERN, { error: rules.invalidDomainName() }).optional(),
          tlsSecret: text('tlsSecret: "<secret name>"').regex(DNS1123_SUBDOMAIN_PATTERN, { error: rules.invalidDns1123Subdomain() }),
          className: dns1123Label('className').optional(),
        },
        { error: describe('ingress', 'an object { host, frontendHost?, tlsSecret, className? }') },
      )
      .optional(),
  })
  .check((ctx) => {
    const { ingress, frontend } = ctx.value;
    if (ingress?.frontendHost && !frontend) {
      ctx.issues.push({ code: 'custom', message: rules.frontendHostNeedsFrontend(), input: ingress.frontendHost, path: ['ingress', 'frontendHost'] });
    }
  });

const appTarget = z.discriminatedUnion('target', [dockerTarget, lambdaTarget, kubernetesTarget], {
  error: (iss) => {
    if (iss.input === undefined) return rules.missing(`app: { target: "docker", port: <host port> }`);
    // zod reports an object with an unknown target at app.target.
    if (typeof iss.input === 'object' && iss.input !== null && 'target' in iss.input) return rules.unknownTarget(APP_TARGETS);
    return rules.wrongType(`an object { target: ${APP_TARGETS.map((t) => `"${t}"`).join(' | ')}, ... }`);
  },
});

/** Atlas region names on AWS: EU_WEST_1, US_EAST_1, AP_SOUTHEAST_2, US_GOV_WEST_1. */
export const ATLAS_REGION_PATTERN = /^[A-Z]{2}(?:_GOV)?_[A-Z]+_\d$/;

/** Atlas organization and project ids. */
const ATLAS_ID_PATTERN = /^[0-9a-f]{24}$/;

const mongoDatabaseName = text('name: "<database name>"').check((ctx) => {
  const problem = mongoDatabaseNameProblem(ctx.value);
  const message =
    problem === 'empty'
      ? rules.mongoDatabaseNameEmpty()
      : problem === 'characters'
        ? rules.mongoDatabaseNameCharacters()
        : problem === 'length'
          ? rules.mongoDatabaseNameTooLong(byteLength(ctx.value))
          : problem === 'reserved'
            ? rules.mongoReservedDatabaseName()
            : undefined;
  if (message) ctx.issues.push({ code: 'custom', message, input: ctx.value });
});

const atlasSettings = z
  .strictObject(
    {
      organizationId: text('organizationId: "<24 hex digits>"').regex(ATLAS_ID_PATTERN, { error: rules.invalidAtlasId('organization') }),
      projectId: text('projectId').regex(ATLAS_ID_PATTERN, { error: rules.invalidAtlasId('project') }).optional(),
      region: text('region: "EU_WEST_1"').regex(ATLAS_REGION_PATTERN, { error: rules.invalidAtlasRegion() }),
      tier: z.enum(ATLAS_TIERS, { error: rules.unknownAtlasTier(ATLAS_TIERS) }).optional(),
      ipAccessList: z
        .array(cidr.refine((value) => !value.endsWith('/0'), { error: rules.openAccessList() }), { error: describe('ipAccessList', 'a list of CIDRs') })
        .min(1, { error: rules.emptyList('CIDR') })
        .optional(),
      privateEndpoint: z
        .strictObject(
          {
            vpcId: text('vpcId: "vpc-…"').regex(/^vpc-(?:[0-9a-f]{8}|[0-9a-f]{17})$/, { error: rules.invalidVpcId() }),
            subnetIds: z
              .array(text('a subnet id').regex(/^subnet-(?:[0-9a-f]{8}|[0-9a-f]{17})$/, { error: rules.invalidSubnetId() }), {
                error: describe('subnetIds: ["subnet-…"]', 'a list of subnet ids'),
              })
              .min(1, { error: rules.emptyList('subnet id') }),
            clientSecurityGroupId: text('clientSecurityGroupId: "sg-…"').regex(/^sg-(?:[0-9a-f]{8}|[0-9a-f]{17})$/, { error: rules.invalidSecurityGroupId() }),
          },
          { error: describe('privateEndpoint', 'an object { vpcId, subnetIds, clientSecurityGroupId }') },
        )
        .optional(),
    },
    { error: describe('atlas: { organizationId, region, ipAccessList }', 'an object { organizationId, projectId?, region, tier?, ipAccessList? | privateEndpoint? }') },
  )
  .check((ctx) => {
    if ((ctx.value.ipAccessList === undefined) === (ctx.value.privateEndpoint === undefined)) {
      ctx.issues.push({ code: 'custom', message: rules.atlasAccessEither(), input: ctx.value });
    }
  });

const mongoDatabase = z
  .strictObject(
    {
      engine: z.literal('mongodb'),
      name: mongoDatabaseName,
      placement: z.enum(MONGO_PLACEMENTS, {
        error: (iss) => (iss.input === undefined ? rules.missing(`placement: ${MONGO_PLACEMENTS.map((p) => `"${p}"`).join(' | ')}`) : rules.unknownPlacement(MONGO_PLACEMENTS)),
      }),
      container: z
        .strictObject({ port: port('port: <host port of the database>'), image: image.optional() }, { error: describe('container: { port }', 'an object { port, image? }') })
        .optional(),
      documentdb: z
        .strictObject(
          { instanceClass: z.enum(DOCDB_INSTANCE_CLASSES, { error: rules.invalidDocdbClass(DOCDB_INSTANCE_CLASSES) }).optional() },
          { error: describe('documentdb', 'an object { instanceClass? }') },
        )
        .optional(),
      atlas: atlasSettings.optional(),
    },
    { error: describe('database: { engine: "mongodb", name, placement }', 'an object { engine, name, placement, container? | documentdb? | atlas? }') },
  );

const postgresDatabase = z.strictObject(
  {
    engine: z.literal('postgresql').optional(),
    name: identifier('name: "<database name>"', (value) => (RESERVED_DATABASE_NAMES.includes(value) ? rules.reservedDatabaseName() : undefined)),
    collation: text('collation').regex(COLLATION_PATTERN, { error: rules.invalidCollation() }).optional(),
    postgresVersion: z.literal(SUPPORTED_POSTGRES_MAJORS, { error: rules.unsupportedPostgresVersion(SUPPORTED_POSTGRES_MAJORS) }).optional(),
    server: text('server: "<server name>"').regex(SERVER_NAME_PATTERN, { error: serverRules.nameFormat() }).optional(),
  },
  { error: describe('database: { name: "<database name>" }', 'an object { name, collation?, postgresVersion?, server? }') },
);

const database = z.discriminatedUnion('engine', [postgresDatabase, mongoDatabase], {
  error: (iss) => {
    if (iss.input === undefined) return rules.missing('database: { name: "<database name>" }');
    // zod reports an object with an unknown engine at database.engine.
    if (typeof iss.input === 'object' && iss.input !== null && 'engine' in iss.input) return rules.unknownEngine(DATABASE_ENGINES);
    return rules.wrongType('an object { name, collation?, postgresVersion?, server? } or { engine: "mongodb", name, placement, ... }');
  },
});

/** The shape of one tenant file's default export; cross-field and fleet rules live in validate.ts. */
export const tenantDefinitionSchema = z.strictObject(
  {
    key,
    company: text('company: "<company name>"').regex(COMPANY_PATTERN, {
      error: rules.blank('the company name on one line, at most 120 characters'),
    }),
    plan: z.enum(PLANS, {
      error: (iss) => (iss.input === undefined ? rules.missing(`plan: "${PLANS.join('" | "')}"`) : rules.unknownPlan()),
    }),
    database,
    people: z.strictObject(
      {
        admins: people('admins: [{ username, email }]').min(1, { error: rules.missingAdmin() }),
        developers: people('developers').optional(),
        customers: people('customers').optional(),
      },
      { error: describe('people: { admins: [{ username, email }] }', 'an object { admins, developers?, customers? }') },
    ),
    app: appTarget,
    lifecycle: z.enum(['active', 'maintenance', 'offboarding'], { error: rules.unknownLifecycle() }).optional(),
    roleNames: z.enum(ROLE_NAME_SCHEMES, { error: rules.unknownRoleNames(ROLE_NAME_SCHEMES) }).optional(),
    adopt: z
      .strictObject(
        {
          legacyRoles: z.array(
            text('a role name')
              .regex(LEGACY_ROLE_PATTERN, { error: rules.invalidLegacyRole() })
              .refine((role) => !isProtectedRole(role), { error: rules.protectedLegacyRole() }),
            { error: describe('legacyRoles: ["<role>", ...]', 'a list of role names') },
          ),
        },
        { error: describe('adopt', 'an object { legacyRoles }') },
      )
      .optional(),
    tags: z
      .record(
        text('a tag key')
          .regex(TAG_KEY_PATTERN, { error: rules.invalidTag() })
          .refine((key) => !isReservedTag(key), { error: rules.reservedTag(RESERVED_TAG_PREFIX) }),
        text('a tag value').max(256, { error: rules.invalidTag() }),
        { error: describe('tags', 'an object of string keys and values') },
      )
      .optional(),
  },
  { error: describe('a tenant', 'an object passed to defineTenant({ ... })') },
) satisfies z.ZodType<TenantDefinition>;
