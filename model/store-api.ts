/**
 * The store API's environment contract: the nine variables the app reads
 * and exits without (FINDINGS: `DATABASE_DSN`, `API_PORT`, `STRIPE_KEY`,
 * `STRIPE_SECRET`, `SECRET_FOR_FRONT`, `FRONT_URL`, `SMTP_USER`,
 * `SMTP_PASSWORD`, `SMTP_PORT`), which of them are secret, and where each
 * value comes from. Every rendering of the app (the Docker containers, the
 * Lambda function and its secret, the compose file, and the Kubernetes target
 * to come) builds its environment from here, so none can forget a variable
 * or expose a secret another keeps secret.
 */

/** Where a variable's value comes from; each rendering supplies every source of its engine's contract. */
export type StoreApiSource =
  | 'databaseDsn'
  | 'mongodbUri'
  | 'databaseName'
  | 'tenantName'
  | 'apiPort'
  | 'stripeKey'
  | 'stripeSecret'
  | 'secretForFront'
  | 'frontUrl'
  | 'smtpUser'
  | 'smtpPassword'
  | 'smtpPort';

/** One variable of the contract. */
export interface StoreApiVariable {
  readonly name: string;
  readonly source: StoreApiSource;
  /** A secret never goes where configuration is shown (a Lambda function's environment, a compose file, `docker inspect` where avoidable). */
  readonly secret: boolean;
  /** What it is, for people filling in an env file. */
  readonly description: string;
}

/** The contract, in the order the app documents it. */
export const STORE_API_VARIABLES: readonly StoreApiVariable[] = [
  { name: 'DATABASE_DSN', source: 'databaseDsn', secret: true, description: 'libpq connection string of the app role' },
  { name: 'API_PORT', source: 'apiPort', secret: false, description: 'port the API listens on' },
  { name: 'STRIPE_KEY', source: 'stripeKey', secret: false, description: 'Stripe publishable key' },
  { name: 'STRIPE_SECRET', source: 'stripeSecret', secret: true, description: 'Stripe secret key' },
  { name: 'SECRET_FOR_FRONT', source: 'secretForFront', secret: true, description: 'shared secret of the API and the frontend (at least 32 random characters)' },
  { name: 'FRONT_URL', source: 'frontUrl', secret: false, description: 'where the frontend answers' },
  { name: 'SMTP_USER', source: 'smtpUser', secret: false, description: 'SMTP user' },
  { name: 'SMTP_PASSWORD', source: 'smtpPassword', secret: true, description: 'SMTP password' },
  { name: 'SMTP_PORT', source: 'smtpPort', secret: false, description: 'SMTP port' },
];

/** The sources of the database connection, which differ by engine; every other source is common. */
type MongoSource = 'mongodbUri' | 'databaseName' | 'tenantName';

/** The value of every source of the PostgreSQL contract, as one rendering has it (a Terraform reference, a `${VARIABLE}`, a literal). */
export type StoreApiSources = Readonly<Record<Exclude<StoreApiSource, MongoSource>, string>>;

/** The value of every source of the MongoDB contract. */
export type MongoStoreApiSources = Readonly<Record<Exclude<StoreApiSource, 'databaseDsn'>, string>>;

/**
 * The MongoDB tenant's contract (the original's MongoDB design): instead of
 * `DATABASE_DSN`, the app user's `MONGODB_URI` (secret), `DATABASE_NAME`
 * and `TENANT_NAME`; every other variable as in {@link STORE_API_VARIABLES}.
 */
export const MONGO_STORE_API_VARIABLES: readonly StoreApiVariable[] = [
  { name: 'MONGODB_URI', source: 'mongodbUri', secret: true, description: "MongoDB connection string of the app user (TLS where the placement has it)" },
  { name: 'DATABASE_NAME', source: 'databaseName', secret: false, description: "the tenant's MongoDB database" },
  { name: 'TENANT_NAME', source: 'tenantName', secret: false, description: 'the tenant key' },
  ...STORE_API_VARIABLES.filter((v) => v.source !== 'databaseDsn'),
];

/** Names of the secret variables of the MongoDB contract. */
export const SECRET_MONGO_STORE_API_VARIABLES: readonly string[] = MONGO_STORE_API_VARIABLES.filter((v) => v.secret).map((v) => v.name);

/** A MongoDB tenant's whole environment, in the contract's order. */
export function mongoStoreApiEnvironment(sources: MongoStoreApiSources): Record<string, string> {
  return Object.fromEntries(MONGO_STORE_API_VARIABLES.map((v) => [v.name, sources[v.source as keyof MongoStoreApiSources]]));
}

/** A MongoDB tenant's environment split into what may be shown and what must be kept secret. */
export function splitMongoStoreApiEnvironment(sources: MongoStoreApiSources): { readonly plain: Record<string, string>; readonly secret: Record<string, string> } {
  const pick = (secret: boolean) =>
    Object.fromEntries(MONGO_STORE_API_VARIABLES.filter((v) => v.secret === secret).map((v) => [v.name, sources[v.source as keyof MongoStoreApiSources]]));
  return { plain: pick(false), secret: pick(true) };
}

/** Names of the secret variables. */
export const SECRET_STORE_API_VARIABLES: readonly string[] = STORE_API_VARIABLES.filter((v) => v.secret).map((v) => v.name);

/** The whole environment, in the contract's order. */
export function storeApiEnvironment(sources: StoreApiSources): Record<string, string> {
  return Object.fromEntries(STORE_API_VARIABLES.map((v) => [v.name, sources[v.source as keyof StoreApiSources]]));
}

/** The environment split into what may be shown and what must be kept secret, each in the contract's order. */
export function splitStoreApiEnvironment(sources: StoreApiSources): { readonly plain: Record<string, string>; readonly secret: Record<string, string> } {
  const pick = (secret: boolean) => Object.fromEntries(STORE_API_VARIABLES.filter((v) => v.secret === secret).map((v) => [v.name, sources[v.source as keyof StoreApiSources]]));
  return { plain: pick(false), secret: pick(true) };
}
