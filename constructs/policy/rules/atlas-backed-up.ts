import { PLAN_TAG } from '../../../model/tenant-tags';
import { FREE_PLAN } from '../../../model/plans';
import { type PolicyRule, blocks, expected } from '../policy-rule';

/** Cloud backups for every paying tenant. */
export const atlasBackedUp: PolicyRule = {
  id: 'ATLAS-BACKED-UP',
  reason: `An Atlas cluster of a paying tenant (its ${PLAN_TAG} tag other than ${FREE_PLAN}) must have cloud backups, so a bad change or a deleted collection can be restored.`,
  appliesTo: ['mongodbatlas_advanced_cluster'],
  check: ({ config }) => {
    const plan = blocks(config.tags).find((tag) => tag.key === PLAN_TAG)?.value;
    if (plan === FREE_PLAN) return [];
    return config.backup_enabled === true ? [] : [expected('backup_enabled', config.backup_enabled, `true (plan ${plan === undefined ? 'unknown: no ' + PLAN_TAG + ' tag' : JSON.stringify(plan)})`)];
  },
};
