import { describe, expect, it } from "vitest";
import { parseManifest } from "../manifest/parse-manifest.js";
import type { CardEvaluation } from "./card-results.js";
import { compareVersions } from "./compare-versions.js";
import { renderModelCard } from "./model-card.js";
import { type PromotionPlanInput, planPromotion } from "./promotion-plan.js";
import { describePlan } from "./registry-operation.js";
import type { RegistryState } from "./registry-state.js";
import { planRollback } from "./rollback-plan.js";

const A = "a".repeat(40);
const B = "b".repeat(40);
const C = "c".repeat(40);
const empty: RegistryState = { tags: [], releases: [], alias: null, deployments: [] };
const asset = {
  name: "model.onnx",
  path: "models/churn/model.onnx",
  size: 10,
  contentType: "application/octet-stream",
};
const release = (tag: string, assets = [{ name: "model.onnx", size: 10 }], body = "card") => ({
  id: tag.length,
  tag,
  name: tag.replace("/v", " v"),
  body,
  uploadUrl: "http://x/uploads{?name,label}",
  assets,
});
const input = (state: RegistryState, version = "1.1.0", commit = B): PromotionPlanInput => ({
  model: "churn",
  version,
  commit,
  stage: "production",
  manifestFile: "models/churn/model.yml",
  state,
  card: "card",
  assets: [asset],
  artefactName: "model.onnx",
});
const v1 = { version: "1.0.0", tag: "churn/v1.0.0", commit: A };

describe("compareVersions", () => {
  it("orders by semver precedence", () => {
    const sorted = [
      "1.10.0",
      "1.0.0",
      "1.0.0-rc.1",
      "1.0.0-alpha",
      "1.0.0-alpha.10",
      "1.0.0-alpha.2",
      "1.9.0",
      "1.0.0-beta",
    ];
    sorted.sort(compareVersions);
    expect(sorted).toEqual([
      "1.0.0-alpha",
      "1.0.0-alpha.2",
      "1.0.0-alpha.10",
      "1.0.0-beta",
      "1.0.0-rc.1",
      "1.0.0",
      "1.9.0",
      "1.10.0",
    ]);
    expect(compareVersions("1.0.0+build.1", "1.0.0+build.2")).toBe(0);
    expect(() => compareVersions("1.0", "1.0.0")).toThrow(RangeError);
  });
});

describe("planPromotion", () => {
  it("writes everything for a first release", () => {
    const plan = planPromotion(input(empty, "1.0.0", A));
    expect(plan.operations.map((o) => o.kind)).toEqual([
      "create-tag",
      "create-release",
      "upload-asset",
      "move-alias",
      "create-deployment",
    ]);
    expect(plan.operations[3]).toMatchObject({ tag: "churn/production", from: null, to: A, force: false });
    expect(describePlan(plan)).toContain("create annotated tag churn/v1.0.0 at aaaaaaa");
  });

  it("only completes what a partial run left out", () => {
    const state: RegistryState = {
      tags: [v1, { version: "1.1.0", tag: "churn/v1.1.0", commit: B }],
      releases: [release("churn/v1.1.0", [])],
      alias: { tag: "churn/production", commit: A },
      deployments: [{ id: 7, commit: B, states: [] }],
    };
    const plan = planPromotion(input(state));
    expect(plan.operations.map((o) => o.kind)).toEqual(["upload-asset", "move-alias", "complete-deployment"]);
    expect(plan.kept).toEqual(["tag churn/v1.1.0 exists at bbbbbbb", 'release "churn v1.1.0" exists']);
  });

  it("refuses a tag at another commit and a version that does not increase", () => {
    const state = { ...empty, tags: [{ version: "1.1.0", tag: "churn/v1.1.0", commit: C }] };
    expect(() => planPromotion(input(state))).toThrow(/tag churn\/v1.1.0 already exists at commit ccccccc/);
    expect(() => planPromotion(input({ ...empty, tags: [v1] }, "0.9.0"))).toThrow(
      /version 0.9.0 is not greater than the latest released version 1.0.0/,
    );
  });

  it("leaves an alias at a newer version and a version already deployed alone", () => {
    const newer = { version: "1.2.0", tag: "churn/v1.2.0", commit: C };
    const raced = planPromotion(
      input({
        ...empty,
        tags: [newer, { version: "1.1.0", tag: "churn/v1.1.0", commit: B }],
        alias: { tag: "churn/production", commit: C },
      }),
    );
    expect(raced.operations.map((o) => o.kind)).toEqual(["create-release", "upload-asset"]);
    const rerun = planPromotion(
      input(
        {
          ...empty,
          alias: { tag: "churn/production", commit: A },
          deployments: [{ id: 1, commit: B, states: ["success", "inactive"] }],
        },
        "1.1.0",
      ),
    );
    expect(rerun.operations.map((o) => o.kind)).toEqual(["create-tag", "create-release", "upload-asset"]);
  });
});

