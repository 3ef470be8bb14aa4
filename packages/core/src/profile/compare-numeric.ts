import { chiSquareTest } from "../stats/chi-square-test.js";
import { jensenShannonDistance } from "../stats/jensen-shannon-distance.js";
import { ksTestFromCounts } from "../stats/ks-test-from-counts.js";
import { normalizedWassersteinDistance } from "../stats/normalized-wasserstein-distance.js";
import { psi } from "../stats/psi.js";
import { countsFromSketch } from "./bins.js";
import { chunkVsRest, thresholdsFor } from "./chunk-thresholds.js";
import type { ColumnDrift, CompareColumnOptions } from "./column-drift.js";
import type { DriftMethod } from "./drift-thresholds.js";
import { fromMeasurement, judged, type Score, type Scored } from "./judge-score.js";
import { type KllSketch, kllWeighted } from "./kll-sketch.js";
import type { NumericColumnProfile } from "./profile.js";

/**
 * Scores a numeric column's drift (`auto`: Wasserstein, or PSI when the reference is constant)
 * and judges it; records the thresholds used in `details`. Binned methods read the current
 * values on the reference's bin edges, from the current sketch when its edges differ.
 *
 * @example
 * compareNumeric(reference.columns.age, current.columns.age, {}, details);
 * // { method: "wasserstein", score: 0.51, pValue: null, level: "alert", reason: "wasserstein 0.51 ≥ alert …" }
 */
export function compareNumeric(
  ref: NumericColumnProfile,
  cur: NumericColumnProfile,
  options: CompareColumnOptions,
  details: ColumnDrift["details"],
): Scored {
  const constant = ref.std === 0;
  const requested = options.method ?? "auto";
  const method: DriftMethod = requested === "auto" ? (constant ? "psi" : "wasserstein") : requested;
  const edges = ref.bins.edges;
  const sameEdges = cur.bins.edges.length === edges.length && cur.bins.edges.every((e, i) => e === edges[i]);
  const curCounts = sameEdges ? cur.bins.counts : countsFromSketch(cur.sketch, edges);
  const score = scoreNumeric(
    method,
    { sketch: ref.sketch, counts: ref.bins.counts },
    { sketch: cur.sketch, counts: curCounts },
    ref.std ?? 0,
  );
  const chunkScores = chunkVsRest(ref.chunks, (chunk, rest) =>
    scoreNumeric(
      method,
      { sketch: rest, counts: countsFromSketch(rest, edges) },
      { sketch: chunk, counts: countsFromSketch(chunk, edges) },
      ref.std ?? 0,
    ),
  );
  const chunkSize = ref.chunks.length > 0 ? ref.count / ref.chunks.length : 0;
  const thresholds = thresholdsFor(method, options, chunkScores, chunkSize, ref.count, cur.count);
  details.thresholds = thresholds;
  if (score.value === null) {
    const same = ref.min === cur.min && ref.max === cur.max;
    return {
      method,
      score: null,
      pValue: score.pValue,
      level: constant && !same ? "alert" : "no data",
      reason:
        constant && !same
          ? `the reference is constant at ${ref.min} and the current values differ`
          : (score.reason ?? ""),
    };
  }
  return judged(method, score, thresholds);
}

function scoreNumeric(
  method: DriftMethod,
  ref: { sketch: KllSketch; counts: number[] },
  cur: { sketch: KllSketch; counts: number[] },
  std: number,
): Score {
  switch (method) {
    case "psi":
      return fromMeasurement(psi(ref.counts, cur.counts));
    case "jensen-shannon":
      return fromMeasurement(jensenShannonDistance(ref.counts, cur.counts));
    case "chi-square": {
      const t = chiSquareTest(ref.counts, cur.counts);
      return t.statistic === null
        ? { value: null, pValue: null, reason: t.reason }
        : { value: t.cramersV, pValue: t.pValue };
    }
    case "ks": {
      const t = ksTestFromCounts(kllWeighted(ref.sketch), kllWeighted(cur.sketch), {
        sizes: [ref.sketch.n, cur.sketch.n],
      });
      return t.statistic === null
        ? { value: null, pValue: null, reason: t.reason }
        : { value: t.statistic, pValue: t.pValue };
    }
    case "wasserstein": {
      const r = kllWeighted(ref.sketch);
      const c = kllWeighted(cur.sketch);
      return fromMeasurement(
        normalizedWassersteinDistance(r.values, c.values, {
          uWeights: r.weights,
          vWeights: c.weights,
          scale: std,
        }),
      );
    }
  }
}
