import type { CompareColumnOptions } from "./column-drift.js";
import {
  DEFAULT_THRESHOLDS,
  type DriftMethod,
  type DriftThresholds,
  deriveThresholds,
} from "./drift-thresholds.js";
import type { Score } from "./judge-score.js";
import { type KllSketch, kllMerge } from "./kll-sketch.js";

/** Category counts, with the values beyond the cap counted together in `other`. */
export interface CountTable {
  counts: Readonly<Record<string, number>>;
  other: number;
}

/**
 * Scores each non-empty reference chunk against the rest of the reference merged: how far the
 * reference drifts from itself, which `deriveThresholds` turns into limits. Fewer than two
 * non-empty chunks give no scores, and undefined scores are left out.
 *
 * @example
 * chunkVsRest(ref.chunks, (chunk, rest) => scoreNumeric("ks", …)); // [0.012, 0.009, 0.015, …]
 */
export function chunkVsRest(
  chunks: KllSketch[],
  score: (chunk: KllSketch, rest: KllSketch) => Score,
): number[] {
  const used = chunks.filter((c) => c.n > 0);
  const out: number[] = [];
  for (let i = 0; i < used.length && used.length >= 2; i++) {
    let rest: KllSketch | null = null;
    for (let j = 0; j < used.length; j++) if (j !== i) rest = rest ? kllMerge(rest, used[j]!) : used[j]!;
    const s = score(used[i]!, rest!);
    if (s.value !== null) out.push(s.value);
  }
  return out;
}

/**
 * {@link chunkVsRest} for category counts.
 *
 * @example
 * chunkVsRestCounts(ref.chunks, (chunk, rest) => scoreCategorical("psi", rest, chunk)); // [0.002, …]
 */
export function chunkVsRestCounts(
  chunks: CountTable[],
  score: (chunk: CountTable, rest: CountTable) => Score,
): number[] {
  const used = chunks.filter((c) => c.other + Object.values(c.counts).reduce((s, v) => s + v, 0) > 0);
  const out: number[] = [];
  for (let i = 0; i < used.length && used.length >= 2; i++) {
    const counts: Record<string, number> = Object.create(null);
    let other = 0;
    for (let j = 0; j < used.length; j++) {
      if (j === i) continue;
      for (const [k, v] of Object.entries(used[j]!.counts)) counts[k] = (counts[k] ?? 0) + v;
      other += used[j]!.other;
    }
    const s = score(used[i]!, { counts, other });
    if (s.value !== null) out.push(s.value);
  }
  return out;
}

/**
 * The limits a score is held to: `warn`/`alert` from the options, each one missing taken from
 * the thresholds derived from the chunk scores, or from the method's defaults when the reference
 * has no chunks to derive them from.
 *
 * @example
 * thresholdsFor("psi", {}, [], 0, 500, 400); // { warn: 0.1, alert: 0.25, source: "default" }
 */
export function thresholdsFor(
  method: DriftMethod,
  options: CompareColumnOptions,
  chunkScores: number[],
  chunkSize: number,
  referenceCount: number,
  currentCount: number,
): DriftThresholds {
  const derived =
    chunkSize > 0 && referenceCount > chunkSize
      ? deriveThresholds(method, chunkScores, {
          chunk: chunkSize,
          rest: referenceCount - chunkSize,
          current: currentCount,
          reference: referenceCount,
        })
      : null;
  const fallback = derived ?? { ...DEFAULT_THRESHOLDS[method], source: "default" as const };
  if (options.warn === undefined && options.alert === undefined) return fallback;
  return { warn: options.warn ?? fallback.warn, alert: options.alert ?? fallback.alert, source: "options" };
}
