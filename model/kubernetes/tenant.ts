/**
 * What the Kubernetes model reads of a tenant: structural, so that the
 * registry's resolved tenant fits it without the model importing the registry.
 */
import type { Plan } from '../plans';
import type { KubernetesSslmode } from './defaults';

/** The tenant's PostgreSQL server, as the pods reach it. */
export interface PodDatabaseServer {
  /** Host name or address the pods connect to (`DATABASE_DSN`'s host). */
  readonly host: string;
  readonly port: number;
  /** IPv4 ranges the server answers from: the API's only egress besides DNS. */
  readonly cidrs: readonly string[];
  /** libpq sslmode of the API's connection. */
  readonly sslmode: KubernetesSslmode;
}

/** An Ingress in front of the API (and the frontend), with TLS. */
export interface KubernetesIngressSettings {
  /** Host name the API answers on. */
  readonly host: string;
  /** Host name the frontend answers on; needs a frontend. */
  readonly frontendHost?: string;
  /** The Secret (type kubernetes.io/tls, in the tenant's namespace) holding the certificate for the hosts. */
  readonly tlsSecret: string;
  /** The IngressClass; the cluster's default class when absent. */
  readonly className?: string;
}

/** A Kubernetes tenant's app with every default resolved. */
export interface KubernetesAppSettings {
  readonly target: 'kubernetes';
  /** API image, pinned by tag or digest. */
  readonly image: string;
  /** The frontend's image, when the tenant has a frontend. */
  readonly frontend?: { readonly image: string };
  /** Namespace of the ingress controller whose pods may connect to the API and the frontend. */
  readonly ingressNamespace: string;
  readonly ingress?: KubernetesIngressSettings;
  readonly databaseServer: PodDatabaseServer;
}

/** The tenant, as the Kubernetes model reads it. */
export interface KubernetesTenant {
  readonly key: string;
  readonly company: string;
  readonly plan: Plan;
  readonly database: { readonly name: string };
  readonly tags: Readonly<Record<string, string>>;
  readonly app: KubernetesAppSettings;
}
