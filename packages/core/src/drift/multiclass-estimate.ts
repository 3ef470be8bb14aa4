import type { Profile } from "../profile/profile.js";
import { createRng, type Rng } from "../random/rng.js";
import type { IsotonicFit } from "../stats/isotonic-regression.js";
import { binomial } from "./calibrated-estimate.js";
import { cbpeEstimates } from "./cbpe-replicates.js";
import type { CalibrationCheck, EstimatedValue } from "./drift-result.js";
import { fitBins, MIN_CALIBRATION_ROWS } from "./reference-calibration.js";
import { SCORE_BINS, scoreBin } from "./score-tally.js";

/** The metrics the multiclass label-free estimate offers. */
export const MULTICLASS_ESTIMATED_METRICS = ["accuracy", "f1_macro"] as const;
type Metric = (typeof MULTICLASS_ESTIMATED_METRICS)[number];

/**
 * Served class probabilities counted for the multiclass estimate: `"j:k:b"` → rows predicted class
 * `j` (the most probable) whose probability of class `k` falls in score bin `b` (the binary tally's
 * 1/4096 grid). Whole counts, so shards merge exactly by adding them.
 */
export type ClassProbabilityCounts = Record<string, number>;

/**
 * Counts one served row's class probabilities (in the model's class order) into `counts`; the
 * predicted class is the most probable (the first of ties). A row with a probability that is not a
 * number in [0, 1] is left out (returns `false`).
 *
 * @example
 * const counts = {};
 * addClassProbabilities(counts, [0.7, 0.2, 0.1]); // true
 * counts; // { "0:0:2867": 1, "0:1:819": 1, "0:2:409": 1 }
 */
