import { MONGO_AUTH_DATABASE } from '../../../model/mongo-access-model';
import { MONGO_RESERVED_DATABASE_NAMES } from '../../../model/naming';
import { type PolicyRule, blocks, expected } from '../policy-rule';

/** Every Atlas user confined to its tenant: roles on one database, reaching one cluster. */
export const mongodbUserScoped: PolicyRule = {
  id: 'MONGODB-USER-SCOPED',
  reason: `An Atlas database user must hold roles on its tenant's database only (never on ${MONGO_RESERVED_DATABASE_NAMES.join(', ')} or a second database) and be scoped to its tenant's cluster, so no login reaches beyond its tenant.`,
  appliesTo: ['mongodbatlas_database_user'],
  check: ({ config }) => {
    const findings: string[] = [];
    if (config.auth_database_name !== MONGO_AUTH_DATABASE) findings.push(expected('auth_database_name', config.auth_database_name, `"${MONGO_AUTH_DATABASE}"`));
    const roles = blocks(config.roles);
    if (!roles.length) findings.push('roles is empty, must be roles on the tenant database');
    const databases = [...new Set(roles.map((role) => String(role.database_name)))];
    for (const db of databases.filter((d) => MONGO_RESERVED_DATABASE_NAMES.includes(d.toLowerCase()))) findings.push(`a role on the "${db}" database, which reaches beyond the tenant`);
    if (databases.length > 1) findings.push(`roles on ${databases.length} databases (${databases.join(', ')}), must be on the tenant database only`);
    if (roles.some((role) => role.collection_name !== undefined)) findings.push('a role on one collection: the model grants whole-database roles only');
    const clusters = blocks(config.scopes).filter((scope) => scope.type === 'CLUSTER');
    if (!clusters.length) findings.push("scopes has no CLUSTER, so the user reaches every cluster of the project; scope it to the tenant's cluster");
    return findings;
  },
};
