import { describe, expect, it } from "vitest";
import { evaluationJson, gateOn, withBaseline } from "./gate-fixtures.test-helper.js";

/** The fixture evaluation with a custom metric `cost_per_row` (lower is better) overall. */
function withCustom(direction: "higher" | "lower") {
  const file = evaluationJson();
  file.overall.metrics.cost_per_row = { value: 4, ci: [3.5, 4.5] };
  file.custom = { cost_per_row: { from: "counts", expression: "(fp * 15 + fn * 120) / n", direction } };
  return withBaseline(file, { cost_per_row: 0.5 });
}

describe("gate rules on custom metrics", () => {
  it("holds a custom metric to a value threshold by its name", () => {
    const rule = (max: number) =>
      gateOn([{ metric: "cost_per_row", max }], withCustom("lower")).rules.find((c) => c.rule === 0)!;
    expect(rule(5)).toMatchObject({ status: "pass", value: 4 });
    expect(rule(3)).toMatchObject({ status: "fail", value: 4 });
  });
  it("reads the recorded direction: a rise of a lower-is-better metric is a drop", () => {
    const change = (direction: "higher" | "lower") =>
      gateOn([{ metric: "cost_per_row", "max-drop": 0.1, vs: "baseline" }], withCustom(direction)).rules.find(
        (c) => c.rule === 0,
      )!;
    // The candidate's cost is 0.5 above the baseline's: worse when lower is better, better otherwise.
    expect(change("lower").status).toBe("fail");
    expect(change("higher").status).toBe("pass");
  });
  it("fails a rule on a custom metric the evaluation did not compute, naming it", () => {
    const check = gateOn([{ metric: "net_value", min: 1 }], evaluationJson()).rules.find(
      (c) => c.rule === 0,
    )!;
    expect(check).toMatchObject({ id: "metric-computed", status: "fail" });
    expect(check.reason).toContain("net_value was not computed by evaluate-slices");
  });
});
