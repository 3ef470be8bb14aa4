import { describe, expect, it } from "vitest";
import { EXAMPLE_MANIFEST_YAML } from "../manifest/example.js";
import { parseManifest } from "../manifest/parse-manifest.js";
import { manifestSchema } from "../manifest/schema.js";
import { evaluateGate } from "./evaluate-gate.js";
import { APPROVED, evaluationJson, manifestWithGate, SHA } from "./gate-fixtures.test-helper.js";

/** A behaviour.json as check-behaviour writes it, over chosen checks. */
function behaviourJson(
  checks: { id: string; column?: string; status: string; value: number | null; limit: number | null }[],
) {
  return {
    schema: "gauntlet/behaviour@1",
    model: { name: "churn", version: "1.3.0", sha256: SHA },
    status: checks.some((c) => c.status === "fail") ? "fail" : "pass",
    checks: checks.map((c) => ({ reason: `${c.id} measured`, ...c })),
  };
}

const CHECKS = [
  { id: "known-cases", status: "pass", value: 0, limit: 0 },
  { id: "invariance", column: "region", status: "pass", value: 0.01, limit: 0.02 },
  { id: "edge-cases", status: "fail", value: 1, limit: 0 },
  { id: "robustness-flip-rate", status: "pass", value: 0.004, limit: 0.02 },
  { id: "out-of-distribution", status: "warn", value: 0.05, limit: 0 },
];

function gate(rules: unknown[], behaviour: unknown, require: string[] = []) {
  const manifest = manifestWithGate({ rules, require, approvals: { min: 0 } });
  return evaluateGate({
    manifest,
    results: { evaluation: evaluationJson(), ...(behaviour === undefined ? {} : { behaviour }) },
    artefactSha256: SHA,
    approvals: APPROVED,
  });
}

describe("behaviour gate rules", () => {
  it("holds 'no failures in these tests', naming the failing one", () => {
    const result = gate([{ behaviour: ["known-cases", "edge-cases"] }], behaviourJson(CHECKS));
    const mine = result.rules.filter((c) => c.id === "behaviour");
    expect(mine.map((c) => [c.metric, c.status])).toEqual([
      ["known-cases", "pass"],
      ["edge-cases", "fail"],
    ]);
    expect(result.status).toBe("fail");
    const held = gate(
      [{ behaviour: ["known-cases", "invariance:region", "out-of-distribution"] }],
      behaviourJson(CHECKS),
    );
    expect(held.rules.filter((c) => c.status === "fail")).toEqual([]); // a warning is not a failure
  });

  it("holds a measured value to max, recomputed from the value", () => {
    const rule = [{ behaviour: "robustness-flip-rate", max: 0.003 }];
    const over = gate(rule, behaviourJson(CHECKS)).rules.find((c) => c.id === "behaviour")!;
    expect(over).toMatchObject({ status: "fail", value: 0.004, limit: 0.003, comparison: "max" });
    expect(gate([{ behaviour: "robustness-flip-rate", max: 0.01 }], behaviourJson(CHECKS)).status).toBe(
      "pass",
    );
  });

  it("fails a passing status whose value is over its recorded limit", () => {
    const edited = CHECKS.map((c) => (c.id === "invariance" ? { ...c, value: 0.5 } : c));
    const check = gate([{ behaviour: "invariance" }], behaviourJson(edited)).rules.find(
      (c) => c.id === "behaviour",
    )!;
    expect(check.status).toBe("fail");
  });

  it("never passes a rule it could not evaluate", () => {
    const missing = gate([{ behaviour: "all" }], undefined).rules.find((c) => c.id === "behaviour")!;
    expect(missing.reason).toBe("behaviour.json is missing: run check-behaviour before release-gate");
    const absent = gate([{ behaviour: "directional" }], behaviourJson(CHECKS)).rules.find(
      (c) => c.id === "behaviour",
    )!;
    expect(absent).toMatchObject({ status: "fail", metric: "directional" });
    expect(absent.reason).toMatch(/directional is not in behaviour\.json/);
    const skipped = gate(
      [{ behaviour: "known-cases" }],
      behaviourJson([{ id: "known-cases", status: "skip", value: null, limit: 0 }]),
    );
    expect(skipped.status).toBe("fail");
  });

  it("requires check-behaviour's result to pass", () => {
    const result = gate([], behaviourJson(CHECKS), ["check-behaviour"]);
    expect(result.requirements).toEqual([
      {
        action: "check-behaviour",
        file: "behaviour.json",
        status: "fail",
        reason: "check-behaviour failed: 1 of 5 checks fail",
      },
    ]);
    const passing = gate([], behaviourJson(CHECKS.filter((c) => c.id !== "edge-cases")), ["check-behaviour"]);
    expect(passing.requirements[0]!.status).toBe("pass");
  });

  it("rejects a rule naming no behavioural test, and one without a behaviour section", () => {
    const parsed = manifestSchema.shape.gate.unwrap().safeParse({ rules: [{ behaviour: "flips" }] });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toMatch(/expected a behavioural test/);
    const yaml = EXAMPLE_MANIFEST_YAML.replace(
      "gate:\n  rules:\n",
      "gate:\n  rules:\n    - { behaviour: edge-cases }\n",
    );
    expect(yaml).not.toBe(EXAMPLE_MANIFEST_YAML);
    expect(() => parseManifest(yaml, "models/churn/model.yml")).toThrow(
      /gate\.rules\[0\]\.behaviour: no behavioural test runs: the behaviour section is missing/,
    );
  });
});
