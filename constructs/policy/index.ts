/** Policy checks applied to every stack at synth time, in the manner of cdk-nag: one rule per file in rules/. */
import type { PolicyRule } from './policy-rule';
import { apiAccessLogs } from './rules/api-access-logs';
import { atlasAccessList } from './rules/atlas-access-list';
import { atlasBackedUp } from './rules/atlas-backed-up';
import { atlasProtected } from './rules/atlas-protected';
import { apiThrottling } from './rules/api-throttling';
import { cloudfrontTls } from './rules/cloudfront-tls';
import { containerHardened } from './rules/container-hardened';
import { containerHealthcheck } from './rules/container-healthcheck';
import { containerLimits } from './rules/container-limits';
import { containerLogRotation } from './rules/container-log-rotation';
import { containerNonRoot } from './rules/container-non-root';
import { containerRestartBounded } from './rules/container-restart-bounded';
import { docdbBackedUp } from './rules/docdb-backed-up';
import { docdbEncrypted } from './rules/docdb-encrypted';
import { docdbProtected } from './rules/docdb-protected';
import { docdbTls } from './rules/docdb-tls';
import { iamNoWildcard } from './rules/iam-no-wildcard';
import { imageDigest } from './rules/image-digest';
import { k8sContainerLimits } from './rules/k8s-container-limits';
import { k8sDisruptionBudget } from './rules/k8s-disruption-budget';
import { k8sHardened } from './rules/k8s-hardened';
import { k8sImagePinned } from './rules/k8s-image-pinned';
import { k8sNetworkPolicy } from './rules/k8s-network-policy';
import { k8sNonRoot } from './rules/k8s-non-root';
import { kmsKeyPolicy } from './rules/kms-key-policy';
import { lambdaCodePinned } from './rules/lambda-code-pinned';
import { lambdaEnvironmentKms } from './rules/lambda-env-kms';
import { lambdaInVpc } from './rules/lambda-in-vpc';
import { lambdaReservedConcurrency } from './rules/lambda-reserved-concurrency';
import { lambdaTracing } from './rules/lambda-tracing';
import { logsEncrypted } from './rules/logs-encrypted';
import { logRetention } from './rules/logs-retention';
import { mongoDataProtected } from './rules/mongo-data-protected';
import { mongodbUserScoped } from './rules/mongodb-user-scoped';
import { postgresNoPublicGrant } from './rules/postgres-no-public-grant';
import { rdsBackedUp } from './rules/rds-backed-up';
import { rdsConnectionLogs } from './rules/rds-connection-logs';
import { rdsEncrypted } from './rules/rds-encrypted';
import { rdsForceSsl } from './rules/rds-force-ssl';
import { rdsLogExports } from './rules/rds-log-exports';
import { rdsMonitoring } from './rules/rds-monitoring';
import { rdsPrivate } from './rules/rds-private';
import { rdsProtected } from './rules/rds-protected';
import { s3BlockPublicAccess } from './rules/s3-block-public-access';
import { s3TlsOnly } from './rules/s3-tls-only';
import { secretsRotation } from './rules/secrets-rotation';
import { noPublicMongodb } from './rules/sg-no-public-mongodb';
import { noPublicPostgres } from './rules/sg-no-public-postgres';
import { snsEncrypted } from './rules/sns-encrypted';
import { tagsPresent } from './rules/tags-tenant-plan';
import { vpcFlowLogs } from './rules/vpc-flow-logs';

export { PolicyAspect, type Suppression, resourceView, suppressPolicy, viewContext } from './policy-aspect';
export type { PolicyContext, PolicyRule, ResourceView } from './policy-rule';

/** Every rule, grouped as the README's rule table lists them. */
export const POLICY_RULES: readonly PolicyRule[] = [
  rdsEncrypted,
  rdsProtected,
  rdsPrivate,
  rdsBackedUp,
  rdsLogExports,
  rdsForceSsl,
  rdsConnectionLogs,
  rdsMonitoring,
  lambdaInVpc,
  lambdaReservedConcurrency,
  lambdaTracing,
  lambdaEnvironmentKms,
  lambdaCodePinned,
  noPublicPostgres,
  vpcFlowLogs,
  apiAccessLogs,
  apiThrottling,
  cloudfrontTls,
  s3BlockPublicAccess,
  s3TlsOnly,
  iamNoWildcard,
  kmsKeyPolicy,
  secretsRotation,
  logRetention,
  logsEncrypted,
  snsEncrypted,
  tagsPresent,
  containerLimits,
  containerNonRoot,
  containerHardened,
  containerLogRotation,
  containerHealthcheck,
  containerRestartBounded,
  imageDigest,
  k8sContainerLimits,
  k8sNonRoot,
  k8sHardened,
  k8sImagePinned,
  k8sNetworkPolicy,
  k8sDisruptionBudget,
  postgresNoPublicGrant,
  docdbEncrypted,
  docdbProtected,
  docdbBackedUp,
  docdbTls,
  noPublicMongodb,
  atlasProtected,
  atlasBackedUp,
  atlasAccessList,
  mongodbUserScoped,
  mongoDataProtected,
];
