import { type PolicyRule, blocks, referenced } from '../policy-rule';

/** TLS on every connection. */
export const docdbTls: PolicyRule = {
  id: 'DOCDB-TLS',
  reason: "A DocumentDB cluster's parameter group must set tls = enabled, so no client sends a user's password or the tenant's documents in clear.",
  appliesTo: ['aws_docdb_cluster'],
  check: (cluster, context) => {
    const name = cluster.config.db_cluster_parameter_group_name;
    // DocumentDB's default group enables TLS, but anyone with access to the account can change what "default" means for new clusters; name ours.
    if (name === undefined) return ["db_cluster_parameter_group_name is not set, so the engine's default group applies"];
    const group = referenced(context, name);
    if (!group || group.type !== 'aws_docdb_cluster_parameter_group') return ['db_cluster_parameter_group_name names a group outside this stack, which cannot be checked; define the group here'];
    const tls = blocks(group.config.parameter).find((p) => p.name === 'tls')?.value;
    return tls === 'enabled' ? [] : [`the parameter group sets tls to ${tls === undefined ? 'nothing' : JSON.stringify(tls)}, must be "enabled"`];
  },
};