export function addClassProbabilities(
  counts: ClassProbabilityCounts,
  probabilities: ArrayLike<number>,
): boolean {
  let predicted = 0;
  for (let k = 0; k < probabilities.length; k++) {
    const p = probabilities[k]!;
    if (!(p >= 0 && p <= 1)) return false;
    if (p > probabilities[predicted]!) predicted = k;
  }
  for (let k = 0; k < probabilities.length; k++) {
    const key = `${predicted}:${k}:${scoreBin(probabilities[k]!)}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return true;
}

/**
 * The sum of two windows' (or shards') {@link ClassProbabilityCounts}.
 *
 * @example
 * mergeClassProbabilityCounts({ "0:0:10": 1 }, { "0:0:10": 2, "1:0:3": 1 }); // { "0:0:10": 3, "1:0:3": 1 }
 */
export function mergeClassProbabilityCounts(
  a: ClassProbabilityCounts,
  b: ClassProbabilityCounts,
): ClassProbabilityCounts {
  const out = { ...a };
  for (const [key, n] of Object.entries(b)) out[key] = (out[key] ?? 0) + n;
  return out;
}

/** One class's reference rows on the score grid: bin centre, rows not of the class, rows of it. */
interface ClassBins {
  centre: Float64Array;
  negatives: Float64Array;
  positives: Float64Array;
}

/** What the reference says about a multiclass model's class probabilities, and the recalibration fitted on it. */
export type ClassCalibration =
  | {
      status: "recalibrated";
      classes: string[];
      /** Labelled reference rows. */
      rows: number;
      /** Rows of the rarest class among them. */
      fewest: number;
      /** Per class: its reference bins (what a bootstrap resamples) and isotonic map, one-vs-rest. */
      bins: ClassBins[];
      maps: IsotonicFit[];
    }
  | { status: "not established"; classes: string[]; rows: number; fewest: number; reason: string };

/**
 * Measures a multiclass model's calibration on its reference and fits the recalibration the
 * multiclass estimate needs, one-vs-rest as NannyML does: per class, an isotonic regression of
 * "the label is this class" on that class's probability, over the reference's labelled
 * probabilities on the score grid (`profile.classCalibration`, written by promote).
 *
 * `not established` — the estimate then takes the raw probabilities at their word, with no
 * interval — when the reference has no labelled probabilities (a data file, a profile built
 * without the model or label, or an older one), they are of other classes than `classes`, there
 * are fewer than {@link MIN_CALIBRATION_ROWS} labelled rows, or a class has fewer than its
 * `perClass` rows (or all but that many).
 *
 * https://nannyml.readthedocs.io/en/stable/how_it_works/performance_estimation.html
 *
 * @example
 * classCalibration(profile, ["basic", "plus", "postpaid"]).status; // "recalibrated"
 */
export function classCalibration(profile: Profile, classes: readonly string[]): ClassCalibration {
  const stored = profile.classCalibration;
  const names = [...classes];
  const notEstablished = (reason: string, rows = 0, fewest = 0): ClassCalibration => ({
    status: "not established",
    classes: names,
    rows,
    fewest,
    reason,
  });
  if (!stored)
    return notEstablished(
      "the reference has no labelled class probabilities to check calibration on (a profile.json written by promote for a multiclass model with evaluation.label has them; a data file or an older profile does not)",
    );
  if (stored.classes.join("\u0000") !== names.join("\u0000") || stored.labelledScores.length !== names.length)
    return notEstablished(
      `the reference's labelled probabilities are of classes [${stored.classes.join(", ")}], not artefact.classes [${names.join(", ")}]`,
    );
  const bins = stored.labelledScores.map((labelled): ClassBins => {
    const n = labelled.counts.length / 3;
    const b = { centre: new Float64Array(n), negatives: new Float64Array(n), positives: new Float64Array(n) };
    for (let i = 0; i < n; i++) {
      b.centre[i] = (labelled.counts[3 * i]! + 0.5) / labelled.bins;
      b.negatives[i] = labelled.counts[3 * i + 1]!;
      b.positives[i] = labelled.counts[3 * i + 2]!;
    }
    return b;
  });
  const sum = (a: Float64Array) => a.reduce((s, v) => s + v, 0);
  const rows = bins.length > 0 ? sum(bins[0]!.negatives) + sum(bins[0]!.positives) : 0;
  const perClass = bins.map((b) => sum(b.positives));
  const fewest = Math.min(...perClass.map((p) => Math.min(p, rows - p)));
  if (rows < MIN_CALIBRATION_ROWS.total)
    return notEstablished(
      `the reference has ${rows} labelled rows; at least ${MIN_CALIBRATION_ROWS.total} are needed to fit a calibration`,
      rows,
      fewest,
    );
  if (fewest < MIN_CALIBRATION_ROWS.perClass) {
    const k = perClass.findIndex((p) => Math.min(p, rows - p) === fewest);
    return notEstablished(
      `class ${names[k]} has ${perClass[k]} of the reference's ${rows} labelled rows; at least ${MIN_CALIBRATION_ROWS.perClass} of it and of the other classes are needed to fit its calibration`,
      rows,
      fewest,
    );
  }
  return { status: "recalibrated", classes: names, rows, fewest, bins, maps: bins.map((b) => fitBins(b)) };
}

/**
 * A class calibration as `drift.json` reports it (`prediction.calibration`): `positives` holds the
 * rarest class's labelled rows.
 *
 * @example
 * classCalibrationCheck(classCalibration(profile, classes)).reason;
 * // "class probabilities recalibrated one-vs-rest by isotonic regression on 4,000 labelled reference rows"
 */
export function classCalibrationCheck(calibration: ClassCalibration): CalibrationCheck {
  const { status, rows, fewest } = calibration;
  if (status === "recalibrated")
    return {
      status,
      method: "isotonic regression",
      rows,
      positives: fewest,
      ece: null,
      reason: `class probabilities recalibrated one-vs-rest by isotonic regression on ${rows.toLocaleString("en-US")} labelled reference rows`,
    };
  return {
    status,
    method: null,
    rows,
    positives: fewest,
    ece: null,
    reason: `calibration not established, so the performance estimate assumes calibrated class probabilities unchecked: ${calibration.reason}`,
  };
}

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
