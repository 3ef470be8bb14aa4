import { describe, expect, it } from "vitest";
import { pairwiseDecision } from "../metrics/fairness-decision.js";
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

/**
 * An evaluation with fpr beside recall and a recorded equalized-odds gap of 0.12 (95% interval
 * [0.05, 0.2]) and ratio 0.8 ([0.7, 0.9]) across region; `adjusted` adds what a rule with
 * confidence makes evaluate-slices record.
 */
function withGaps(adjusted?: { gap: [number, number]; ratio: [number, number] }) {
  const file = evaluationJson();
  for (const m of [file.overall.metrics, ...file.slices.map((s) => s.metrics)]) {
    if (m.recall) m.fpr = { value: 0.1, ci: null };
  }
  file.fairness = [
    {
      across: "region",
      criterion: "equalized_odds",
      groups: ["AE", "SA", "EG"],
      leftOut: adjusted ? [] : [{ group: "QA", why: "suppressed" }],
      gap: { value: 0.12, ci: [0.05, 0.2], ...(adjusted ? { ciAdjusted: adjusted.gap } : {}) },
      ratio: { value: 0.8, ci: [0.7, 0.9], ...(adjusted ? { ciAdjusted: adjusted.ratio } : {}) },
      ...(adjusted
        ? { adjustment: { method: "bonferroni", level: 0.95, family: 2, perInterval: 0.975 } as const }
        : {}),
    },
  ];
  return file;
}

describe("fairness criteria recorded by evaluate-slices", () => {
  const odds = (rule: Record<string, unknown>, file = withGaps()) =>
    gateOn([{ fairness: "equalized_odds", across: "region", ...rule }], file).rules.find(
      (c) => c.rule === 0,
    )!;

  it("holds the recorded gap and quotes its interval", () => {
    const fail = odds({ "max-gap": 0.1 });
    expect(fail).toMatchObject({ id: "fairness-max-gap", status: "fail", value: 0.12, limit: 0.1 });
    expect(fail.reason).toBe(
      "equalized_odds gap across region=AE, region=SA, region=EG: 0.12 (95% interval 0.05 to 0.2) > 0.1; ignored, suppressed (too few rows): region=QA",
    );
    expect(odds({ "max-gap": 0.15 }).status).toBe("pass");
    expect(odds({ "min-ratio": 0.85 })).toMatchObject({ status: "fail", value: 0.8 });
    expect(odds({ "min-ratio": 0.75 }).status).toBe("pass");
  });

  it("fails when a metric of the criterion was not computed, naming it", () => {
    const file = evaluationJson();
    const check = odds({ "max-gap": 0.1 }, file);
    expect(check).toMatchObject({ id: "metric-computed", status: "fail" });
    expect(check.reason).toContain("fpr was not computed by evaluate-slices");
  });

  it("is not evaluated (a fail) when evaluation.json has no record of the criterion", () => {
    const file = withGaps();
    file.fairness = [];
    const check = odds({ "max-gap": 0.1 }, file);
    expect(check.status).toBe("fail");
    expect(check.reason).toContain("re-run evaluate-slices with this gate rule");
  });

  it("an undefined recorded gap or an undefined group blocks the gate unless if-undefined: pass", () => {
    const file = withGaps();
    (file.fairness as { leftOut: unknown[] }[])[0]!.leftOut.push({ group: "EG", why: "undefined" });
    expect(odds({ "max-gap": 0.5 }, file)).toMatchObject({ status: "fail", value: null });
    expect(odds({ "max-gap": 0.5, "if-undefined": "pass" }, file).status).toBe("pass");
    const empty = withGaps();
    (empty.fairness as { gap: unknown }[])[0]!.gap = {
      value: null,
      ci: null,
      reason: "fewer than two region groups to compare",
    };
    const check = odds({ "max-gap": 0.5 }, empty);
    expect(check).toMatchObject({ status: "fail", value: null });
    expect(check.reason).toContain("fewer than two region groups to compare");
  });
});

