import { describe, expect, it } from "vitest";
import type { PerformanceComparison } from "../drift/drift-result.js";
import {
  LABELLED_CAPACITY,
  mergedSampleRows,
  realisedMetrics,
  realisedTaskMetrics,
  sortedLabelledRows,
} from "../drift/realised-metrics.js";
import { rocAuc } from "../metrics/roc-auc.js";
import type { Profile } from "../profile/profile.js";
import { labelledBatch } from "./labelled-batch.test-helper.js";
import { finishPrediction } from "./prediction-checks.js";
import type { PredictionLimits } from "./prediction-settings.js";
import { createPredictionTally, type PredictionWindowState } from "./prediction-tally.js";
import { periodOf } from "./realised-checks.js";
import { renderPrediction } from "./render-prediction.js";

type Task = "binary" | "multiclass" | "regression";
type Rows = { predicted: (string | number)[]; actual: (string | number | null)[] };

/** Deterministic uniforms in [0, 1). */
const u = (i: number) => ((i * 7919) % 1000) / 1000;
const v = (i: number) => ((i * 104729) % 997) / 997;

/** `n` rows of a `task` model, skilled (`good`) or not; `labelledShare` of them with an outcome. */
function rows(task: Task, n: number, good: boolean, labelledShare = 1): Rows {
  const predicted: (string | number)[] = [];
  const actual: (string | number | null)[] = [];
  const names = ["a", "b", "c"];
  for (let i = 0; i < n; i++) {
    const labelled = v(i) < labelledShare;
    if (task === "binary") {
      const y = i % 2;
      predicted.push(good ? (y === 1 ? 0.4 + 0.6 * u(i) : 0.6 * u(i)) : u(i));
      actual.push(labelled ? y : null);
    } else if (task === "multiclass") {
      const y = names[i % 3]!;
      predicted.push(u(i) < (good ? 0.95 : 0.5) ? y : names[(i + 1) % 3]!);
      actual.push(labelled ? y : null);
    } else {
      const y = 10 + (i % 17);
      predicted.push(y + (good ? 1 : 4) * Math.sin(i * 12.9898));
      actual.push(labelled ? y : null);
    }
  }
  return { predicted, actual };
}

/** One limit per task, of the same kind: no more than 0.1 worse than the released evaluation. */
const RULES: Record<
  Task,
  { metric: string; limits: PredictionLimits["realised"]; released: Record<string, number> }
> = {
  binary: { metric: "roc_auc", limits: { roc_auc: { "max-drop": 0.1 } }, released: { roc_auc: 0.95 } },
  multiclass: { metric: "accuracy", limits: { accuracy: { "max-drop": 0.1 } }, released: { accuracy: 0.95 } },
  regression: { metric: "mae", limits: { mae: { "max-rise": 0.5 } }, released: { mae: 0.64 } },
};

const reference: Profile = { schema: "gauntlet/profile@1", rows: 0, chunkRows: 1000, columns: {} };

/** The realised check of `task` on hourly windows of 600 rows, `hours[h]` saying whether hour h is skilled. */
function judge(task: Task, hours: Rows[], performance: PerformanceComparison | null = null) {
  const tally = createPredictionTally({
    fields: { timestamp: "ts", score: "pred" },
    window: "1h",
    ...(task === "binary" ? { binary: { threshold: 0.5, lowConfidenceBelow: 0.6 } } : {}),
    labelled: { outcome: "y", task, positive: 1 },
  });
  tally.add(labelledBatch(hours));
  const rule = RULES[task];
  const result = finishPrediction(tally.state(), {
    window: "1h",
    limits: { "min-labelled": 100, "min-rows": 30, realised: rule.limits },
    performance,
    reference,
    score: "pred",
    task,
    ...(task === "binary" ? { threshold: 0.5 } : {}),
    released: { source: "release v1", metrics: rule.released },
  });
  return { result, check: result.checks.find((c) => c.id === `realised-${rule.metric}`)! };
}

const TASKS: Task[] = ["binary", "multiclass", "regression"];

