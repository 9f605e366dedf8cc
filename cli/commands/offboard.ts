import type { Command } from 'commander';
import { awsName, awsStackNames, kubernetesNamespace, kubernetesStackName, tenantStackNames } from '../../model/naming';
import { backupTenant, latestVerifiedBackup, verifyBackup } from '../../ops/backup';
import { backupStore } from '../../ops/backup-store';
import { connectionOfTenant, serverLabel } from '../../ops/server-connections';
import { type PostgresTenant, type Registry, isPostgresTenant } from '../../tenants/registry';
import { defaultBackups } from './backup';
import { connectionFrom, withUrlOption } from '../connection-options';
import type { Tenant } from '../../tenants/registry';
import { isMongoTenant } from '../../tenants/registry';
import { mongoOffboardingSteps } from '../mongo-offboard';
import { CommandFailed, UsageError } from '../errors';
import type { Colours, CliIo } from '../io';
import { setLifecycle } from '../lifecycle';
import { postgresTenantByKey, registry, tenantByKey } from '../registry';

/** A Kubernetes tenant's destroys: the namespace first (the data stays in the database), then the database once the backup is checked. */
function kubernetesSteps(key: string, database: string): string[] {
  const namespace = kubernetesNamespace(key);
  return [
    `     bash scripts/cdktf.sh destroy ${kubernetesStackName(key)}    # first: removes namespace ${namespace} and all in it (pods, Services, the API's Secret, policies)`,
    `     kubectl get namespace ${namespace}    # gone (NotFound) once Kubernetes has finished; the data is still in database ${database}, untouched`,
    `     bash scripts/cdktf.sh destroy ${key} --ignore-missing-stack-dependencies    # then, only with the backup checked: the database, its roles and its data (its dependant, ${kubernetesStackName(key)}, is gone)`,
  ];
}

/** The steps after marking: back up, destroy with the protection lifted, remove the file. */
export function offboardingSteps(tenant: Tenant, colour: Colours): string {
  if (isMongoTenant(tenant)) return mongoOffboardingSteps(tenant, colour);
  const db = tenant.database.name;
  const stacks = tenantStackNames(tenant);
  const aws = awsStackNames(tenant.key);
  return [
    colour.bold(`Offboarding ${tenant.key}: nothing has been destroyed. Next:`),
    `1. The verified backup of "${db}" is the one to keep (tenants backup verify checked it restores); keep it as long as the customer's contract says.`,
    ...(tenant.app.target === 'lambda'
      ? [
          `   RDS also takes a final snapshot on destroy; for a snapshot of your own first:`,
          `     aws rds create-db-snapshot --db-instance-identifier ${awsName(tenant.key, 'db')} --db-snapshot-identifier ${awsName(tenant.key, 'db')}-offboard-$(date +%Y%m%d)`,
          `     aws rds wait db-snapshot-available --db-snapshot-identifier ${awsName(tenant.key, 'db')}-offboard-$(date +%Y%m%d)`,
        ]
      : []),
    `2. Destroy the tenant's stacks; the next synth no longer protects its database:`,
    ...(tenant.app.target === 'lambda'
      ? [
          `     bash scripts/cdktf.sh deploy ${aws.database} --ignore-missing-stack-dependencies    # first: turns off the RDS deletion protection (a final snapshot is still taken)`,
          `     (cd cdktf.out/stacks/${aws.database} && terraform state list | grep -E '^aws_kms_(key|alias)\\.' | xargs -r terraform state rm)`,
          `         # keeps the KMS key that encrypts the final snapshot; schedule its deletion once the snapshot is no longer needed`,
          ...(tenant.app.frontend
            ? [`     aws s3 rm --recursive "s3://$(cd cdktf.out/stacks/${aws.app} && terraform output -raw frontend_bucket)"    # the bucket must be empty to be destroyed`]
            : []),
          // One command: cdktf destroys them in reverse dependency order and refuses a stack whose dependants are left out.
          `     bash scripts/cdktf.sh destroy ${[...stacks].reverse().join(' ')}`,
        ]
      : tenant.app.target === 'kubernetes'
        ? kubernetesSteps(tenant.key, db)
        : stacks.map((stack) => `     bash scripts/cdktf.sh destroy ${stack}`)),
    `3. Remove the tenant from the registry: git rm ${tenant.file}, and commit.`,
    `Changed your mind before step 2? npx tenants offboard ${tenant.key} --cancel`,
    '',
  ].join('\n');
}

