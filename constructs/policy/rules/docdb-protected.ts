import { type PolicyRule, expected, isUnresolved } from '../policy-rule';

/** Deletion protection on, and a final snapshot on delete. */
export const docdbProtected: PolicyRule = {
  id: 'DOCDB-PROTECTED',
  reason: 'A DocumentDB cluster must have deletion protection and take a final snapshot, so no deploy or console click loses a tenant.',
  appliesTo: ['aws_docdb_cluster'],
  check: ({ config }) => {
    const findings: string[] = [];
    if (config.deletion_protection !== true && !isUnresolved(config.deletion_protection)) findings.push(expected('deletion_protection', config.deletion_protection, 'true'));
    if (config.skip_final_snapshot === true) findings.push(expected('skip_final_snapshot', true, 'false'));
    if (!config.final_snapshot_identifier) findings.push(expected('final_snapshot_identifier', config.final_snapshot_identifier, 'a snapshot name'));
    return findings;
  },
};
