import { percentileInterval } from "../bootstrap/percentile-interval.js";
import type { EstimatedValue } from "./drift-result.js";

/** One CBPE replicate: each metric's expectation under refitted probabilities (`E*`) and one draw of outcomes from them (`D*`). */
export interface CbpeReplicate<M extends string> {
  expected: Record<M, number | null>;
  drawn: Record<M, number | null>;
}

/**
 * CBPE's estimates with their intervals, as the binary and multiclass estimates draw them: each
 * replicate is `2E − 2E* + D*` — the calibration's bootstrap error `E* − E` reflected about the
 * point `E` (the basic bootstrap, which removes the part of isotonic regression's optimism the
 * bootstrap sees) and the outcomes' luck `D* − E*` added — and the interval is the replicates'
 * percentile interval cut to the metric's range [0, 1], which the realised metric never leaves.
 * A metric whose point is `null` gets `undefined` as its reason; a replicate where a metric is
 * undefined counts as missing (`percentileInterval`).
 *
 * Davison & Hinkley (1997), Bootstrap Methods and their Application, §5.2 (basic interval)
 *
 * @example
 * cbpeEstimates(["accuracy"], { accuracy: 0.8 }, () => ({ expected: { accuracy: 0.81 }, drawn: { accuracy: 0.79 } }),
 *   { replicates: 200, confidence: 0.95, undefined: "no rows" });
 * // { accuracy: { value: 0.8, ci: [0.77, 0.77] } }
 */
export function cbpeEstimates<M extends string>(
  metrics: readonly M[],
  point: Record<M, number | null>,
  replicate: () => CbpeReplicate<M>,
  options: { replicates: number; confidence: number; undefined: string },
): Record<M, EstimatedValue> {
  const { replicates, confidence } = options;
  const draws = metrics.map(() => new Float64Array(replicates));
  for (let r = 0; r < replicates; r++) {
    const { expected, drawn } = replicate();
    metrics.forEach((name, m) => {
      const p = point[name];
      const e = expected[name];
      const d = drawn[name];
      draws[m]![r] = p === null || e === null || d === null ? Number.NaN : 2 * p - 2 * e + d;
    });
  }
  const out = {} as Record<M, EstimatedValue>;
  metrics.forEach((name, m) => {
    const value = point[name];
    if (value === null) {
      out[name] = { value: null, reason: options.undefined };
      return;
    }
    const interval = replicates > 0 ? percentileInterval(draws[m]!, confidence) : null;
    const ci = interval?.ci
      ? ([Math.max(0, interval.ci[0]), Math.min(1, interval.ci[1])] as [number, number])
      : null;
    out[name] = { value, ci };
  });
  return out;
}
