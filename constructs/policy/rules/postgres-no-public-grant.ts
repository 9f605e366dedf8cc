import { type PolicyRule, isUnresolved, list } from '../policy-rule';

/**
 * PUBLIC gets nothing. A postgresql_grant to "public" with no privileges is
 * how the access model revokes from PUBLIC, and complies.
 */
export const postgresNoPublicGrant: PolicyRule = {
  id: 'POSTGRES-NO-PUBLIC-GRANT',
  reason:
    "No postgresql resource may grant PUBLIC anything (an empty privilege list, which revokes, is fine): PUBLIC is every role on the server, other tenants' logins included.",
  appliesTo: ['postgresql_grant', 'postgresql_default_privileges', 'postgresql_grant_role'],
  check: ({ type, config }) => {
    if (String(config.role).toLowerCase() !== 'public') return [];
    if (type === 'postgresql_grant_role') return [`grants membership in ${JSON.stringify(config.grant_role)} to PUBLIC`];
    const privileges = config.privileges;
    if (isUnresolved(privileges)) return ['grants PUBLIC privileges known only at deploy time'];
    const granted = list(privileges);
    return granted.length ? [`grants PUBLIC ${granted.map(String).join(', ')} on ${String(config.object_type)}`] : [];
  },
};
