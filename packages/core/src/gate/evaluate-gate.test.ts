import { describe, expect, it } from "vitest";
import { isUserError, type UserError } from "../errors/user-error.js";
import { evaluateGate } from "./evaluate-gate.js";
import {
  APPROVED,
  evaluationJson,
  gateOn,
  manifestWithGate,
  SHA,
  withBaseline,
} from "./gate-fixtures.test-helper.js";

const validationJson = (checks: unknown[], status = "pass") => ({
  schema: "gauntlet/validation@1",
  model: { name: "churn", version: "1.3.0" },
  data: { files: ["data/eval.csv"], rows: 5000, columns: 9 },
  status,
  checks,
});
const rowsMin = (value: number, status: string) => ({
  id: "rows-min",
  status,
  value,
  limit: 1000,
  reason: `${value} rows`,
});

function userError(run: () => unknown): UserError {
  try {
    run();
  } catch (error) {
    if (isUserError(error)) return error;
    throw error;
  }
  throw new Error("expected a UserError");
}

describe("evaluateGate", () => {
  it("fails a rule on a metric that was not computed, naming the fix", () => {
    const check = gateOn([{ metric: "f1", min: 0.5 }], evaluationJson()).rules.find((c) => c.rule === 0)!;
    expect(check).toMatchObject({ id: "metric-computed", status: "fail" });
    expect(check.reason).toBe(
      "f1 was not computed by evaluate-slices (computed: roc_auc, recall, log_loss); add f1 to evaluation.metrics or change the rule",
    );
  });

  it("fails a rule whose slices name a column that no slice has", () => {
    const result = gateOn([{ metric: "roc_auc", min: 0.5, slices: ["plan"] }], evaluationJson());
    const check = result.rules.find((c) => c.rule === 0)!;
    expect(check).toMatchObject({ id: "slice-column", column: "plan", status: "fail" });
    expect(check.reason).toBe(
      "evaluation.json has no slices of plan (sliced by: region, region × plan); add plan to evaluation.slices or fix the rule's slices",
    );
  });

  it("detects contradictory rules on overlapping scopes only", () => {
    const result = gateOn(
      [
        { metric: "roc_auc", min: 0.5 },
        { metric: "roc_auc", max: 0.4 },
        { metric: "roc_auc", max: 0.1, slices: ["region"] },
        { metric: "recall", min: 0.6, max: 0.5, slices: "all" },
      ],
      evaluationJson(),
    );
    const conflicts = result.rules.filter((c) => c.id === "rules-contradict");
    expect(conflicts.map((c) => c.reason)).toEqual([
      "gate.rules[0] asks roc_auc ≥ 0.5 but gate.rules[1] asks ≤ 0.4 overall: no model can pass both; fix one of the limits",
      "gate.rules[3] asks recall ≥ 0.6 and ≤ 0.5, every slice: no model can pass both; fix one of the limits",
    ]);
  });

  it("ignores a stored status and fails on the recorded numbers", () => {
    const file = { ...evaluationJson(), status: "pass", passed: true };
    file.overall.metrics.roc_auc!.value = 0.61;
    expect(gateOn([{ metric: "roc_auc", min: 0.8 }], file).status).toBe("fail");
  });

  it("fails when a digest does not match the artefact", () => {
    const file = evaluationJson();
    file.model.sha256 = "0".repeat(64);
    const result = gateOn([], file);
    expect(result.status).toBe("fail");
    expect(result.rules.filter((c) => c.status === "fail").map((c) => c.description)).toEqual([
      "evaluation.json names the released artefact",
    ]);
    const other = evaluateGate({
      manifest: manifestWithGate({}),
      results: {},
      artefactSha256: "a".repeat(64),
    });
    expect(other.rules[0]).toMatchObject({ id: "artefact-sha256", status: "fail" });
    expect(other.rules[0]!.reason).toContain(
      "names sha256 9f86d081884c…, but the artefact's is aaaaaaaaaaaa…",
    );
  });

  it("fails a baseline slice that is missing or suppressed now", () => {
    const file = withBaseline(evaluationJson(), {});
    file.baseline!.slices.push({ ...file.baseline!.slices[0]!, key: { region: "EG" } });
    file.slices[1] = { ...file.slices[1]!, n: "< 30", suppressed: true, metrics: {} };
    const missing = gateOn([], file).rules.filter((c) => c.id === "slice-present");
    expect(missing.map((c) => [c.scope, c.status, c.value])).toEqual([
      [{ region: "SA" }, "fail", "suppressed"],
      [{ region: "EG" }, "fail", "missing"],
    ]);
    const none = gateOn([], withBaseline(evaluationJson(), {})).rules.filter((c) => c.id === "slice-present");
    expect(none).toMatchObject([{ status: "pass", value: 3 }]);
  });

  it("requires upstream results to exist and pass, recomputing their checks", () => {
    const run = (validation?: unknown) =>
      evaluateGate({
        manifest: manifestWithGate({ require: ["validate-data", "evaluate-slices"] }),
        results: { evaluation: evaluationJson(), ...(validation ? { validation } : {}) },
        artefactSha256: SHA,
      });
    expect(run().requirements[0]).toMatchObject({
      status: "fail",
      reason: "validation.json is missing: run validate-data before release-gate",
    });
    expect(run().status).toBe("fail");
    expect(run(validationJson([rowsMin(10, "fail")], "fail")).requirements[0]!.status).toBe("fail");
    const tampered = run(validationJson([rowsMin(10, "pass")], "pass")).requirements[0]!;
    expect(tampered.status).toBe("fail");
    expect(tampered.reason).toBe(
      'validate-data failed: 1 of 1 checks fail (recorded as passing but failing by its numbers: rows-min; its stored status "pass" is ignored)',
    );
    const ok = run(validationJson([rowsMin(5000, "pass")]));
    expect(ok.requirements.map((r) => r.status)).toEqual(["pass", "pass"]);
    expect(ok.status).toBe("pass"); // this gate asks for no approvals
  });

  it("rejects another model's, another version's or an older schema's file, naming the file", () => {
    const file = ".gauntlet/churn/evaluation.json";
    const run = (evaluation: unknown) => () =>
      evaluateGate({
        manifest: manifestWithGate({}),
        results: { evaluation },
        artefactSha256: SHA,
        files: { evaluation: file },
      });
    const other = userError(
      run({ ...evaluationJson(), model: { name: "fraud", version: "1.3.0", sha256: SHA } }),
    );
    expect(other.message).toMatch(
      /^\.gauntlet\/churn\/evaluation\.json: model\.name: this result is for model "fraud", not churn/,
    );
    expect(
      userError(run({ ...evaluationJson(), model: { name: "churn", version: "1.2.0", sha256: SHA } })).field,
    ).toBe("model.version");
    const old = userError(run({ ...evaluationJson(), schema: "gauntlet/evaluation@0" }));
    expect(old.message).toContain("gauntlet/evaluation@0 is an older schema version than this gate reads");
    expect(old.file).toBe(file);
    expect(userError(run({ ...evaluationJson(), overall: { n: 1 } })).field).toBe("overall.metrics");
    const shadow = () =>
      evaluateGate({
        manifest: manifestWithGate({}),
        results: { shadow: { schema: "gauntlet/evaluation@1" } },
        artefactSha256: SHA,
      });
    expect(userError(shadow).file).toBe("shadow.json");
  });

  it("fails every rule when evaluation.json is missing", () => {
    const result = evaluateGate({
      manifest: manifestWithGate({ rules: [{ metric: "roc_auc", min: 0.8 }] }),
      results: {},
      artefactSha256: SHA,
    });
    expect(result.rules.find((c) => c.rule === 0)).toMatchObject({
      id: "evaluation-present",
      status: "fail",
    });
  });

  it("is pending only when every check passes, and fail beats pending", () => {
    const gate = { rules: [{ metric: "roc_auc", min: 0.8 }], approvals: { min: 1, from: ["octocat"] } };
    const run = (evaluation: unknown, approvals?: typeof APPROVED) =>
      evaluateGate({
        manifest: manifestWithGate(gate),
        results: { evaluation },
        artefactSha256: SHA,
        ...(approvals ? { approvals } : {}),
      });
    expect(run(evaluationJson(), APPROVED).status).toBe("pass");
    const pending = run(evaluationJson(), { ...APPROVED, reviews: [] });
    expect(pending.status).toBe("pending");
    expect(pending.reasons.at(-1)).toBe("Waiting for 1 approval from octocat");
    expect(run(evaluationJson()).approvals.reason).toContain("reviews were not checked");
    const low = evaluationJson();
    low.overall.metrics.roc_auc!.value = 0.5;
    expect(run(low, { ...APPROVED, reviews: [] }).status).toBe("fail");
  });
});
