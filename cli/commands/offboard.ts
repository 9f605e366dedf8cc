import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { formatProblem } from '../../model/problems';
import { awsStackNames, tenantStackNames } from '../../model/naming';
import { checkRegistry, isMongoTenant, loadTenantFileEditor } from '../../tenants/registry';
import { mongoOffboardingSteps } from '../mongo-offboard';
import type { Tenant, TenantLifecycle } from '../../tenants/registry';
import { CommandFailed, UsageError } from '../errors';
import type { Colours, CliIo } from '../io';
import { changedLines } from '../output';
import { registry, tenantByKey } from '../registry';

/** The comment on the line offboard adds to a tenant file, by which --cancel finds and removes it. */
function offboardNote(key: string): string {
  return `set by \`npx tenants offboard\`; \`npx tenants offboard ${key} --cancel\` removes it`;
}

/**
 * The tenant file with the lifecycle set: offboarding adds a line (or
 * changes the value the file gives); active removes the line offboarding
 * added, so the file is again what it was byte for byte, or else sets the value.
 */
async function withLifecycle(text: string, file: string, key: string, lifecycle: TenantLifecycle): Promise<string> {
  // Loaded here: the TypeScript compiler takes a third of a second to load.
  const { removeAddedField, setTenantField } = await loadTenantFileEditor();
  const note = offboardNote(key);
  return (lifecycle === 'active' ? removeAddedField(text, 'lifecycle', note, file) : undefined) ?? setTenantField(text, 'lifecycle', lifecycle, note, file);
}

/**
 * Sets the tenant's lifecycle in its file, keeping the rest; restores the
 * file if the registry then fails. With `dryRun`, only shows the change.
 */
async function setLifecycle(dir: string, tenant: Tenant, lifecycle: TenantLifecycle, io: CliIo, dryRun: boolean | undefined): Promise<void> {
  const file = path.join(dir, `${tenant.key}.ts`);
  const original = readFileSync(file, 'utf8');
  const edited = await withLifecycle(original, file, tenant.key, lifecycle);
  if (dryRun) {
    io.stdout.write(`${io.colour.bold(`--dry-run: would change ${tenant.file} (nothing was written):`)}\n${changedLines(original, edited)}`);
    return;
  }
  writeFileSync(file, edited);
  const { problems } = checkRegistry(dir);
  if (problems.length) {
    writeFileSync(file, original);
    throw new CommandFailed(`the edited registry has problems, so ${file} was restored:\n${problems.map((p) => `  - ${formatProblem(p)}`).join('\n')}`);
  }
}

/** The steps after marking: back up, destroy with the protection lifted, remove the file. */
export function offboardingSteps(tenant: Tenant, colour: Colours): string {
  if (isMongoTenant(tenant)) return mongoOffboardingSteps(tenant, colour);
  const db = tenant.database.name;
  const stacks = tenantStackNames(tenant);
  const aws = awsStackNames(tenant.key);
  return [
    colour.bold(`Offboarding ${tenant.key}: nothing has been destroyed. Next:`),
    `1. Back up the database (connection and password from PGHOST, PGUSER, PGPASSWORD or ~/.pgpass, never the command line):`,
    `     pg_dump --format=custom --file=${db}-$(date +%Y%m%d).dump --dbname=${db}`,
    `   and check the dump: pg_restore --list ${db}-$(date +%Y%m%d).dump | head`,
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
      : stacks.map((stack) => `     bash scripts/cdktf.sh destroy ${stack}`)),
    `3. Remove the tenant from the registry: git rm ${tenant.file}, and commit.`,
    `Changed your mind before step 2? npx tenants offboard ${tenant.key} --cancel`,
    '',
  ].join('\n');
}

/** `tenants offboard <key>`: the explicit, reversible first step of removing a customer. */
export function registerOffboard(program: Command, io: CliIo): void {
  program
    .command('offboard')
    .description("mark a tenant as offboarding so its database may be destroyed, and print the backup and destroy steps (destroys nothing)")
    .argument('<key>', 'tenant key')
    .option('-y, --yes', 'do not ask for confirmation (for scripts)')
    .option('--cancel', 'set the tenant back to active, protecting its database again')
    .option('--dry-run', 'show the change to the tenant file, and change nothing (no confirmation needed)')
    .action(async (key: string, options: { yes?: boolean; cancel?: boolean; dryRun?: boolean }) => {
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