describe("planRollback", () => {
  const v2 = { version: "2.0.0", tag: "churn/v2.0.0", commit: B };
  const base = {
    model: "churn",
    stage: "production",
    manifestFile: "models/churn/model.yml",
    runId: 42,
    runUrl: "https://github.com/acme/models/actions/runs/42",
    actor: "octocat",
    now: new Date("2025-01-15T12:00:00Z"),
  };
  const state: RegistryState = {
    tags: [v1, v2],
    releases: [release("churn/v1.0.0"), release("churn/v2.0.0")],
    alias: { tag: "churn/production", commit: B },
    deployments: [],
  };

  it("moves the alias back to the previous release, notes it and deploys", () => {
    const plan = planRollback({ ...base, state });
    expect(plan.version).toBe("1.0.0");
    expect(plan.operations).toMatchObject([
      { kind: "note-release", tag: "churn/v2.0.0" },
      { kind: "move-alias", from: B, to: A, force: true },
      { kind: "create-deployment", ref: "churn/v1.0.0", environment: "churn/production" },
    ]);
  });

  it("resumes its own run instead of rolling back twice", () => {
    const marker = "<!-- gauntlet:rollback run=42 stage=production from=2.0.0 to=1.0.0 -->";
    const after: RegistryState = {
      ...state,
      releases: [release("churn/v1.0.0"), release("churn/v2.0.0", undefined, `card\n${marker}`)],
      alias: { tag: "churn/production", commit: A },
      deployments: [{ id: 3, commit: A, states: ["success"] }],
    };
    expect(planRollback({ ...base, state: after }).operations).toEqual([]);
    expect(() => planRollback({ ...base, runId: 43, state: after })).toThrow(
      /no released version of churn comes before 1.0.0/,
    );
  });

  it("refuses a to: version without a release", () => {
    expect(() => planRollback({ ...base, state, to: "1.5.0" })).toThrow(/released: 1.0.0, 2.0.0/);
  });
});

describe("renderModelCard", () => {
  const manifest = parseManifest(
    [
      "name: churn",
      "version: 1.1.0",
      "task: binary",
      'owner: "@acme/risk-ml"',
      "artefact: { path: m.onnx, outputs: { probabilities: p }, classes: [0, 1], positive: 1 }",
      "provenance: { training-data: { path: train.csv, sha256: " + "d".repeat(64) + " }, code: train.py }",
      "limitations: [Not for postpaid <customers>]",
    ].join("\n"),
    "models/churn/model.yml",
  );
  /** The card of version 1.1.0 with this evaluation (and verdict). */
  const cardOf = (
    evaluation: Omit<CardEvaluation, "schema" | "model">,
    verdict: Parameters<typeof renderModelCard>[0]["verdict"] = null,
  ) =>
    renderModelCard({
      manifest,
      commit: B,
      artefact: { name: "model.onnx", sha256: "e".repeat(64), size: 10 },
      evaluation: {
        schema: "gauntlet/evaluation@1",
        model: { name: "churn", version: "1.1.0" },
        ...evaluation,
      },
      verdict,
      profile: true,
    });
  it("escapes data-derived text and ranks the worst slices", () => {
    const card = cardOf(
      {
        overall: { n: 100, metrics: { roc_auc: { value: 0.8, ci: [0.7, 0.9] } } },
        slices: [
          { key: { region: "AE" }, n: 50, suppressed: false, metrics: { roc_auc: { value: 0.9 } } },
          { key: { region: "<SA>" }, n: 40, suppressed: false, metrics: { roc_auc: { value: 0.6 } } },
          { key: { region: "EG" }, n: "< 30", suppressed: true, metrics: { roc_auc: { value: 0.1 } } },
        ],
      },
      { pullNumber: 9, headSha: C, conclusion: "success", approvers: ["octocat"] },
    );
    expect(card).toContain("| Owner | @\u2060acme/risk\\-ml |");
    expect(card).toContain("Not for postpaid &lt;customers&gt;");
    const worst = card.slice(card.indexOf("Worst slices"));
    expect(worst.indexOf("&lt;SA&gt;")).toBeLessThan(worst.indexOf("AE"));
    expect(worst).not.toContain("EG");
    expect(card).toContain("Gate results were not provided");
    expect(card).toContain(`SHA-256 \`${"d".repeat(64)}\``);
  });

  it("says the metrics were weighted, by which column, with each total weight", () => {
    const render = (weightColumn?: string) =>
      cardOf({
        ...(weightColumn ? { weightColumn } : {}),
        overall: { n: 100, weight: 250.5, metrics: { roc_auc: { value: 0.8, ci: [0.7, 0.9] } } },
        slices: [
          {
            key: { region: "AE" },
            n: 50,
            weight: 80,
            suppressed: false,
            metrics: { roc_auc: { value: 0.9 } },
          },
        ],
      });
    const card = render("exposure");
    expect(card).toContain("Overall (n = 100, total weight 250.5):");
    expect(card).toContain("weighted by `exposure` (`evaluation.weight`, scikit-learn's `sample_weight`)");
    expect(card).toContain("| slice | n | weight | value |");
    expect(card).toContain("| region = AE | 50 | 80.000 | 0.9000 |");
    expect(render()).not.toContain("weight");
  });
});
