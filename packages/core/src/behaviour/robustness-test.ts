import type { DataContract } from "../manifest/schema.js";
import type { BehaviourSpec } from "../manifest/schema-behaviour.js";
import type { Rng } from "../random/rng.js";
import type { Batch } from "../table/column.js";
import type { BehaviourMeasure } from "./behaviour-result.js";
import { atMost, percent, scoreText, worstExamples } from "./measure.js";
import {
  confidence,
  decision,
  headlineScore,
  MOVED,
  type Predictions,
  predictionChange,
  predictionText,
} from "./predictions.js";
import { repeatBatch, rowValues } from "./probe-batch.js";

/** `behaviour.robustness` with defaults filled in. */
export type RobustnessSpec = NonNullable<BehaviourSpec["robustness"]>;

/** Mean and (population) standard deviation of a numeric column's present, finite values. */
function spread(batch: Batch, name: string): { mean: number; sd: number; max: number } {
  const column = batch.columns.get(name)!;
  let n = 0;
  let sum = 0;
  let max = -Infinity;
  for (let i = 0; i < batch.length; i++) {
    const v = column.values[i] as number;
    if (column.nulls[i] || !Number.isFinite(v)) continue;
    n++;
    sum += v;
    max = Math.max(max, v);
  }
  const mean = n === 0 ? 0 : sum / n;
  let ss = 0;
  for (let i = 0; i < batch.length; i++) {
    const v = column.values[i] as number;
    if (column.nulls[i] || !Number.isFinite(v)) continue;
    ss += (v - mean) ** 2;
  }
  return { mean, sd: n === 0 ? 0 : Math.sqrt(ss / n), max };
}

function bounds(contract: DataContract | undefined, name: string): [number, number] {
  const c = contract?.columns[name];
  return c?.type === "number" ? [c.min ?? -Infinity, c.max ?? Infinity] : [-Infinity, Infinity];
}

/**
 * `repeats` copies of the sample (probe `k * n + r` is copy `k` of row `r`) with every numeric
 * input moved by a uniform draw in ±`noise` × the column's standard deviation in the sample, then
 * clamped to the contract's `[min, max]`; missing values stay missing.
 *
 * @example
 * robustnessProbes(sample, ["age", "tenure_months"], spec, contract, createRng(7)).length; // 5 * sample.length
 */
export function robustnessProbes(
  sample: Batch,
  numeric: readonly string[],
  spec: RobustnessSpec,
  contract: DataContract | undefined,
  rng: Rng,
): Batch {
  const probes = repeatBatch(sample, spec.repeats);
  for (const name of numeric) {
    const { sd } = spread(sample, name);
    const [min, max] = bounds(contract, name);
    const column = probes.columns.get(name)!;
    const values = column.values as Float64Array;
    const width = spec.noise * sd;
    for (let i = 0; i < probes.length; i++) {
      const draw = (2 * rng.next() - 1) * width;
      if (column.nulls[i] || !Number.isFinite(values[i]!)) continue;
      values[i] = Math.min(max, Math.max(min, values[i]! + draw));
    }
  }
  return probes;
}

/**
 * Judges the perturbed copies: the flip rate (share of probes whose decision differs from the
 * unperturbed row's — the class at `threshold` for binary, the most probable class for multiclass,
 * a predicted value moving more than `tolerance` for regression — held to `max-flip-rate`) and the
 * largest change of the prediction (score, any class's probability, or value; held to
 * `max-score-change` when set). A probe with a non-number prediction counts as a flip.
 *
 * @example
 * const { flipRate, scoreChange } = judgeRobustness(sample, base, perturbed, spec, 0.5, columns);
 * flipRate.value; // 0.004
 */
export function judgeRobustness(
  sample: Batch,
  base: Predictions,
  perturbed: Predictions,
  spec: RobustnessSpec,
  threshold: number,
  columns: readonly string[],
  classes: readonly string[] = [],
): { flipRate: BehaviourMeasure; scoreChange: BehaviourMeasure } {
  const n = sample.length;
  const flipped: number[] = [];
  const changed: number[] = [];
  const change = new Float64Array(perturbed.rows);
  const regression = base.task === "regression";
  let largest = 0;
  let unscored = 0;
  for (let i = 0; i < perturbed.rows; i++) {
    const d = predictionChange(perturbed, i, base, i % n);
    change[i] = d;
    if (Number.isFinite(d)) largest = Math.max(largest, d);
    else unscored++;
    const flip = regression
      ? d > spec.tolerance!
      : decision(perturbed, i, threshold) !== decision(base, i % n, threshold);
    if (!Number.isFinite(d) || flip) flipped.push(i);
    if (spec["max-score-change"] !== undefined && d > spec["max-score-change"]) changed.push(i);
  }
  const total = perturbed.rows;
  const what = MOVED[base.task];
  const example = (i: number) => ({
    inputs: rowValues(sample, i % n, columns),
    score: headlineScore(base, i % n),
    note: `a perturbation within ${percent(spec.noise)} of each feature's spread moves the prediction ${predictionText(base, i % n, classes)} → ${predictionText(perturbed, i, classes)}`,
  });
  const rate = total === 0 ? null : flipped.length / total;
  const flips = regression ? `predicted values move more than ${spec.tolerance}` : "decisions flip";
  const flipRate = atMost({
    value: rate,
    limit: spec["max-flip-rate"],
    failures: flipped.length,
    judged: total,
    reason:
      `${flips} on ${percent(rate ?? 0)} of ${total} perturbed rows (noise ${percent(spec.noise)} of each feature's spread); at most ${percent(spec["max-flip-rate"])} may` +
      (unscored > 0 ? ` (${unscored} perturbed rows get no score, counted as flips)` : ""),
    examples: worstExamples(flipped, (i) => change[i]!, example),
  });
  const limit = spec["max-score-change"] ?? null;
  const measured = atMost({
    value: total === 0 ? null : largest,
    limit,
    failures: changed.length,
    judged: total,
    reason:
      `the largest change of a perturbed row's ${what} is ${scoreText(largest)}` +
      (unscored > 0 ? ` (${unscored} perturbed rows get no score)` : "") +
      (limit === null
        ? "; set robustness.max-score-change to hold it to a limit"
        : `; at most ${limit} is allowed`),
    examples: worstExamples(limit === null ? [] : changed, (i) => change[i]!, example),
  });
  // A row without a score moved by an unknown amount: over any limit.
  const scoreChange: BehaviourMeasure =
    limit !== null && unscored > 0 && measured.status === "pass" ? { ...measured, status: "fail" } : measured;
  return { flipRate, scoreChange };
}

