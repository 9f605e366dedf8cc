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

/** The server admin Terraform and the migration runner connect as by default, and the RDS master user. */
export const DEFAULT_ADMIN_ROLE = 'postgres';

/** TLS to the database is required by default; `verify-full` is the production choice. */
export const DEFAULT_SSLMODE = 'require';

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
