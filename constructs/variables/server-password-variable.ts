import type { TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import { serverPasswordTerraformVariable, serverPasswordVariable } from '../../model/servers';
import { fixedNameVariable } from './fixed-name-variable';

/**
 * The admin password of a server of the fleet, as a sensitive Terraform
 * variable without a default (`TF_VAR_pgpassword_<name>`; scripts/cdktf.sh
 * sets it from `PGPASSWORD_<NAME>`): a deploy without it stops before it
 * connects, rather than trying another server's PGPASSWORD.
 */
export function serverPasswordVariableOf(scope: Construct, server: string): TerraformVariable {
  return fixedNameVariable(scope, serverPasswordTerraformVariable(server), {
    type: 'string',
    sensitive: true,
    nullable: false,
    description: `Password of the server admin of server "${server}" (set ${serverPasswordVariable(server)} and deploy through scripts/cdktf.sh, or TF_VAR_${serverPasswordTerraformVariable(server)}).`,
  });
}
