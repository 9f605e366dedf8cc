/**
 * The parts of backups that need no server: the manifest's names and checks,
 * the RDS snapshot steps offboarding prints (against the instance the stack
 * really creates: no AWS account here), the tenant key's policy allowing S3,
 * and the scheduled workflow. Backups themselves run in backup.pg.test.ts.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Testing } from 'cdktf';
import { parse } from 'yaml';
import { backupBaseName, manifestNameOf, manifestProblem } from '../model/backup-manifest';
import { derivedDatabaseName, restoredDatabaseName } from '../ops/backup';
import { createTenantStacks } from '../constructs/stacks/create-tenant-stacks';
import { checkServers, loadRegistry } from '../tenants/registry';
import { MIGRATIONS_CHECKSUM, PROJECT_ROOT, exampleRegistryCopy, resourcesOf, runCliInProcess } from './helpers';

describe('backup names and manifests', () => {
  it('names a backup <key>/<UTC timestamp>-<schema version>, which sorts by time', () => {
    expect(backupBaseName('building_shop', new Date('2026-11-30T06:15:00.123Z'), 5)).toBe('building_shop/20261130T061500Z-5');
    expect(manifestNameOf('building_shop/20261130T061500Z-5.dump')).toBe('building_shop/20261130T061500Z-5.json');
  });

  it('refuses what is not a manifest of this format, saying why', () => {
    expect(manifestProblem([])).toBe('has format undefined, not 1');
    expect(manifestProblem({ format: 1, tenant: 'a', database: 'a', server: 'default', file: 'x.dump', sha256: 'f', createdAt: 'now', bytes: 1 })).toBe('has no schemaVersion or bytes');
  });

  it('derives restored and scratch database names within 63 bytes', () => {
    const long = 'a'.repeat(60);
    expect(Buffer.byteLength(derivedDatabaseName(long, 'verify_abc123'))).toBe(63);
    expect(restoredDatabaseName('shop', new Date('2026-11-30T07:00:00Z'))).toBe('shop_restored_20261130t070000z');
  });
});

describe('lambda tenants: RDS snapshots', () => {
  it('offboarding prints the snapshot steps for the instance the stack creates, which also keeps a final snapshot', async () => {
    const registry = exampleRegistryCopy();
    try {
      const result = await runCliInProcess(['offboard', 'online_store_2025', '--dry-run'], { TENANTS_DIR: registry.dir, TENANTS_BACKUPS: registry.backups });
      const reg = loadRegistry(registry.dir);
      const tenant = reg.tenants.find((t) => t.key === 'online_store_2025')!;
      const stacks = createTenantStacks(Testing.app(), { tenant, servers: reg.servers, migrationsChecksum: MIGRATIONS_CHECKSUM });
      const [instance] = resourcesOf(JSON.parse(Testing.synth(stacks.aws!.database)), 'aws_db_instance');
      expect(result.stdout).toContain(`aws rds create-db-snapshot --db-instance-identifier ${instance.identifier} --db-snapshot-identifier ${instance.identifier}-offboard-$(date +%Y%m%d)`);
      expect(result.stdout).toContain(`aws rds wait db-snapshot-available --db-snapshot-identifier ${instance.identifier}-offboard-$(date +%Y%m%d)`);
      expect(instance.skip_final_snapshot).toBe(false);
      expect(String(instance.final_snapshot_identifier)).toMatch(new RegExp(`^${instance.identifier}-final-`));
    } finally {
      registry.cleanup();
    }
  });

  it("the tenant's KMS key may be used through S3, for its backups there", () => {
    const reg = loadRegistry();
    const tenant = reg.tenants.find((t) => t.key === 'online_store_2025')!;
    const stacks = createTenantStacks(Testing.app(), { tenant, servers: reg.servers, migrationsChecksum: MIGRATIONS_CHECKSUM });
    const synthesized = Testing.synth(stacks.aws!.database);
    expect(synthesized).toContain('s3.eu-central-1.amazonaws.com');
  });
});

describe('the backup schedule', () => {
  it('runs every tenant\'s backup nightly, verified, with retention, into S3', () => {
    const workflow = parse(readFileSync(path.join(PROJECT_ROOT, '.github', 'workflows', 'backup.yml'), 'utf8'));
    expect(workflow.on.schedule[0].cron).toMatch(/^\d+ \d+ \* \* \*$/);
    const run = workflow.jobs.backup.steps.map((step: { run?: string }) => step.run ?? '').join('\n');
    expect(run).toMatch(/npx tenants backup --all --verify --keep \d+ --to "s3:\/\//);
    expect(JSON.stringify(workflow)).not.toMatch(/PGPASSWORD=|password:/i);
  });

  it("gives the backup every server's admin password, each from its own secret: a server added without its line would fail its tenants' backups", () => {
    const workflow = parse(readFileSync(path.join(PROJECT_ROOT, '.github', 'workflows', 'backup.yml'), 'utf8'));
    const env = workflow.jobs.backup.steps.find((step: { run?: string }) => step.run?.includes('npx tenants backup')).env as Record<string, string>;
    const servers = checkServers().servers;
    expect(servers.length).toBeGreaterThan(1);
    for (const server of servers) expect(env[server.passwordVariable]).toBe(`\${{ secrets.${server.passwordVariable} }}`);
  });
});
