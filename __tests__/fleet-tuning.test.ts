/**
 * The fence around the fleet tuning's patches of cdktf internals: it checks
 * them before patching, and on anything but what it was written for it
 * patches nothing and says so (synth.test.ts proves the tuned output is the
 * untuned output, byte for byte).
 */
import { type CdktfInternals, TUNED_CDKTF_VERSION, cdktfInternals, fleetAppOptions, internalsMismatch, tuneCdktfForFleets } from '../constructs/cdktf/fleet-tuning';

/** Internals of the expected shape, as plain objects the tuning may patch without touching cdktf. */
function fakeInternals(overrides: Partial<CdktfInternals> = {}): CdktfInternals {
  return {
    version: TUNED_CDKTF_VERSION,
    stackTrace: { captureStackTrace: () => ['a frame'] },
    tokens: { resolve: (_scope: unknown, obj: unknown) => obj },
    stackHasRawOverrides: true,
    ...overrides,
  };
}

describe('the fleet tuning of cdktf', () => {
  it('finds the internals it patches in the cdktf this project pins', () => {
    expect(internalsMismatch(cdktfInternals())).toBeUndefined();
  });

  test.each([
    ['another cdktf release', { version: '0.22.0' }, `cdktf is 0.22.0, the tuning was written for ${TUNED_CDKTF_VERSION}`],
    ['a stack-trace module without its function', { stackTrace: { captureStackTrace: undefined } }, 'cdktf/lib/tokens/private/stack-trace no longer exports captureStackTrace'],
    ['a resolve of another shape', { tokens: { resolve: () => undefined } }, 'cdktf/lib/_tokens no longer exports resolve(scope, obj)'],
    ['stacks that keep their overrides elsewhere', { stackHasRawOverrides: false }, 'TerraformStack no longer keeps its overrides in rawOverrides'],
  ])('turns itself off, saying why, on %s, and patches nothing', (_case, overrides, reason) => {
    const internals = fakeInternals(overrides as Partial<CdktfInternals>);
    const before = { stackTrace: internals.stackTrace.captureStackTrace, resolve: internals.tokens.resolve };
    const warnings: string[] = [];
    expect(tuneCdktfForFleets({}, internals, (message) => warnings.push(message))).toBe('internals changed');
    expect(warnings).toEqual([expect.stringContaining(`warning: the fleet tuning of synthesis is off (${reason}); the output is the same`)]);
    expect({ stackTrace: internals.stackTrace.captureStackTrace, resolve: internals.tokens.resolve }).toEqual(before);
  });

  it('does nothing when turned off', () => {
    const internals = fakeInternals();
    const [stackTrace, resolve] = [internals.stackTrace.captureStackTrace, internals.tokens.resolve];
    expect(tuneCdktfForFleets({ CDKTF_FLEET_TUNING: 'off' }, internals, () => undefined)).toBe('off');
    expect([internals.stackTrace.captureStackTrace, internals.tokens.resolve]).toEqual([stackTrace, resolve]);
  });

  it('skips cdktf validations through the public App option, not a patch', () => {
    expect(fleetAppOptions({ outdir: 'x' })).toEqual({ outdir: 'x', skipValidation: true });
  });
});
