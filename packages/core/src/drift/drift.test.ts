import { describe, expect, it } from "vitest";
import type { Batch } from "../table/column.js";
import { worstLevel } from "./drift-level.js";
import { encodeIssueState, readIssueState } from "./issue-state.js";
import { readLogRows } from "./log-rows.js";
import { type DriftIssueInput, planDriftIssue } from "./plan-drift-issue.js";
import { createScoreTally } from "./score-tally.js";
import { windowStart } from "./window-start.js";

const DAY = 86_400_000;

function batch(
  rows: { ts: number | null; v: string; age: number; score: number; y: number | null }[],
): Batch {
  const n = rows.length;
  return {
    source: "logs.jsonl",
    firstRow: 1,
    length: n,
    invalid: new Map(),
    columns: new Map([
      [
        "ts",
        {
          kind: "timestamp",
          values: Float64Array.from(rows, (r) => r.ts ?? Number.NaN),
          nulls: Uint8Array.from(rows, (r) => (r.ts === null ? 1 : 0)),
        },
      ],
      ["model_version", { kind: "category", values: rows.map((r) => r.v), nulls: new Uint8Array(n) }],
      [
        "inputs.age",
        { kind: "number", values: Float64Array.from(rows, (r) => r.age), nulls: new Uint8Array(n) },
      ],
      [
        "score",
        { kind: "number", values: Float64Array.from(rows, (r) => r.score), nulls: new Uint8Array(n) },
      ],
      [
        "y",
        {
          kind: "number",
          values: Float64Array.from(rows, (r) => r.y ?? Number.NaN),
          nulls: Uint8Array.from(rows, (r) => (r.y === null ? 1 : 0)),
        },
      ],
    ]),
  };
}

describe("windows and levels", () => {
  it("aligns windows to UTC and keeps `no data` below every real level", () => {
    expect(windowStart(Date.parse("2025-06-01T17:30:00Z"), DAY)).toBe(Date.parse("2025-06-01T00:00:00Z"));
    expect(windowStart(Date.parse("2025-06-01T05:59:59Z"), 6 * 3_600_000)).toBe(
      Date.parse("2025-06-01T00:00:00Z"),
    );
    expect(worstLevel(["ok", "no data", "warn"])).toBe("warn");
    expect(worstLevel(["no data"])).toBe("no data");
    expect(worstLevel([])).toBe("no data");
  });

  it("splits a batch by window, skips other versions and rows without a timestamp", () => {
    const t0 = Date.parse("2025-06-01T00:00:00Z");
    const rows = readLogRows(
      batch([
        { ts: t0 + 1, v: "1.2.0", age: 30, score: 0.2, y: 0 },
        { ts: t0 + DAY + 1, v: "1.2.0", age: 40, score: 0.9, y: null },
        { ts: t0 + 2, v: "1.1.0", age: 50, score: 0.5, y: 1 },
        { ts: null, v: "1.2.0", age: 60, score: 0.5, y: 1 },
      ]),
      {
        columns: ["age"],
        fields: {
          timestamp: "ts",
          features: "inputs",
          score: "score",
          outcome: "y",
          version: "model_version",
        },
        version: "1.2.0",
        binary: { positive: 1, threshold: 0.5 },
      },
      DAY,
    );
    expect([...rows.windows.keys()]).toEqual([t0, t0 + DAY]);
    const first = rows.windows.get(t0)!;
    expect([...first.batch.columns.keys()]).toEqual(["age", "score"]);
    expect(first.batch.columns.get("age")!.values).toEqual(Float64Array.of(30));
    expect(first.outcomes).toEqual(Float64Array.of(0));
    expect(Number.isNaN(rows.windows.get(t0 + DAY)!.outcomes[0])).toBe(true);
    expect(Object.fromEntries(rows.skipped)).toEqual({ "other model version": 1, "no timestamp": 1 });
    expect(Object.fromEntries(rows.otherVersions)).toEqual({ "1.1.0": 1 });
  });

  it("counts timestamps the reader could not parse apart from missing ones", () => {
    const t0 = Date.parse("2025-06-01T00:00:00Z");
    const logged = batch([
      { ts: t0 + 1, v: "1.2.0", age: 30, score: 0.2, y: 0 },
      { ts: null, v: "1.2.0", age: 40, score: 0.9, y: null },
      { ts: null, v: "1.2.0", age: 50, score: 0.5, y: 1 },
      { ts: null, v: "1.2.0", age: 60, score: 0.5, y: 1 },
    ]);
    // Rows 12 and 14 of the file (the batch starts at row 11) held text such as "05/03/2025 14:00".
    const shifted: Batch = {
      ...logged,
      firstRow: 11,
      invalid: new Map([
        [
          "ts",
          [
            { row: 12, raw: "05/03/2025 14:00" },
            { row: 14, raw: "yesterday" },
          ],
        ],
      ]),
    };
    const rows = readLogRows(
      shifted,
      { columns: ["age"], fields: { timestamp: "ts", features: "inputs" } },
      DAY,
    );
    expect(Object.fromEntries(rows.skipped)).toEqual({ "timestamp does not parse": 2, "no timestamp": 1 });
    expect([...rows.windows.keys()]).toEqual([t0]);
  });
});

