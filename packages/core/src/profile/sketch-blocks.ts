import { sortFloat64 } from "../stats/sort-float64.js";
import { sortedBinCounts } from "./bins.js";
import { kllAddSorted } from "./kll-sketch.js";
import type { NumericColumnProfile } from "./profile.js";

// A numeric column's sketch blocks (`sketchBlock` of a profile builder): values reach its sketch
// and exact bins in sorted blocks, a full block optionally sorted in another thread first.

/**
 * Given each full sketch block (`sketchBlock`) before it reaches the sketch, to sort it in place
 * in another thread meanwhile, and a `settle` that adds it now. The block reaches the sketch when
 * `settle` is called, when the column's next block is full, or when the profile is finished,
 * whichever comes first; it is sorted there as before (one read if already in order), so the
 * sketch is the same whether or not it was sorted elsewhere. Its array is never written again.
 */
export type PresortBlock = (block: Float64Array, settle: () => void) => void;

/** The part of a numeric column's accumulator that its sketch blocks use. */
export interface BlockedValues {
  profile: NumericColumnProfile;
  /** Values waiting for the sketch: the first `blocked` entries. */
  block: Float64Array | null;
  blocked: number;
  /** A full block handed to `presortBlock`, not yet in the sketch. */
  waiting: Float64Array | null;
}

/**
 * Values of a sketch block go to `profile`'s sketch, sorted (in place), and to its exact bins,
 * counted from the sorted block: the same counts as `binIndex` per value.
 */
export function addBlock(block: Float64Array, profile: NumericColumnProfile): void {
  const sorted = sortFloat64(block);
  kllAddSorted(profile.sketch, sorted);
  if (!profile.bins.exact) return;
  const counts = sortedBinCounts(sorted, profile.bins.edges);
  for (let b = 0; b < counts.length; b++) profile.bins.counts[b]! += counts[b]!;
}

/**
 * Hands the accumulator's full block to `presort` as its waiting block (the one waiting before
 * goes to the sketch first, keeping the blocks' order); the caller gives it a new block.
 */
export function passBlock(acc: BlockedValues, presort: PresortBlock): void {
  settleBlock(acc);
  const block = acc.block!;
  acc.waiting = block;
  acc.blocked = 0;
  presort(block, () => {
    if (acc.waiting === block) settleBlock(acc);
  });
}

/** The waiting block (if any) into the accumulator's sketch and bins. */
export function settleBlock(acc: BlockedValues): void {
  if (!acc.waiting) return;
  addBlock(acc.waiting, acc.profile);
  acc.waiting = null;
}
