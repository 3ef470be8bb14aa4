import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createRng } from "@gauntlet/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type GitHubServer, startGitHubServer } from "./support/github-server.js";
import { resultNumbers } from "./support/result-numbers.js";
import { runAction } from "./support/run-action.js";
import { patchFromState, webhookPayload } from "./support/webhooks.js";
import { createWorkspace, type Workspace } from "./support/workspace.js";

// Sharded evaluation of a multiclass and a regression model, as the runner runs the bundle: the
// merged result equals the single run's. The scores are supplied (evaluation.predictions), so no
// onnxruntime batch rounding enters and the comparison can be exact to 1e-9. Last, release-gate
// holds a rule on a regression model's custom metric.

const ACTION = join(import.meta.dirname, "..", "actions", "evaluate-slices");
const PR = 7;
const ROWS = 900;

let server: GitHubServer;
let ws: Workspace;

beforeEach(async () => {
  server = await startGitHubServer();
  server.seed.pullRequest({ number: PR });
  ws = createWorkspace();
});

afterEach(async () => {
  await server.close();
  ws.remove();
});

function run(model: string, inputs: Record<string, string>, action = ACTION) {
  return runAction(action, {
    inputs: { manifest: `models/${model}/model.yml`, comment: "false", ...inputs },
    cwd: ws.dir,
    eventName: "pull_request",
    payload: webhookPayload("pull_request", "synchronize", patchFromState(server.state, PR)),
    token: server.token,
    apiUrl: server.url,
  });
}

const readJson = (path: string) => JSON.parse(readFileSync(ws.path(path), "utf8"));

function manifest(name: string, task: string, artefact: string, evaluation: string[]): void {
  // The artefact is any file when the scores are supplied: verified by its SHA-256 only.
  const digest = `sha256:${name}\n`;
  ws.write(`models/${name}/image.digest`, digest);
  const sha = createHash("sha256").update(digest).digest("hex");
  ws.write(
    `models/${name}/model.yml`,
    [
      `name: ${name}`,
      "version: 1.1.0",
      `task: ${task}`,
      'owner: "@acme/ml"',
      `artefact: { path: models/${name}/image.digest, sha256: "${sha}"${artefact} }`,
      "data: { key: id }",
      "evaluation:",
      `  data: data/${name}.csv`,
      "  slices: [region, [region, tier]]",
      "  min-slice-size: 20",
      "  bootstrap: 200",
      "  seed: 3",
      ...evaluation,
      "",
    ].join("\n"),
  );
}

/** Rows with ids, two slice columns and whatever `values` adds (seeded). */
function data(name: string, header: string[], values: (next: () => number) => (string | number)[]): void {
  const rng = createRng(name);
  const next = () => rng.next();
  const lines = [["id", "region", "tier", ...header].join(",")];
  for (let i = 0; i < ROWS; i++) {
    const region = ["AE", "SA", "EG"][Math.floor(next() * 3)]!;
    const tier = next() < 0.5 ? "web" : "app";
    lines.push([`r${i}`, region, tier, ...values(next)].join(","));
  }
  ws.write(`data/${name}.csv`, `${lines.join("\n")}\n`);
}

/** Runs the model whole, then in two shards and their merge; the merge's numbers equal the whole run's. Returns the merge's run. */
async function expectMergeEqualsSingle(model: string): Promise<Awaited<ReturnType<typeof run>>> {
  const single = await run(model, { "results-dir": ".single" });
  expect(single.exitCode, single.stdout + single.stderr).toBe(0);
  for (const shard of ["1/2", "2/2"]) {
    const part = await run(model, { shard });
    expect(part.exitCode, part.stdout + part.stderr).toBe(0);
  }
  const merged = await run(model, { merge: "true" });
  expect(merged.exitCode, merged.stdout + merged.stderr).toBe(0);
  const result = readJson(`.gauntlet/${model}/evaluation.json`);
  const reference = readJson(`.single/${model}/evaluation.json`);
  expect(result.rows).toBe(ROWS);
  const got = resultNumbers(result);
  const want = resultNumbers(reference);
  expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
  expect(got.size).toBeGreaterThan(50);
  for (const [path, value] of want) expect(Math.abs(got.get(path)! - value), path).toBeLessThanOrEqual(1e-9);
  expect(merged.outputs["status"]).toBe(single.outputs["status"]);
  expect(server.rejections()).toEqual([]);
  return merged;
}

