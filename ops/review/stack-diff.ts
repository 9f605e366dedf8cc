/**
 * Two versions of one stack compared element by element, from the
 * synthesized JSON alone: what is added, changed and removed. Pure.
 */
import { type StackDocument, type StackElement, stackElements } from './stack-document';

/** One element that differs between the two versions. */
export interface ElementDiff {
  readonly address: string;
  readonly change: 'added' | 'changed' | 'removed';
  readonly before?: StackElement;
  readonly after?: StackElement;
}

/** One stack of the fleet that differs. */
export interface StackDiff {
  readonly stack: string;
  readonly status: 'added' | 'removed' | 'changed';
  readonly diffs: readonly ElementDiff[];
  /** Every element of each version, by address (for resolving references). */
  readonly before: ReadonlyMap<string, StackElement>;
  readonly after: ReadonlyMap<string, StackElement>;
}

const NONE: ReadonlyMap<string, StackElement> = new Map();

/** The elements that differ, in address order; the stack's status. undefined when nothing differs. */
export function diffStack(stack: string, before: StackDocument | undefined, after: StackDocument | undefined): StackDiff | undefined {
  const [a, b] = [before ? stackElements(before) : NONE, after ? stackElements(after) : NONE];
  const diffs: ElementDiff[] = [];
  for (const address of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const [x, y] = [a.get(address), b.get(address)];
    if (x && !y) diffs.push({ address, change: 'removed', before: x });
    else if (!x && y) diffs.push({ address, change: 'added', after: y });
    else if (x && y && JSON.stringify(x.body) !== JSON.stringify(y.body)) diffs.push({ address, change: 'changed', before: x, after: y });
  }
  if (before && after && !diffs.length) return undefined;
  return { stack, status: !before ? 'added' : !after ? 'removed' : 'changed', diffs, before: a, after: b };
}
