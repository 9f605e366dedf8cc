/**
 * The store's data model in MongoDB: the collections of schema/0001..0005
 * (one per table, the same names and fields), each with a JSON-schema
 * validator for the columns' types, lengths and checks, the indexes the
 * store's queries need (the migrations' indexes and unique constraints; the
 * sessions' expiry as a TTL index, so MongoDB deletes expired sessions), and
 * the lookup documents the app hard-codes (schema/0004). Pure data: the
 * runner (ops/mongo-provision.ts) creates or updates exactly this.
 *
 * Ids: `_id` is whatever the app writes (ObjectId or an integer); references
 * (`widget_id`, ...) take the same types. `created_at` and `updated_at` are
 * dates the app sets (MongoDB has no triggers).
 */

import { createHash } from 'node:crypto';

/** A JSON schema as MongoDB's `$jsonSchema` takes it. */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** One index of a collection. */
export interface MongoIndexSpec {
  /** The index's name, ours: an index of this name with other keys or options is replaced. */
  readonly name: string;
  /** Field to 1 (ascending) or -1 (descending). */
  readonly key: Readonly<Record<string, 1 | -1>>;
  readonly unique?: boolean;
  /** A TTL index: documents are deleted this many seconds after the date in the (single) key field. */
  readonly expireAfterSeconds?: number;
}

/** One collection of the store. */
export interface MongoCollectionSpec {
  readonly name: string;
  readonly validator: { readonly $jsonSchema: JsonSchema };
  readonly indexes: readonly MongoIndexSpec[];
}

/** A lookup document the app expects under a fixed `_id`. */
export interface LookupDocument {
  readonly collection: string;
  readonly _id: number;
  readonly name: string;
}

/** Validation refuses documents that break the schema (`strict`, `error`), on inserts and on updates. */
export const VALIDATION = { validationLevel: 'strict', validationAction: 'error' } as const;

const id = { bsonType: ['objectId', 'int', 'long'] };
const text = (maxLength = 255) => ({ bsonType: 'string', maxLength });
const int = (extra: Record<string, unknown> = {}) => ({ bsonType: ['int', 'long'], ...extra });
const date = { bsonType: 'date' };
const timestamps = { created_at: date, updated_at: date };

function schema(required: readonly string[], properties: Record<string, unknown>): { $jsonSchema: JsonSchema } {
  return { $jsonSchema: { bsonType: 'object', required: ['_id', ...required], properties: { _id: id, ...properties } } };
}