describe("sharded evaluate-slices for every task", () => {
  it("merges a multiclass model's shards into the single run's numbers (within 1e-9), baseline deltas included", async () => {
    const classes = ["basic", "plus", "pro"];
    manifest("plan", "multiclass", `, classes: [${classes.join(", ")}]`, [
      "  label: plan",
      "  metrics: [accuracy, log_loss, f1_macro]",
      "  predictions: { candidate: [p_basic, p_plus, p_pro], baseline: [b_basic, b_plus, b_pro] }",
      // Custom metrics of a multiclass model's rows: `correct` spells accuracy; the true class's probability.
      "  custom-metrics:",
      '    hit: { from: rows, expression: "correct" }',
      '    p_true: { from: rows, expression: "probability" }',
    ]);
    const probabilities = (next: () => number, label: number, lift: number) => {
      const raw = [next(), next(), next()];
      raw[label]! += lift;
      const total = raw.reduce((a, b) => a + b, 0);
      return raw.map((v) => Math.round((v / total) * 1000) / 1000);
    };
    data("plan", ["plan", "p_basic", "p_plus", "p_pro", "b_basic", "b_plus", "b_pro"], (next) => {
      const label = Math.floor(next() * 3);
      return [classes[label]!, ...probabilities(next, label, 0.9), ...probabilities(next, label, 0.4)];
    });
    await expectMergeEqualsSingle("plan");
    const result = readJson(".gauntlet/plan/evaluation.json");
    expect(result.overall.metrics.accuracy.ci).toHaveLength(2);
    expect(result.baseline.overall.delta.accuracy.value).toBeGreaterThan(0);
    expect(result.overall.metrics.hit.value).toBeCloseTo(result.overall.metrics.accuracy.value, 12);
    // p_true by hand from the file: the mean of each row's probability of its own class.
    const rows = readFileSync(ws.path("data/plan.csv"), "utf8").trim().split("\n").slice(1);
    const pTrue =
      rows.reduce((sum, line) => {
        const cells = line.split(",");
        return sum + Number(cells[4 + classes.indexOf(cells[3]!)]);
      }, 0) / rows.length;
    expect(result.overall.metrics.p_true.value).toBeCloseTo(pTrue, 12);
    expect(result.overall.metrics.p_true.ci[0]).toBeLessThanOrEqual(pTrue);
  });

  it("merges a regression model's shards into the single run's numbers (within 1e-9), baseline deltas included", async () => {
    manifest("charges", "regression", "", [
      "  label: charges",
      "  metrics: [mae, rmse, r2]",
      "  predictions: { candidate: predicted, baseline: previous }",
      // A custom metric of a regression model's rows: the share of predictions within 5 units.
      "  custom-metrics:",
      '    within_5: { from: rows, expression: "abs(error) <= 5" }',
      // Fairness for a regression model: the MAE gap between regions.
      "gate:",
      "  rules:",
      "    - { fairness: mae, across: region, max-gap: 50 }",
    ]);
    data("charges", ["charges", "predicted", "previous"], (next) => {
      const y = Math.round(next() * 2000) / 10;
      return [
        y,
        Math.round((y + (next() - 0.5) * 30) * 10) / 10,
        Math.round((y + (next() - 0.3) * 60) * 10) / 10,
      ];
    });
    const merged = await expectMergeEqualsSingle("charges");
    // The report's custom metrics table names the metric, its expression and the mean over rows.
    expect(merged.summary).toContain("#### Custom metrics");
    expect(merged.summary).toContain("mean over rows of `abs(error) <= 5`");
    const result = readJson(".gauntlet/charges/evaluation.json");
    expect(result.overall.metrics.rmse.ci).toHaveLength(2);
    // The MAE gap between regions (merged equal to the single run's, above) is max − min of the slices'.
    const maes = result.slices
      .filter((s: { key: Record<string, string> }) => Object.keys(s.key).join() === "region")
      .map((s: { metrics: { mae: { value: number } } }) => s.metrics.mae.value);
    const gap = result.fairness.find((f: { criterion: string }) => f.criterion === "mae").gap;
    expect(maes).toHaveLength(3);
    expect(gap.value).toBeCloseTo(Math.max(...maes) - Math.min(...maes), 12);
    expect(gap.ci[0]).toBeLessThanOrEqual(gap.value);
    expect(gap.ci[1]).toBeGreaterThanOrEqual(gap.value);
    expect(result.baseline.overall.delta.mae.value).toBeLessThan(0);
    // within_5 by hand from the file: the share of rows whose |predicted − charges| ≤ 5, each model.
    const rows = readFileSync(ws.path("data/charges.csv"), "utf8").trim().split("\n").slice(1);
    const share = (column: number) =>
      rows.filter((line) => {
        const cells = line.split(",").map(Number);
        return Math.abs(cells[column]! - cells[3]!) <= 5;
      }).length / rows.length;
    const within = result.overall.metrics.within_5;
    expect(within.value).toBeCloseTo(share(4), 12);
    expect(result.baseline.overall.metrics.within_5.value).toBeCloseTo(share(5), 12);
    expect(result.baseline.overall.delta.within_5.value).toBeCloseTo(share(4) - share(5), 12);
    expect(within.ci[0]).toBeLessThanOrEqual(within.value);
    expect(within.ci[1]).toBeGreaterThanOrEqual(within.value);
    expect(result.custom.within_5).toEqual({
      from: "rows",
      expression: "abs(error) <= 5",
      direction: "higher",
    });
  });

  it("merges a weighted binary model's shards (evaluation.weight) into the single run's numbers (within 1e-9)", async () => {
    manifest("churn", "binary", ", classes: [0, 1], positive: 1", [
      "  label: churned",
      "  metrics: [roc_auc, average_precision, log_loss, accuracy]",
      "  predictions: { candidate: score, baseline: previous }",
      "  weight: w",
    ]);
    const score = (next: () => number, label: number, lift: number) =>
      Math.round(Math.min(0.99, Math.max(0.01, 0.5 + lift * (label - 0.5) + (next() - 0.5) * 0.6)) * 1000) /
      1000;
    data("churn", ["churned", "score", "previous", "w"], (next) => {
      const label = next() < 0.4 ? 1 : 0;
      // Weights from 0 to 3 in tenths: zeros, fractions and a spread that moves every metric.
      return [label, score(next, label, 0.5), score(next, label, 0.3), Math.round(next() * 30) / 10];
    });
    await expectMergeEqualsSingle("churn");
    const result = readJson(".gauntlet/churn/evaluation.json");
    expect(result.weightColumn).toBe("w");
    expect(result.overall.weight).toBeGreaterThan(0);
    expect(result.overall.weight).not.toBe(ROWS);
    expect(result.slices.filter((s: { weight?: number }) => s.weight !== undefined).length).toBeGreaterThan(
      3,
    );
  });
});

