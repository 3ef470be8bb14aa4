import { evaluate } from "../bootstrap/evaluate.js";
import type { MetricName, Task } from "../manifest/metric-names.js";
import type { OperatingSpec } from "../metrics/operating-point.js";
import type { MetricResult } from "../results/evaluation.js";
import type { OutcomeSample } from "./outcome-sample.js";
import type { IntervalValue, OutcomeSummary } from "./shadow-result.js";

/** Options of {@link compareOutcomes}. */
export interface CompareOutcomesOptions {
  /** Default binary: scores and 0/1 outcomes. Multiclass: class indices; regression: values. */
  task?: Task;
  /** Multiclass: the number of classes (the predicted classes are compared as one-hot probabilities). */
  classes?: number;
  metrics: readonly MetricName[];
  threshold: number;
  /** Costs and targets of the operating-point metrics among `metrics` (the manifest's). */
  operating?: OperatingSpec;
  /** Bootstrap replicates for the intervals. */
  replicates: number;
  seed: number;
  /** Fewer labelled rows than this, or (binary) fewer than a tenth of it in either class: no verdict from outcomes. */
  minimum: number;
}

/**
 * Both models' metrics on the rows whose outcome arrived, each with a percentile bootstrap
 * interval, and the paired interval of challenger − champion: every replicate reweights a request
 * the same for both models (Poisson weights keyed by the request id), so the interval of the
 * difference is much narrower than the two intervals side by side would suggest.
 *
 * Multiclass models are compared on their predicted classes (one-hot, so accuracy and the F1
 * scores are those of the decisions) and regression models on their predicted values; the
 * minimum then applies to the labelled rows alone.
 *
 * Rows offered with a weight (see `OutcomeSample.add`) weigh every metric and interval as
 * `evaluate`'s sample weights do; `minimum` and the class counts stay counts of rows.
 *
 * With few outcomes the intervals are wide and say so; below `minimum` rows (or with too few of
 * one class) the summary is marked insufficient and the verdict ignores it.
 *
 * @example
 * compareOutcomes(sample, { metrics: ["roc_auc"], threshold: 0.5, replicates: 500, seed: 7, minimum: 200 });
 * // { labelled: 1500, n: 1500, sufficient: true, metrics: { roc_auc: { champion: { value: 0.81, ci: [...] }, challenger: {...}, delta: { value: 0.004, ci: [-0.003, 0.011] } } }, ... }
 */
export function compareOutcomes(sample: OutcomeSample, options: CompareOutcomesOptions): OutcomeSummary {
  const rows = sample.rows();
  const n = rows.labels.length;
  const task = options.task ?? "binary";
  let positives = 0;
  for (const y of rows.labels) positives += y === 1 ? 1 : 0;
  const minority = Math.min(positives, n - positives);
  const minClass = Math.ceil(options.minimum / 10);
  const sufficient = n >= options.minimum && (task !== "binary" || minority >= minClass);
  const base = { labelled: sample.seen, n, sufficient, minimum: options.minimum };
  if (n === 0) {
    return { ...base, metrics: {}, note: "no outcome has arrived for the compared requests yet" };
  }
  const k = options.classes ?? 0;
  const scores = (values: Float64Array) => (task === "multiclass" ? oneHot(values, k) : values);
  const evaluation = evaluate({
    task,
    labels: rows.labels,
    scores: scores(rows.challenger),
    baselineScores: scores(rows.champion),
    ...(task === "multiclass" ? { classes: k } : {}),
    ...(rows.weights ? { weights: rows.weights } : {}),
    rowIds: rows.rowIds,
    sliceColumns: new Map(),
    specs: [],
    metrics: options.metrics,
    threshold: options.threshold,
    ...(options.operating ? { operating: options.operating } : {}),
    bootstrap: options.replicates,
    seed: options.seed,
  });
  const metrics: OutcomeSummary["metrics"] = {};
  for (const name of options.metrics) {
    metrics[name] = {
      champion: interval(evaluation.baseline?.overall.metrics[name]),
      challenger: interval(evaluation.overall.metrics[name]),
      delta: interval(evaluation.baseline?.overall.delta[name]),
    };
  }
  const sampled = n < sample.seen ? ` (an id-hashed sample of ${sample.seen})` : "";
  const note = sufficient
    ? `${n} requests with outcomes${sampled}; intervals are 95% paired bootstrap`
    : task !== "binary"
      ? `only ${n} requests with outcomes${sampled}: too few to judge the candidate by them — ` +
        `at least ${options.minimum} are needed, so the intervals below are shown but not used`
      : `only ${n} requests with outcomes (${minority} in the smaller class)${sampled}: too few to judge the candidate by them — ` +
        `at least ${options.minimum} with ${minClass} of each class are needed, so the intervals below are shown but not used`;
  return { ...base, metrics, note };
}

function interval(result: MetricResult | undefined): IntervalValue {
  if (!result) return { value: null, ci: null, reason: "not computed" };
  return { value: result.value, ci: result.ci, ...(result.reason ? { reason: result.reason } : {}) };
}

/** Class indices as row-major one-hot probabilities (`rows × k`), the form multiclass metrics read. */
function oneHot(classes: Float64Array, k: number): Float64Array {
  const out = new Float64Array(classes.length * k);
  for (let i = 0; i < classes.length; i++) out[i * k + classes[i]!] = 1;
  return out;
}
