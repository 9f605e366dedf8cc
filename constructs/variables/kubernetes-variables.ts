import type { TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { fixedNameVariable as variable } from './fixed-name-variable';

/**
 * How Terraform reaches the cluster when no kubeconfig does: the API
 * server's address, a bearer token and the cluster's CA, as Terraform
 * variables with fixed names (`TF_VAR_kubernetes_token`, ...). Each is null
 * by default, which leaves the provider to the standard environment
 * (`KUBE_CONFIG_PATH` and `KUBE_CTX`, or `KUBE_HOST`, `KUBE_TOKEN`,
 * `KUBE_CLUSTER_CA_CERT_DATA`); the token is sensitive and never has a value
 * in the synthesized JSON.
 */
export class KubernetesVariables extends Construct {
  readonly host: TerraformVariable;
  readonly token: TerraformVariable;
  readonly clusterCaCertificate: TerraformVariable;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.host = variable(this, 'kubernetes_host', {
      type: 'string',
      nullable: true,
      description: 'URL of the cluster API server; null uses KUBE_CONFIG_PATH / KUBE_CTX or KUBE_HOST.',
    });
    this.token = variable(this, 'kubernetes_token', {
      type: 'string',
      nullable: true,
      sensitive: true,
      description: 'Bearer token of the deploying identity; null uses the kubeconfig or KUBE_TOKEN.',
    });
    this.clusterCaCertificate = variable(this, 'kubernetes_cluster_ca_certificate', {
      type: 'string',
      nullable: true,
      description: "PEM of the cluster's CA; null uses the kubeconfig or KUBE_CLUSTER_CA_CERT_DATA.",
    });
    // cdktf cannot write a null default itself; without one Terraform would ask for a value.
    for (const v of [this.host, this.token, this.clusterCaCertificate]) v.addOverride('default', null);
  }
}