describe("fairness rules with confidence", () => {
  // A recorded equalized-odds gap of 0.12 (95% interval [0.05, 0.2]) whose interval adjusted over
  // the report's two fairness rules with confidence is [0.04, 0.22]; ratio 0.8, adjusted [0.68, 0.93].
  const recorded = (adjusted = true) =>
    withGaps(adjusted ? { gap: [0.04, 0.22], ratio: [0.68, 0.93] } : undefined);
  const odds = (rule: Record<string, unknown>, file = recorded()) =>
    gateOn([{ fairness: "equalized_odds", across: "region", confidence: 0.95, ...rule }], file).rules.find(
      (c) => c.rule === 0,
    )!;

  it("fails a gap only when even the adjusted interval's low end is above the limit", () => {
    // Point 0.12 > 0.1, but the adjusted interval reaches 0.04: not significantly beyond.
    const held = odds({ "max-gap": 0.1 });
    expect(held).toMatchObject({ status: "pass", value: 0.12, limit: 0.1 });
    expect(held.description).toBe("equalized_odds gap ≤ 0.1 across region, 95% confidence");
    expect(held.reason).toBe(
      "equalized_odds gap across region=AE, region=SA, region=EG: 0.12 > 0.1 on the point value but not significantly: the 95% interval, simultaneous over the report's 2 fairness rules with confidence (Bonferroni), is [0.04, 0.22]",
    );
    // Between 0.04 and 0.05 the per-comparison interval would fail the rule; the adjusted one does not.
    expect(odds({ "max-gap": 0.045 }).status).toBe("pass");
    const failed = odds({ "max-gap": 0.03 });
    expect(failed.status).toBe("fail");
    expect(failed.reason).toContain("0.12 > 0.03 with confidence: the 95% interval");
    expect(failed.reason).toContain("[0.04, 0.22], all above 0.03");
    expect(odds({ "max-gap": 0.15 }).reason).toBe(
      "equalized_odds gap across region=AE, region=SA, region=EG: 0.12 ≤ 0.15; the 95% interval, simultaneous over the report's 2 fairness rules with confidence (Bonferroni), is [0.04, 0.22]",
    );
  });

  it("with a recorded pairwise decision, fails a gap only when the largest pairwise lower bound is above the limit", () => {
    const file = recorded();
    (file.fairness as { decision?: unknown }[])[0]!.decision = {
      method: "pairwise lower bound, Bonferroni over 12 comparisons",
      level: 0.95,
      comparisons: 12,
      bound: 0.02,
      rate: "fpr",
      groups: ["AE", "EG"],
    };
    // The adjusted interval's low end 0.04 is above 0.03, but the pairwise bound 0.02 is not: pass.
    const held = odds({ "max-gap": 0.03 }, file);
    expect(held).toMatchObject({ status: "pass", value: 0.12 });
    expect(held.reason).toBe(
      "equalized_odds gap across region=AE, region=SA, region=EG: 0.12 > 0.03 on the point value but not significantly: the largest 95% lower bound of a pairwise difference (pairwise lower bound, Bonferroni over 12 comparisons) is 0.02 (fpr AE vs EG), not above 0.03; the 95% interval, simultaneous over the report's 2 fairness rules with confidence (Bonferroni), is [0.04, 0.22]",
    );
    const failed = odds({ "max-gap": 0.015 }, file);
    expect(failed.status).toBe("fail");
    expect(failed.reason).toContain("0.12 > 0.015 with confidence: the largest 95% lower bound");
    expect(failed.reason).toContain("is 0.02 (fpr AE vs EG), above 0.015");
    // The ratio is still judged on its interval.
    expect(odds({ "min-ratio": 0.95 }, file).reason).toContain("[0.68, 0.93], all below 0.95");
  });

  it("recomputes a max-T decision at the rule's own limit from the recorded rates", () => {
    const file = recorded();
    // Recorded for max-gap 0 (z = Φ⁻¹(0.975)): bound 0.1 − 1.96 · √2 · 0.01 = 0.0723.
    const rates = [
      {
        rate: "fpr",
        groups: [
          { group: "AE", value: 0.4, se: 0.01 },
          { group: "EG", value: 0.3, se: 0.01 },
        ],
      },
    ];
    const atZero = pairwiseDecision(rates, 0.95, 1, 0)!;
    expect(atZero.bound).toBeCloseTo(0.1 - 1.959963984540054 * Math.SQRT2 * 0.01, 8);
    (file.fairness as { decision?: unknown }[])[0]!.decision = atZero;
    // At max-gap 0.075 the far side is 10.6 se away: z = Φ⁻¹(0.95), bound 0.0767 > 0.075.
    const check = odds({ "max-gap": 0.075 }, file);
    expect(check.status).toBe("fail");
    expect(check.reason).toContain(
      "(pairwise lower bound, max-T over 1 pair at max-gap 0.075) is 0.07674 (fpr AE vs EG), above 0.075",
    );
    expect(pairwiseDecision(rates, 0.95, 1, 0.075)!.critical).toBeCloseTo(1.6448536269514722, 6);
    // The recorded limit is used as recorded.
    expect(odds({ "max-gap": 0, confidence: 0.95 }, file).reason).toContain(
      "max-T over 1 pair at max-gap 0)",
    );
  });

  it("fails a ratio only when even the adjusted interval's high end is below the limit", () => {
    expect(odds({ "min-ratio": 0.9 }).status).toBe("pass");
    const failed = odds({ "min-ratio": 0.95 });
    expect(failed).toMatchObject({ status: "fail", value: 0.8 });
    expect(failed.reason).toContain("[0.68, 0.93], all below 0.95");
  });

  it("uses the per-comparison interval of a file without adjusted intervals, and says when the levels differ", () => {
    const old = odds({ "max-gap": 0.045 }, recorded(false));
    expect(old.status).toBe("fail");
    expect(old.reason).toContain("the 95% interval is [0.05, 0.2], all above 0.045");
    const other = odds({ "max-gap": 0.1, confidence: 0.99 });
    expect(other.reason).toContain("(recorded at 95%, the rule asks 99%)");
  });

  it("is judged on the point value, and says so, when no interval could be recorded", () => {
    const file = recorded();
    (file.fairness as { gap: unknown }[])[0]!.gap = { value: 0.12, ci: null, ciAdjusted: null };
    const check = odds({ "max-gap": 0.1 }, file);
    expect(check.status).toBe("fail");
    expect(check.reason).toContain(
      "judged on the point value: the replicates cannot carry the adjusted interval (too many undefined)",
    );
    const fromSlices = gateOn(
      [{ fairness: "recall", across: "region", "max-gap": 0.03, confidence: 0.95 }],
      evaluationJson(),
    ).rules.find((c) => c.rule === 0)!;
    expect(fromSlices.status).toBe("fail");
    expect(fromSlices.reason).toContain(
      "judged on the point value: evaluation.json records no interval of it",
    );
  });
});

