import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { SECRET_STORE_API_VARIABLES, splitMongoStoreApiEnvironment, splitStoreApiEnvironment } from '../../model/store-api';
import { MONGO_PORT } from '../../model/mongo-defaults';
import { mongoUri } from '../../model/mongo-uri';
import { API_CONTAINER_PORT } from '../../model/defaults';
import { keywordDsn } from '../../model/dsn';
import { awsStackNames } from '../../model/naming';
import { PLAN_PROFILES } from '../../model/plans';
import type { TenantStack } from './tenant-stack';
import { MongoTenantStack } from './mongo-tenant-stack';
import type { TenantDocdbStack } from './tenant-docdb-stack';
import { AppVariables } from '../variables/app-variables';
import { AppSecrets } from '../aws/app-secrets';
import { ARTIFACT_RDS_CA_BUNDLE, POSTGRES_PORT, RDS_SSLMODE } from '../aws/aws-defaults';
import { type AwsStackProps, configureAwsStack, lambdaTarget } from './aws-stack';
import { StoreAlarms } from '../aws/store-alarms';
import { StoreFrontend } from '../aws/store-frontend';
import { StoreFunction } from '../aws/store-function';
import { StoreHttpApi } from '../aws/store-http-api';
import type { TenantDatabaseStack } from './tenant-database-stack';
import type { TenantNetworkStack } from './tenant-network-stack';

/** Props of {@link TenantAppStack}. */
export type TenantAppStackProps = AwsStackProps & { readonly network: TenantNetworkStack } & (
    | {
        readonly database: TenantDatabaseStack;
        /** The in-database stack: the app role, its password, the database name and the frontend secret. */
        readonly tenantStack: TenantStack;
      }
    | {
        /** A MongoDB tenant's DocumentDB cluster and key. */
        readonly database: TenantDocdbStack;
        /** The MongoDB tenant's stack: the app user's password and the frontend secret. */
        readonly tenantStack: MongoTenantStack;
      }
  );

/** The store API's environment variables that are secrets: they go to Secrets Manager, never into the function's environment. */
export const SECRET_VARIABLES = SECRET_STORE_API_VARIABLES;

/** The function's environment variable naming the secret that holds {@link SECRET_VARIABLES}. */
export const SECRET_ARN_VARIABLE = 'APP_SECRET_ARN';

/**
 * The store app of a Lambda tenant, in its own stack `<key>-app`: the API
 * function, its secret, the HTTP API, the alarms and (optionally) the
 * frontend on S3 and CloudFront.
 *
 * The function's environment holds the API's plain settings and
 * `APP_SECRET_ARN`; the secrets (`DATABASE_DSN` for the app role, built from
 * the RDS `address`, not its `endpoint`, which already ends in the port)
 * are one JSON secret that the artifact's bootstrap loads into the
 * environment before it starts the API.
 */
export class TenantAppStack extends TerraformStack {
  readonly function: StoreFunction;
  readonly httpApi: StoreHttpApi;
  readonly secrets: AppSecrets;
  readonly alarms: StoreAlarms;
  readonly frontend?: StoreFrontend;

