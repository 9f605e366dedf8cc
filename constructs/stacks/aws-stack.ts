import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { TerraformStack } from 'cdktf';
import type { ResolvedLambdaTarget, Tenant } from '../../tenants/registry';
import { notALambdaTenant } from './messages';
import { type StateBackendConfig, applyStateBackend } from './state-backend';
import { tenantTags } from '../../model/tenant-tags';
import { REQUIRED_TERRAFORM_VERSION } from '../../model/defaults';
import { apiAccessLogGroupName, awsName, functionLogGroupName } from '../../model/naming';
import { TenantKmsKey } from '../aws/tenant-kms-key';

/** What every AWS-only stack of a tenant is given. */
export interface AwsStackProps {
  /** The validated tenant; its app target must be `lambda`. */
  readonly tenant: Tenant;
  /** Where the stack's state lives; every stack has its own. */
  readonly stateBackend: StateBackendConfig;
  /** Path from the stack's working directory to the project root. */
  readonly projectDir: string;
}

/** The tenant's Lambda target; refuses a tenant on another target. */
export function lambdaTarget(tenant: Tenant): ResolvedLambdaTarget {
  if (tenant.app.target !== 'lambda') throw new Error(notALambdaTenant(tenant.file, tenant.app.target));
  return tenant.app;
}

/**
 * Gives an AWS-only stack its own state and the AWS provider: the tenant's
 * region, the tenant's tags on every resource (`default_tags`) and
 * credentials from the deploying environment (`AWS_PROFILE`,
 * `AWS_ACCESS_KEY_ID`, SSO, an instance role), never from the JSON.
 */
export function configureAwsStack(stack: TerraformStack, stackName: string, props: AwsStackProps): AwsProvider {
  const { region } = lambdaTarget(props.tenant);
  applyStateBackend(stack, stackName, props.stateBackend, props.projectDir);
  stack.addOverride('terraform.required_version', REQUIRED_TERRAFORM_VERSION);
  return new AwsProvider(stack, 'Aws', { region, defaultTags: [{ tags: tenantTags(props.tenant) }] });
}

/**
 * The tenant's own KMS key, in its database stack (RDS or DocumentDB): it
 * encrypts the database and every log group of the tenant, the database's
 * (`databaseLogGroups`) here and the function's and the API's in the app stack.
 */
export function tenantDatabaseKey(stack: TerraformStack, tenant: Tenant, databaseLogGroups: readonly string[]): TenantKmsKey {
  const api = awsName(tenant.key, 'api');
  return new TenantKmsKey(stack, 'Key', {
    tenantKey: tenant.key,
    region: lambdaTarget(tenant).region,
    logGroupNames: [...databaseLogGroups, functionLogGroupName(api), apiAccessLogGroupName(api)],
  });
}
