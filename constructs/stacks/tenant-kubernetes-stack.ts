import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { REQUIRED_TERRAFORM_VERSION } from '../../model/defaults';
import { kubernetesManifests } from '../../model/kubernetes/manifests';
import { apiUrl, kubernetesApiSources } from '../../model/kubernetes/sources';
import { kubernetesNamespace, kubernetesStackName } from '../../model/naming';
import type { ResolvedKubernetesTarget, Tenant } from '../../tenants/registry';
import { KubernetesApp } from '../kubernetes/kubernetes-app';
import { AppVariables } from '../variables/app-variables';
import { KubernetesVariables } from '../variables/kubernetes-variables';
import { notAKubernetesTenant } from './messages';
import { type StateBackendConfig, applyStateBackend } from './state-backend';
import type { TenantStack } from './tenant-stack';

/** Props of {@link TenantKubernetesStack}. */
export interface TenantKubernetesStackProps {
  /** The validated tenant; its app target must be `kubernetes`. */
  readonly tenant: Tenant;
  /** Where the stack's state lives. */
  readonly stateBackend: StateBackendConfig;
  /** Path from the stack's working directory to the project root. */
  readonly projectDir: string;
  /** The in-database stack: the app role's password and the frontend secret. */
  readonly tenantStack: TenantStack;
}

/**
 * A Kubernetes tenant's store, in its own stack `<key>-k8s` with its own
 * state and only the kubernetes provider, deployed after the in-database
 * stack (`<key>`), whose app password and frontend secret it reads.
 *
 * The provider reads the cluster from the standard environment
 * (`KUBE_CONFIG_PATH` and `KUBE_CTX`, or `KUBE_HOST` and `KUBE_TOKEN`) or
 * from the variables of {@link KubernetesVariables}; the app's secrets come
 * from `TF_VAR_*`, as on Docker. Nothing secret is in the JSON.
 */
export class TenantKubernetesStack extends TerraformStack {
  readonly app: KubernetesApp;

  constructor(scope: Construct, props: TenantKubernetesStackProps) {
    const name = kubernetesStackName(props.tenant.key);
    super(scope, name);
    const { tenant, tenantStack } = props;
    if (tenant.app.target !== 'kubernetes') throw new Error(notAKubernetesTenant(tenant.file, tenant.app.target));
    const target: ResolvedKubernetesTarget = tenant.app;
    applyStateBackend(this, name, props.stateBackend, props.projectDir);
    this.addOverride('terraform.required_version', REQUIRED_TERRAFORM_VERSION);
    this.addDependency(tenantStack);

    const cluster = new KubernetesVariables(this, 'KubernetesVariables');
    new KubernetesProvider(this, 'Kubernetes', {
      host: cluster.host.stringValue,
      token: cluster.token.stringValue,
      clusterCaCertificate: cluster.clusterCaCertificate.stringValue,
    });
    const variables = new AppVariables(this, 'AppVariables');
    const k8sTenant = { ...tenant, app: target };
    const sources = kubernetesApiSources(k8sTenant, {
      appPassword: tenantStack.appPassword.result,
      secretForFront: tenantStack.secretForFront.result,
      ...variables.sources(),
    });
    this.app = new KubernetesApp(this, 'App', { manifests: kubernetesManifests(k8sTenant, sources) });

    new TerraformOutput(this, 'namespace', { value: kubernetesNamespace(tenant.key), description: "The tenant's namespace." });
    new TerraformOutput(this, 'app_url', { value: apiUrl(k8sTenant), description: 'Store API.' });
  }
}
