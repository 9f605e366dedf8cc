/**
 * What each plan gives a tenant. One table, read by the constructs, the CLI
 * (to explain the plans while onboarding) and the docs.
 */

/** Plans a tenant can be on, cheapest first. */
export const PLANS = ['free', 'starter', 'professional', 'enterprise'] as const;
export type Plan = (typeof PLANS)[number];

/** The plan nobody pays for: some warnings meant for paying tenants leave it alone. */
export const FREE_PLAN: Plan = 'free';

/** The resources a plan buys. The AWS sizes apply to tenants on the `lambda` target only. */
export interface PlanProfile {
  /** Maximum concurrent connections to the tenant's database. */
  readonly connectionLimit: number;
  /**
   * Maximum concurrent connections of the app's login, anywhere on the server
   * (PostgreSQL's per-role limit): the largest of the tenant's logins, and
   * below {@link connectionLimit}, leaving room for people and migrations.
   */
  readonly appConnectionLimit: number;
  /** Maximum concurrent connections of each person's login, anywhere on the server. */
  readonly personConnectionLimit: number;
  /** RDS instance class of the tenant's own PostgreSQL server. */
  readonly databaseInstanceClass: string;
  /** Storage the RDS instance starts with (gp3). */
  readonly databaseStorageGiB: number;
  /** Ceiling of RDS storage autoscaling. */
  readonly databaseMaxStorageGiB: number;
  /** Days RDS keeps automated backups (point-in-time recovery window); AWS allows 1 to 35. */
  readonly backupRetentionDays: number;
  /** A standby in a second availability zone, with automatic failover. */
  readonly databaseMultiAz: boolean;
  /** Memory of the store API function (Lambda gives CPU in proportion). */
  readonly functionMemoryMiB: number;
  /** Longest a request may run; an HTTP API gives up after 30 seconds anyway. */
  readonly functionTimeoutSeconds: number;
  /**
   * Concurrent instances reserved for (and capping) the function. Every warm
   * instance holds a database connection, so this stays below
   * {@link connectionLimit}, leaving room for people and migrations.
   */
  readonly functionReservedConcurrency: number;
  /** Days CloudWatch keeps the function's logs; one of the values CloudWatch accepts. */
  readonly logRetentionDays: number;
  /** Steady requests per second the HTTP API's default route accepts before answering 429. */
  readonly apiRateLimitPerSecond: number;
  /** Requests the HTTP API's default route accepts at once above the steady rate. */
  readonly apiBurstLimit: number;
  /** Memory limit of a docker tenant's API container (no swap beyond it); the kernel kills the app past it. */
  readonly containerMemoryMiB: number;
  /** CPUs a docker tenant's API container may use, e.g. 0.5. */
  readonly containerCpus: number;
  /**
   * Processes and threads a docker tenant may run (`ulimit nproc`, counted per
   * user across the host; every tenant has its own user, so the limit is the tenant's).
   */
  readonly containerProcessLimit: number;
  /**
   * API pods of a Kubernetes tenant (the Deployment's replicas, or its
   * autoscaler's minimum): at least 2 on paid plans, so a node drain or a
   * rollout never leaves the store without an API.
   */
  readonly podReplicas: number;
  /** Most API pods the autoscaler may run; equal to {@link podReplicas} on plans that do not scale (no autoscaler). */
  readonly podMaxReplicas: number;
  /** CPU an API pod is guaranteed (its request), in millicores; its limit is {@link containerCpus}. */
  readonly podCpuRequestMillis: number;
  /** Memory an API pod is guaranteed (its request); its limit is {@link containerMemoryMiB}. */
  readonly podMemoryRequestMiB: number;
  /**
   * What the tenant's namespace may hold at most (its ResourceQuota): room
   * for the API at its autoscaler's maximum and the frontend, each with one
   * extra pod during a rolling update.
   */
  readonly namespaceQuota: NamespaceQuota;
}

/** The hard limits of a Kubernetes tenant's namespace. */
export interface NamespaceQuota {
  /** Sum of the CPU limits (and of the requests) of every pod, in millicores. */
  readonly cpuMillis: number;
  /** Sum of the memory limits (and of the requests) of every pod. */
  readonly memoryMiB: number;
  /** Pods at once. */
  readonly pods: number;
}

