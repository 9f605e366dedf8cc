/**
 * The commands that guard a tenant's data, run in-process: validate (the
 * registry's checks), offboard (the explicit path to losing a database) and
 * check-plan (what a Terraform plan may do to it). Each test works on its own
 * copy of the example registry.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadRegistry } from '../tenants/registry';
import { databaseStack, exampleRegistryCopy, postgresTenants, resourcesOf, runCliInProcess } from './helpers';

let registry: ReturnType<typeof exampleRegistryCopy>;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  registry = exampleRegistryCopy();
  env = { TENANTS_DIR: registry.dir, TENANTS_BACKUPS: registry.backups };
});
afterEach(() => registry.cleanup());

describe('tenants offboard', () => {
  /** The lifecycle of each tenant's database, as the registry now in the directory synthesizes it. */
  const protection = () => {
    const reg = loadRegistry(registry.dir);
    return Object.fromEntries(postgresTenants(reg.tenants).map((t) => [t.key, resourcesOf(databaseStack(t, reg.servers), 'postgresql_database')[0].lifecycle]));
  };

  it('marks only that tenant, lifting only its protection, prints the backup and destroy steps, and destroys nothing', async () => {
    const result = await runCliInProcess(['offboard', 'hardware_store', '--yes'], env);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`Verified backup: ${registry.backups}/hardware_store/20261130T060000Z-5.dump (schema version 5, verified 2026-11-30T06:01:00.000Z)`);
    expect(result.stdout).toContain('bash scripts/cdktf.sh destroy hardware_store');
    expect(readFileSync(path.join(registry.dir, 'hardware_store.ts'), 'utf8')).toContain(
      "export default defineTenant({\n  lifecycle: 'offboarding', // set by `npx tenants offboard`; `npx tenants offboard hardware_store --cancel` removes it\n  key: 'hardware_store',\n",
    );
    expect(protection()).toEqual({
      bookstore_2025: { prevent_destroy: true },
      building_shop: { prevent_destroy: true },
      flower_shop: { prevent_destroy: true },
      hardware_store: { prevent_destroy: false },
      online_store_2025: { prevent_destroy: true },
    });
  });

  it('tells a Lambda tenant to lift the RDS deletion protection first, empty its frontend bucket, then destroy its stacks in one command', async () => {
    const result = await runCliInProcess(['offboard', 'online_store_2025', '--yes'], env);
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n').filter((l) => /scripts\/cdktf\.sh (deploy|destroy)|aws s3 rm/.test(l)).map((l) => l.trim().replace(/\s+#.*$/, ''))).toEqual([
      // cdktf refuses a stack whose dependencies (deploy) or dependants (destroy) are not named, unless told otherwise.
      'bash scripts/cdktf.sh deploy online_store_2025-database --ignore-missing-stack-dependencies',
      'aws s3 rm --recursive "s3://$(cd cdktf.out/stacks/online_store_2025-app && terraform output -raw frontend_bucket)"',
      'bash scripts/cdktf.sh destroy online_store_2025-app online_store_2025 online_store_2025-database online_store_2025-network',
    ]);
  });

  it('can be cancelled, protecting the database again and restoring the file byte for byte', async () => {
    const file = path.join(registry.dir, 'hardware_store.ts');
    const before = readFileSync(file, 'utf8');
    expect((await runCliInProcess(['offboard', 'hardware_store', '--yes'], env)).status).toBe(0);
    expect((await runCliInProcess(['offboard', 'hardware_store', '--cancel'], env)).status).toBe(0);
    expect(loadRegistry(registry.dir).tenants.find((t) => t.key === 'hardware_store')?.lifecycle).toBe('active');
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('refuses without --yes when there is no terminal to confirm in, changing nothing', async () => {
    const before = readFileSync(path.join(registry.dir, 'hardware_store.ts'), 'utf8');
    const result = await runCliInProcess(['offboard', 'hardware_store'], env);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('offboard needs --yes without a terminal');
    expect(readFileSync(path.join(registry.dir, 'hardware_store.ts'), 'utf8')).toBe(before);
  });
});

