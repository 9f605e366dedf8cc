/**
 * Fleet-wide defaults. A tenant file overrides them where its type allows.
 */

/** The store API image every tenant runs unless its file names another. */
export const DEFAULT_API_IMAGE = 'ghcr.io/usualstore/api:1.0.0';

/** The store frontend image every tenant runs unless its file names another. */
export const DEFAULT_FRONTEND_IMAGE = 'ghcr.io/usualstore/frontend:1.0.0';

/** Collation and character classification of tenant databases, as in the original system. */
export const DEFAULT_COLLATION = 'en_US.UTF-8';

/** Port the API listens on inside its container (`API_PORT`). */
export const API_CONTAINER_PORT = 4000;

/** Port the frontend listens on inside its container. */
export const FRONTEND_CONTAINER_PORT = 80;

/** Lowest host port the registry accepts: no privileged ports. */
export const MIN_HOST_PORT = 1024;

/** Highest TCP port. */
export const MAX_HOST_PORT = 65535;

/** Port of the store API the first docker tenant gets; later tenants get the next free one. */
export const FIRST_HOST_PORT = 4001;

/**
 * Terraform version every stack needs: write-only attributes (role
 * passwords' `password_wo`, the app secret's `secret_string_wo`) came in 1.11.
 */
export const REQUIRED_TERRAFORM_VERSION = '>= 1.11.1';

/** Size of one container log file before Docker rotates it (json-file `max-size`). */
export const CONTAINER_LOG_MAX_SIZE = '10m';

/** Rotated container log files Docker keeps (json-file `max-file`): at most 30 MB per container. */
export const CONTAINER_LOG_MAX_FILES = 3;

/** Restarts in a row after which Docker leaves a failing container stopped (`on-failure` policy). */
export const CONTAINER_MAX_RESTARTS = 5;

/** Memory limit of a frontend container (static files behind a web server), whatever the plan. */
export const FRONTEND_MEMORY_MIB = 128;

/** CPUs a frontend container may use, whatever the plan. */
export const FRONTEND_CPUS = 0.25;

/**
 * Writable scratch space of a container whose root filesystem is read-only:
 * path to tmpfs mount options. The API writes only temporary files; the
 * frontend's web server also keeps its pid file and caches.
 */
export const API_TMPFS: Readonly<Record<string, string>> = { '/tmp': 'rw,noexec,nosuid,size=64m' };
export const FRONTEND_TMPFS: Readonly<Record<string, string>> = {
  '/tmp': 'rw,noexec,nosuid,size=64m',
  '/run': 'rw,noexec,nosuid,size=1m',
  '/var/cache/nginx': 'rw,noexec,nosuid,size=64m',
};

/**
 * The healthcheck of a container listening on a port: the store API has no
 * health endpoint, so the check is that the port accepts a TCP connection
 * (`nc -z`, which the images' busybox provides).
 */
export function tcpHealthcheck(port: number): string[] {
  return ['CMD-SHELL', `nc -z 127.0.0.1 ${port} || exit 1`];
}

/** The server admin Terraform and the migration runner connect as by default, and the RDS master user. */
export const DEFAULT_SERVER_ADMIN_ROLE = 'postgres';

/** TLS to the database is required by default; `verify-full` is the production choice. */
export const DEFAULT_SSLMODE = 'require';

/**
 * The PostgreSQL major versions the project proves: the real-database test
 * suites run on each (pinned server packages), with a superuser and with a
 * CREATEROLE-only admin. The registry accepts no other.
 */
export const SUPPORTED_POSTGRES_MAJORS = [15, 16, 17] as const;
export type PostgresMajor = (typeof SUPPORTED_POSTGRES_MAJORS)[number];

/**
 * The major of a tenant's own RDS server when its file names none: 15, what
 * such servers were created with before the version could be chosen, so
 * that no deployed server is upgraded by an update of this project. `tenants
 * add` writes the newest for a new tenant.
 */
export const DEFAULT_POSTGRES_MAJOR: PostgresMajor = 15;

/** Schema the store's tables live in. */
export const STORE_SCHEMA = 'public';

/**
 * Schema of the migration history, the platform's own: created with the
 * tenant, owned by the owner role, no privilege for any other tenant role.
 */
export const HISTORY_SCHEMA = 'usual_store_meta';

/**
 * Schema where a tenant's admins keep their own tables and reports: they may
 * create there and nowhere else. No platform or app session ever has it on
 * its search path, so nothing they put there runs in one.
 */
export const WORKSPACE_SCHEMA = 'workspace';

/**
 * The search path of every server-admin session in a tenant database: only
 * the catalog, so no function, operator or table a tenant made can be picked
 * by name (pg_temp last, so no temporary relation shadows one either).
 */
export const ADMIN_SEARCH_PATH = ['pg_catalog', 'pg_temp'] as const;

/**
 * How long the server admin's sessions in a tenant database wait for a lock
 * (the Terraform provider's included, which waits for advisory locks any
 * tenant login can hold, with no statement timeout): a tenant can fail its
 * own deploy, not hang it.
 */
export const ADMIN_LOCK_TIMEOUT = '10s';

/** Every IPv4 address. */
export const ANYWHERE_IPV4 = '0.0.0.0/0';
