import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { atlasClusterName, awsName, dockerName } from '../../model/naming';
import { type PlanJson, notAPlan, reviewPlan } from '../../ops/plan-guard';
import { CommandFailed, UsageError } from '../errors';
import type { CliIo } from '../io';
import { registry, tenantByKey } from '../registry';

/** `tenants check-plan <key> <plan.json>`: refuses plans that would lose or rename a tenant's database. */
export function registerCheckPlan(program: Command, io: CliIo): void {
  program
    .command('check-plan')
    .description("refuse a Terraform plan that destroys, replaces or renames a tenant's database, unless made explicit")
    .argument('<key>', 'tenant key the plan belongs to')
    .argument('<plan.json>', 'output of terraform show -json <planfile>')
    .option('--allow-rename', 'the database rename in this plan is intended')
    .option('--json', 'machine-readable output: { tenant, plan, accepted, refused: [{ address, actions, reason }], allowed: [{ address, actions, description }] }')
    .addHelpText(
      'after',
      '\nExample (in CI, before apply):\n' +
        '  cd cdktf.out/stacks/building_shop && terraform plan -out=tfplan && terraform show -json tfplan > plan.json && cd -\n' +
        '  npx tenants check-plan building_shop cdktf.out/stacks/building_shop/plan.json',
    )
    .action((key: string, file: string, options: { allowRename?: boolean; json?: boolean }) => {
      const tenant = tenantByKey(registry(io.env), key);
      let parsed: unknown;
      try {
        parsed = JSON.parse(readFileSync(file, 'utf8'));
      } catch (error) {
        throw new UsageError(`cannot read the plan ${file}: ${(error as Error).message}; give the output of terraform show -json <planfile>`);
      }
      const why = notAPlan(parsed);
      if (why) throw new UsageError(`${file} is not a Terraform plan: ${why}; give the output of terraform show -json <planfile>`);
      const plan = parsed as PlanJson;
      const { violations, allowed } = reviewPlan(plan, {
        offboarding: tenant.lifecycle === 'offboarding',
        allowRename: Boolean(options.allowRename),
        ownNames: [tenant.database.name, awsName(tenant.key, 'db'), awsName(tenant.key, 'docdb'), atlasClusterName(tenant.key), dockerName(tenant.key, 'mongo-data')],
        tenant: key,
      });
      if (options.json) {
        const report = { tenant: key, plan: file, accepted: violations.length === 0, refused: violations, allowed };
        io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      }
      if (violations.length) {
        throw new CommandFailed(
          `the plan for ${key} is refused; do not apply it:\n${violations.map((v) => `  - ${v.address} ${v.reason}`).join('\n')}`,
        );
      }
      if (options.json) return;
      io.stdout.write(
        allowed.length
          ? `${io.colour.green(`The plan for ${key} changes databases only as allowed:`)}\n${allowed.map((c) => `  - ${c.address} ${c.description}\n`).join('')}`
          : io.colour.green(`The plan for ${key} destroys, replaces and renames no database.\n`),
      );
    });
}
