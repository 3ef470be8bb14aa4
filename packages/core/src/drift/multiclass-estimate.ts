import { createRng, type Rng } from "../random/rng.js";
import type { IsotonicFit } from "../stats/isotonic-regression.js";
import { binomial } from "./calibrated-estimate.js";
import { cbpeEstimates } from "./cbpe-replicates.js";
import type { ClassCalibration } from "./class-calibration.js";
import type { ClassProbabilityCounts } from "./class-probability-counts.js";
import type { EstimatedValue } from "./drift-result.js";
import { fitBins } from "./reference-calibration.js";
import { SCORE_BINS } from "./score-tally.js";

/** The metrics the multiclass label-free estimate offers. */
export const MULTICLASS_ESTIMATED_METRICS = ["accuracy", "f1_macro"] as const;
type Metric = (typeof MULTICLASS_ESTIMATED_METRICS)[number];

/** How {@link multiclassEstimate} draws its interval. */
export interface MulticlassEstimateOptions {
  /** Monte Carlo replicates (default 200). */
  replicates?: number;
  confidence?: number;
  /** Seeds the draws (e.g. the model name and window): the same inputs give the same interval. */
  seed: string;
}

/** The served counts as parallel arrays, and per class the distinct bins its probabilities fall in. */
interface Groups {
  classes: number;
  predicted: Int32Array;
  of: Int32Array;
  rows: Float64Array;
  /** Position of the group's bin in `centres[of]`. */
  at: Int32Array;
  /** Per class: the centres of its occupied bins, ascending. */
  centres: Float64Array[];
}

/**
 * Multiclass CBPE: accuracy and macro F1 of the served rows' predicted class (their most probable),
 * estimated without labels from the class probabilities. Each class's probability goes through its
 * one-vs-rest isotonic map from the reference (`calibration`) to `q_k`; the expected confusion
 * matrix has `E[C(j, j)] = Σ_{rows predicted j} q_j` on its diagonal and shares the rest of each
 * predicted class's rows among the other classes in proportion to their `Σ q_k` (so each row has
 * one class even where the one-vs-rest probabilities do not sum to 1); per class `TP = C(k, k)`,
 * `FP = n_k − TP` (`n_k` rows predicted `k`), `FN = Σ_{j≠k} C(j, k)`. Accuracy is `Σ_k TP_k / n`;
 * macro F1 the mean of `2TP / (2TP + FP + FN)` over the classes predicted or expected.
 * Probabilities of one 1/4096-wide bin count as equal.
 *
 * The interval is drawn as the binary estimate's ({@link calibratedEstimate}): each replicate
 * refits every class's map on a Poisson bootstrap of the reference (expected metric `E*`), draws
 * the outcomes (realised `D*`: the diagonal Binomial(rows, q_j) per bin, the rest of each
 * predicted class's rows multinomially over the other classes), and is `2E − 2E* + D*`; the
 * interval is their percentile interval cut to [0, 1]. Coverage on calibrated and on
 * over-confident synthetic probabilities is pinned by `multiclass-estimate.test.ts`.
 *
 * Without a calibration (`null`), the raw probabilities are taken as calibrated and the estimates
 * carry no interval. Degenerate: no served rows → both `null`.
 *
 * @example
 * multiclassEstimate(window.classProbabilities, calibration, { seed: "plan/2025-05-31" });
 * // { accuracy: { value: 0.84, ci: [0.81, 0.87] }, f1_macro: { value: 0.79, ci: [0.75, 0.83] } }
 */
export function multiclassEstimate(
  counts: ClassProbabilityCounts,
  calibration: Extract<ClassCalibration, { status: "recalibrated" }> | null,
  classes: number,
  options: MulticlassEstimateOptions,
): Record<Metric, EstimatedValue> {
  const groups = groupsOf(counts, classes);
  if (groups.rows.length === 0) {
    const none = { value: null, reason: "no served class probabilities to estimate from" };
    return { accuracy: none, f1_macro: none };
  }
  const raw = groups.centres.map((c) => c);
  const point = metricsOf(groups, calibration ? qOf(groups, calibration.maps) : raw, null);
  if (!calibration) {
    const reason = "calibration not established on the reference: raw probabilities, no interval";
    return {
      accuracy: { value: point.accuracy, ci: null, reason },
      f1_macro: { value: point.f1_macro, ci: null, reason },
    };
  }
  const rng = createRng(`cbpe-multiclass/${options.seed}`);
  return cbpeEstimates(
    MULTICLASS_ESTIMATED_METRICS,
    point,
    () => {
      const maps = calibration.bins.map((b) =>
        fitBins({
          centre: b.centre,
          negatives: Float64Array.from(b.negatives, (v) => rng.poisson(v)),
          positives: Float64Array.from(b.positives, (v) => rng.poisson(v)),
        }),
      );
      const q = qOf(groups, maps);
      return { expected: metricsOf(groups, q, null), drawn: metricsOf(groups, q, rng) };
    },
    {
      replicates: options.replicates ?? 200,
      confidence: options.confidence ?? 0.95,
      undefined: "undefined on the served probabilities",
    },
  );
}

