import { describe, expect, it } from "vitest";
import type { GateResult } from "../gate/gate-result.js";
import type { EvaluationResult } from "../report/evaluation-result.js";
import { siteVersion } from "./site-version.js";

const slice = (region: string, value: number | null, n: number | `< ${number}` = 100) => ({
  key: { region },
  n,
  suppressed: typeof n !== "number",
  metrics:
    typeof n === "number"
      ? { log_loss: { value, ci: value === null ? null : ([value - 0.1, value + 0.1] as [number, number]) } }
      : {},
});

// Only the fields siteVersion reads; the rest of evaluation.json does not matter here.
const evaluation = {
  metrics: ["log_loss", "accuracy"],
  overall: {
    n: 500,
    metrics: { log_loss: { value: 0.4, ci: [0.35, 0.45] }, accuracy: { value: 0.8, ci: null } },
  },
  slices: [
    slice("AE", 0.3),
    slice("FR", 0.9),
    slice("DE", null),
    slice("tiny", null, "< 30"),
    slice("US", 0.5),
  ],
  baseline: { slices: [{ ...slice("FR", 0.7), delta: { log_loss: { value: 0.2, ci: null } } }] },
} as unknown as EvaluationResult;

describe("siteVersion", () => {
  it("takes the headline metrics in the evaluation's order and ranks slices worst first on the main metric", () => {
    const version = siteVersion({
      version: "1.2.0",
      released: true,
      date: null,
      card: null,
      evaluation,
      gate: null,
      links: [],
    });
    expect(version.metrics).toEqual([
      { name: "log_loss", value: 0.4, ci: [0.35, 0.45] },
      { name: "accuracy", value: 0.8, ci: null },
    ]);
    // log_loss: lower is better, so the highest comes first; no value last; suppressed slices left out.
    expect(version.slices.map((s) => s.slice)).toEqual(["region=FR", "region=US", "region=AE", "region=DE"]);
    expect(version.slices[0]?.delta).toBeCloseTo(0.2, 12);
    expect(version.slices[1]?.delta).toBeNull();
  });

  it("takes the overall block's metrics when the result does not list them", () => {
    const { metrics: _, ...unlisted } = evaluation as unknown as Record<string, unknown>;
    const version = siteVersion({
      version: "1.2.0",
      released: true,
      date: null,
      card: null,
      evaluation: unlisted as unknown as EvaluationResult,
      gate: null,
      links: [],
    });
    expect(version.metrics.map((m) => m.name)).toEqual(["log_loss", "accuracy"]);
    expect(version.slices[0]?.slice).toBe("region=FR");
  });

  it("keeps the gate's status, reasons and counted approvers; no results give empty sections", () => {
    const gate = {
      status: "pass",
      reasons: ["All 2 rule checks passed"],
      approvals: { counted: [{ user: "octocat", via: "user" }] },
    } as unknown as GateResult;
    const version = siteVersion({
      version: "1.0.0",
      released: false,
      date: null,
      card: null,
      evaluation: null,
      gate,
      links: [],
    });
    expect(version.gate).toEqual({
      status: "pass",
      reasons: ["All 2 rule checks passed"],
      approvedBy: ["octocat"],
    });
    expect(version.metrics).toEqual([]);
    expect(version.slices).toEqual([]);
  });
});