/** The store's collections, in the order the migrations create their tables. */
export const STORE_COLLECTIONS: readonly MongoCollectionSpec[] = [
  {
    name: 'customers',
    validator: schema(['first_name', 'last_name', 'email', 'created_at', 'updated_at'], { first_name: text(), last_name: text(), email: text(), ...timestamps }),
    indexes: [{ name: 'customers_email_key', key: { email: 1 }, unique: true }],
  },
  {
    name: 'widgets',
    validator: schema(['name', 'price', 'created_at', 'updated_at'], {
      name: text(),
      description: { bsonType: 'string' },
      inventory_level: int(),
      price: int({ minimum: 0, description: 'Price in cents.' }),
      image: text(),
      is_recurring: { bsonType: 'bool' },
      plan_id: text(),
      ...timestamps,
    }),
    indexes: [],
  },
  {
    name: 'transaction_statuses',
    validator: schema(['name'], { name: text(), ...timestamps }),
    indexes: [],
  },
  {
    name: 'transactions',
    validator: schema(['amount', 'currency', 'transaction_status_id', 'created_at', 'updated_at'], {
      amount: int({ description: 'Amount in cents.' }),
      currency: { bsonType: 'string', minLength: 3, maxLength: 3 },
      last_four: text(4),
      bank_return_code: text(),
      transaction_status_id: id,
      expiry_month: int(),
      expiry_year: int(),
      payment_intent: text(),
      payment_method: text(),
      ...timestamps,
    }),
    indexes: [
      { name: 'transactions_payment_intent_idx', key: { payment_intent: 1 } },
      { name: 'transactions_transaction_status_id_idx', key: { transaction_status_id: 1 } },
    ],
  },
  {
    name: 'statuses',
    validator: schema(['name'], { name: text(), ...timestamps }),
    indexes: [],
  },
  {
    name: 'orders',
    validator: schema(['widget_id', 'transaction_id', 'customer_id', 'status_id', 'quantity', 'amount', 'created_at', 'updated_at'], {
      widget_id: id,
      transaction_id: id,
      customer_id: id,
      status_id: id,
      quantity: int({ minimum: 1 }),
      amount: int({ description: 'Amount in cents.' }),
      ...timestamps,
    }),
    indexes: [
      { name: 'orders_customer_id_idx', key: { customer_id: 1 } },
      { name: 'orders_widget_id_idx', key: { widget_id: 1 } },
      { name: 'orders_created_at_idx', key: { created_at: -1 } },
      { name: 'orders_transaction_id_idx', key: { transaction_id: 1 } },
      { name: 'orders_status_id_idx', key: { status_id: 1 } },
    ],
  },
  {
    name: 'users',
    validator: schema(['first_name', 'last_name', 'email', 'password', 'role', 'created_at', 'updated_at'], {
      first_name: text(),
      last_name: text(),
      email: text(),
      password: { bsonType: 'string', maxLength: 60, description: 'bcrypt hash, never the password.' },
      role: text(32),
      ...timestamps,
    }),
    indexes: [{ name: 'users_email_key', key: { email: 1 }, unique: true }],
  },
  {
    name: 'tokens',
    validator: schema(['user_id', 'name', 'email', 'token_hash', 'expiry', 'created_at', 'updated_at'], {
      user_id: id,
      name: text(),
      email: text(),
      token_hash: { bsonType: 'binData' },
      expiry: date,
      ...timestamps,
    }),
    indexes: [
      { name: 'tokens_user_id_idx', key: { user_id: 1 } },
      { name: 'tokens_token_hash_idx', key: { token_hash: 1 } },
    ],
  },
  {
    // The session store's documents: the token is the _id.
    name: 'sessions',
    validator: { $jsonSchema: { bsonType: 'object', required: ['_id', 'data', 'expiry'], properties: { _id: { bsonType: 'string' }, data: { bsonType: 'binData' }, expiry: date } } },
    indexes: [{ name: 'sessions_expiry_idx', key: { expiry: 1 }, expireAfterSeconds: 0 }],
  },
];

/**
 * The lookup documents with the ids the store app hard-codes (schema/0004):
 * order statuses Cleared 1, Refunded 2, Cancelled 3; transaction statuses
 * Pending 1, Cleared 2, Declined 3, Refunded 4, Partially refunded 5.
 * Inserted when missing; a document with the id and another name stops the
 * runner (orders may point at it), as the migration does.
 */
export const LOOKUP_DOCUMENTS: readonly LookupDocument[] = [
  { collection: 'statuses', _id: 1, name: 'Cleared' },
  { collection: 'statuses', _id: 2, name: 'Refunded' },
  { collection: 'statuses', _id: 3, name: 'Cancelled' },
  { collection: 'transaction_statuses', _id: 1, name: 'Pending' },
  { collection: 'transaction_statuses', _id: 2, name: 'Cleared' },
  { collection: 'transaction_statuses', _id: 3, name: 'Declined' },
  { collection: 'transaction_statuses', _id: 4, name: 'Refunded' },
  { collection: 'transaction_statuses', _id: 5, name: 'Partially refunded' },
];

/** A checksum of the collections, validators, indexes and lookup documents: a change re-runs the deploy's runner. */
export function storeCollectionsChecksum(): string {
  return createHash('sha256').update(JSON.stringify({ STORE_COLLECTIONS, LOOKUP_DOCUMENTS, VALIDATION })).digest('hex');
}