  constructor(scope: Construct, props: TenantAppStackProps) {
    const name = awsStackNames(props.tenant.key).app;
    super(scope, name);
    const { tenant, network, database, tenantStack } = props;
    const target = lambdaTarget(tenant);
    configureAwsStack(this, name, props);
    for (const upstream of [network, database, tenantStack]) this.addDependency(upstream);

    const variables = new AppVariables(this, 'AppVariables');

    // The function reaches the SMTP server on the deploy-time port only, in the allowed ranges.
    target.egress.smtpCidrs.forEach((cidr, index) => {
      // The first keeps the id it always had, so an existing rule is not replaced.
      new VpcSecurityGroupEgressRule(this, index === 0 ? 'ApiToSmtp' : `ApiToSmtp${index}`, {
        securityGroupId: network.apiSecurityGroup.id,
        description: 'SMTP to the mail server',
        ipProtocol: 'tcp',
        fromPort: variables.smtpPort.numberValue,
        toPort: variables.smtpPort.numberValue,
        cidrIpv4: cidr,
      });
    });

    // The frontend's URL is known only once the API or the frontend exists; a placeholder until then, as it is no secret.
    const common = (frontUrl: string) => ({
      apiPort: String(API_CONTAINER_PORT),
      ...variables.sources(),
      secretForFront: tenantStack.secretForFront.result,
      frontUrl,
    });
    let environment: (frontUrl: string) => ReturnType<typeof splitStoreApiEnvironment>;
    if (tenantStack instanceof MongoTenantStack) {
      // TLS checked against the RDS CA bundle the artifact carries (DocumentDB's CAs are among them).
      const uri = mongoUri(
        'documentdb',
        { host: `${(database as TenantDocdbStack).cluster.endpoint}:${MONGO_PORT}`, user: tenantStack.appUser, password: tenantStack.appPassword.result, database: tenantStack.tenant.database.name },
        ARTIFACT_RDS_CA_BUNDLE,
      );
      environment = (frontUrl) => splitMongoStoreApiEnvironment({ mongodbUri: uri, databaseName: tenantStack.tenant.database.name, tenantName: tenant.key, ...common(frontUrl) });
    } else {
      // verify-full against the RDS CA bundle the artifact carries: the password never goes to a server that is not the tenant's.
      const dsn = `${keywordDsn({
        host: (database as TenantDatabaseStack).instance.address,
        port: POSTGRES_PORT,
        user: tenantStack.appRole.name,
        password: tenantStack.appPassword.result,
        dbname: tenantStack.database.name,
        sslmode: RDS_SSLMODE,
      })} sslrootcert=${ARTIFACT_RDS_CA_BUNDLE}`;
      environment = (frontUrl) => splitStoreApiEnvironment({ databaseDsn: dsn, ...common(frontUrl) });
    }
    this.secrets = new AppSecrets(this, 'Secrets', { tenantKey: tenant.key, kmsKey: database.kmsKey, values: environment('').secret });

    const profile = PLAN_PROFILES[tenant.plan];
    this.httpApi = new StoreHttpApi(this, 'HttpApi', { tenantKey: tenant.key, profile, kmsKey: database.kmsKey, authorizer: target.authorizer });
    if (target.frontend) {
      this.frontend = new StoreFrontend(this, 'Frontend', {
        tenantKey: tenant.key,
        logRetentionDays: profile.logRetentionDays,
        domain: target.frontendDomain,
        webAclArn: target.frontendWebAclArn,
      });
    }
    const frontUrl = target.frontendDomain
      ? `https://${target.frontendDomain.name}`
      : this.frontend
        ? `https://${this.frontend.distribution.domainName}`
        : this.httpApi.url;

    this.function = new StoreFunction(this, 'Function', {
      tenantKey: tenant.key,
      region: target.region,
      profile,
      artifact: target.artifact,
      architecture: target.architecture,
      codeSigning: target.codeSigning,
      subnetIds: network.privateSubnetIds,
      securityGroup: network.apiSecurityGroup,
      kmsKey: database.kmsKey,
      secret: this.secrets.secret,
      environment: { ...environment(frontUrl).plain, [SECRET_ARN_VARIABLE]: this.secrets.secret.arn },
    });
    this.httpApi.routeTo(this.function.function);
    const watched = 'instance' in database ? database.instance : database.cluster;
    this.alarms = new StoreAlarms(this, 'Alarms', { tenantKey: tenant.key, function: this.function.function, database: watched, kmsKey: database.kmsKey });

    new TerraformOutput(this, 'api_url', { value: this.httpApi.url, description: 'Store API.' });
    new TerraformOutput(this, 'function_name', { value: this.function.function.functionName, description: 'The store API function.' });
    new TerraformOutput(this, 'alarm_topic_arn', { value: this.alarms.topic.arn, description: 'Subscribe operators to this SNS topic.' });
    if (this.frontend) {
      new TerraformOutput(this, 'frontend_url', { value: frontUrl, description: 'Store frontend.' });
      new TerraformOutput(this, 'frontend_bucket', { value: this.frontend.bucket.bucket, description: 'Upload the frontend build here (aws s3 sync).' });
    }
  }
}
