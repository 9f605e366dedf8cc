/**
 * The plan guard (the CLI's `check-plan` is tested in cli.test.ts), on plans written by the real Terraform: a builtin
 * `terraform_data` resource (no provider download) stands in for a
 * database, since no postgresql provider can run here.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { type PlanJson, checkPlan, notAPlan } from '../ops/plan-guard';

let dir: string;
// A CLI configuration of the test's own: terraform_data is built in, so no provider is installed.
const terraform = (...args: string[]) =>
  execFileSync('terraform', args, {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, TF_CLI_CONFIG_FILE: path.join(dir, 'terraform.tfrc'), TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' },
  });
const configure = (resource: Record<string, unknown>) =>
  writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify(Object.keys(resource).length ? { resource } : {}));

/** The JSON plan Terraform writes for the current configuration against the applied state. */
function plan(): PlanJson {
  terraform('plan', '-input=false', '-out=tfplan');
  return JSON.parse(terraform('show', '-json', 'tfplan')) as PlanJson;
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'plan-guard-'));
  writeFileSync(path.join(dir, 'terraform.tfrc'), '# No providers needed: the configuration uses only the built-in terraform_data.\n');
  configure({ terraform_data: { tenant_db: { input: 'building_shop', triggers_replace: ['en_US.UTF-8'] } } });
  terraform('init', '-input=false');
  terraform('apply', '-input=false', '-auto-approve');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const asDatabase = { protectedTypes: ['terraform_data'] };

describe('checkPlan on real Terraform plans', () => {
  it('passes a plan that changes nothing', () => {
    expect(checkPlan(plan(), { offboarding: false, allowRename: false, ...asDatabase })).toEqual([]);
  });

  it('refuses a database that disappeared from the configuration, unless the tenant is offboarding', () => {
    configure({});
    const removal = plan();
    expect(checkPlan(removal, { offboarding: false, allowRename: false, ...asDatabase })).toEqual([
      { address: 'terraform_data.tenant_db', actions: ['delete'], reason: 'would be destroyed; only an offboarding tenant may lose its data (npx tenants offboard <key>)' },
    ]);
    expect(checkPlan(removal, { offboarding: true, allowRename: false, ...asDatabase })).toEqual([]);
  });

  it('refuses a replacement, as a changed collation forces', () => {
    configure({ terraform_data: { tenant_db: { input: 'building_shop', triggers_replace: ['de_DE.UTF-8'] } } });
    expect(checkPlan(plan(), { offboarding: false, allowRename: false, ...asDatabase }).map((v) => [v.address, v.actions])).toEqual([
      ['terraform_data.tenant_db', ['delete', 'create']],
    ]);
  });
});

describe('notAPlan', () => {
  it("accepts Terraform's JSON plan and refuses a state, a configuration and other JSON, saying why", () => {
    expect(notAPlan(plan())).toBeUndefined();
    expect(notAPlan(JSON.parse(terraform('show', '-json')))).toBe('it has no planned_values (a state or configuration, not a plan?)');
    expect(notAPlan({ resource: { terraform_data: {} } })).toBe('it has no format_version');
    expect(notAPlan({})).toBe('it has no format_version');
    expect(notAPlan([])).toBe('it is not a JSON object');
    expect(notAPlan(null)).toBe('it is not a JSON object');
  });
});

describe('checkPlan on database renames', () => {
  const rename: PlanJson = {
    resource_changes: [
      { address: 'postgresql_database.Database_3B28CBDB', type: 'postgresql_database', change: { actions: ['update'], before: { name: 'shop' }, after: { name: 'shop_v2' } } },
    ],
  };

  it('refuses a rename unless it is explicitly allowed', () => {
    expect(checkPlan(rename, { offboarding: false, allowRename: false }).map((v) => v.reason)).toEqual([
      'would be renamed from "shop" to "shop_v2", breaking every connection string; pass --allow-rename if that is intended',
    ]);
    expect(checkPlan(rename, { offboarding: false, allowRename: true })).toEqual([]);
  });

  it("refuses a plan that touches another tenant's database, even for an offboarding tenant", () => {
    const other: PlanJson = {
      resource_changes: [{ address: 'postgresql_database.x', type: 'postgresql_database', change: { actions: ['delete'], before: { name: 'building_shop' }, after: null } }],
    };
    expect(checkPlan(other, { offboarding: true, allowRename: false, ownNames: ['hardware_store'] }).map((v) => v.reason)).toEqual([
      'belongs to another tenant ("building_shop" is not "hardware_store"); check the plan of that tenant\'s own stack',
    ]);
  });

  it('lets other updates of a database through', () => {
    const limit: PlanJson = {
      resource_changes: [{ address: 'postgresql_database.x', type: 'postgresql_database', change: { actions: ['update'], before: { name: 'shop', connection_limit: 5 }, after: { name: 'shop', connection_limit: 10 } } }],
    };
    expect(checkPlan(limit, { offboarding: false, allowRename: false })).toEqual([]);
  });
});
