/** Reading the parameter group an RDS instance uses. */
import { type PolicyContext, type ResourceView, blocks, referenced } from './policy-rule';

/** The parameters of the instance's parameter group, or why they cannot be read. */
export function instanceParameters(instance: ResourceView, context: PolicyContext): { parameters?: ReadonlyMap<string, unknown>; problem?: string } {
  const name = instance.config.parameter_group_name;
  if (name === undefined) return { problem: "parameter_group_name is not set, so the engine's default group applies" };
  const group = referenced(context, name);
  if (!group || group.type !== 'aws_db_parameter_group') return { problem: 'parameter_group_name names a group outside this stack, which cannot be checked; define the group here' };
  return { parameters: new Map(blocks(group.config.parameter).map((p) => [String(p.name), p.value])) };
}
