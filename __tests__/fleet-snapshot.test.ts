/**
 * The fleet's change log: every stack of every tenant in the registry
 * (TENANTS_DIR, or tenants/), as its resource addresses and the attributes
 * that say what each is (ops/review/key-attributes.ts), one snapshot per
 * stack. A pull request that changes a tenant, or code every tenant shares,
 * changes these snapshots, so its diff reads as what changes where; a
 * renamed construct (which replaces its resource) shows as an address that
 * goes and another that comes. Secret-bearing values never appear.
 *
 * This is how to snapshot-test your own tenants: add or change a file in
 * tenants/, run `npx jest fleet-snapshot`, read the snapshot diff, and
 * commit it with `npx jest fleet-snapshot -u` once it is what you meant.
 */
import { Testing } from 'cdktf';
import { createTenantStacks } from '../constructs/stacks/create-tenant-stacks';
import { stackDigest } from '../ops/review/key-attributes';
import { readMigrations } from '../ops/migration-files';
import { loadRegistry, tenantsDir } from '../tenants/registry';

const migrationsChecksum = readMigrations().checksum;
const registry = loadRegistry(tenantsDir());
const stacks = registry.tenants.flatMap((tenant) =>
  createTenantStacks(Testing.app(), { tenant, servers: registry.servers, migrationsChecksum }).all.map((stack) => [stack.node.id, stack] as const),
);

describe('the fleet, stack by stack', () => {
  it('has every tenant of the registry', () => {
    expect(stacks.length).toBeGreaterThan(0);
  });

  test.each(stacks)('%s', (_name, stack) => {
    const digest = stackDigest(JSON.parse(Testing.synth(stack)));
    expect(JSON.stringify(digest)).not.toMatch(/password=(?!\(sensitive\))/);
    expect(digest).toMatchSnapshot();
  });
});
