import { alignCounts } from "../stats/category-counts.js";
import { chiSquareTest } from "../stats/chi-square-test.js";
import { jensenShannonDistance } from "../stats/jensen-shannon-distance.js";
import { psi } from "../stats/psi.js";
import { type CountTable, chunkVsRestCounts, thresholdsFor } from "./chunk-thresholds.js";
import type { ColumnDrift, CompareColumnOptions } from "./column-drift.js";
import type { DriftMethod } from "./drift-thresholds.js";
import { fromMeasurement, judged, type Score, type Scored } from "./judge-score.js";
import type { CategoricalColumnProfile } from "./profile.js";

/**
 * Scores a category or boolean column's drift (`auto`: Jensen–Shannon) and judges it; records
 * the thresholds used in `details`. A method that does not apply to categories (`ks`,
 * `wasserstein`) falls back to Jensen–Shannon, and the reason says so.
 *
 * @example
 * compareCategorical(reference.columns.region, current.columns.region, { method: "ks" }, details);
 * // { method: "jensen-shannon", …, reason: "ks does not apply to categories, used jensen-shannon: …" }
 */
export function compareCategorical(
  ref: CategoricalColumnProfile,
  cur: CategoricalColumnProfile,
  options: CompareColumnOptions,
  details: ColumnDrift["details"],
): Scored {
  const requested = options.method ?? "auto";
  const method: DriftMethod =
    requested === "auto" || requested === "ks" || requested === "wasserstein" ? "jensen-shannon" : requested;
  const score = scoreCategorical(method, ref, cur);
  const chunkScores = chunkVsRestCounts(ref.chunks, (chunk, rest) => scoreCategorical(method, rest, chunk));
  const chunkSize = ref.chunks.length > 0 ? ref.count / ref.chunks.length : 0;
  const thresholds = thresholdsFor(method, options, chunkScores, chunkSize, ref.count, cur.count);
  details.thresholds = thresholds;
  const result = judged(method, score, thresholds);
  if (requested !== "auto" && requested !== method) {
    result.reason = `${requested} does not apply to categories, used ${method}: ${result.reason}`;
  }
  return result;
}

function scoreCategorical(method: DriftMethod, ref: CountTable, cur: CountTable): Score {
  const aligned = alignCounts(ref.counts, cur.counts);
  // Values beyond either side's cap form one extra category.
  const r = [...aligned.left, ref.other];
  const c = [...aligned.right, cur.other];
  if (method === "psi") return fromMeasurement(psi(r, c));
  if (method === "chi-square") {
    const t = chiSquareTest(r, c);
    return t.statistic === null
      ? { value: null, pValue: null, reason: t.reason }
      : { value: t.cramersV, pValue: t.pValue };
  }
  return fromMeasurement(jensenShannonDistance(r, c));
}
