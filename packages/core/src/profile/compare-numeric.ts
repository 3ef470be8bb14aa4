import { chiSquareTest } from "../stats/chi-square-test.js";
import { jensenShannonDistance } from "../stats/jensen-shannon-distance.js";
import { ksTestFromCounts } from "../stats/ks-test-from-counts.js";
import type { Measurement } from "../stats/measurement.js";
import { normalizedWassersteinDistance } from "../stats/normalized-wasserstein-distance.js";
import { psi } from "../stats/psi.js";
import { wassersteinDistance } from "../stats/wasserstein-distance.js";
import { type WeightedSample, weightedSorted } from "../stats/weighted-sample.js";
import { countsFromSketch, sortedBinCounts } from "./bins.js";
import { chunkVsRest, thresholdsFor } from "./chunk-thresholds.js";
import type { ColumnDrift, CompareColumnOptions } from "./column-drift.js";
import type { DriftMethod } from "./drift-thresholds.js";
import { fromMeasurement, judged, type Score, type Scored } from "./judge-score.js";
import { type KllSketch, kllWeighted } from "./kll-sketch.js";
import type { NumericColumnProfile } from "./profile.js";

/**
 * Normalised rank error the KLL sketches stay within (`2 / k`, as their tests check): the bound
 * reported next to a score computed from sketches.
 */
const rankError = (sketch: KllSketch): number => 2 / sketch.k;

/**
 * Scores a numeric column's drift (`auto`: Wasserstein, or PSI when the reference is constant)
 * and judges it; records the thresholds used in `details`.
 *
 * Exact when both profiles kept their values (`values`): KS and Wasserstein are computed on the
 * two samples, and PSI, Jensen–Shannon and chi-square on their exact counts on the reference's
 * bin edges, so each equals SciPy's on the same samples. Otherwise the sketches stand in (and the
 * binned methods read counts off a sketch where they were not counted exactly), and
 * `details.approximate` gives the error bound the sketches allow.
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
  const method = numericMethod(ref, options);
  const edges = ref.bins.edges;
  const refSide = sideOf(ref, edges, true);
  const curSide = sideOf(cur, edges, false);
  // Wasserstein's raw distance is reported too: computed once, for both.
  const distance =
    method === "wasserstein"
      ? wassersteinDistance(
          refSide.sample.values,
          curSide.sample.values,
          refSide.sample.weights,
          curSide.sample.weights,
        )
      : undefined;
  const score = scoreNumeric(method, refSide, curSide, ref.std ?? 0, distance);
  const chunkScores = referenceChunkScores(ref, method, edges);
  const chunkSize = ref.chunks.length > 0 ? ref.count / ref.chunks.length : 0;
  const thresholds = thresholdsFor(method, options, chunkScores, chunkSize, ref.count, cur.count);
  details.thresholds = thresholds;
  const approximate = approximation(method, ref, cur, refSide, curSide);
  if (approximate) details.approximate = approximate;
  if (distance) details.distance = distance.value;
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

/** The method a numeric column is scored with: `auto` is Wasserstein, or PSI on a constant reference. */
function numericMethod(ref: NumericColumnProfile, options: CompareColumnOptions): DriftMethod {
  const requested = options.method ?? "auto";
  return requested === "auto" ? (ref.std === 0 ? "psi" : "wasserstein") : requested;
}

/**
 * Does now what {@link compareNumeric} does once per reference column (and method) and keeps for
 * every later comparison: the reference's kept values as distinct values and counts, and its
 * chunk-vs-rest scores. A drift check calls it while it waits for the log's next batch, so that
 * finishing the windows does not; the comparisons are the same either way.
 *
 * @example
 * prepareReferenceColumn(reference.columns.age, { method: "auto" }); // later compareNumeric calls reuse it
 */
export function prepareReferenceColumn(ref: NumericColumnProfile, options: CompareColumnOptions): void {
  if (ref.count === 0) return;
  if (ref.values) weightedValues(ref.values);
  referenceChunkScores(ref, numericMethod(ref, options), ref.bins.edges);
}

/**
 * The reference's chunk-vs-rest scores for `method`, computed once per reference column: a drift
 * check compares the same reference with every window and the whole period.
 */
const chunkScoreCache = new WeakMap<NumericColumnProfile, Map<DriftMethod, number[]>>();

