import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Construct } from 'constructs';
import { kmsAliasName } from '../naming';

/** Props of {@link TenantKey}. */
export interface TenantKeyProps {
  readonly tenantKey: string;
  /**
   * Days a deleted key can still be restored (7 to 30).
   * @default 30
   */
  readonly deletionWindowDays?: number;
}

/**
 * The tenant's own KMS key, rotated yearly: it encrypts the database storage
 * and snapshots, the RDS-managed master secret, the app's secret and the
 * function's environment. Its key policy is AWS's default (the account's IAM
 * policies decide), so that the key needs no account id at synth time. It is
 * never destroyed by Terraform: it must outlive the database's final snapshot.
 */
export class TenantKey extends Construct {
  readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: TenantKeyProps) {
    super(scope, id);
    this.key = new KmsKey(this, 'Key', {
      description: `usual-store tenant ${props.tenantKey}: database, secrets and function environment`,
      enableKeyRotation: true,
      deletionWindowInDays: props.deletionWindowDays ?? 30,
      // It encrypts the final snapshot an offboarded tenant leaves behind: destroying it
      // would make that snapshot unreadable. Offboarding takes it out of state instead.
      lifecycle: { preventDestroy: true },
    });
    new KmsAlias(this, 'Alias', { name: kmsAliasName(props.tenantKey), targetKeyId: this.key.keyId });
  }
}
