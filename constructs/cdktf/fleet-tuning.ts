/**
 * Three changes to cdktf 0.21's behaviour that make a fleet synthesize in
 * seconds, not minutes (measured in bench/RESULTS.md: 1000 tenants went from
 * 97 s and 1.1 GB to about a fifth of that). The output is byte-identical,
 * which `synth.test.ts` checks against a synthesis with the tuning off
 * (`CDKTF_FLEET_TUNING=off`). cdktf 0.21 is the last release, so the
 * internals patched here do not move.
 */
import { TerraformStack, Token } from 'cdktf';
import { ValidateBinaryVersion } from 'cdktf/lib/validations/validate-binary-version';
import type { IConstruct } from 'constructs';

let applied = false;

type Resolve = (scope: IConstruct, obj: unknown, preparing?: boolean) => unknown;

/** A string that is or holds a token of any kind: string, list (#{…}) or map (&{…}) token markers included. */
function isToken(text: string): boolean {
  return Token.isUnresolved(text) || text.includes('TfToken[');
}

/**
 * Whether a value is plain JSON that resolving would leave as it is: no
 * token, no resolvable object (Lazy, Token.asAny), no class instance and no
 * undefined at any depth.
 */
function isPlain(value: unknown): boolean {
  if (value === null || typeof value === 'boolean') return true;
  if (typeof value === 'string') return !isToken(value);
  if (typeof value === 'number') return !Token.isUnresolved(value);
  if (Array.isArray(value)) return !Token.isUnresolved(value) && value.every((v) => v !== undefined && isPlain(v));
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    // resolve() resolves keys as well as values.
    return Object.entries(value).every(([k, v]) => !isToken(k) && !Token.isUnresolved(Number(k)) && v !== undefined && isPlain(v));
  }
  return false;
}

/**
 * The document `TerraformStack.toTerraform()` hands to its last `resolve`:
 * every element in it is resolved already, so only the stack's own overrides
 * could still hold tokens.
 */
function isResolvedStackDocument(scope: IConstruct, obj: unknown): boolean {
  if (!TerraformStack.isStack(scope) || !obj || typeof obj !== 'object') return false;
  const metadata = (obj as { '//'?: { metadata?: { stackName?: unknown } } })['//']?.metadata;
  return metadata?.stackName === scope.node.id && isPlain((scope as unknown as { rawOverrides: unknown }).rawOverrides);
}

/**
 * 1. `terraform version` runs once per synthesis, not once per stack:
 *    `terraform_data` asks cdktf to check Terraform >= 1.4 in every stack that
 *    has one, and each check spawns Terraform (42 % of the time at 100 tenants).
 * 2. Tokens no longer record the stack trace of their creation (24 % of the
 *    time and most of the memory); cdktf only shows those traces when a token
 *    cannot be resolved. Set CDKTF_TOKEN_STACK_TRACES=1 to get them back while
 *    debugging such an error.
 * 3. A stack's document is resolved once, not twice: `toTerraform()` resolves
 *    each element, merges them and then resolves the whole document again,
 *    which finds nothing left to resolve unless the stack's own overrides hold
 *    tokens (then it still runs). About 16 % of the time at 400 tenants.
 *
 * `CDKTF_FLEET_TUNING=off` leaves cdktf as it is.
 */
export function tuneCdktfForFleets(env: NodeJS.ProcessEnv = process.env): void {
  if (applied || env.CDKTF_FLEET_TUNING === 'off') return;
  applied = true;

  const validate = ValidateBinaryVersion.prototype.validate;
  const results = new Map<string, string[]>();
  ValidateBinaryVersion.prototype.validate = function memoized(this: ValidateBinaryVersion): string[] {
    const { versionCommand, versionConstraint } = this as unknown as { versionCommand: string; versionConstraint: string };
    const key = `${versionCommand}\0${versionConstraint}`;
    if (!results.has(key)) results.set(key, validate.call(this));
    return results.get(key) as string[];
  };

  // cdktf calls both through their module's exports object, so replacing the export takes effect
  // (required, not imported: an import would give a read-only copy of the exports).
  if (env.CDKTF_TOKEN_STACK_TRACES !== '1') {
    const stackTrace = require('cdktf/lib/tokens/private/stack-trace') as { captureStackTrace: () => string[] };
    stackTrace.captureStackTrace = () => [];
  }

  const tokens = require('cdktf/lib/_tokens') as { resolve: Resolve };
  const resolve = tokens.resolve;
  tokens.resolve = function resolveOnce(scope, obj, preparing = false) {
    return !preparing && isResolvedStackDocument(scope, obj) ? obj : resolve(scope, obj, preparing);
  };
}