describe("confidence-based performance estimation", () => {
  it("computes the expected confusion matrix from calibrated scores", () => {
    const tally = createScoreTally({ threshold: 0.5 });
    for (const p of [0.9, 0.8, 0.3, 0.1]) tally.add(p, Number.NaN);
    const s = tally.finish();
    // E[TP] = 1.7, E[FP] = 0.3, E[FN] = 0.4, E[TN] = 1.6
    expect(s.estimated.accuracy).toBeCloseTo(3.3 / 4, 12);
    expect(s.estimated.precision).toBeCloseTo(1.7 / 2, 12);
    expect(s.estimated.recall).toBeCloseTo(1.7 / 2.1, 12);
    expect(s.positiveShare).toBe(0.5);
    expect(s.lowConfidenceShare).toBe(0);
  });

  it("estimates the ROC AUC of the expected ROC curve", () => {
    // By hand: positives' mass 0.9, 0.1 and negatives' 0.1, 0.9 at scores 0.9 and 0.1:
    // AUC = (0.1·0.9/2 + 0.9·(0.9 + 1.0)/2) / (1.0 · 1.0) = 0.045 + 0.855 = 0.9
    const tally = createScoreTally({ threshold: 0.5 });
    tally.add(0.9, 1);
    tally.add(0.1, 0);
    const s = tally.finish();
    expect(s.estimated.roc_auc).toBeCloseTo(0.9, 3);
    expect(s.realisedAccuracy).toBe(1);
    const constant = createScoreTally({ threshold: 0.5 });
    constant.add(1, Number.NaN);
    expect(constant.finish().estimated.roc_auc).toBeNull();
  });
});

describe("drift issue routing", () => {
  const base: DriftIssueInput = {
    model: "churn",
    level: "alert",
    alerting: ["age"],
    verdict: "alert: 1 of 3 columns alert",
    report: "report",
    owner: "@octocat",
    closeAfter: 2,
    retrain: { workflow: "retrain.yml", after: 2 },
    runId: "1",
    runUrl: "https://github.com/acme/models/actions/runs/1",
    now: new Date("2025-06-01T00:00:00Z"),
  };

  it("opens on the first alert only, assigning users and mentioning teams", () => {
    expect(planDriftIssue({ ...base, level: "warn" })).toEqual({ state: null });
    const open = planDriftIssue(base);
    expect(open.open).toMatchObject({ labels: ["gauntlet:drift"], assignees: ["octocat"] });
    expect(open.open!.body).toContain("<!-- gauntlet:drift=churn -->");
    expect(open.dispatch).toBeUndefined();
    const team = planDriftIssue({ ...base, owner: "@acme/risk-ml" });
    expect(team.open!.assignees).toEqual([]);
    expect(team.open!.body).toContain("@acme/risk-ml");
  });

  it("retrains at once on a failed performance limit, carrying why, the window and the logged period", () => {
    const period = {
      window: "1d",
      from: "2025-05-25T00:00:00.000Z",
      to: "2025-06-01T00:00:00.000Z",
      version: "1.2.0",
    };
    const plan = planDriftIssue({ ...base, performanceAlerts: ["realised-roc_auc"], period });
    expect(plan.dispatch).toEqual({
      workflow: "retrain.yml",
      inputs: {
        model: "churn",
        trigger: "performance",
        reason: "performance limit failed (realised-roc_auc)",
        version: "1.2.0",
        window: "1d",
        from: "2025-05-25T00:00:00.000Z",
        to: "2025-06-01T00:00:00.000Z",
      },
    });
    // With on-performance: false, a failed performance limit waits for `after` alerting runs like any alert.
    const waiting = planDriftIssue({
      ...base,
      retrain: { workflow: "retrain.yml", after: 2, "on-performance": false },
      performanceAlerts: ["realised-roc_auc"],
    });
    expect(waiting.dispatch).toBeUndefined();
  });

  it("assigns a user segment owner and mentions a team segment owner of an alerting segment", () => {
    const plan = planDriftIssue({
      ...base,
      segmentOwners: [
        { owner: "uae-lead", segment: "region=AE" },
        { owner: "@acme/ksa-ml", segment: "region=SA" },
      ],
    });
    expect(plan.open!.assignees).toEqual(["octocat", "uae-lead"]);
    expect(plan.open!.body).toContain("Segment owners: @uae-lead (region\\=AE), @acme/ksa-ml (region\\=SA)");
  });

  it("comments only on change, dispatches once per episode and closes after healthy runs", () => {
    let body = planDriftIssue(base).open!.body;
    const step = (input: Partial<DriftIssueInput>) => {
      const plan = planDriftIssue({ ...base, ...input, existing: { number: 5, body } });
      body = plan.update!.body;
      return plan;
    };
    const second = step({});
    expect(second.dispatch).toEqual({
      workflow: "retrain.yml",
      inputs: { model: "churn", trigger: "drift", reason: "2 consecutive alerting runs (age)" },
    });
    expect(second.comment).toContain("retrain.yml");
    const third = step({});
    expect(third.comment).toBeUndefined();
    expect(third.dispatch).toBeUndefined();
    expect(step({ alerting: ["age", "plan"] }).comment).toContain("Newly alerting: plan");
    expect(step({ level: "ok", alerting: [] }).comment).toContain("Now ok");
    const closing = step({ level: "ok", alerting: [] });
    expect(closing.close).toBe(true);
    expect(closing.comment).toContain("Closing: 2 consecutive runs");
  });

  it("keeps its state in a marker that hostile column names cannot break", () => {
    const state = {
      v: 1 as const,
      level: "alert" as const,
      alerting: ["a --> <b>"],
      alerts: 2,
      healthy: 0,
      episode: "9",
      retrained: true,
    };
    const marker = encodeIssueState(state);
    expect(marker.indexOf("-->")).toBe(marker.length - 3);
    expect(readIssueState(`text\n${marker}\nmore`)).toEqual(state);
    expect(readIssueState('<!-- gauntlet:drift-state {"v":2} -->')).toBeNull();
  });
});
