import { Construct } from 'constructs';
import type { KubernetesManifests } from '../../model/kubernetes/manifests';
import { ApiEnvironmentSecret } from './api-environment-secret';
import { StoreIngress } from './store-ingress';
import { StoreWorkload } from './store-workload';
import { TenantNamespace } from './tenant-namespace';
import { TenantNetworkPolicies } from './tenant-network-policies';

/** Props of {@link KubernetesApp}. */
export interface KubernetesAppProps {
  /** The tenant's objects, built by the model (model/kubernetes/manifests.ts) with Terraform references as the API's secret values. */
  readonly manifests: KubernetesManifests;
}

/**
 * A Kubernetes tenant's store, as kubernetes provider resources: the
 * namespace, its quota and limits, its NetworkPolicies, the API's Secret,
 * the API and the frontend, and the Ingress, in that order, so that no pod
 * runs before the policies that confine it. Every object is the model's:
 * `tenants manifests <key>` prints the same objects as YAML.
 */
export class KubernetesApp extends Construct {
  readonly namespace: TenantNamespace;
  readonly networkPolicies: TenantNetworkPolicies;
  readonly environment: ApiEnvironmentSecret;
  readonly api: StoreWorkload;
  readonly frontend?: StoreWorkload;
  readonly ingress?: StoreIngress;

  constructor(scope: Construct, id: string, props: KubernetesAppProps) {
    super(scope, id);
    const { manifests } = props;
    this.namespace = new TenantNamespace(this, 'Namespace', { manifests });
    const inNamespace = [this.namespace.namespace];
    this.networkPolicies = new TenantNetworkPolicies(this, 'NetworkPolicies', { policies: manifests.networkPolicies, dependsOn: inNamespace });
    this.environment = new ApiEnvironmentSecret(this, 'Environment', { secret: manifests.apiEnvironment, dependsOn: inNamespace });
    const confined = [this.namespace.resourceQuota, this.namespace.limitRange, ...this.networkPolicies.policies, this.environment.secret];
    this.api = new StoreWorkload(this, 'Api', { workload: manifests.api, dependsOn: confined });
    if (manifests.frontend) this.frontend = new StoreWorkload(this, 'Frontend', { workload: manifests.frontend, dependsOn: confined });
    if (manifests.ingress) {
      const services = [this.api.service, ...(this.frontend ? [this.frontend.service] : [])];
      this.ingress = new StoreIngress(this, 'Ingress', { ingress: manifests.ingress, dependsOn: services });
    }
  }
}
