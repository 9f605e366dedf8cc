/**
 * Defaults of the Kubernetes target: what every tenant namespace, pod and
 * policy gets unless its file says otherwise.
 */

/** Namespace of the ingress controller, the only one whose pods may connect to a tenant's API and frontend. */
export const DEFAULT_INGRESS_NAMESPACE = 'ingress-nginx';

/** PostgreSQL's port, when the registry names none. */
export const DEFAULT_DATABASE_PORT = 5432;

/** libpq sslmodes a pod's DSN may use: TLS always, `verify-full` where the image carries the server's CA. */
export const KUBERNETES_SSLMODES = ['require', 'verify-ca', 'verify-full'] as const;
export type KubernetesSslmode = (typeof KUBERNETES_SSLMODES)[number];

/**
 * The non-root user and group the store's containers run as. Each tenant has
 * a namespace, cgroups and a process-count limit per pod of its own, so the
 * id need not differ between tenants as on the shared Docker host.
 */
export const POD_USER_ID = 10001;

/** CPU and memory a frontend pod is guaranteed (its limits are the Docker target's FRONTEND_CPUS and FRONTEND_MEMORY_MIB). */
export const FRONTEND_CPU_REQUEST_MILLIS = 50;
export const FRONTEND_MEMORY_REQUEST_MIB = 64;

/** Average CPU use, in percent of the request, above which the autoscaler adds API pods. */
export const AUTOSCALING_CPU_UTILIZATION = 70;

/** Size of each in-memory scratch volume (the read-only root filesystem's writable paths). */
export const SCRATCH_VOLUME_SIZE = '64Mi';

/** The cluster DNS, to which every pod may send queries: CoreDNS (or kube-dns) in kube-system, as most distributions run it. */
export const CLUSTER_DNS = { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' }, port: 53 } as const;

/** The label Kubernetes sets on every namespace with its own name (since 1.22), by which policies select a namespace. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** The Pod Security Standard every tenant namespace enforces: `restricted`, the hardened profile. */
export const POD_SECURITY_LEVEL = 'restricted';

/** The Kubernetes version whose OpenAPI schemas the tests validate every manifest against (kubernetes-models 4.5.1). */
export const KUBERNETES_SCHEMA_VERSION = '1.33.0';
