import { type ColumnKind, isUserError, parseManifest, type UserError } from "@gauntlet/core";
import { describe, expect, it } from "vitest";
import { type PlanInput, planShadowColumns } from "./shadow-plan.js";

const FILE = "models/churn/model.yml";

function input(shadow: string, columns: string[]): PlanInput {
  const manifest = parseManifest(
    `name: churn
version: 1.2.0
task: binary
owner: octocat
artefact:
  path: m.onnx
  inputs: { numeric: [age, tenure] }
  outputs: { probabilities: p }
  classes: [0, 1]
  positive: 1
shadow:
  log: logs/shadow.jsonl
  id: request_id
  champion: score
${shadow}`,
    FILE,
  );
  return {
    manifest,
    manifestFile: FILE,
    log: "logs/shadow.jsonl",
    schema: new Map(columns.map((c): [string, ColumnKind] => [c, "number"])),
    fields: { id: "request_id", champion: "score" },
    modelColumns: ["age", "tenure"],
    specs: [],
  };
}

function failure(plan: PlanInput): UserError {
  try {
    planShadowColumns(plan);
  } catch (error) {
    if (isUserError(error)) return error;
    throw error;
  }
  throw new Error("expected planShadowColumns to fail");
}

describe("planShadowColumns on nested JSON logs", () => {
  it("reads nested features under shadow.features", () => {
    const plan = planShadowColumns(
      input("  features: inputs\n", ["request_id", "score", "inputs.age", "inputs.tenure"]),
    );
    expect([...plan.features]).toEqual([
      ["inputs.age", "age"],
      ["inputs.tenure", "tenure"],
    ]);
  });

  it("says which object holds the features when shadow.features is missing or wrong", () => {
    const columns = ["request_id", "score", "payload.age", "payload.tenure"];
    const unset = failure(input("", columns));
    expect(unset.field).toBe("shadow.features");
    expect(unset.fix).toBe(
      'the log nests them under "payload" (e.g. payload.age): set shadow.features: payload',
    );
    const wrong = failure(input("  features: inputs\n", columns));
    expect(wrong.fix).toBe(
      'the log nests them under "payload" (e.g. payload.age), not "inputs": set shadow.features: payload',
    );
  });

  it("names the dotted value of a score logged as a nested object", () => {
    const error = failure(
      input("  features: inputs\n", [
        "request_id",
        "score.value",
        "score.model",
        "inputs.age",
        "inputs.tenure",
      ]),
    );
    expect(error.message).toBe(
      `${FILE}: shadow.champion: the log logs/shadow.jsonl has no column "score" (champion): it is a nested object there, read as score.value, score.model. ` +
        "Fix: name the value inside it by its dotted name, e.g. champion: score.value",
    );
  });

  it("keeps the plain message when nothing is nested", () => {
    const error = failure(input("  features: inputs\n", ["request_id", "inputs.age", "inputs.tenure", "p"]));
    expect(error.problem).toBe('the log logs/shadow.jsonl has no column "score" (champion)');
  });
});
