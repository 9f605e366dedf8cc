/** Messages of the fleet review: its flags, and what stops a review from running. */

/** Why a flag was raised, one line each. */
export const flagMessages = {
  destroyed: (what: string, address: string, why: string) => `${what} ${address} is destroyed (${why}); its data goes with it`,
  moved: (what: string, from: string, to: string) =>
    `${what} ${from} moves to ${to}: Terraform destroys it and creates it again (a renamed or moved construct); keep the construct id or add a moved block`,
  replaced: (what: string, address: string, attribute: string, before: string, after: string) =>
    `${what} ${address} is replaced: ${attribute} changes from ${before} to ${after}, which Terraform can only do by destroying it`,
  renamed: (what: string, address: string, before: string, after: string) =>
    `${what} ${address} is renamed from ${before} to ${after}: every connection string and login that names it breaks`,
  preventDestroyOff: (address: string) => `${address} loses lifecycle.prevent_destroy, which the tenant is not offboarding to need`,
  protectionOff: (address: string, attribute: string, before: string, after: string) => `${address}: ${attribute} changes from ${before} to ${after}`,
  privilegesGained: (address: string, role: string, privileges: readonly string[], on: string) => `${address}: ${role} gains ${privileges.join(', ')} on ${on}`,
  grantOption: (address: string, role: string) => `${address}: ${role} may now grant its privileges on (with_grant_option)`,
  membershipGained: (address: string, member: string, group: string) => `${address}: ${member} becomes a member of ${group}`,
  adminOption: (address: string, member: string, group: string) => `${address}: ${member} may now administer ${group} (with_admin_option)`,
  ownerChanged: (address: string, owner: string, what: string, name: string, before: string) =>
    `${address}: ${owner} becomes the owner of ${what} ${name} (was ${before}), and so holds every privilege on it and may grant them`,
  roleAttribute: (address: string, role: string, attribute: string) => `${address}: ${role} gains ${attribute}`,
  stateMoved: (stack: string, before: string, after: string) =>
    `the state of ${stack} moves from ${before} to ${after}: Terraform would start from an empty state there and create everything again`,
  serverChanged: (stack: string, before: string, after: string) =>
    `${stack} moves from ${before} to ${after}: a deploy creates the tenant there anew, empty, unless \`npx tenants move ${stack} --to <server> --execute\` copied it first (the move writes this change itself); --allow server-changed once it has`,
  migrationEdited: (file: string) => `${file} has shipped and is edited; the runner refuses a database that applied it: add the next migration instead`,
  migrationRemoved: (file: string) => `${file} has shipped and is removed or renamed; databases that applied it are refused: keep it, add the next migration instead`,
} as const;

/** What stops a review before it compares anything (exit 2). */
export const reviewErrors = {
  notAGitRepository: (dir: string) => `${dir} is not in a git repository; tenants review compares two commits of one`,
  unknownRef: (ref: string) => `--base "${ref}" is not a commit of this repository; fetch it first (git fetch origin main) or name a branch, tag or sha`,
  unknownFlag: (flag: string, known: readonly string[]) => `--allow "${flag}" is not a flag; use one of ${known.join(', ')}`,
  tenantsOutsideRepository: (dir: string) => `TENANTS_DIR "${dir}" is outside the repository; review reads the base's tenants from git, so keep them in it`,
  serversOutsideRepository: (dir: string) => `SERVERS_DIR "${dir}" is outside the repository; review reads the base's server files from git, so keep them in it`,
  synthesisFailed: (side: string, output: string) => `synthesizing the ${side} failed:\n${output}`,
  installFailed: (output: string) => `installing the base's dependencies (npm ci) failed:\n${output}`,
} as const;