/** Plan profiles: connection limits as the original system defined them, AWS sizes growing with the plan. */
export const PLAN_PROFILES: Readonly<Record<Plan, PlanProfile>> = {
  free: {
    appConnectionLimit: 3,
    personConnectionLimit: 2,
    connectionLimit: 5,
    databaseInstanceClass: 'db.t4g.micro',
    databaseStorageGiB: 20,
    databaseMaxStorageGiB: 50,
    backupRetentionDays: 7,
    databaseMultiAz: false,
    functionMemoryMiB: 512,
    functionTimeoutSeconds: 15,
    functionReservedConcurrency: 2,
    logRetentionDays: 14,
    apiRateLimitPerSecond: 10,
    apiBurstLimit: 20,
    containerMemoryMiB: 256,
    containerCpus: 0.25,
    containerProcessLimit: 128,
    podReplicas: 1,
    podMaxReplicas: 1,
    podCpuRequestMillis: 100,
    podMemoryRequestMiB: 128,
    namespaceQuota: { cpuMillis: 1000, memoryMiB: 1024, pods: 4 },
  },
  starter: {
    appConnectionLimit: 6,
    personConnectionLimit: 2,
    connectionLimit: 10,
    databaseInstanceClass: 'db.t4g.small',
    databaseStorageGiB: 20,
    databaseMaxStorageGiB: 100,
    backupRetentionDays: 7,
    databaseMultiAz: false,
    functionMemoryMiB: 512,
    functionTimeoutSeconds: 30,
    functionReservedConcurrency: 5,
    logRetentionDays: 14,
    apiRateLimitPerSecond: 25,
    apiBurstLimit: 50,
    containerMemoryMiB: 512,
    containerCpus: 0.5,
    containerProcessLimit: 256,
    podReplicas: 2,
    podMaxReplicas: 2,
    podCpuRequestMillis: 100,
    podMemoryRequestMiB: 128,
    namespaceQuota: { cpuMillis: 2500, memoryMiB: 2048, pods: 6 },
  },
  professional: {
    appConnectionLimit: 15,
    personConnectionLimit: 3,
    connectionLimit: 25,
    databaseInstanceClass: 'db.t4g.medium',
    databaseStorageGiB: 50,
    databaseMaxStorageGiB: 200,
    backupRetentionDays: 14,
    databaseMultiAz: true,
    functionMemoryMiB: 1024,
    functionTimeoutSeconds: 30,
    functionReservedConcurrency: 15,
    logRetentionDays: 30,
    apiRateLimitPerSecond: 50,
    apiBurstLimit: 100,
    containerMemoryMiB: 1024,
    containerCpus: 1,
    containerProcessLimit: 512,
    podReplicas: 2,
    podMaxReplicas: 4,
    podCpuRequestMillis: 250,
    podMemoryRequestMiB: 256,
    namespaceQuota: { cpuMillis: 6000, memoryMiB: 6144, pods: 10 },
  },
  enterprise: {
    appConnectionLimit: 30,
    personConnectionLimit: 5,
    connectionLimit: 50,
    databaseInstanceClass: 'db.m7g.large',
    databaseStorageGiB: 100,
    databaseMaxStorageGiB: 500,
    backupRetentionDays: 35,
    databaseMultiAz: true,
    functionMemoryMiB: 2048,
    functionTimeoutSeconds: 30,
    functionReservedConcurrency: 30,
    logRetentionDays: 90,
    apiRateLimitPerSecond: 100,
    apiBurstLimit: 200,
    containerMemoryMiB: 2048,
    containerCpus: 2,
    containerProcessLimit: 1024,
    podReplicas: 3,
    podMaxReplicas: 8,
    podCpuRequestMillis: 500,
    podMemoryRequestMiB: 512,
    namespaceQuota: { cpuMillis: 20000, memoryMiB: 20480, pods: 16 },
  },
};

/**
 * Connections of a tenant's migrator login: one per running migration runner,
 * and a second runner of the same tenant may wait for the first.
 */
export const MIGRATOR_CONNECTION_LIMIT = 2;

/** Whether a value names a plan. */
export function isPlan(value: unknown): value is Plan {
  return typeof value === 'string' && (PLANS as readonly string[]).includes(value);
}