describe("realised limits are judged per window, the whole period shown, for every task alike", () => {
  it.each(TASKS)("%s: five skilled windows pass", (task) => {
    const { check, result } = judge(
      task,
      Array.from({ length: 5 }, () => rows(task, 600, true, 0.5)),
    );
    expect(check.status).toBe("pass");
    expect(check.reason).toContain("(worst of 5 judged windows)");
    expect(check.reason).toContain("whole period");
    expect(result.breaches).toEqual([]);
  });

  it.each(TASKS)(
    "%s: one bad window among five alerts, though the whole period is within the limit",
    (task) => {
      const hours = [
        ...Array.from({ length: 4 }, () => rows(task, 600, true, 0.5)),
        rows(task, 600, false, 0.5),
      ];
      const { check, result } = judge(task, hours);
      expect(check.status).toBe("fail");
      expect(check.reason).toContain("in the window from 2025-06-01T04:00:00.000Z");
      expect(check.reason).toContain("(1 of 5 judged windows breach");
      expect(result.breaches).toEqual([{ start: "2025-06-01T04:00:00.000Z", check: check.id }]);
      // The whole period, diluted by the good windows, would not have alerted on its own interval.
      const rule = RULES[task];
      const whole = result.period!.realised[rule.metric]!;
      const bound = task === "regression" ? rule.released.mae! + 0.5 : rule.released[rule.metric]! - 0.1;
      expect(task === "regression" ? whole.ci![0] <= bound : whole.ci![1] >= bound).toBe(true);
      expect(renderPrediction(result)).toMatch(
        /\| whole period \(not judged\) \| 3000 \| — \| — \| \d+ \| \d/,
      );
      expect(result.period!.labelled).toBe(
        hours.reduce((n, h) => n + h.actual.filter((a) => a !== null).length, 0),
      );
    },
  );

  it.each(TASKS)("%s: a bad window with fewer than min-labelled outcomes is never judged", (task) => {
    const { check, result } = judge(task, [rows(task, 600, true, 0.5), rows(task, 600, false, 0.1)]);
    expect(result.windows[1]!.labelled).toBeLessThan(100);
    expect(check.status).toBe("pass");
    expect(check.reason).toContain("(worst of 1 judged windows)");
    expect(result.breaches).toEqual([]);
  });

  it("binary windows' ROC AUC is the metric of the window's labelled rows", () => {
    const hour = rows("binary", 600, true, 0.5);
    const { result } = judge("binary", [hour]);
    const kept = hour.actual.flatMap((a, i) => (a === null ? [] : [i]));
    const expected = rocAuc(
      Float64Array.from(kept, (i) => hour.actual[i] as number),
      Float64Array.from(kept, (i) => hour.predicted[i] as number),
    ).value!;
    expect(result.windows[0]!.realised!.roc_auc!.value).toBeCloseTo(expected, 12);
    expect(result.period!.realised.roc_auc!.value).toBeCloseTo(expected, 12);
  });

  it("binary: the whole period is drift-check's performance.realised on the same labelled rows, not bootstrapped again", () => {
    const hours = [rows("binary", 600, true, 0.5), rows("binary", 600, false, 0.5)];
    const kept = hours.flatMap((h) =>
      h.actual.flatMap((a, i) => (a === null ? [] : [i])).map((i) => [h, i] as const),
    );
    const sample = sortedLabelledRows({
      scores: kept.map(([h, i]) => h.predicted[i] as number),
      labels: kept.map(([h, i]) => h.actual[i] as number),
    });
    const performance = (labelled: number): PerformanceComparison => ({
      estimated: {},
      calibration: {
        status: "not established",
        method: null,
        rows: 0,
        positives: 0,
        ece: null,
        reason: "none",
      },
      realised: realisedMetrics(sample.scores, sample.labels, { threshold: 0.5 }),
      labelled,
      realisedSample: sample.scores.length,
      threshold: 0.5,
      assumptions: [],
    });
    const computed = judge("binary", hours).result.period!;
    const same = performance(kept.length);
    const reused = judge("binary", hours, same).result.period!;
    // The very object: no second bootstrap; and the numbers the period's own computation gives.
    expect(reused.realised).toBe(same.realised);
    expect(reused).toEqual(computed);
    // Offered other rows (a different labelled count): the period is computed from the windows' rows.
    const other = performance(kept.length + 1);
    const own = judge("binary", hours, other).result.period!;
    expect(own.realised).not.toBe(other.realised);
    expect(own).toEqual(computed);
  });
});

describe("periodOf", () => {
  /** A window state of `kept` regression rows (predicted, actual) out of `seen` labelled ones. */
  const state = (start: number, seen: number, kept: number): PredictionWindowState => {
    const { predicted, actual } = rows("regression", kept, start % 2 === 0);
    return {
      start,
      scored: seen,
      lowConfidence: 0,
      classes: {},
      labelled: { seen, predicted, actual: actual as number[] },
    };
  };
  const settings = {
    window: "1h",
    limits: { "min-labelled": 100, "min-rows": 30 },
    performance: null,
    reference,
    score: "pred",
    task: "regression" as const,
  };

  it("is the realised metrics of every window's rows in window order while they fit", () => {
    const states = [state(0, 300, 300), state(1, 500, 500), state(2, 0, 0)];
    const period = periodOf(states, settings)!;
    const all = states.slice(0, 2).map((w) => w.labelled!);
    expect(period).toEqual({
      labelled: 800,
      realised: realisedTaskMetrics(
        "regression",
        all.flatMap((l) => l.predicted),
        all.flatMap((l) => l.actual),
      ),
    });
  });

  it("beyond the capacity, of the merged uniform sample's rows (mergedSampleRows, seeded by `period`)", () => {
    const states = [state(0, 90_000, 60_000), state(1, 70_000, 55_000)];
    const period = periodOf(states, settings)!;
    const parts = states.map((w) => w.labelled!);
    const kept = mergedSampleRows(
      parts.map((l) => ({ seen: l.seen, kept: l.actual.length })),
      LABELLED_CAPACITY,
      "period",
    );
    const pick = (of: (l: (typeof parts)[number]) => (string | number)[]) =>
      parts.flatMap((l, i) => kept[i]!.map((j) => of(l)[j]!));
    const sample = pick((l) => l.actual).length;
    expect(sample).toBeLessThanOrEqual(LABELLED_CAPACITY);
    expect(period).toEqual({
      labelled: 160_000,
      realised: realisedTaskMetrics(
        "regression",
        pick((l) => l.predicted),
        pick((l) => l.actual),
      ),
      realisedSample: sample,
    });
  });
});
