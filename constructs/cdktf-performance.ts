/**
 * Two changes to cdktf 0.21's behaviour that make a fleet synthesize in
 * seconds, not minutes (measured in bench/RESULTS.md: 1000 tenants went from
 * 97 s and 1.1 GB to about a fifth of that). The output is byte-identical.
 * cdktf 0.21 is the last release, so the internals patched here do not move.
 */
import { ValidateBinaryVersion } from 'cdktf/lib/validations/validate-binary-version';

let applied = false;

/**
 * 1. `terraform version` runs once per synthesis, not once per stack:
 *    `terraform_data` asks cdktf to check Terraform >= 1.4 in every stack that
 *    has one, and each check spawns Terraform (42 % of the time at 100 tenants).
 * 2. Tokens no longer record the stack trace of their creation (24 % of the
 *    time and most of the memory); cdktf only shows those traces when a token
 *    cannot be resolved. Set CDKTF_TOKEN_STACK_TRACES=1 to get them back while
 *    debugging such an error.
 */
export function tuneCdktfForFleets(env: NodeJS.ProcessEnv = process.env): void {
  if (applied) return;
  applied = true;

  const validate = ValidateBinaryVersion.prototype.validate;
  const results = new Map<string, string[]>();
  ValidateBinaryVersion.prototype.validate = function memoized(this: ValidateBinaryVersion): string[] {
    const { versionCommand, versionConstraint } = this as unknown as { versionCommand: string; versionConstraint: string };
    const key = `${versionCommand}\0${versionConstraint}`;
    if (!results.has(key)) results.set(key, validate.call(this));
    return results.get(key) as string[];
  };

  if (env.CDKTF_TOKEN_STACK_TRACES !== '1') {
    // cdktf calls it through the module's exports object, so replacing the export takes effect
    // (required, not imported: an import would give a read-only copy of the exports).
    const stackTrace = require('cdktf/lib/tokens/private/stack-trace') as { captureStackTrace: () => string[] };
    stackTrace.captureStackTrace = () => [];
  }
}
