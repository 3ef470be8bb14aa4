import type { MetricValue } from "./metric-value.js";
import { MT } from "./multiclass-pass.js";

/** The one-vs-rest rates of one class of a multiclass model that fairness rules compare. */
export const ONE_VS_REST_RATES = ["selection_rate", "recall", "fpr"] as const;

/** One of {@link ONE_VS_REST_RATES}. */
export type OneVsRestRate = (typeof ONE_VS_REST_RATES)[number];

/**
 * A one-vs-rest rate of class `k` read from a group's multiclass tally (its weight `W`, and per
 * class the weight truly of it `T`, predicted as it `P`, and both `H`): the selection rate `P / W`
 * (the share predicted as k), the recall `H / T` (the true-positive rate of k) and the
 * false-positive rate `(P − H) / (W − T)` — scikit-learn's binary metrics on `y == k` against
 * `argmax == k`. A rate whose denominator is zero is undefined, with the reason.
 *
 * @see https://scikit-learn.org/stable/modules/model_evaluation.html#multiclass-and-multilabel-classification
 * @example
 * oneVsRestFromTally("recall", 2, tally, 0); // { value: 0.81 } — the recall of class 2 in group 0
 */
export function oneVsRestFromTally(rate: OneVsRestRate, k: number, t: Float64Array, o: number): MetricValue {
  const w = t[o + MT.W]!;
  const truly = t[o + MT.CLASS + 3 * k]!;
  const predicted = t[o + MT.CLASS + 3 * k + 1]!;
  const hit = t[o + MT.CLASS + 3 * k + 2]!;
  if (rate === "selection_rate") return w > 0 ? { value: predicted / w } : { value: null, reason: "no rows" };
  if (rate === "recall") {
    return truly > 0
      ? { value: hit / truly }
      : { value: null, reason: "no row of the class: recall is undefined" };
  }
  const rest = w - truly;
  return rest > 0
    ? { value: (predicted - hit) / rest }
    : { value: null, reason: "every row is of the class: fpr is undefined" };
}
