import { IngressV1 } from '@cdktf/provider-kubernetes/lib/ingress-v1';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { ingressSpecOf, metadataOf } from './provider-shapes';

/** Props of {@link StoreIngress}. */
export interface StoreIngressProps {
  /** The model's Ingress. */
  readonly ingress: IIngress;
  /** Created after these (the Services it routes to). */
  readonly dependsOn: readonly ITerraformDependable[];
}

/** The tenant's Ingress: the API (and the frontend) on their hosts, with TLS from a Secret of the namespace. */
export class StoreIngress extends Construct {
  readonly ingress: IngressV1;

  constructor(scope: Construct, id: string, props: StoreIngressProps) {
    super(scope, id);
    this.ingress = new IngressV1(this, 'Ingress', {
      metadata: metadataOf(props.ingress.metadata),
      spec: ingressSpecOf(props.ingress.spec ?? {}),
      dependsOn: [...props.dependsOn],
    });
  }
}