describe("fairness rules naming a class (multiclass, one against the rest)", () => {
  const withClass = () => {
    const file = withGaps();
    const recorded = file.fairness as Record<string, unknown>[];
    file.fairness = [
      { ...recorded[0]!, class: "postpaid", gap: { value: 0.09, ci: [0.03, 0.15] } },
      ...recorded,
    ];
    // A multiclass evaluation computes neither recall nor fpr as metrics.
    for (const m of [file.overall.metrics, ...file.slices.map((s) => s.metrics)]) {
      delete m.recall;
      delete m.fpr;
    }
    return file;
  };
  const odds = (rule: Record<string, unknown>, file = withClass()) =>
    gateOn([{ fairness: "equalized_odds", across: "region", class: "postpaid", ...rule }], file).rules.find(
      (c) => c.rule === 0,
    )!;

  it("holds the recorded gap of that class, not another's, without the binary metrics", () => {
    const check = odds({ "max-gap": 0.1 });
    expect(check).toMatchObject({
      id: "fairness-max-gap",
      status: "pass",
      value: 0.09,
      metric: "equalized_odds",
    });
    expect(check.description).toBe("equalized_odds of class postpaid gap ≤ 0.1 across region");
    expect(check.reason).toContain("equalized_odds of class postpaid gap across region=AE");
    expect(odds({ "max-gap": 0.05 }).status).toBe("fail");
  });

  it("is not evaluated (a fail) when that class was not compared", () => {
    const check = odds({ "max-gap": 0.1, class: "prepaid_plus" });
    expect(check.status).toBe("fail");
    expect(check.reason).toContain("records no equalized_odds of class prepaid_plus across region");
  });
});
