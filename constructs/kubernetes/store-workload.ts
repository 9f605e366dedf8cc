import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { HorizontalPodAutoscalerV2 } from '@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2';
import { PodDisruptionBudgetV1 } from '@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { Workload } from '../../model/kubernetes/workloads';
import { autoscalerSpecOf, deploymentSpecOf, metadataOf, podDisruptionBudgetSpecOf, serviceSpecOf } from './provider-shapes';

/** Props of {@link StoreWorkload}. */
export interface StoreWorkloadProps {
  /** The model's Deployment, Service, PodDisruptionBudget and (when it scales) autoscaler. */
  readonly workload: Workload;
  /** The Deployment starts after these (its Secret, the NetworkPolicies that confine it). */
  readonly dependsOn: readonly ITerraformDependable[];
}

/**
 * One component of the store (the API or the frontend): its hardened
 * Deployment, its ClusterIP Service, its PodDisruptionBudget and, on the
 * plans that scale, its HorizontalPodAutoscaler.
 */
export class StoreWorkload extends Construct {
  readonly deployment: DeploymentV1;
  readonly service: ServiceV1;
  readonly podDisruptionBudget: PodDisruptionBudgetV1;
  readonly autoscaler?: HorizontalPodAutoscalerV2;

  constructor(scope: Construct, id: string, props: StoreWorkloadProps) {
    super(scope, id);
    const { deployment, service, podDisruptionBudget, autoscaler } = props.workload;
    if (!deployment.spec || !service.spec || !podDisruptionBudget.spec) throw new Error(`${this.node.path}: the model's workload has an object without spec`);
    this.deployment = new DeploymentV1(this, 'Deployment', {
      metadata: metadataOf(deployment.metadata),
      spec: deploymentSpecOf(deployment.spec),
      dependsOn: [...props.dependsOn],
    });
    this.service = new ServiceV1(this, 'Service', { metadata: metadataOf(service.metadata), spec: serviceSpecOf(service.spec), dependsOn: [...props.dependsOn] });
    this.podDisruptionBudget = new PodDisruptionBudgetV1(this, 'DisruptionBudget', {
      metadata: metadataOf(podDisruptionBudget.metadata),
      spec: podDisruptionBudgetSpecOf(podDisruptionBudget.spec),
      dependsOn: [...props.dependsOn],
    });
    if (autoscaler?.spec) {
      this.autoscaler = new HorizontalPodAutoscalerV2(this, 'Autoscaler', {
        metadata: metadataOf(autoscaler.metadata),
        spec: autoscalerSpecOf(autoscaler.spec),
        dependsOn: [this.deployment],
      });
    }
  }
}
