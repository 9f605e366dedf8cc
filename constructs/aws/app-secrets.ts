import type { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { Fn, TerraformLocal, Token } from 'cdktf';
import { Construct } from 'constructs';
import { appSecretName } from '../../model/naming';
import { suppressPolicy } from '../policy';

/** Props of {@link AppSecrets}. */
export interface AppSecretsProps {
  readonly tenantKey: string;
  /** Encrypts the secret. */
  readonly kmsKey: KmsKey;
  /** The secret environment variables of the store API; values are Terraform references, never literals. */
  readonly values: Readonly<Record<string, string>>;
}

/**
 * The store API's secret environment (database DSN, Stripe secret, SMTP
 * password, frontend secret) as one JSON secret in Secrets Manager,
 * encrypted with the tenant's key. The value is written with the
 * write-only `secret_string_wo` (Terraform ≥ 1.11), so the value itself is
 * not kept in this stack's state or plan; its version is derived from a hash
 * of it, so any change (a rotated password, a new Stripe secret, a new RDS
 * address) writes the new value without a manual bump. (The inputs do pass
 * through state elsewhere: the upstream stack's outputs and this stack's
 * remote-state data; see docs/aws-lambda.md.)
 */
export class AppSecrets extends Construct {
  readonly secret: SecretsmanagerSecret;

  constructor(scope: Construct, id: string, props: AppSecretsProps) {
    super(scope, id);
    this.secret = new SecretsmanagerSecret(this, 'Secret', {
      name: appSecretName(props.tenantKey),
      description: `Secret environment of ${props.tenantKey}'s store API (JSON: variable name to value)`,
      kmsKeyId: props.kmsKey.arn,
    });
    suppressPolicy(
      this.secret,
      'SECRETS-ROTATION',
      "written by Terraform from the deploy's variables and generated passwords, and rotated by redeploying (README: Rotating passwords); no rotation function can change Stripe's or the mail provider's secrets",
    );
    const value = new TerraformLocal(this, 'Value', Fn.jsonencode({ ...props.values }));
    new SecretsmanagerSecretVersion(this, 'Version', {
      secretId: this.secret.id,
      secretStringWo: value.asString,
      // A number from the value's hash: Terraform cannot compare a write-only value, so it compares this.
      secretStringWoVersion: Token.asNumber(Fn.parseint(Fn.substr(Fn.sha256(value.asString), 0, 12), 16)),
    });
  }
}
