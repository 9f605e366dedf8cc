import { accessModel } from '../model/access-model';
import { renderAccessSql } from '../model/access-sql';
import { quoteIdent, quoteLiteral } from '../model/sql-quote';
import { loadRegistry } from '../tenants/registry';
import { DEFAULT_TENANTS_DIR } from '../tenants/registry/load';
import type { PostgresTenant } from '../tenants/registry/types';

const building = loadRegistry(DEFAULT_TENANTS_DIR).tenants.find((t) => t.key === 'building_shop');

describe('renderAccessSql', () => {
  const sql = renderAccessSql(accessModel(building as PostgresTenant));

  it('renders building_shop as in its snapshot, for reviewers to see every change', () => {
    expect(sql).toMatchSnapshot();
  });

  it('sets no password and says how passwords are set', () => {
    expect(sql).not.toMatch(/\bPASSWORD\s+'/i);
    expect(sql).toContain('\\password <role>');
  });

  it('stops at the first error and revokes PUBLIC only after the admin and tenant roles hold CONNECT', () => {
    const lines = sql.split('\n');
    expect(lines).toContain('\\set ON_ERROR_STOP on');
    const grantAdmin = lines.indexOf('GRANT CONNECT ON DATABASE "building_shop" TO CURRENT_USER;');
    const revokePublic = lines.indexOf('REVOKE ALL ON DATABASE "building_shop" FROM PUBLIC;');
    expect(grantAdmin).toBeGreaterThan(-1);
    expect(revokePublic).toBeGreaterThan(grantAdmin);
  });

  it('quotes identifiers and literals, doubling embedded quotes', () => {
    expect(quoteIdent('a"b')).toBe('"a""b"');
    expect(quoteLiteral("it's")).toBe("'it''s'");
  });
});
