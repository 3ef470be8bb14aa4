import { describe, expect, it } from "vitest";
import { emptyHealth, healthError, MAX_BAD_ROWS, mergeHealth, type ScoreHealth } from "./score-health.js";

const bad = (row: number) => ({ source: "logs/a.jsonl", row, value: Number.POSITIVE_INFINITY });

describe("score health", () => {
  it("clean scores give no error", () => {
    expect(healthError({ ...emptyHealth("variable", "value"), rows: 10 }, "m.yml")).toBeUndefined();
  });

  it("merging sums counts and keeps only the first bad rows", () => {
    const a: ScoreHealth = {
      ...emptyHealth("variable", "value"),
      rows: 10,
      outOfRangeCount: 4,
      firstRows: [1, 2, 3, 4].map(bad),
    };
    const b: ScoreHealth = {
      ...emptyHealth("variable", "value"),
      rows: 5,
      nanCount: 1,
      outOfRangeCount: 2,
      firstRows: [11, 12, 13].map(bad),
    };
    const total = mergeHealth(mergeHealth(emptyHealth("variable", "value"), a), b);
    expect(total).toMatchObject({ rows: 15, nanCount: 1, outOfRangeCount: 6 });
    expect(total.firstRows.map((r) => r.row)).toEqual([1, 2, 3, 4, 11]);
    expect(total.firstRows).toHaveLength(MAX_BAD_ROWS);
  });

  it("infinite regression values are reported as such", () => {
    const health: ScoreHealth = {
      ...emptyHealth("variable", "value"),
      rows: 8,
      outOfRangeCount: 1,
      firstRows: [bad(3)],
    };
    const error = healthError(health, "models/charges/model.yml")!;
    expect(error.message).toBe(
      "models/charges/model.yml: artefact.outputs.value: the model output variable gave infinite values on 1 of 8 rows " +
        "(first: logs/a.jsonl row 3 = Infinity). Fix: check the model for overflow on extreme inputs",
    );
  });
});
