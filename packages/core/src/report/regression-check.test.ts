import { describe, expect, it } from "vitest";
import { evaluationTimingLine } from "./evaluation-timing-line.js";
import { regressionCheck } from "./regression-check.js";

describe("regressionCheck", () => {
  it("warns on the slice with the drop's size and its simultaneous interval", () => {
    const check = regressionCheck({
      slice: { region: "MA", plan: "postpaid" },
      metric: "roc_auc",
      delta: -0.078,
      ci: [-0.12, -0.04],
    });
    expect(check).toMatchObject({
      id: "significant-regression",
      column: "region=MA · plan=postpaid",
      status: "warn",
      value: -0.078,
      limit: 0,
    });
    expect(check.reason).toMatch(/^roc_auc got worse by 0\.078 on region=MA · plan=postpaid \(/);
    expect(check.reason).toContain("[−0.120, −0.040]");
  });

  it("names the overall group when the regression has no slice", () => {
    const check = regressionCheck({ slice: null, metric: "log_loss", delta: 0.031, ci: [0.01, 0.05] });
    expect(check.column).toBe("overall");
    expect(check.reason).toMatch(/^log_loss got worse by 0\.031 overall \(/);
  });
});

describe("evaluationTimingLine", () => {
  it("shows the bootstrap apart from the rest of the metrics' time", () => {
    expect(
      evaluationTimingLine("churn", { readMs: 1310, scoreMs: 2150, metricsMs: 900, bootstrapMs: 600 }),
    ).toBe("churn: read 1.31 s, score 2.15 s, metrics 0.30 s, bootstrap 0.60 s");
  });
});
