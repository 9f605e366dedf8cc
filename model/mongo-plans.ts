/**
 * What each plan gives a MongoDB tenant, per placement: one table, beside
 * plans.ts (whose connection limits it reuses), read by the registry (the
 * instance classes and tiers a plan may choose), the constructs and the CLI.
 */
import { PLAN_PROFILES, type Plan } from './plans';

/** Where a MongoDB tenant's database runs. */
export const MONGO_PLACEMENTS = ['container', 'documentdb', 'atlas'] as const;
export type MongoPlacement = (typeof MONGO_PLACEMENTS)[number];

/**
 * DocumentDB instance classes, smallest first (the ones DocumentDB 5.0
 * offers in every commercial region that has it).
 */
export const DOCDB_INSTANCE_CLASSES = [
  'db.t3.medium',
  'db.t4g.medium',
  'db.r5.large',
  'db.r6g.large',
  'db.r5.xlarge',
  'db.r6g.xlarge',
  'db.r5.2xlarge',
  'db.r6g.2xlarge',
  'db.r5.4xlarge',
  'db.r6g.4xlarge',
  'db.r5.8xlarge',
  'db.r6g.8xlarge',
  'db.r5.12xlarge',
  'db.r6g.12xlarge',
  'db.r5.16xlarge',
  'db.r6g.16xlarge',
] as const;

/**
 * Atlas cluster tiers, smallest first. M0 is the free shared tier: no
 * backups, so only the free plan may have it.
 */
export const ATLAS_TIERS = ['M0', 'M10', 'M20', 'M30', 'M40', 'M50', 'M60', 'M80', 'M140', 'M200', 'M300'] as const;
export type AtlasTier = (typeof ATLAS_TIERS)[number];

/** The free, shared Atlas tier. */
export const ATLAS_FREE_TIER: AtlasTier = 'M0';

/** What a plan buys a MongoDB tenant. */
export interface MongoPlanProfile {
  /** Memory limit of the `mongo` container (no swap beyond it). */
  readonly containerMemoryMiB: number;
  /** CPUs the `mongo` container may use. */
  readonly containerCpus: number;
  /** WiredTiger's cache, about half the container's memory less what mongod needs besides (`--wiredTigerCacheSizeGB`). */
  readonly containerCacheSizeGiB: number;
  /**
   * Connections mongod accepts at once (`--maxConns`): mongod runs a thread
   * per connection, so this also bounds the tenant's threads. The plan's
   * database connection limit (plans.ts).
   */
  readonly maxConnections: number;
  /** Processes and threads the container's user may run (`ulimit nproc`): the connections and mongod's own threads. */
  readonly containerProcessLimit: number;
  /** DocumentDB instance class unless the tenant's file names another. */
  readonly docdbInstanceClass: (typeof DOCDB_INSTANCE_CLASSES)[number];
  /** DocumentDB instance classes the plan may choose (`database.documentdb.instanceClass`). */
  readonly docdbInstanceClasses: readonly (typeof DOCDB_INSTANCE_CLASSES)[number][];
  /** DocumentDB instances: a primary and, from professional up, replicas in other zones to fail over to. */
  readonly docdbInstances: number;
  /** Days backups are kept: DocumentDB's automated backups (1 to 35), Atlas's daily snapshots and point-in-time window. */
  readonly backupRetentionDays: number;
  /** Atlas tier unless the tenant's file names another. */
  readonly atlasTier: AtlasTier;
  /** Cloud backups of the Atlas cluster (every paid plan). */
  readonly atlasBackups: boolean;
  /** Continuous (point-in-time) backups of the Atlas cluster. */
  readonly atlasPointInTime: boolean;
}

const classesFrom = (smallest: (typeof DOCDB_INSTANCE_CLASSES)[number], largest: (typeof DOCDB_INSTANCE_CLASSES)[number]) =>
  DOCDB_INSTANCE_CLASSES.slice(DOCDB_INSTANCE_CLASSES.indexOf(smallest), DOCDB_INSTANCE_CLASSES.indexOf(largest) + 1);

/** Plan profiles of MongoDB tenants. */
export const MONGO_PLAN_PROFILES: Readonly<Record<Plan, MongoPlanProfile>> = {
  free: {
    containerMemoryMiB: 512,
    containerCpus: 0.25,
    containerCacheSizeGiB: 0.25,
    maxConnections: PLAN_PROFILES.free.connectionLimit,
    containerProcessLimit: 256,
    docdbInstanceClass: 'db.t4g.medium',
    docdbInstanceClasses: classesFrom('db.t3.medium', 'db.t4g.medium'),
    docdbInstances: 1,
    backupRetentionDays: 7,
    atlasTier: 'M0',
    atlasBackups: false,
    atlasPointInTime: false,
  },
  starter: {
    containerMemoryMiB: 1024,
    containerCpus: 0.5,
    containerCacheSizeGiB: 0.5,
    maxConnections: PLAN_PROFILES.starter.connectionLimit,
    containerProcessLimit: 256,
    docdbInstanceClass: 'db.t4g.medium',
    docdbInstanceClasses: classesFrom('db.t3.medium', 'db.r6g.large'),
    docdbInstances: 1,
    backupRetentionDays: 7,
    atlasTier: 'M10',
    atlasBackups: true,
    atlasPointInTime: false,
  },
  professional: {
    containerMemoryMiB: 2048,
    containerCpus: 1,
    containerCacheSizeGiB: 1,
    maxConnections: PLAN_PROFILES.professional.connectionLimit,
    containerProcessLimit: 512,
    docdbInstanceClass: 'db.r6g.large',
    docdbInstanceClasses: classesFrom('db.r5.large', 'db.r6g.2xlarge'),
    docdbInstances: 2,
    backupRetentionDays: 14,
    atlasTier: 'M30',
    atlasBackups: true,
    atlasPointInTime: true,
  },
  enterprise: {
    containerMemoryMiB: 4096,
    containerCpus: 2,
    containerCacheSizeGiB: 2,
    maxConnections: PLAN_PROFILES.enterprise.connectionLimit,
    containerProcessLimit: 1024,
    docdbInstanceClass: 'db.r6g.xlarge',
    docdbInstanceClasses: classesFrom('db.r5.large', 'db.r6g.16xlarge'),
    docdbInstances: 3,
    backupRetentionDays: 35,
    atlasTier: 'M40',
    atlasBackups: true,
    atlasPointInTime: true,
  },
};

/** Whether a value names a placement. */
export function isMongoPlacement(value: unknown): value is MongoPlacement {
  return typeof value === 'string' && (MONGO_PLACEMENTS as readonly string[]).includes(value);
}