describe('tenants check-plan', () => {
  const destroysHardwareStore = {
    format_version: '1.2',
    planned_values: { root_module: {} },
    resource_changes: [{ address: 'postgresql_database.Database_3B28CBDB', type: 'postgresql_database', change: { actions: ['delete'], before: { name: 'hardware_store' }, after: null } }],
  };

  it('exits 1 naming the refused change, and 0 once the tenant is offboarding', async () => {
    const file = path.join(registry.dir, 'plan.json');
    writeFileSync(file, JSON.stringify(destroysHardwareStore));
    const refused = await runCliInProcess(['check-plan', 'hardware_store', file], env);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('the plan for hardware_store is refused; do not apply it:\n  - postgresql_database.Database_3B28CBDB would be destroyed');
    expect((await runCliInProcess(['offboard', 'hardware_store', '--yes'], env)).status).toBe(0);
    expect((await runCliInProcess(['check-plan', 'hardware_store', file], env)).status).toBe(0);
  });

  it('says what it lets through: a rename allowed by --allow-rename, a destroy of an offboarding tenant', async () => {
    const renames = {
      ...destroysHardwareStore,
      resource_changes: [{ address: 'postgresql_database.Database_3B28CBDB', type: 'postgresql_database', change: { actions: ['update'], before: { name: 'hardware_store' }, after: { name: 'hardware_store_v2' } } }],
    };
    const file = path.join(registry.dir, 'plan.json');
    writeFileSync(file, JSON.stringify(renames));
    expect(await runCliInProcess(['check-plan', 'hardware_store', file, '--allow-rename'], env)).toEqual({
      status: 0,
      stdout:
        'The plan for hardware_store changes databases only as allowed:\n' +
        '  - postgresql_database.Database_3B28CBDB is renamed from "hardware_store" to "hardware_store_v2" (--allow-rename)\n',
      stderr: '',
    });
    writeFileSync(file, JSON.stringify(destroysHardwareStore));
    expect((await runCliInProcess(['offboard', 'hardware_store', '--yes'], env)).status).toBe(0);
    expect((await runCliInProcess(['check-plan', 'hardware_store', file], env)).stdout).toBe(
      'The plan for hardware_store changes databases only as allowed:\n  - postgresql_database.Database_3B28CBDB is destroyed (hardware_store is offboarding)\n',
    );
  });

  it('reports as JSON what it refuses and what it lets through, exiting 1 on a refusal', async () => {
    const file = path.join(registry.dir, 'plan.json');
    writeFileSync(file, JSON.stringify(destroysHardwareStore));
    const refused = await runCliInProcess(['check-plan', 'hardware_store', file, '--json'], env);
    expect(refused.status).toBe(1);
    expect(JSON.parse(refused.stdout)).toEqual({
      tenant: 'hardware_store',
      plan: file,
      accepted: false,
      refused: [{ address: 'postgresql_database.Database_3B28CBDB', actions: ['delete'], reason: expect.stringMatching(/^would be destroyed; /) }],
      allowed: [],
    });
    expect((await runCliInProcess(['offboard', 'hardware_store', '--yes'], env)).status).toBe(0);
    const accepted = await runCliInProcess(['check-plan', 'hardware_store', file, '--json'], env);
    expect(accepted.status).toBe(0);
    expect(JSON.parse(accepted.stdout)).toEqual({
      tenant: 'hardware_store',
      plan: file,
      accepted: true,
      refused: [],
      allowed: [{ address: 'postgresql_database.Database_3B28CBDB', actions: ['delete'], description: 'is destroyed (hardware_store is offboarding)' }],
    });
  });

  it("refuses a plan that destroys a MongoDB tenant's DocumentDB cluster, Atlas cluster or data volume, as it refuses a PostgreSQL database's", async () => {
    const file = path.join(registry.dir, 'plan.json');
    const destroys = (type: string, before: Record<string, unknown>) => ({
      ...destroysHardwareStore,
      resource_changes: [{ address: `${type}.Data`, type, change: { actions: ['delete'], before, after: null } }],
    });
    for (const [type, before] of [
      ['aws_docdb_cluster', { cluster_identifier: 'tea-house-docdb' }],
      ['mongodbatlas_advanced_cluster', { name: 'tea-house' }],
      ['docker_volume', { name: 'usualstore-tea-house-mongo-data' }],
    ] as const) {
      writeFileSync(file, JSON.stringify(destroys(type, before)));
      const refused = await runCliInProcess(['check-plan', 'tea_house', file], env);
      expect([type, refused.status, refused.stderr]).toEqual([type, 1, expect.stringContaining(`${type}.Data would be destroyed`)]);
    }
  });

  it('refuses, as a usage error, a file that is not a plan, which would otherwise pass for want of changes', async () => {
    const file = path.join(registry.dir, 'not-a-plan.json');
    for (const content of ['{}', '[]', 'null', JSON.stringify({ resource: { postgresql_database: {} } })]) {
      writeFileSync(file, content);
      const result = await runCliInProcess(['check-plan', 'hardware_store', file], env);
      expect([result.status, result.stderr]).toEqual([2, expect.stringContaining(`${file} is not a Terraform plan: it `)]);
      expect(result.stderr).toContain('give the output of terraform show -json <planfile>');
    }
  });
});

describe('tenants validate', () => {
  it('passes the example registry', async () => {
    expect(await runCliInProcess(['validate'], env)).toEqual({ status: 0, stdout: `${registry.dir}: 6 tenants on 2 servers, no problems.\n`, stderr: '' });
  });

  it('reports every problem and exits 1, as text and as JSON', async () => {
    writeFileSync(path.join(registry.dir, 'Bad-Name.ts'), 'export default {};\n');
    const hardware = path.join(registry.dir, 'hardware_store.ts');
    writeFileSync(hardware, readFileSync(hardware, 'utf8').replace("plan: 'starter'", "plan: 'gold'"));
    const text = await runCliInProcess(['validate'], env);
    expect(text.status).toBe(1);
    expect(text.stderr.split('\n')).toEqual([
      `error: ${registry.dir} has 2 problems:`,
      expect.stringMatching(/^ {2}- \S+\/Bad-Name\.ts is not a tenant file name/),
      `  - ${hardware}: plan "gold" is not a plan; use one of free, starter, professional, enterprise`,
      '',
    ]);
    const json = await runCliInProcess(['validate', '--json'], env);
    expect(json.status).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report).toEqual({ valid: false, tenants: 5, servers: 2, problems: [expect.objectContaining({ field: '' }), expect.any(Object)] });
    expect(report.problems[1]).toEqual({
      file: hardware,
      field: 'plan',
      value: 'gold',
      rule: 'is not a plan; use one of free, starter, professional, enterprise',
      message: `${hardware}: plan "gold" is not a plan; use one of free, starter, professional, enterprise`,
    });
  });
});