/**
 * Out-of-distribution probes: for each numeric input, a copy of the sample with that column set to
 * the sample's maximum plus `far` standard deviations, capped at the contract's max (a column
 * already at its cap is left out). Probe `c * n + r` is column `columns[c]` on row `r`.
 *
 * @example
 * oodProbes(sample, ["age", "data_gb"], 10, contract).columns; // ["data_gb"] when age's max is the sample's max
 */
export function oodProbes(
  sample: Batch,
  numeric: readonly string[],
  far: number,
  contract: DataContract | undefined,
): { batch: Batch; columns: string[]; values: number[] } {
  const targets: { name: string; value: number }[] = [];
  for (const name of numeric) {
    const { sd, max } = spread(sample, name);
    const value = Math.min(bounds(contract, name)[1], max + far * sd);
    if (Number.isFinite(value) && value > max) targets.push({ name, value });
  }
  const n = sample.length;
  const batch = repeatBatch(sample, targets.length);
  targets.forEach(({ name, value }, c) => {
    const column = batch.columns.get(name)!;
    for (let r = 0; r < n; r++) {
      column.nulls[r + c * n] = 0;
      (column.values as Float64Array)[c * n + r] = value;
    }
  });
  return { batch, columns: targets.map((t) => t.name), values: targets.map((t) => t.value) };
}

/**
 * Judges out-of-distribution probes by confidence (`|2s − 1|` for a binary score, the largest class
 * probability for multiclass): the value is the mean confidence on the far probes minus the mean
 * on the sample rows. Confidence should fall far from the data, so a rise warns (it does not fail:
 * how a model should extrapolate is a judgement for the reviewer). A regressor gives no
 * confidence: the test is skipped and says so.
 *
 * @example
 * judgeOod(sample, base, far, ood, columns).value; // -0.12: less confident far out
 */
export function judgeOod(
  sample: Batch,
  base: Predictions,
  far: Predictions,
  ood: { columns: string[]; values: number[] },
  columns: readonly string[],
  classes: readonly string[] = [],
): BehaviourMeasure {
  const n = sample.length;
  const skip = (reason: string): BehaviourMeasure => ({
    status: "skip",
    value: null,
    failures: 0,
    judged: 0,
    reason,
    examples: [],
  });
  if (base.task === "regression") {
    return skip(
      "a regressor gives no confidence to compare far from the data; invariance, directional and robustness tests judge its predicted values",
    );
  }
  if (far.rows === 0) return skip("no numeric input has room above the sample's maximum within the contract");
  const sure = (p: Predictions, r: number) => confidence(p, r)!;
  let baseMean = 0;
  for (let r = 0; r < n; r++) baseMean += sure(base, r) / n;
  let farMean = 0;
  const rising: number[] = [];
  for (let i = 0; i < far.rows; i++) {
    farMean += sure(far, i) / far.rows;
    if (sure(far, i) > sure(base, i % n)) rising.push(i);
  }
  const delta = farMean - baseMean;
  return {
    status: delta > 0 ? "warn" : "pass",
    value: delta,
    failures: rising.length,
    judged: far.rows,
    reason: `far outside the data (${ood.columns.join(", ")}), mean confidence is ${farMean.toFixed(3)} against ${baseMean.toFixed(3)} on the sample; it ${delta > 0 ? "rises where it should fall" : "falls, as it should"} (${rising.length} of ${far.rows} probes more confident)`,
    examples: worstExamples(
      rising,
      (i) => sure(far, i) - sure(base, i % n),
      (i) => ({
        inputs: rowValues(sample, i % n, columns),
        score: headlineScore(base, i % n),
        note: `${ood.columns[Math.floor(i / n)]} = ${ood.values[Math.floor(i / n)]}: ${predictionText(base, i % n, classes)} → ${predictionText(far, i, classes)}`,
      }),
    ),
  };
}
