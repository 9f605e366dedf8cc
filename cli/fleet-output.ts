import type { FleetSelection } from './fleet-selection';

/** A note per tenant a fleet command left out, for stderr. */
export function skippedLines(fleet: Pick<FleetSelection, 'skipped'>): string[] {
  return fleet.skipped.map(({ key, reason }) => `skipped ${key}: ${reason}`);
}
