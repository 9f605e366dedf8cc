import { TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';

type VariableConfig = ConstructorParameters<typeof TerraformVariable>[2];

/** A Terraform variable whose name is fixed, so users set it as TF_VAR_<name> whatever the construct tree. */
export function fixedNameVariable(scope: Construct, name: string, config: VariableConfig): TerraformVariable {
  const v = new TerraformVariable(scope, name, config);
  v.overrideLogicalId(name);
  return v;
}
