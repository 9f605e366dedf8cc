/**
 * Messages of the migration files check, the migration runner and adoption.
 * Each says what is wrong, where, and how to fix it.
 */
export const migrationErrors = {
  badFileName: (name: string) => `${name} does not match NNNN.do.<name>.sql (four-digit version, lowercase name); rename it`,
  versionGap: (name: string, version: number, expected: number) =>
    `${name} has version ${version} where ${expected} was expected; versions run 1, 2, 3… without gaps or repeats`,
  forbiddenStatement: (name: string, statement: string) =>
    `${name} contains ${statement}; the runner wraps each migration in its own transaction as the tenant owner, so remove it`,
  unusable: (dir: string, problems: readonly string[]) => `Migrations in ${dir} cannot be run:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
  edited: (file: string, database: string) =>
    `${file} was edited after it was applied to database "${database}" (its checksum differs from the one recorded then): ` +
    'applied migrations are append-only; restore the file and put the change in a new migration',
  unknownApplied: (database: string, versions: readonly number[], dir: string) =>
    `database "${database}" has migration${versions.length === 1 ? '' : 's'} ${versions.join(', ')} applied, which ${dir} does not have: ` +
    'it was migrated from a newer checkout; run from that checkout (or restore the missing files), never from an older one',
  lockWait: (database: string, seconds: number, holders: readonly string[]) =>
    `the migration lock of database "${database}" was held for ${seconds} s by ${holders.length ? holders.join('; ') : 'a session that has since ended'}: ` +
    'if it is stuck, end it as the server admin with SELECT pg_terminate_backend(<pid>), then migrate again',
  foreignHistory: (database: string, what: string) =>
    `database "${database}": ${what}; the migration history must be a plain table of the tenant owner role in a schema of its own, ` +
    'or a tenant role could run code in the migration runner\'s session: nothing was run. Inspect it as the server admin (it may be an attack), drop it, and migrate again',
  interrupted: () => 'interrupted (Ctrl-C or SIGTERM); the migration running then was cancelled and rolled back, nothing of it is recorded',
  cannotEndStrangers: (database: string) =>
    `could not end other roles' sessions in database "${database}" (the admin lacks pg_signal_backend, which RDS's master user has): ` +
    'a login of another tenant that got in before PUBLIC lost CONNECT may still be there; grant pg_signal_backend to the admin',
  notATenantLogin: (role: string) => `"${role}" is not a tenant login (<key>__<name>); retire-login retires only the fleet's own logins`,
  baselineMissing: () =>
    'PUBLIC may connect to the postgres and template1 databases of this server, so every tenant login can hold sessions outside its own database ' +
    '(each up to its connection limit): on a server shared by tenants, apply the server baseline once (npx tenants server-sql | psql)',
  noMigrator: (role: string, key: string) =>
    `role "${role}" does not exist: the migration runner logs in as it; deploy the tenant (bash scripts/cdktf.sh deploy ${key}) or run \`npx tenants sql ${key} | psql\` once, then migrate again`,
  leftTransaction: (version: number, database: string) =>
    `migration ${version} ended its transaction itself on database "${database}" (COMMIT, ROLLBACK or a procedure that commits): ` +
    'what it did before that may be committed without being recorded; check the database, and remove the transaction control from the migration',
  changedRole: (version: number, database: string, role: string, owner: string) =>
    `migration ${version} changed the role on database "${database}" to "${role}" (objects must belong to "${owner}"); it was rolled back: remove the role change from the migration`,
  partialBaseline: (database: string, file: string, present: readonly string[], missing: readonly string[]) =>
    `database "${database}" has some of the tables ${file} creates (${present.join(', ')}) but not ${missing.join(', ')}: ` +
    'it cannot be baselined automatically; create the missing tables by hand or drop the partial ones',
} as const;
