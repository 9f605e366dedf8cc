import type { TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { DEFAULT_SERVER_ADMIN_ROLE, DEFAULT_SSLMODE } from '../../model/defaults';
import { fixedNameVariable as variable } from './fixed-name-variable';

/** Which of the deploy-time variables a stack needs: a server the stack names gives the others. */
export interface DatabaseVariablesProps {
  /** `postgres_admin_role`: for a server whose admin the stack does not name. */
  readonly adminRole: boolean;
  /** `database_host` and `database_port`: for a server whose address the stack does not name (the environment's). */
  readonly address: boolean;
}

/**
 * How Terraform and people reach the tenant's database server, as Terraform
 * variables with fixed names (`TF_VAR_database_sslmode`, ...).
 */
export class DatabaseVariables extends Construct {
  /** Role Terraform and the migration runner connect as; it becomes a member of the tenant owner role. */
  readonly serverAdminRole?: TerraformVariable;
  /** Host of the database as people reach it (connection strings). */
  readonly databaseHost?: TerraformVariable;
  readonly databasePort?: TerraformVariable;
  /** libpq sslmode of connection strings. */
  readonly databaseSslmode: TerraformVariable;

  constructor(scope: Construct, id: string, props: DatabaseVariablesProps) {
    super(scope, id);
    if (props.adminRole) this.serverAdminRole = variable(this, 'postgres_admin_role', {
      type: 'string',
      default: DEFAULT_SERVER_ADMIN_ROLE,
      description: 'Role Terraform and the migration runner connect as (its password in PGPASSWORD). It is made a member of the tenant owner role.',
    });
    if (props.address) {
      this.databaseHost = variable(this, 'database_host', {
        type: 'string',
        default: 'localhost',
        description: 'Database host as people reach it, for the connection_strings output.',
      });
      this.databasePort = variable(this, 'database_port', { type: 'number', default: 5432, description: 'Database port.' });
    }
    this.databaseSslmode = variable(this, 'database_sslmode', {
      type: 'string',
      default: DEFAULT_SSLMODE,
      description: 'libpq sslmode of connection strings: require (default) or verify-full in production; disable only for local tests.',
    });
  }
}
