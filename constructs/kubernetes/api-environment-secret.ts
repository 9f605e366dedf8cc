import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import { metadataOf } from './provider-shapes';

/** Props of {@link ApiEnvironmentSecret}. */
export interface ApiEnvironmentSecretProps {
  /** The model's Secret: the API's whole environment (values may be Terraform references; the secret ones are). */
  readonly secret: ISecret;
  /** Created after these (the namespace). */
  readonly dependsOn: readonly ITerraformDependable[];
}

/**
 * The API's environment as a Secret its pods read with `envFrom`. The
 * provider base64-encodes `data` itself; the values are in this stack's
 * state, as the Docker target's container environment is in its.
 */
export class ApiEnvironmentSecret extends Construct {
  readonly secret: SecretV1;

  constructor(scope: Construct, id: string, props: ApiEnvironmentSecretProps) {
    super(scope, id);
    this.secret = new SecretV1(this, 'Secret', {
      metadata: metadataOf(props.secret.metadata),
      type: props.secret.type,
      data: { ...props.secret.stringData },
      dependsOn: [...props.dependsOn],
    });
  }
}
