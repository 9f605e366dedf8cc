/** Policy checks applied to every stack at synth time, in the manner of cdk-nag. */
import { LAMBDA_RULES } from './lambda-rules';
import { LOGGING_RULES } from './logging-rules';
import { NETWORK_RULES } from './network-rules';
import type { PolicyRule } from './policy-rule';
import { RDS_RULES } from './rds-rules';
import { TAG_RULES } from './tag-rules';

export { PolicyAspect, resourceView, suppressPolicy } from './policy-aspect';
export type { PolicyRule, ResourceView } from './policy-rule';

/** Every rule, by family. */
export const POLICY_RULES: readonly PolicyRule[] = [...RDS_RULES, ...LAMBDA_RULES, ...NETWORK_RULES, ...LOGGING_RULES, ...TAG_RULES];
