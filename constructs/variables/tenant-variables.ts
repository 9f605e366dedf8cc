import { TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { DEFAULT_ADMIN_ROLE, DEFAULT_SSLMODE } from '../../model/defaults';

type VariableConfig = ConstructorParameters<typeof TerraformVariable>[2];

function variable(scope: Construct, name: string, config: VariableConfig): TerraformVariable {
  const v = new TerraformVariable(scope, name, config);
  // Fixed names, so users set them as TF_VAR_<name> whatever the construct tree.
  v.overrideLogicalId(name);
  return v;
}

/**
 * How Terraform and people reach the tenant's database server, as Terraform
 * variables with fixed names (`TF_VAR_database_sslmode`, ...).
 */
export class DatabaseVariables extends Construct {
  /** Role Terraform and the migration runner connect as; it becomes a member of the tenant owner role. */
  readonly postgresAdminRole: TerraformVariable;
  /** Host of the database as people reach it (connection strings). */
  readonly databaseHost: TerraformVariable;
  readonly databasePort: TerraformVariable;
  /** libpq sslmode of connection strings. */
  readonly databaseSslmode: TerraformVariable;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.postgresAdminRole = variable(this, 'postgres_admin_role', {
      type: 'string',
      default: DEFAULT_ADMIN_ROLE,
      description: 'Role Terraform and the migration runner connect as (its password in PGPASSWORD). It is made a member of the tenant owner role.',
    });
    this.databaseHost = variable(this, 'database_host', {
      type: 'string',
      default: 'localhost',
      description: 'Database host as people reach it, for the connection_strings output.',
    });
    this.databasePort = variable(this, 'database_port', { type: 'number', default: 5432, description: 'Database port.' });
    this.databaseSslmode = variable(this, 'database_sslmode', {
      type: 'string',
      default: DEFAULT_SSLMODE,
      description: 'libpq sslmode of connection strings: require (default) or verify-full in production; disable only for local tests.',
    });
  }
}

/**
 * The store API's secrets and mail settings, as Terraform variables with
 * fixed names. Secrets have no default and are sensitive: they come from the
 * deploying environment, never from the registry or the synthesized JSON.
 */
export class AppVariables extends Construct {
  readonly stripeKey: TerraformVariable;
  readonly stripeSecret: TerraformVariable;
  readonly smtpUser: TerraformVariable;
  readonly smtpPassword: TerraformVariable;
  readonly smtpPort: TerraformVariable;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.stripeKey = variable(this, 'stripe_key', { type: 'string', description: 'Stripe publishable key (STRIPE_KEY).' });
    this.stripeSecret = variable(this, 'stripe_secret', { type: 'string', sensitive: true, description: 'Stripe secret key (STRIPE_SECRET).' });
    this.smtpUser = variable(this, 'smtp_user', { type: 'string', description: 'SMTP user (SMTP_USER).' });
    this.smtpPassword = variable(this, 'smtp_password', { type: 'string', sensitive: true, description: 'SMTP password (SMTP_PASSWORD).' });
    this.smtpPort = variable(this, 'smtp_port', { type: 'number', default: 587, description: 'SMTP port (SMTP_PORT).' });
  }
}

/** Variables of the Docker target only. */
export class DockerVariables extends Construct {
  /** Host of the database as the app container reaches it. */
  readonly appDatabaseHost: TerraformVariable;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.appDatabaseHost = variable(this, 'app_database_host', {
      type: 'string',
      default: 'host.docker.internal',
      description: 'Database host as the app container reaches it (the Docker host by default).',
    });
  }
}
