import { describe, expect, it } from "vitest";
import { evaluationJson, gateOn } from "./gate-fixtures.test-helper.js";

const fairness = (rule: Record<string, unknown>, file = evaluationJson()) =>
  gateOn([{ fairness: "recall", across: "region", ...rule }], file).rules.find((c) => c.rule === 0)!;

describe("fairness rules", () => {
  it("holds the gap between groups and names the suppressed groups it ignored", () => {
    const fail = fairness({ "max-gap": 0.03 });
    expect(fail).toMatchObject({ id: "fairness-max-gap", status: "fail", limit: 0.03, column: "region" });
    expect(fail.value).toBeCloseTo(0.04, 12);
    expect(fail.reason).toBe(
      "recall from 0.68 (region=SA) to 0.72 (region=AE): gap 0.04 > 0.03; ignored, suppressed (too few rows): region=QA",
    );
    expect(fairness({ "max-gap": 0.05 }).status).toBe("pass");
  });

  it("holds the ratio of the worst to the best group", () => {
    const fail = fairness({ "min-ratio": 0.95 });
    expect(fail.status).toBe("fail");
    expect(fail.value).toBeCloseTo(0.68 / 0.72, 12);
    expect(fairness({ "min-ratio": 0.9 }).status).toBe("pass");
  });

  it("fails when a group's metric is undefined, unless if-undefined: pass leaves the group out", () => {
    const file = evaluationJson();
    file.slices[1]!.metrics.recall = { value: null, ci: null, reason: "no positives" };
    const check = fairness({ "max-gap": 0.01 }, file);
    expect(check.status).toBe("fail");
    expect(check.reason).toBe(
      "recall is undefined for region=SA: not evaluated, which blocks the gate (if-undefined: pass on the rule accepts it)",
    );
    const accepted = fairness({ "max-gap": 0.01, "if-undefined": "pass" }, file);
    expect(accepted.status).toBe("skip");
    expect(accepted.reason).toContain("fewer than two region groups have recall");
    expect(accepted.reason).toContain("ignored, recall undefined: region=SA");
  });

  it("fails a ratio of zeros (undefined) unless if-undefined: pass", () => {
    const file = evaluationJson();
    for (const slice of file.slices) if (slice.metrics.recall) slice.metrics.recall.value = 0;
    expect(fairness({ "min-ratio": 0.9 }, file)).toMatchObject({ status: "fail" });
    expect(fairness({ "min-ratio": 0.9 }, file).reason).toContain("so their ratio is undefined");
    expect(fairness({ "min-ratio": 0.9, "if-undefined": "pass" }, file).status).toBe("skip");
  });

  it("fails on a column the evaluation did not slice by", () => {
    const check = gateOn(
      [{ fairness: "recall", across: "gender", "max-gap": 0.05 }],
      evaluationJson(),
    ).rules.find((c) => c.rule === 0)!;
    expect(check).toMatchObject({ id: "slice-column", status: "fail" });
    expect(check.reason).toContain("add gender to evaluation.slices");
  });
});