describe("release-gate on a regression model's custom metric", () => {
  it("holds { metric: within_5, min } on the value evaluate-slices computed: pass below it, fail above", async () => {
    const gateOn = (min: string) =>
      manifest("charges", "regression", "", [
        "  label: charges",
        "  metrics: [mae]",
        "  predictions: { candidate: predicted }",
        "  custom-metrics:",
        '    within_5: { from: rows, expression: "abs(error) <= 5" }',
        "gate:",
        "  rules:",
        `    - { metric: within_5, min: ${min} }`,
      ]);
    gateOn("0.5");
    data("charges", ["charges", "predicted"], (next) => {
      const y = Math.round(next() * 2000) / 10;
      return [y, Math.round((y + (next() - 0.5) * 16) * 10) / 10];
    });
    const evaluated = await run("charges", {});
    expect(evaluated.exitCode, evaluated.stdout + evaluated.stderr).toBe(0);
    const within = readJson(".gauntlet/charges/evaluation.json").overall.metrics.within_5.value as number;
    expect(within).toBeGreaterThan(0.4);
    expect(within).toBeLessThan(0.9);
    // The gate's other requirements (validation, behaviour) are not run here, so its verdict fails;
    // the rule is judged on its own.
    const rule = async (min: number) => {
      gateOn(min.toFixed(4));
      const gated = await run("charges", {}, join(import.meta.dirname, "..", "actions", "release-gate"));
      expect(gated.stderr).not.toMatch(/\n\s+at /);
      const gate = readJson(".gauntlet/charges/gate.json");
      return gate.rules.find((c: { metric: string }) => c.metric === "within_5");
    };
    expect(await rule(within - 0.05)).toMatchObject({ status: "pass", value: within, comparison: "min" });
    expect(await rule(within + 0.05)).toMatchObject({ status: "fail", value: within, comparison: "min" });
  }, 240_000);
});
