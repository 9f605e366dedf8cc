/**
 * Fleet-wide defaults of MongoDB tenants. Sizes that differ by plan live in
 * mongo-plans.ts; physical names in naming.ts.
 */

/** The `mongo` image every container tenant runs unless its file names another (pinned by tag; the registry refuses `latest`). */
export const DEFAULT_MONGO_IMAGE = 'mongo:7.0.14';

/** Port MongoDB listens on inside its container, and DocumentDB's and Atlas's port. */
export const MONGO_PORT = 27017;

/** The host port `tenants add` suggests for the first container tenant's database; later ones get the next free one. */
export const FIRST_MONGO_HOST_PORT = 27101;

/**
 * The user the official `mongo` image's data directory belongs to
 * (`mongodb`, 999): the container runs as it, never as root. A fresh named
 * volume takes the image's ownership of /data/db, so no other user could
 * write there without a root step; see the README for what this shares
 * between tenants and what bounds each one (`--maxConns`).
 */
export const MONGO_CONTAINER_USER = '999:999';

/** The root user the `mongo` image creates on a container's first start: only the runner's admin session logs in as it. */
export const MONGO_ROOT_USERNAME = 'usualstore_root';

/** The master user of a tenant's DocumentDB cluster, whose password AWS generates and keeps in Secrets Manager. */
export const DOCDB_MASTER_USERNAME = 'usualstore';

/** The DocumentDB engine version of new clusters, and its cluster parameter group family. */
export const DOCDB_ENGINE_VERSION = '5.0.0';
export const DOCDB_PARAMETER_FAMILY = 'docdb5.0';

/** The logs each DocumentDB cluster exports to CloudWatch Logs. */
export const DOCDB_LOG_EXPORTS = ['audit', 'profiler'] as const;

/**
 * Writable scratch space of the `mongo` container, whose root filesystem is
 * read-only: its entrypoint's temporary files, and the config-server
 * directory the image declares a volume for (unused by a replica-less server).
 */
export const MONGO_TMPFS: Readonly<Record<string, string>> = {
  '/tmp': 'rw,noexec,nosuid,size=64m',
  '/data/configdb': 'rw,noexec,nosuid,size=1m',
};

/** Where the `mongo` container keeps its data: the tenant's own volume. */
export const MONGO_DATA_PATH = '/data/db';

/**
 * The healthcheck of the `mongo` container: the port accepts a TCP
 * connection (bash's /dev/tcp; the image has no nc, and starting mongosh
 * every 30 s would cost more memory than a small plan has to spare).
 */
export function mongoHealthcheck(): string[] {
  return ['CMD', 'bash', '-c', `exec 3<>/dev/tcp/127.0.0.1/${MONGO_PORT}`];
}

/**
 * What mongod is started with besides the image's defaults: no server-side
 * JavaScript (`$where`, `$function`, `$accumulator`, mapReduce), so nothing a
 * tenant's admin stores runs in any session; connections bounded by plan,
 * which also bounds mongod's threads; WiredTiger's cache sized to the
 * container's memory.
 */
export function mongodArguments(maxConnections: number, cacheSizeGiB: number): string[] {
  return ['mongod', '--noscripting', '--maxConns', String(maxConnections), '--wiredTigerCacheSizeGB', String(cacheSizeGiB)];
}