function referenceChunkScores(
  ref: NumericColumnProfile,
  method: DriftMethod,
  edges: readonly number[],
): number[] {
  let byMethod = chunkScoreCache.get(ref);
  if (byMethod === undefined) {
    byMethod = new Map();
    chunkScoreCache.set(ref, byMethod);
  }
  let scores = byMethod.get(method);
  if (scores === undefined) {
    scores = chunkVsRest(ref.chunks, (chunk, rest) =>
      scoreNumeric(
        method,
        { sample: kllWeighted(rest), n: rest.n, counts: countsFromSketch(rest, edges) },
        { sample: kllWeighted(chunk), n: chunk.n, counts: countsFromSketch(chunk, edges) },
        ref.std ?? 0,
      ),
    );
    byMethod.set(method, scores);
  }
  return scores;
}

/**
 * A reference's kept values as distinct values and counts, made once per array: the reference is
 * compared with every window. (Only the reference's: a cache of every window's would hold them
 * all until the check ends.)
 */
const weightedCache = new WeakMap<Float64Array, WeightedSample>();

function weightedValues(values: Float64Array): WeightedSample {
  let sample = weightedCache.get(values);
  if (sample === undefined) {
    sample = weightedSorted(values);
    weightedCache.set(values, sample);
  }
  return sample;
}

/** One side of a comparison: its sample (the values, else the sketch's), size and bin counts. */
interface Side {
  sample: WeightedSample;
  n: number;
  counts: number[];
  exactSample?: boolean;
  exactCounts?: boolean;
}

function sideOf(p: NumericColumnProfile, edges: readonly number[], reference: boolean): Side {
  const sameEdges = p.bins.edges.length === edges.length && p.bins.edges.every((e, i) => e === edges[i]);
  if (p.values) {
    const counts = sameEdges && p.bins.exact ? p.bins.counts : sortedBinCounts(p.values, edges);
    return {
      sample: reference ? weightedValues(p.values) : weightedSorted(p.values),
      n: p.values.length,
      counts,
      exactSample: true,
      exactCounts: true,
    };
  }
  const exactCounts = sameEdges && p.bins.exact;
  return {
    sample: kllWeighted(p.sketch),
    n: p.sketch.n,
    counts: sameEdges ? p.bins.counts : countsFromSketch(p.sketch, edges),
    exactCounts,
  };
}

function approximation(
  method: DriftMethod,
  ref: NumericColumnProfile,
  cur: NumericColumnProfile,
  r: Side,
  c: Side,
): ColumnDrift["details"]["approximate"] | undefined {
  const binned = method === "psi" || method === "jensen-shannon" || method === "chi-square";
  if (binned ? r.exactCounts && c.exactCounts : r.exactSample && c.exactSample) return undefined;
  const sketched = [
    !(binned ? r.exactCounts : r.exactSample) ? "reference" : "",
    !(binned ? c.exactCounts : c.exactSample) ? "current" : "",
  ]
    .filter(Boolean)
    .join(" and ");
  const reason = `computed from the ${sketched} quantile sketch${sketched.includes(" and ") ? "es" : ""} (${ref.values === undefined && sketched.startsWith("reference") ? "the reference holds no sample of values" : "more values than are kept exactly"})`;
  if (binned) return { bound: null, reason };
  const error = (r.exactSample ? 0 : rankError(ref.sketch)) + (c.exactSample ? 0 : rankError(cur.sketch));
  if (method === "ks") return { bound: error, reason };
  const lo = Math.min(ref.min ?? 0, cur.min ?? 0);
  const hi = Math.max(ref.max ?? 0, cur.max ?? 0);
  const std = ref.std ?? 0;
  return { bound: std > 0 ? (error * (hi - lo)) / std : null, reason };
}

function scoreNumeric(method: DriftMethod, ref: Side, cur: Side, std: number, distance?: Measurement): Score {
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
      const t = ksTestFromCounts(ref.sample, cur.sample, { sizes: [ref.n, cur.n] });
      return t.statistic === null
        ? { value: null, pValue: null, reason: t.reason }
        : { value: t.statistic, pValue: t.pValue };
    }
    case "wasserstein":
      // On kept values the scale is their own standard deviation, computed from the sorted values
      // alone, so a merged profile scores exactly as a single one (merged moments differ by rounding).
      return fromMeasurement(
        normalizedWassersteinDistance(ref.sample.values, cur.sample.values, {
          uWeights: ref.sample.weights,
          vWeights: cur.sample.weights,
          ...(ref.exactSample ? {} : { scale: std }),
          ...(distance ? { distance } : {}),
        }),
      );
  }
}
