import { describe, expect, it } from "vitest";
import type { MetricName } from "../manifest/metric-names.js";
import { GAUSSIAN_MIN_CLASS_COUNT, GAUSSIAN_MIN_COUNT, INFLUENCE_METRICS } from "./influence-moments.js";
import { intervalRoutes } from "./interval-routes.js";

const K = GAUSSIAN_MIN_COUNT;
const C = GAUSSIAN_MIN_CLASS_COUNT;
/** The score metrics, which need C of each class. */
const SCORE: MetricName[] = ["roc_auc", "average_precision", "log_loss", "brier", "ece"];
const ALL: MetricName[] = [...INFLUENCE_METRICS];

/** One group's counts: positives, negatives, predicted positives, predicted negatives. */
const counts = (pos: number, neg: number, pp: number) => Float64Array.of(pos, neg, pp, pos + neg - pp);

/** The metrics routed Gaussian in group 0. */
function gaussianOf(metrics: MetricName[], models: Float64Array[]): MetricName[] {
  const routes = intervalRoutes(metrics, [0], models);
  return metrics.filter((_, mi) => routes.gaussian[mi] === 1);
}

describe("intervalRoutes", () => {
  it("takes every metric Gaussian when every count reaches the minimum, none one below it but accuracy", () => {
    expect(gaussianOf(ALL, [counts(C, C, K)])).toEqual(ALL);
    // With K of each class the count metrics are Gaussian, the score metrics not (C > K).
    expect(gaussianOf(ALL, [counts(K, K, K)])).toEqual(ALL.filter((m) => !SCORE.includes(m)));
    // Accuracy and selection rate average over the rows: 2 (K − 1) of them.
    expect(gaussianOf(ALL, [counts(K - 1, K - 1, K - 1)]).sort()).toEqual(["accuracy", "selection_rate"]);
  });

  it("needs C positives and C negatives for AUC, AP, log loss, Brier and ECE, for every model", () => {
    expect(C).toBe(2000);
    expect(gaussianOf(SCORE, [counts(C, C, K)])).toEqual(SCORE);
    expect(gaussianOf(SCORE, [counts(C - 1, 5 * C, K)])).toEqual([]);
    expect(gaussianOf(SCORE, [counts(5 * C, C - 1, K)])).toEqual([]);
    // Between K and C positives: recall (the positives) is Gaussian, the score metrics are not.
    expect(gaussianOf([...SCORE, "recall"], [counts(C - 1, 5 * C, K)])).toEqual(["recall"]);
    expect(gaussianOf(["roc_auc"], [counts(C, C, K), counts(C, C - 1, K)])).toEqual([]);
  });

  it("reads per metric the counts it averages over", () => {
    // Many rows of each class, few predicted positives: only precision and F1 bootstrap.
    expect(gaussianOf(ALL, [counts(5 * K, 5 * K, K - 1)]).sort()).toEqual(
      ALL.filter((m) => m !== "precision" && m !== "f1").sort(),
    );
    // Few positives: recall, F1 and the metrics of both classes bootstrap; precision, accuracy,
    // selection rate and the false-positive rate (over the negatives) do not.
    expect(gaussianOf(ALL, [counts(K - 1, 5 * K, 2 * K)]).sort()).toEqual([
      "accuracy",
      "fpr",
      "precision",
      "selection_rate",
    ]);
    // Few negatives: the false-positive rate bootstraps.
    expect(gaussianOf(["fpr", "recall"], [counts(5 * K, K - 1, 2 * K)])).toEqual(["recall"]);
    // The cost metric at the threshold averages over every row.
    expect(gaussianOf(["value"], [counts(K / 2, K / 2, 1)])).toEqual(["value"]);
    expect(gaussianOf(["value"], [counts(K / 2, K / 2 - 1, 1)])).toEqual([]);
    // Accuracy needs rows, not classes.
    expect(gaussianOf(["accuracy"], [counts(K / 2, K / 2, K / 2)])).toEqual(["accuracy"]);
    expect(gaussianOf(["accuracy"], [counts(K / 2, K / 2 - 1, K / 2)])).toEqual([]);
  });

  it("needs every model's predicted positives (the paired change)", () => {
    expect(
      gaussianOf(["precision", "roc_auc"], [counts(5 * K, 5 * K, 2 * K), counts(5 * K, 5 * K, K - 1)]),
    ).toEqual(["roc_auc"]);
  });

  it("bootstraps metrics without an influence function and everything without counts", () => {
    // Operating points chosen on the data have none (see INFLUENCE_METRICS).
    expect(
      gaussianOf(
        [
          "f1_max",
          "threshold_f1",
          "value_max",
          "threshold_value",
          "recall_at_precision",
          "fpr_at_tpr",
          "precision_at_k",
          "roc_auc",
        ],
        [counts(5 * K, 5 * K, 5 * K)],
      ),
    ).toEqual(["roc_auc"]);
    const none = intervalRoutes(ALL, [0, 2], null);
    expect(none.gaussianGroups).toEqual([]);
    expect(none.bootstrapGroups).toEqual([0, 2]);
    expect(none.bootstrapMetrics).toEqual(ALL);
  });

  it("lists the groups and metrics each route needs, only active groups", () => {
    // Group 0 all Gaussian, group 1 mixed (few predicted positives), group 2 inactive (tiny), group 3 all bootstrap.
    const c = new Float64Array(16);
    c.set(counts(5 * K, 5 * K, 5 * K), 0);
    c.set(counts(5 * K, 5 * K, 10), 4);
    c.set(counts(1, 1, 1), 8);
    c.set(counts(10, 10, 10), 12);
    const metrics: MetricName[] = ["roc_auc", "precision", "recall"];
    const routes = intervalRoutes(metrics, [0, 1, 3], [c]);
    expect([...routes.gaussian]).toEqual([1, 1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0]);
    expect(routes.gaussianGroups).toEqual([0, 1]);
    expect(routes.gaussianMetrics).toEqual(metrics);
    expect(routes.bootstrapGroups).toEqual([1, 3]);
    expect(routes.bootstrapMetrics).toEqual(metrics);
    const onlyMixed = intervalRoutes(metrics, [0, 1], [c]);
    expect(onlyMixed.bootstrapMetrics).toEqual(["precision"]);
  });
});
