import type { Batch } from "@gauntlet/core";
import type { SignatureMapping } from "./check-signature.js";
import type { ScoringModel } from "./load-model.js";
import { type ScoreOptions, scoreBatch } from "./score-batch.js";

/** Options of {@link timeScoring}. */
export interface TimingOptions extends ScoreOptions {
  /** Timed repetitions. Default 30. */
  repeats?: number;
  /** Untimed runs first, so one-off allocations and lazy kernel setup are not measured. Default 2. */
  warmup?: number;
  /** Milliseconds clock; tests pass a fake one. Default `performance.now`. */
  now?: () => number;
}

/** Latency of scoring one batch, in process, input tensors and output mapping included. */
export interface ScoringTiming {
  rows: number;
  repeats: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  /** `rows` divided by the median time. */
  rowsPerSecond: number;
}

/**
 * Times {@link scoreBatch} on the same batch `repeats` times and reports latency percentiles, as
 * shadow-compare does for a challenger's latency budget. Pass a one-row batch for per-request
 * latency or a large one for throughput. Percentiles interpolate linearly between order statistics
 * (numpy's default), so with few repeats p99 lies between the two slowest runs.
 *
 * @example
 * await timeScoring(model, mapping, oneRow, { repeats: 200 });
 * // { rows: 1, repeats: 200, p50Ms: 0.04, p95Ms: 0.06, p99Ms: 0.09, rowsPerSecond: 25000 }
 */
export async function timeScoring(
  model: ScoringModel,
  mapping: SignatureMapping,
  batch: Batch,
  options: TimingOptions = {},
): Promise<ScoringTiming> {
  const { repeats = 30, warmup = 2, now = () => performance.now() } = options;
  if (!Number.isInteger(repeats) || repeats < 1)
    throw new RangeError(`timeScoring: repeats must be ≥ 1, got ${repeats}`);
  for (let i = 0; i < warmup; i++) await scoreBatch(model, mapping, batch, options);
  const times = new Float64Array(repeats);
  for (let i = 0; i < repeats; i++) {
    const start = now();
    await scoreBatch(model, mapping, batch, options);
    times[i] = now() - start;
  }
  times.sort();
  const p50Ms = quantile(times, 0.5);
  return {
    rows: batch.length,
    repeats,
    p50Ms,
    p95Ms: quantile(times, 0.95),
    p99Ms: quantile(times, 0.99),
    rowsPerSecond: p50Ms > 0 ? batch.length / (p50Ms / 1000) : Number.POSITIVE_INFINITY,
  };
}

function quantile(sorted: Float64Array, q: number): number {
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.min(sorted.length - 1, low + 1);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}