function groupsOf(counts: ClassProbabilityCounts, classes: number): Groups {
  // In one order whatever order the rows (or shards) came in: the draws follow the groups.
  const keys = Object.keys(counts)
    .filter((k) => counts[k]! > 0)
    .sort();
  const predicted = new Int32Array(keys.length);
  const of = new Int32Array(keys.length);
  const bins = new Int32Array(keys.length);
  const rows = new Float64Array(keys.length);
  const occupied = Array.from({ length: classes }, () => new Set<number>());
  keys.forEach((key, g) => {
    const [j, k, b] = key.split(":").map(Number) as [number, number, number];
    if (!(j >= 0 && j < classes && k >= 0 && k < classes && b >= 0 && b < SCORE_BINS))
      throw new RangeError(`class probability count ${key} outside ${classes} classes`);
    predicted[g] = j;
    of[g] = k;
    bins[g] = b;
    rows[g] = counts[key]!;
    occupied[k]!.add(b);
  });
  const sorted = occupied.map((s) => Int32Array.from(s).sort());
  const position = sorted.map((s) => new Map(Array.from(s, (b, i) => [b, i])));
  const at = Int32Array.from(keys, (_, g) => position[of[g]!]!.get(bins[g]!)!);
  const centres = sorted.map((s) => Float64Array.from(s, (b) => (b + 0.5) / SCORE_BINS));
  return { classes, predicted, of, rows, at, centres };
}

/** Per class, the calibrated probability at each of its occupied bins. */
function qOf(groups: Groups, maps: readonly IsotonicFit[]): Float64Array[] {
  return groups.centres.map((c, k) => maps[k]!.predictAll(c));
}

/**
 * Accuracy and macro F1 of the expected confusion matrix (`rng` null) or of one draw of outcomes.
 * A predicted class's row holds its rows: the diagonal is `Σ q_j` (drawn: Binomial per group),
 * and the rest of the row's rows are shared among the other classes in proportion to their `Σ q_k`
 * (drawn: multinomially), so every row has exactly one class even where the one-vs-rest
 * probabilities do not sum to 1.
 */
function metricsOf(
  groups: Groups,
  q: readonly Float64Array[],
  rng: Rng | null,
): Record<Metric, number | null> {
  const K = groups.classes;
  const cell = new Float64Array(K * K);
  const predictedRows = new Float64Array(K);
  for (let g = 0; g < groups.rows.length; g++) {
    const j = groups.predicted[g]!;
    const k = groups.of[g]!;
    const n = groups.rows[g]!;
    const p = q[k]![groups.at[g]!]!;
    if (j === k) {
      cell[j * K + j]! += rng ? binomial(rng, n, p) : n * p;
      predictedRows[j]! += n;
    } else cell[j * K + k]! += n * p;
  }
  const weight = new Float64Array(K);
  for (let j = 0; j < K; j++) {
    let rest = predictedRows[j]! - cell[j * K + j]!;
    let share = 0;
    for (let k = 0; k < K; k++) {
      weight[k] = k === j ? 0 : cell[j * K + k]!;
      share += weight[k]!;
    }
    let left = K - 1;
    for (let k = 0; k < K; k++) {
      if (k === j) continue;
      // No probability on any other class: the rest is shared evenly.
      const w = share > 0 ? weight[k]! / share : 1 / left;
      const taken = rng ? (left === 1 ? rest : binomial(rng, rest, Math.min(1, w))) : rest * w;
      cell[j * K + k] = taken;
      if (rng) {
        rest -= taken;
        share -= weight[k]!;
      }
      left -= 1;
    }
  }
  let total = 0;
  let correct = 0;
  let f1 = 0;
  let present = 0;
  for (let k = 0; k < K; k++) {
    const tp = cell[k * K + k]!;
    const fp = predictedRows[k]! - tp;
    let fn = 0;
    for (let j = 0; j < K; j++) if (j !== k) fn += cell[j * K + k]!;
    total += predictedRows[k]!;
    correct += tp;
    const denominator = 2 * tp + fp + fn;
    if (predictedRows[k]! > 0 || fn > 0) {
      present += 1;
      f1 += denominator > 0 ? (2 * tp) / denominator : 0;
    }
  }
  return {
    accuracy: total > 0 ? correct / total : null,
    f1_macro: present > 0 ? f1 / present : null,
  };
}
