import { describe, expect, it } from "vitest";
import { PROFILE_SCHEMA, type Profile } from "../profile/profile.js";
import { createRng } from "../random/rng.js";
import { classCalibration, classCalibrationCheck } from "./class-calibration.js";
import {
  addClassProbabilities,
  type ClassProbabilityCounts,
  mergeClassProbabilityCounts,
} from "./class-probability-counts.js";
import { CLASSES, referenceOf, rowsOf } from "./multiclass-case.test-helper.js";
import { multiclassEstimate } from "./multiclass-estimate.js";
import { realisedTaskMetrics } from "./realised-metrics.js";

function countsOf(logged: number[][]): ClassProbabilityCounts {
  const counts: ClassProbabilityCounts = {};
  for (const p of logged) addClassProbabilities(counts, p);
  return counts;
}

/** One simulated window: the estimate and the metrics the served rows turn out to have. */
function simulate(run: number, sharpness: number) {
  const rng = createRng(`multiclass-cbpe/${run}`);
  const reference = rowsOf(rng, 2000, sharpness, [0.4, 0, -0.2]);
  // Covariate shift in production: the mix of classes moves, P(y | z) does not.
  const served = rowsOf(rng, 1000, sharpness, [-0.3, 0.3, 0.2]);
  const calibration = classCalibration(referenceOf(reference), CLASSES);
  if (calibration.status !== "recalibrated") throw new Error(calibration.reason);
  const counts = countsOf(served.logged);
  const estimate = multiclassEstimate(counts, calibration, 3, { seed: String(run), replicates: 100 });
  const raw = multiclassEstimate(counts, null, 3, { seed: String(run) });
  const predicted = served.logged.map((p) => p.indexOf(Math.max(...p)));
  const realised = realisedTaskMetrics("multiclass", predicted, served.truth, { replicates: 0 });
  return { estimate, raw, realised };
}

function coverage(runs: ReturnType<typeof simulate>[], metric: "accuracy" | "f1_macro") {
  return (
    runs.filter((r) => {
      const ci = r.estimate[metric].ci!;
      const truth = r.realised[metric]!.value!;
      return ci[0] <= truth && truth <= ci[1];
    }).length / runs.length
  );
}

describe("multiclass CBPE", () => {
  it("on calibrated probabilities, the interval covers the realised accuracy and macro F1 in ≥ 90% of 100 runs", {
    timeout: 120_000,
  }, () => {
    const runs = Array.from({ length: 100 }, (_, run) => simulate(run, 1));
    expect(coverage(runs, "accuracy")).toBeGreaterThanOrEqual(0.9);
    expect(coverage(runs, "f1_macro")).toBeGreaterThanOrEqual(0.9);
  });

  it("on over-confident probabilities, recalibration restores coverage the raw probabilities miss", {
    timeout: 120_000,
  }, () => {
    const runs = Array.from({ length: 100 }, (_, run) => simulate(1000 + run, 3));
    expect(coverage(runs, "accuracy")).toBeGreaterThanOrEqual(0.9);
    expect(coverage(runs, "f1_macro")).toBeGreaterThanOrEqual(0.9);
    // Taken at their word, over-confident probabilities overstate accuracy in every run.
    const overstated = runs.filter((r) => r.raw.accuracy.value! > r.realised["accuracy"]!.value! + 0.05);
    expect(overstated.length).toBe(runs.length);
    expect(runs[0]!.raw.accuracy.ci).toBeNull();
  });

  it("says why calibration cannot be established, and the estimate then has no interval", () => {
    const bare: Profile = { schema: PROFILE_SCHEMA, rows: 0, chunkRows: 1, columns: {} };
    const none = classCalibration(bare, CLASSES);
    expect(none.status).toBe("not established");
    expect(classCalibrationCheck(none).reason).toContain("no labelled class probabilities");

    const rng = createRng("few");
    const few = classCalibration(referenceOf(rowsOf(rng, 150, 1, [0, 0, 0])), CLASSES);
    expect(few.status === "not established" && few.reason).toContain("150 labelled rows");

    const rare = classCalibration(referenceOf(rowsOf(rng, 2000, 1, [3, 0, -3])), CLASSES);
    expect(rare.status === "not established" && rare.reason).toContain("class postpaid has");

    const other = classCalibration(referenceOf(rowsOf(rng, 500, 1, [0, 0, 0])), ["a", "b", "c"]);
    expect(other.status === "not established" && other.reason).toContain("not artefact.classes [a, b, c]");
  });

  it("is the expected confusion matrix of the calibrated probabilities", () => {
    // Perfectly calibrated reference: the map is near the identity on the grid's centres.
    const counts: ClassProbabilityCounts = {};
    addClassProbabilities(counts, [0.75, 0.25, 0]);
    addClassProbabilities(counts, [0.25, 0.75, 0]);
    const raw = multiclassEstimate(counts, null, 3, { seed: "x" });
    // Grid centres: 0.75 → (3072 + 0.5)/4096, 0.25 → (1024 + 0.5)/4096, 0 → 0.5/4096.
    const high = 3072.5 / 4096;
    const low = 1024.5 / 4096;
    const zero = 0.5 / 4096;
    expect(raw.accuracy.value).toBeCloseTo(high, 12);
    // Classes 0 and 1: TP = high, FP = 1 − high; the other row's 1 − high shared low : zero, so
    // FN = (1 − high)·low/(low + zero). Class 2: no TP or FP, FN twice (1 − high)·zero/(low + zero).
    const fn = ((1 - high) * low) / (low + zero);
    const f1 = (2 * high) / (2 * high + (1 - high) + fn);
    expect(raw.f1_macro.value).toBeCloseTo((2 * f1 + 0) / 3, 12);
    expect(addClassProbabilities(counts, [0.5, Number.NaN, 0.5])).toBe(false);
    expect(multiclassEstimate({}, null, 3, { seed: "x" }).accuracy.value).toBeNull();
  });

  it("merges shards' counts exactly: the estimate of the merge equals the single run's", () => {
    const rng = createRng("merge");
    const reference = rowsOf(rng, 2000, 2, [0, 0, 0]);
    const served = rowsOf(rng, 900, 2, [0.5, 0, 0]);
    const calibration = classCalibration(referenceOf(reference), CLASSES);
    if (calibration.status !== "recalibrated") throw new Error("no calibration");
    const whole = multiclassEstimate(countsOf(served.logged), calibration, 3, { seed: "w" });
    const merged = mergeClassProbabilityCounts(
      countsOf(served.logged.slice(0, 400)),
      countsOf(served.logged.slice(400)),
    );
    expect(multiclassEstimate(merged, calibration, 3, { seed: "w" })).toEqual(whole);
  });
});
