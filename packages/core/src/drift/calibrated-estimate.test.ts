import { overConfidentCase } from "@gauntlet/fixtures";
import { describe, expect, it } from "vitest";
import { type LabelledScoreCounts, PROFILE_SCHEMA, type Profile } from "../profile/profile.js";
import { calibratedEstimate, calibratedPoint } from "./calibrated-estimate.js";
import { createDriftMonitor } from "./drift-monitor.js";
import type { DriftResult } from "./drift-result.js";
import { realisedMetrics } from "./realised-metrics.js";
import { referenceCalibration } from "./reference-calibration.js";
import { renderDriftReport } from "./render-drift-report.js";
import { createScoreTally } from "./score-tally.js";

/** One simulated drift check of the over-confident model: drift.json as the monitor writes it. */
function simulate(
  run: number,
  options: { referenceRows: number; withLabelledScores?: boolean },
): DriftResult {
  const c = overConfidentCase(run, { servedRows: 4000, ...options });
  const monitor = createDriftMonitor(c.options);
  monitor.add(c.batch);
  return monitor.finish();
}

/** A reference profile whose only content is `labelledScores`. */
function referenceWith(labelledScores: LabelledScoreCounts): Profile {
  return {
    schema: PROFILE_SCHEMA,
    rows: 0,
    chunkRows: 1,
    columns: {},
    calibration: { label: "y", positive: "1", rows: 0, bins: [], labelledScores },
  };
}

const METRICS = ["roc_auc", "accuracy", "precision", "recall"] as const;

describe("CBPE on over-confident scores", () => {
  it("recalibrates on the reference: the interval covers the realised metric in ≥ 90% of 50 runs", {
    timeout: 120_000,
  }, () => {
    const runs = Array.from({ length: 50 }, (_, run) => simulate(run, { referenceRows: 4000 }));
    for (const name of METRICS) {
      let covered = 0;
      for (const result of runs) {
        const p = result.performance!;
        expect(p.calibration.status).toBe("recalibrated");
        const realised = p.realised[name]!.value!;
        const [low, high] = p.estimated[name]!.ci!;
        if (low <= realised && realised <= high) covered += 1;
        // The windows' estimates are recalibrated too: one window here, so the same numbers.
        const window = result.windows[0]!;
        if (name === "roc_auc") expect(window.estimatedRocAuc).toBeCloseTo(p.estimated.roc_auc!.value!, 12);
        if (name === "accuracy")
          expect(window.estimatedAccuracy).toBeCloseTo(p.estimated.accuracy!.value!, 12);
      }
      expect(covered / runs.length, name).toBeGreaterThanOrEqual(0.9);
    }
    // The reference's own ECE shows the over-confidence that was corrected.
    expect(runs[0]!.performance!.calibration.ece!).toBeGreaterThan(0.05);
    expect(runs[0]!.checks.find((c) => c.id === "calibration")).toMatchObject({ status: "pass" });
    const report = renderDriftReport(runs[0]!);
    expect(report).toContain(
      "Calibration: scores recalibrated by isotonic regression on 4,000 labelled reference rows",
    );
    expect(report).toMatch(/\| roc_auc \| [\d.]+ \[[\d.]+, [\d.]+\] \|/);
    expect(report).not.toContain("Calibration warning");
  });

  it("without recalibration the same runs miss: the raw estimate overstates the AUC", () => {
    for (let run = 0; run < 10; run++) {
      const { served } = overConfidentCase(run, { referenceRows: 4000, servedRows: 4000 });
      const tally = createScoreTally({ threshold: 0.5 });
      for (let i = 0; i < served.scores.length; i++) tally.add(served.scores[i]!, Number.NaN);
      const realised = realisedMetrics(served.scores, served.labels, { threshold: 0.5 }).roc_auc!;
      expect(tally.finish().estimated.roc_auc! - realised.value!).toBeGreaterThan(0.05);
    }
  });

  it("warns in every run when the reference cannot establish a calibration", () => {
    const cases = [
      { referenceRows: 4000, withLabelledScores: false, reason: /no labelled scores/ },
      { referenceRows: 120, reason: /120 labelled rows; at least 200/ },
    ];
    for (const c of cases) {
      for (let run = 0; run < 20; run++) {
        const result = simulate(run, c);
        const p = result.performance!;
        expect(p.calibration).toMatchObject({ status: "not established", method: null });
        expect(p.calibration.reason).toMatch(c.reason);
        expect(result.checks.find((check) => check.id === "calibration")).toMatchObject({ status: "warn" });
        expect(result.status).toBe("warn");
        expect(p.estimated.roc_auc).toMatchObject({ ci: null });
        expect(renderDriftReport(result)).toContain("⚠️ **Calibration warning:** calibration not established");
      }
    }
  });
});

describe("calibratedEstimate", () => {
  const served = {
    scores: Float64Array.of(0.1, 0.2, 0.2, 0.4, 0.5, 0.7, 0.9, 0.95),
    labels: new Float64Array(8),
  };

  it("with an identity calibration gives the raw CBPE estimates", () => {
    const tally = createScoreTally({ threshold: 0.45 });
    for (const s of served.scores) tally.add(s, Number.NaN);
    // A reference whose observed rates equal its scores: the isotonic map is the identity on its bins.
    const counts = [];
    for (let b = 0; b < 4096; b += 1) counts.push(b, 4096 - b - 0.5, b + 0.5);
    const calibration = referenceCalibration(referenceWith({ bins: 4096, counts }));
    if (calibration.status !== "recalibrated") throw new Error(calibration.reason);
    const raw = tally.finish().estimated;
    const point = calibratedPoint(tally.state(), calibration.map, 0.45);
    // Scores are read at their bin's centre: within half a bin (1/8192) of the raw estimates.
    for (const name of METRICS) expect(Math.abs(point[name]! - raw[name]!)).toBeLessThan(2e-3);
  });

  it("splits the threshold's bin by side and gives the same interval for the same seed", () => {
    const tally = createScoreTally({ threshold: 0.50001 });
    for (const s of [0.5, 0.50002, 0.50002, 0.9, 0.1]) tally.add(s, Number.NaN);
    expect(tally.state().thresholdBinAbove).toBe(2);
    const calibration = referenceCalibration(
      overConfidentCase(0, { referenceRows: 2000, servedRows: 0 }).options.reference,
    );
    if (calibration.status !== "recalibrated") throw new Error(calibration.reason);
    const a = calibratedEstimate(tally.state(), calibration, { threshold: 0.50001, seed: "x" });
    const b = calibratedEstimate(tally.state(), calibration, { threshold: 0.50001, seed: "x" });
    expect(a).toEqual(b);
    const q = (s: number) => calibration.map.predict((Math.floor(s * 4096) + 0.5) / 4096);
    // Predicted positive: 0.50002 (twice) and 0.9; 0.5 shares their bin but is below the threshold.
    const tp = 2 * q(0.50002) + q(0.9);
    expect(a.precision!.value).toBeCloseTo(tp / 3, 12);
    expect(a.recall!.value).toBeCloseTo(tp / (tp + q(0.5) + q(0.1)), 12);
    // Five rows: accuracy is defined in every replicate; ROC AUC not when the draws give one class.
    const [low, high] = a.accuracy!.ci!;
    expect(low).toBeLessThanOrEqual(high);
    for (const name of METRICS) {
      const ci = a[name]!.ci;
      if (ci) expect(ci[0] >= 0 && ci[0] <= ci[1] && ci[1] <= 1, name).toBe(true);
    }
  });
});
