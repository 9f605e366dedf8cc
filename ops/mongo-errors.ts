/** The MongoDB runner's messages: where, what was found, and the fix. */
export const mongoErrors = {
  missingVariable: (name: string, what: string) => `${name} is not set; ${what}`,
  badPasswords: (reason: string) =>
    `MONGODB_USER_PASSWORDS ${reason}; the deploy sets it from the tenant stack's generated passwords (a JSON object of user name to password): run the runner through \`bash scripts/cdktf.sh deploy <key>\`, or set it from \`bash scripts/cdktf.sh output <key>\``,
  missingPassword: (user: string) => `MONGODB_USER_PASSWORDS has no password for ${user}; deploy the tenant's stack, which generates one per user`,
  viewInPlace: (database: string, collection: string) =>
    `${database}.${collection} is a view, where the store's collection belongs; an admin of the tenant made it: drop it (db.${collection}.drop()) and deploy again`,
  indexConflict: (database: string, collection: string, index: string, other: string) =>
    `${database}.${collection} has an index "${other}" on the keys of the store's "${index}" with other options; drop "${other}" (db.${collection}.dropIndex("${other}")) and deploy again`,
  lookupMismatch: (database: string, rows: readonly string[]) =>
    `${database} has lookup documents with the ids the store app hard-codes but other names (${rows.join('; ')}): fix those documents (and what points at them) by hand, then deploy again`,
  migratorTooPowerful: (user: string, roles: readonly string[], database: string) =>
    `${user} holds ${roles.join(', ')}: more than dbAdmin and readWrite on ${database}, so the runner will not work in its session; revoke the extra roles (as the server's admin) and deploy again`,
  notMigrator: (expected: string, actual: string) => `the runner's session is ${actual || 'not authenticated'}, not ${expected}; it stops before touching any collection`,
} as const;
