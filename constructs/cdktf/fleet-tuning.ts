/**
 * What makes a fleet synthesize in seconds, not minutes (bench/RESULTS.md:
 * 1000 tenants went from 97 s and 1.1 GB to about a fifth of that), in one
 * place.
 *
 * Through cdktf's public API: {@link fleetAppOptions} gives `App` its
 * `skipValidation` option. cdktf's validations would otherwise run
 * `terraform version` once for every stack with a `terraform_data`
 * (42 % of the time at 100 tenants); every stack states the Terraform it
 * needs itself (`required_version`, checked by `terraform init`).
 *
 * Through cdktf's internals, fenced: {@link tuneCdktfForFleets} patches two
 * functions of cdktf 0.21.0, the last HashiCorp release, and only after
 * checking that they are what it expects. On any other cdktf (an upgrade, the
 * CDK Terrain fork) or internals of another shape it patches nothing and says
 * so once on standard error: the output is the same, only slower. The output
 * is byte-identical either way, which `synth.test.ts` checks against a
 * synthesis with the tuning off (`CDKTF_FLEET_TUNING=off`).
 */
import { type AppConfig, TerraformStack, Token } from 'cdktf';
import type { IConstruct } from 'constructs';

/** The cdktf release whose internals the patches are written against. */
export const TUNED_CDKTF_VERSION = '0.21.0';

type Resolve = (scope: IConstruct, obj: unknown, preparing?: boolean) => unknown;

/** The internals the patches replace, as a module exports object holds them. */
export interface CdktfInternals {
  readonly version: string;
  readonly stackTrace: { captureStackTrace: unknown };
  readonly tokens: { resolve: unknown };
  /** Whether a stack keeps its own overrides where the resolve-once patch reads them. */
  readonly stackHasRawOverrides: boolean;
}

/** The real internals, read where cdktf 0.21.0 keeps them (and through its module exports, which cdktf itself calls). */
export function cdktfInternals(): CdktfInternals {
  return {
    version: (require('cdktf/package.json') as { version: string }).version,
    stackTrace: require('cdktf/lib/tokens/private/stack-trace') as { captureStackTrace: unknown },
    tokens: require('cdktf/lib/_tokens') as { resolve: unknown },
    // Read off the code rather than a stack built to look: an App writes its output directory when made.
    stackHasRawOverrides: String(TerraformStack.prototype.addOverride).includes('rawOverrides'),
  };
}

/** Why the internals are not the ones the patches were written for, or undefined when they are. */
export function internalsMismatch(internals: CdktfInternals): string | undefined {
  if (internals.version !== TUNED_CDKTF_VERSION) return `cdktf is ${internals.version}, the tuning was written for ${TUNED_CDKTF_VERSION}`;
  if (typeof internals.stackTrace.captureStackTrace !== 'function') return 'cdktf/lib/tokens/private/stack-trace no longer exports captureStackTrace';
  if (typeof internals.tokens.resolve !== 'function' || (internals.tokens.resolve as Resolve).length < 2) return 'cdktf/lib/_tokens no longer exports resolve(scope, obj)';
  if (!internals.stackHasRawOverrides) return 'TerraformStack no longer keeps its overrides in rawOverrides';
  return undefined;
}

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

/** The options of the fleet's `App`: cdktf's validations skipped (see the module's comment). */
export function fleetAppOptions(config: AppConfig = {}): AppConfig {
  return { ...config, skipValidation: true };
}

/** What {@link tuneCdktfForFleets} did. */
export type TuningOutcome = 'tuned' | 'already tuned' | 'off' | 'internals changed';

let applied = false;

/**
 * Patches cdktf's internals, once per process, after checking them:
 *
 * 1. Tokens no longer record the stack trace of their creation (24 % of the
 *    time and most of the memory); cdktf only shows those traces when a token
 *    cannot be resolved. Set CDKTF_TOKEN_STACK_TRACES=1 to get them back while
 *    debugging such an error.
 * 2. A stack's document is resolved once, not twice: `toTerraform()` resolves
 *    each element, merges them and then resolves the whole document again,
 *    which finds nothing left to resolve unless the stack's own overrides hold
 *    tokens (then it still runs). About 16 % of the time at 400 tenants.
 *
 * `CDKTF_FLEET_TUNING=off` leaves cdktf as it is.
 */
export function tuneCdktfForFleets(
  env: NodeJS.ProcessEnv = process.env,
  internals: CdktfInternals = cdktfInternals(),
  warn: (message: string) => void = (message) => process.stderr.write(`${message}\n`),
): TuningOutcome {
  if (env.CDKTF_FLEET_TUNING === 'off') return 'off';
  if (applied) return 'already tuned';
  const mismatch = internalsMismatch(internals);
  if (mismatch) {
    warn(
      `warning: the fleet tuning of synthesis is off (${mismatch}); the output is the same, synthesis of a large fleet only slower. ` +
        'Update constructs/cdktf/fleet-tuning.ts for this cdktf, or set CDKTF_FLEET_TUNING=off to silence this.',
    );
    return 'internals changed';
  }
  applied = true;

  // cdktf calls both through their module's exports object, so replacing the export takes effect
  // (required, not imported: an import would give a read-only copy of the exports).
  if (env.CDKTF_TOKEN_STACK_TRACES !== '1') internals.stackTrace.captureStackTrace = () => [];
  const resolve = internals.tokens.resolve as Resolve;
  internals.tokens.resolve = function resolveOnce(scope: IConstruct, obj: unknown, preparing = false) {
    return !preparing && isResolvedStackDocument(scope, obj) ? obj : resolve(scope, obj, preparing);
  } satisfies Resolve;
  return 'tuned';
}
