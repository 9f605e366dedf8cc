import * as path from 'node:path';
import { LocalBackend, S3Backend, type TerraformStack } from 'cdktf';
import type { StateBackendConfig } from '../../model/state-config';

export { DEFAULT_STATE_BACKEND, type StateBackendConfig, stateBackendFromEnv } from '../../model/state-config';

/**
 * Gives a stack its own state: a file per stack, or an S3 object per stack
 * with encryption and S3-native locking (`use_lockfile`, Terraform >= 1.10).
 *
 * @param projectDir path from the stack's working directory to the project root
 */
export function applyStateBackend(stack: TerraformStack, stackName: string, config: StateBackendConfig, projectDir: string): void {
  if (config.kind === 'local') {
    new LocalBackend(stack, { path: path.posix.join(projectDir, config.dir, `${stackName}.tfstate`) });
    return;
  }
  const backend = new S3Backend(stack, {
    bucket: config.bucket,
    region: config.region,
    key: `${config.keyPrefix}/${stackName}/terraform.tfstate`,
    encrypt: true,
    ...(config.kmsKeyId && { kmsKeyId: config.kmsKeyId }),
  });
  // cdktf 0.21's S3Backend has no prop for it; DynamoDB locking is deprecated.
  backend.addOverride('use_lockfile', true);
}
