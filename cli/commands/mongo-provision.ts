import type { Command } from 'commander';
import { mongoAccessModel } from '../../model/mongo-access-model';
import { DOCDB_MASTER_USERNAME, MONGO_ROOT_USERNAME } from '../../model/mongo-defaults';
import { mongoErrors } from '../../ops/mongo-errors';
import { type MongoConnector, type ProvisionReport, provisionMongoTenant } from '../../ops/mongo-provision';
import { driverConnector } from '../../ops/mongo-session';
import { isMongoTenant } from '../../tenants/registry';
import { CommandFailed, UsageError } from '../errors';
import type { CliIo } from '../io';
import { registry, tenantByKey } from '../registry';

/** The admin user by placement, unless MONGODB_ADMIN_USER names another. */
const ADMIN_USERS = { container: MONGO_ROOT_USERNAME, documentdb: DOCDB_MASTER_USERNAME } as const;

/** A variable of the environment, or a failure naming it and where it comes from. */
function required(env: NodeJS.ProcessEnv, name: string, what: string): string {
  const value = env[name];
  if (!value) throw new CommandFailed(mongoErrors.missingVariable(name, what));
  return value;
}

/** MONGODB_USER_PASSWORDS: a JSON object of user name to password. */
function passwordsFrom(text: string): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CommandFailed(mongoErrors.badPasswords('is not JSON'));
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || Object.values(parsed).some((v) => typeof v !== 'string' || !v)) {
    throw new CommandFailed(mongoErrors.badPasswords('is not an object of user names to non-empty passwords'));
  }
  return new Map(Object.entries(parsed as Record<string, string>));
}

function summary(key: string, r: ProvisionReport): string {
  const list = (items: readonly string[]) => (items.length ? items.join(', ') : '-');
  return [
    `${key}: users created ${list(r.users.created)}; updated ${list(r.users.updated)}; dropped ${list(r.users.dropped)}`,
    `${key}: collections created ${list(r.collections.created)}; updated ${list(r.collections.updated)}; unchanged ${r.collections.unchanged.length}`,
    `${key}: indexes created ${list(r.indexes.created)}; replaced ${list(r.indexes.replaced)}; lookup documents inserted ${list(r.lookups.inserted)}`,
    '',
  ].join('\n');
}

/**
 * `tenants mongo-provision <key>`: a MongoDB tenant's users, roles,
 * collections, validators, indexes and lookup documents, created or updated
 * idempotently (the deploy runs it; ops/mongo-provision.ts). Everything comes
 * from the environment the deploy sets: MONGODB_SERVER_URI (no credentials),
 * the admin's MONGODB_ADMIN_USER and MONGODB_ADMIN_PASSWORD and the generated
 * MONGODB_USER_PASSWORDS (container, DocumentDB), or MONGODB_MIGRATOR_PASSWORD (Atlas).
 */
export function registerMongoProvision(program: Command, io: CliIo, connectorFor: (serverUri: string) => MongoConnector = driverConnector): void {
  program
    .command('mongo-provision')
    .description("create or update a MongoDB tenant's users, roles, collections, validators, indexes and lookup documents (the deploy runs it)")
    .argument('<key>', 'tenant key')
    .option('--json', 'machine-readable output')
    .addHelpText(
      'after',
      '\nFrom the environment: MONGODB_SERVER_URI; MONGODB_ADMIN_PASSWORD (and MONGODB_ADMIN_USER) and MONGODB_USER_PASSWORDS\n' +
        'for a container or DocumentDB; MONGODB_MIGRATOR_PASSWORD on Atlas. The deploy sets them; passwords never go on the command line.',
    )
    .action(async (key: string, options: { json?: boolean }) => {
      const tenant = tenantByKey(registry(io.env), key);
      if (!isMongoTenant(tenant)) throw new UsageError(`${key} is a PostgreSQL tenant; its roles and schema come from the deploy and \`npx tenants migrate ${key}\``);
      const { env } = io;
      const serverUri = required(env, 'MONGODB_SERVER_URI', "the tenant's server without credentials (the deploy sets it; see `bash scripts/cdktf.sh output`)");
      const model = mongoAccessModel(tenant);
      const placement = tenant.database.placement;
      const progress = (line: string) => io.stderr.write(`${line}\n`);
      const report =
        placement === 'atlas'
          ? await provisionMongoTenant({
              model,
              connector: connectorFor(serverUri),
              migratorPassword: required(env, 'MONGODB_MIGRATOR_PASSWORD', "the migrator's generated password (the deploy sets it)"),
              onProgress: progress,
            })
          : await provisionMongoTenant({
              model,
              connector: connectorFor(serverUri),
              admin: {
                user: env.MONGODB_ADMIN_USER || ADMIN_USERS[placement],
                password: required(
                  env,
                  'MONGODB_ADMIN_PASSWORD',
                  placement === 'documentdb'
                    ? `the DocumentDB master password: fetch it from the secret in \`bash scripts/cdktf.sh output ${key}-database\` (master_user_secret_arn) into this command's environment`
                    : "the mongo container's root password (the deploy sets it from the tenant stack)",
                ),
              },
              passwords: passwordsFrom(required(env, 'MONGODB_USER_PASSWORDS', 'the generated passwords of the people and the app (the deploy sets it)')),
              onProgress: progress,
            });
      io.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : summary(key, report));
    });
}
