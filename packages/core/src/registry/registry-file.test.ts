import { describe, expect, it } from "vitest";
import { planPromotion } from "./promotion-plan.js";
import { registryFileSchema, registryStateOf } from "./registry-file.js";

const A = "a".repeat(40);
const B = "b".repeat(40);

describe("registryStateOf", () => {
  const file = registryFileSchema.parse({
    schema: "gauntlet/registry@1",
    tags: [
      { tag: "churn/v1.0.0", commit: A },
      { tag: "fraud/v3.0.0", commit: B },
    ],
    releases: [
      { tag: "fraud/v3.0.0" },
      { tag: "churn/v1.0.0", name: "churn v1.0.0", assets: [{ name: "model.onnx", size: 10 }] },
    ],
    aliases: { "churn/production": A, "churn/staging": B },
    deployments: [
      { environment: "churn/production", commit: A },
      { environment: "churn/production", commit: B, states: ["failure"] },
      { environment: "churn/production", commit: B, states: [] },
      { environment: "churn/staging", commit: B },
    ],
  });

  it("keeps the model's tags and releases, the stage's alias and its deployments at the commit", () => {
    const state = registryStateOf(file, { model: "churn", stage: "production", commit: B });
    expect(state.tags).toEqual([{ version: "1.0.0", tag: "churn/v1.0.0", commit: A }]);
    expect(state.releases).toEqual([
      {
        id: 2,
        tag: "churn/v1.0.0",
        name: "churn v1.0.0",
        body: "",
        uploadUrl: "",
        assets: [{ name: "model.onnx", size: 10 }],
      },
    ]);
    expect(state.alias).toEqual({ tag: "churn/production", commit: A });
    // Newest first, as the API lists them.
    expect(state.deployments).toEqual([
      { id: 3, commit: B, states: [] },
      { id: 2, commit: B, states: ["failure"] },
    ]);
    expect(registryStateOf(file, { model: "churn", stage: "canary", commit: B }).alias).toBeNull();
  });

  it("plans a promotion over the described registry as over the API's", () => {
    const state = registryStateOf(file, { model: "churn", stage: "production", commit: B });
    const plan = planPromotion({
      model: "churn",
      version: "1.1.0",
      commit: B,
      stage: "production",
      manifestFile: "models/churn/model.yml",
      state,
      card: "card",
      assets: [],
      artefactName: "model.onnx",
    });
    // The pending deployment at B (no statuses yet) is completed, not duplicated.
    expect(plan.operations.map((o) => o.kind)).toEqual([
      "create-tag",
      "create-release",
      "move-alias",
      "complete-deployment",
    ]);
  });

  it("is empty with only the schema tag, and rejects unknown fields and short commits", () => {
    const empty = registryFileSchema.parse({ schema: "gauntlet/registry@1" });
    expect(registryStateOf(empty, { model: "churn", stage: "production", commit: A })).toEqual({
      tags: [],
      releases: [],
      alias: null,
      deployments: [],
    });
    expect(registryFileSchema.safeParse({ schema: "gauntlet/registry@1", tag: [] }).success).toBe(false);
    expect(
      registryFileSchema.safeParse({
        schema: "gauntlet/registry@1",
        tags: [{ tag: "churn/v1", commit: "abc" }],
      }).success,
    ).toBe(false);
    expect(registryFileSchema.safeParse({ tags: [] }).success).toBe(false);
  });
});