interface OffboardOptions {
  readonly yes?: boolean;
  readonly cancel?: boolean;
  readonly dryRun?: boolean;
  readonly backups?: string;
  readonly backup?: boolean;
  readonly url?: string;
}

/**
 * The verified backup offboarding needs: the newest in the store, or, with
 * --backup, one taken and verified now. Throws when there is none.
 */
async function verifiedBackup(reg: Registry, tenant: PostgresTenant, options: OffboardOptions, io: CliIo): Promise<string> {
  const destination = options.backups ?? defaultBackups(io.env);
  const store = backupStore(destination, io.env);
  if (options.backup) {
    const connection = connectionOfTenant(tenant, reg.servers, connectionFrom(options, io));
    const server = serverLabel(tenant);
    const taken = await backupTenant(tenant, connection, store, { server, env: io.env });
    const check = await verifyBackup((k) => postgresTenantByKey(reg, k), store, `${tenant.key}/${taken.manifest.file}`, connection, server, io.env);
    if (check.differences.length) throw new CommandFailed(`the backup ${taken.location} does not restore as taken (${check.differences.join('; ')}); ${tenant.key} stays active`);
    return taken.location;
  }
  const found = await latestVerifiedBackup(store, tenant.key);
  if (!found) {
    throw new CommandFailed(
      `no verified backup of ${tenant.key} in ${store.location}; a tenant is offboarded only once its data is safe. Take and verify one:
` +
        `  npx tenants backup ${tenant.key} --verify${options.backups ? ` --to ${options.backups}` : ''}
` +
        `or pass --backup to do it now; ${tenant.key} stays active`,
    );
  }
  return `${store.where(found.name)} (schema version ${found.manifest.schemaVersion}, verified ${found.manifest.verified!.at})`;
}

/** `tenants offboard <key>`: the explicit, reversible first step of removing a customer. */
export function registerOffboard(program: Command, io: CliIo): void {
  withUrlOption(
    program
      .command('offboard')
      .description('mark a tenant as offboarding so its database may be destroyed, once a verified backup exists, and print the destroy steps (destroys nothing)')
      .argument('<key>', 'tenant key')
      .option('-y, --yes', 'do not ask for confirmation (for scripts)')
      .option('--cancel', 'set the tenant back to active, protecting its database again')
      .option('--dry-run', 'show the change to the tenant file, and change nothing (no confirmation needed)')
      .option('--backups <dir|s3://bucket/prefix>', 'where its verified backup is (default: TENANTS_BACKUPS, else backups/)')
      .option('--backup', 'take and verify the backup now (into --backups)'),
  ).action(async (key: string, options: OffboardOptions) => {
      const reg = registry(io.env);
      const tenant = tenantByKey(reg, key);
      if (options.cancel) {
        if (tenant.lifecycle !== 'active') await setLifecycle(reg.dir, tenant, 'active', io, options.dryRun);
        if (!options.dryRun) io.stdout.write(io.colour.green(`${key} is active; its database is protected again.\n`));
        return;
      }
      if (tenant.lifecycle === 'offboarding') {
        io.stdout.write(`${key} is already marked as offboarding.\n${offboardingSteps(tenant, io.colour)}`);
        return;
      }
      if (options.dryRun) {
        await setLifecycle(reg.dir, tenant, 'offboarding', io, true);
        io.stdout.write(offboardingSteps(tenant, io.colour));
        return;
      }
      // A MongoDB tenant's data is kept as its own offboarding steps say (mongodump, DocumentDB or Atlas snapshots).
      if (isPostgresTenant(tenant)) io.stdout.write(`Verified backup: ${await verifiedBackup(reg, tenant, options, io)}\n`);
      if (!options.yes) {
        if (!io.interactive) throw new UsageError('offboard needs --yes without a terminal: it lifts the protection of a database');
        io.stdout.write(
          `This marks ${key} (${tenant.company}) as offboarding: the next synth no longer protects database "${tenant.database.name}" from destroy.\n`,
        );
        const { input } = await import('@inquirer/prompts');
        const typed = await input({ message: `Type the tenant key (${key}) to confirm` });
        if (typed.trim() !== key) throw new CommandFailed(`not confirmed: "${typed.trim()}" is not "${key}"; nothing changed`);
      }
      await setLifecycle(reg.dir, tenant, 'offboarding', io, false);
      io.stdout.write(`${io.colour.green(`Marked ${key} as offboarding in ${tenant.file}.`)}\n${offboardingSteps(tenant, io.colour)}`);
  });
}
