import { LimitRangeV1 } from '@cdktf/provider-kubernetes/lib/limit-range-v1';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { ResourceQuotaV1 } from '@cdktf/provider-kubernetes/lib/resource-quota-v1';
import { Construct } from 'constructs';
import type { KubernetesManifests } from '../../model/kubernetes/manifests';
import { limitRangeSpecOf, metadataOf, quantities } from './provider-shapes';

/** Props of {@link TenantNamespace}. */
export interface TenantNamespaceProps {
  /** The model's namespace, its quota and its limit range. */
  readonly manifests: Pick<KubernetesManifests, 'namespace' | 'resourceQuota' | 'limitRange'>;
}

/**
 * The tenant's namespace (labelled with tenant, plan and tags; Pod Security
 * `restricted` enforced), its ResourceQuota by plan and its LimitRange: what
 * the tenant may use of the cluster, and the defaults of a container that
 * names no resources.
 */
export class TenantNamespace extends Construct {
  readonly namespace: NamespaceV1;
  readonly resourceQuota: ResourceQuotaV1;
  readonly limitRange: LimitRangeV1;

  constructor(scope: Construct, id: string, props: TenantNamespaceProps) {
    super(scope, id);
    const { namespace, resourceQuota, limitRange } = props.manifests;
    this.namespace = new NamespaceV1(this, 'Namespace', { metadata: metadataOf(namespace.metadata) });
    this.resourceQuota = new ResourceQuotaV1(this, 'Quota', {
      metadata: metadataOf(resourceQuota.metadata),
      spec: { hard: quantities(resourceQuota.spec?.hard) },
      dependsOn: [this.namespace],
    });
    this.limitRange = new LimitRangeV1(this, 'Limits', {
      metadata: metadataOf(limitRange.metadata),
      spec: limitRangeSpecOf(limitRange.spec ?? { limits: [] }),
      dependsOn: [this.namespace],
    });
  }
}
