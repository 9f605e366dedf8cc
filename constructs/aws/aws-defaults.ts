/**
 * Fleet-wide defaults of the AWS (`lambda`) target. Sizes that differ by plan
 * live in plans.ts; physical names in naming.ts.
 */
import { DEFAULT_ADMIN_ROLE } from '../defaults';

/** Address range of a new tenant VPC. Every tenant has its own VPC, so the ranges may repeat. */
export const VPC_CIDR = '10.20.0.0/16';

/** Private subnets (function and database), one per availability zone. */
export const PRIVATE_SUBNET_CIDRS = ['10.20.0.0/20', '10.20.16.0/20'] as const;

/** The public subnet that holds the NAT gateway. */
export const PUBLIC_SUBNET_CIDR = '10.20.128.0/24';

/**
 * RDS PostgreSQL major version; RDS applies minor versions in the maintenance window.
 * 15, as the test suite's server: 16 changed CREATEROLE and role membership rules
 * the access model relies on, and that is not yet proven on a real 16.
 */
export const POSTGRES_MAJOR_VERSION = '15';

/** Parameter group family of {@link POSTGRES_MAJOR_VERSION}. */
export const POSTGRES_PARAMETER_FAMILY = 'postgres15';

/** Port of every tenant database. */
export const POSTGRES_PORT = 5432;

/**
 * Master user of a tenant's RDS server: the TenantStack's default
 * `postgres_admin_role`, the role Terraform connects as. RDS keeps its
 * password in Secrets Manager.
 */
export const RDS_MASTER_USERNAME = DEFAULT_ADMIN_ROLE;

/** libpq sslmode of the app's DSN: the server forces TLS; verify-full would need the RDS CA bundle in the artifact. */
export const APP_SSLMODE = 'require';

/** Database CPU above which the alarm fires, in percent, averaged over {@link ALARM_PERIOD_SECONDS}. */
export const DATABASE_CPU_ALARM_PERCENT = 80;

/** Period of the alarms' metrics. */
export const ALARM_PERIOD_SECONDS = 300;

/** CloudFront's managed "CachingOptimized" cache policy. */
export const CACHING_OPTIMIZED_POLICY_ID = '658327ea-f89d-4fab-a63d-7e88639e58f6';

/** Terraform version the AWS stacks need: write-only attributes (`secret_string_wo`) came in 1.11. */
export const REQUIRED_TERRAFORM_VERSION = '>= 1.11.1';
