// The example's gate on a cost metric and on equalized odds (issue 15 items 4–6), end to end: the
// bundled evaluate-slices evaluates examples/churn's model on its data, then the bundled
// release-gate holds the rules, against the test GitHub server, as the runner runs them.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pairwiseDecision } from "@gauntlet/core";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type GitHubServer, startGitHubServer } from "./support/github-server.js";
import { runAction } from "./support/run-action.js";
import { patchFromState, webhookPayload } from "./support/webhooks.js";
import { createWorkspace, type Workspace } from "./support/workspace.js";

const ROOT = join(import.meta.dirname, "..");
const EXAMPLE = join(ROOT, "examples", "churn");
const PR = 15;

let server: GitHubServer;
let ws: Workspace;

type Metric = { value: number | null; ci: [number, number] | null };
type Slice = { key: Record<string, string>; suppressed: boolean; metrics: Record<string, Metric> };

async function run(action: string, inputs: Record<string, string> = {}) {
  return runAction(join(ROOT, "actions", action), {
    inputs: { manifest: "models/churn/model.yml", ...inputs },
    cwd: ws.dir,
    eventName: "pull_request",
    payload: webhookPayload("pull_request", "synchronize", patchFromState(server.state, PR)),
    token: server.token,
    apiUrl: server.url,
    timeoutMs: 240_000,
  });
}

const exampleManifest = () => readFileSync(join(EXAMPLE, "models", "churn", "model.yml"), "utf8");

beforeAll(() => {
  // The bundles are what the runner executes: the build runs first.
  readFileSync(join(ROOT, "actions", "evaluate-slices", "dist", "index.js"));
  readFileSync(join(ROOT, "actions", "release-gate", "dist", "index.js"));
});

beforeEach(async () => {
  server = await startGitHubServer();
  server.seed.pullRequest({ number: PR });
  ws = createWorkspace("gauntlet-operating-");
  // The example as a repository would hold it; 200 replicates instead of 1000, for time.
  const manifest = exampleManifest();
  expect(manifest).toContain("  bootstrap: 1000\n");
  ws.write("models/churn/model.yml", manifest.replace("  bootstrap: 1000\n", "  bootstrap: 200\n"));
  ws.write("models/churn/model.onnx", readFileSync(join(EXAMPLE, "models", "churn", "model.onnx")));
  ws.write("data/eval.csv", readFileSync(join(EXAMPLE, "data", "eval.csv")));
});

afterEach(async () => {
  await server.close();
  ws.remove();
});

describe("the example's cost and equalized-odds gate", () => {
  it("evaluate-slices records value, the custom metric and the equalized-odds gap; release-gate holds them", async () => {
    const evaluated = await run("evaluate-slices");
    expect(evaluated.exitCode, `${evaluated.stdout}\n${evaluated.stderr}`).toBe(0);
    const evaluation = JSON.parse(readFileSync(ws.path(".gauntlet/churn/evaluation.json"), "utf8"));
    const overall = evaluation.overall.metrics as Record<string, Metric>;

    // value from the operating walk equals value rebuilt from other metrics of the same file:
    // offer_cost (a custom expression, 15·(tp + fp)/n), precision and recall give tp, fp and fn.
    const n = evaluation.rows as number;
    const predicted = (overall.offer_cost!.value! * n) / 15;
    const tp = overall.precision!.value! * predicted;
    const fp = predicted - tp;
    const fn = tp / overall.recall!.value! - tp;
    const tn = n - tp - fp - fn;
    const c = /costs: \{ tp: (-?[\d.]+), fp: (-?[\d.]+), fn: (-?[\d.]+), tn: (-?[\d.]+) \}/
      .exec(exampleManifest())!
      .slice(1)
      .map(Number);
    expect(overall.value!.value!).toBeCloseTo((c[0]! * tp + c[1]! * fp + c[2]! * fn + c[3]! * tn) / n, 9);
    for (const name of ["value", "fpr", "offer_cost"]) {
      const [low, high] = overall[name]!.ci!;
      expect(low, name).toBeLessThanOrEqual(overall[name]!.value!);
      expect(high, name).toBeGreaterThanOrEqual(overall[name]!.value!);
      expect(high - low, name).toBeGreaterThan(0);
    }
    expect(evaluation.custom.offer_cost).toEqual({
      from: "counts",
      expression: "15 * (tp + fp) / n",
      direction: "lower",
    });

    // The equalized-odds gap is the larger of the recall and fpr gaps over the regions shown.
    const regions = (evaluation.slices as Slice[]).filter(
      (s) => Object.keys(s.key).length === 1 && "region" in s.key,
    );
    const shown = regions.filter((s) => !s.suppressed);
    const gapOf = (metric: string) => {
      const values = shown.map((s) => s.metrics[metric]!.value!);
      return Math.max(...values) - Math.min(...values);
    };
    const odds = evaluation.fairness.find(
      (f: { criterion: string; across: string }) => f.criterion === "equalized_odds" && f.across === "region",
    );
    expect(odds.gap.value).toBeCloseTo(Math.max(gapOf("recall"), gapOf("fpr")), 12);
    expect(odds.groups.sort()).toEqual(shown.map((s) => s.key.region).sort());
    expect(odds.leftOut).toEqual(
      regions.filter((s) => s.suppressed).map((s) => ({ group: s.key.region, why: "suppressed" })),
    );
    expect(odds.leftOut.length).toBeGreaterThan(0); // QA is too small, as the example says
    expect(odds.gap.ci[0]).toBeLessThanOrEqual(odds.gap.value);
    expect(odds.gap.ci[1]).toBeGreaterThanOrEqual(odds.gap.value);

    const comment = server.state.comments.find((c) => c.issueNumber === PR)!.body;
    expect(comment).toContain("#### Fairness between groups");
    expect(comment).toContain("#### Custom metrics");
    expect(comment).toContain("| value ↑ |");

    // The gate reads the same numbers; its other requirements (validation, behaviour) are not
    // run here, so the verdict fails, but each rule is judged on its own.
    const gated = await run("release-gate");
    expect(gated.stderr).not.toMatch(/\n\s+at /);
    const gate = JSON.parse(readFileSync(ws.path(".gauntlet/churn/gate.json"), "utf8"));
    const manifest = exampleManifest();
    const limit = (pattern: RegExp) => Number(pattern.exec(manifest)![1]);
    const valueCheck = gate.rules.find((c: { metric: string; id: string }) => c.metric === "value");
    const valueMin = limit(/\{ metric: value, min: (-?[\d.]+) \}/);
    expect(valueCheck).toMatchObject({ comparison: "min", limit: valueMin, value: overall.value!.value });
    expect(valueCheck.status).toBe(overall.value!.value! >= valueMin ? "pass" : "fail");
    const oddsCheck = gate.rules.find((c: { metric: string }) => c.metric === "equalized_odds");
    const oddsMax = limit(/\{ fairness: equalized_odds, across: region, max-gap: ([\d.]+) \}/);
    expect(oddsCheck).toMatchObject({ id: "fairness-max-gap", limit: oddsMax, value: odds.gap.value });
    expect(oddsCheck.status).toBe(odds.gap.value <= oddsMax ? "pass" : "fail");
    expect(oddsCheck.reason).toContain("95% interval");
    expect(oddsCheck.reason).toContain("ignored, suppressed (too few rows): region=QA");
  }, 300_000);

  it("judges fairness rules with confidence: a gap on the pairwise lower bound simultaneous over both rules, not the point value; the interval adjusted over both is kept", async () => {
    // Both fairness rules of the example ask for 95% confidence: a family of two.
    const manifest = readFileSync(ws.path("models/churn/model.yml"), "utf8");
    const withConfidence = (oddsLimit: string) =>
      manifest
        .replace(
          "{ fairness: recall, across: region, max-gap: 0.10 }",
          "{ fairness: recall, across: region, max-gap: 0.10, confidence: 0.95 }",
        )
        .replace(
          /\{ fairness: equalized_odds, across: region, max-gap: [\d.]+ \}/,
          `{ fairness: equalized_odds, across: region, max-gap: ${oddsLimit}, confidence: 0.95 }`,
        );
    ws.write("models/churn/model.yml", withConfidence("0.15"));
    expect(
      readFileSync(ws.path("models/churn/model.yml"), "utf8").match(/confidence: 0\.95 \}/g),
    ).toHaveLength(3);
    const evaluated = await run("evaluate-slices", { comment: "false" });
    expect(evaluated.exitCode, evaluated.stderr).toBe(0);
    const evaluation = JSON.parse(readFileSync(ws.path(".gauntlet/churn/evaluation.json"), "utf8"));
    const odds = evaluation.fairness.find((f: { criterion: string }) => f.criterion === "equalized_odds");
    expect(odds.adjustment).toEqual({ method: "bonferroni", level: 0.95, family: 2, perInterval: 0.975 });
    const [low, high] = odds.gap.ciAdjusted as [number, number];
    // Wider than the per-comparison 95% interval, around the same point.
    expect(low).toBeLessThanOrEqual(odds.gap.ci[0]);
    expect(high).toBeGreaterThanOrEqual(odds.gap.ci[1]);
    expect(low).toBeLessThan(odds.gap.value);
    // What decides: the largest pairwise lower bound, max-T over the pairs × 2 rates at the rule's
    // max-gap, Bonferroni over the 2 rules; its critical value is below Bonferroni's over them all.
    const pairs = (odds.groups.length * (odds.groups.length - 1)) / 2;
    const method = `pairwise lower bound, max-T over ${pairs} pairs × 2 rates at max-gap 0.15, Bonferroni over 2 rules`;
    expect(odds.decision).toMatchObject({
      method,
      adjustment: "max-t",
      level: 0.95,
      family: 2,
      comparisons: pairs * 2 * 2,
      limit: 0.15,
    });
    expect(odds.decision.critical).toBeLessThan(odds.decision.bonferroni);
    expect(odds.decision.rates.map((r: { rate: string }) => r.rate)).toEqual(["recall", "fpr"]);
    expect(["recall", "fpr"]).toContain(odds.decision.rate);
    const bound = odds.decision.bound as number;
    expect(bound).toBeGreaterThan(0);
    expect(bound).toBeLessThan(odds.gap.value);
    // The gate judges a rule at its own limit from the recorded rates (here the manifest changes
    // after the evaluation): a smaller limit, a larger critical value, a lower bound.
    const boundAt = (limit: number) => pairwiseDecision(odds.decision.rates, 0.95, 2, limit)!.bound;
    expect(boundAt(0.15)).toBeCloseTo(bound, 12);
    const judge = async (limit: number) => {
      ws.write("models/churn/model.yml", withConfidence(limit.toFixed(4)));
      await run("release-gate");
      const gate = JSON.parse(readFileSync(ws.path(".gauntlet/churn/gate.json"), "utf8"));
      return gate.rules.find((c: { metric: string }) => c.metric === "equalized_odds");
    };
    // A limit under the point gap but above the bound: not significantly beyond.
    const between = await judge((bound + odds.gap.value) / 2);
    expect(between.status).toBe("pass");
    expect(between.reason).toContain("on the point value but not significantly");
    expect(between.reason).toContain(
      method.replace("0.15", String(Number(((bound + odds.gap.value) / 2).toFixed(4)))),
    );
    // The interval is still quoted.
    expect(between.reason).toContain(
      "simultaneous over the report's 2 fairness rules with confidence (Bonferroni)",
    );
    // A limit under the bound at limit 0 (so under its bound at every limit): beyond it with confidence.
    const below = await judge(boundAt(0) / 2);
    expect(below.status).toBe("fail");
    expect(below.reason).toContain("with confidence: the largest 95% lower bound");
  }, 300_000);

  it("refuses an unsafe custom expression with one ::error naming the file and field, no stack trace", async () => {
    const manifest = exampleManifest();
    const safe = 'expression: "15 * (tp + fp) / n"';
    expect(manifest).toContain(safe);
    ws.write("models/churn/model.yml", manifest.replace(safe, "expression: \"require('fs').rmSync('.')\""));
    const result = await run("evaluate-slices");
    expect(result.exitCode).toBe(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    const errors = result.annotations.filter((a) => a.level === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toContain("evaluation.custom-metrics.offer_cost.expression");
    expect(errors[0]!.message).toContain('unexpected character "\'": only numbers, names');
    expect(errors[0]!.file).toBe("models/churn/model.yml");
  }, 120_000);

  it("gives the same value, custom metric and equalized-odds gap from two shards merged", async () => {
    const single = await run("evaluate-slices", { comment: "false", "results-dir": ".single" });
    expect(single.exitCode).toBe(0);
    for (const shard of ["1/2", "2/2"]) expect((await run("evaluate-slices", { shard })).exitCode).toBe(0);
    const merged = await run("evaluate-slices", { merge: "true" });
    expect(merged.exitCode, merged.stderr).toBe(0);
    const read = (path: string) => JSON.parse(readFileSync(ws.path(path), "utf8"));
    const result = read(".gauntlet/churn/evaluation.json");
    const reference = read(".single/churn/evaluation.json");
    // Equal up to the float32 rounding onnxruntime may do differently per batch (see evaluate-slices.test.ts).
    for (const name of ["value", "fpr", "offer_cost"]) {
      expect(result.overall.metrics[name].value, name).toBeCloseTo(reference.overall.metrics[name].value, 6);
      result.overall.metrics[name].ci.forEach((end: number, i: number) => {
        expect(end, name).toBeCloseTo(reference.overall.metrics[name].ci[i], 6);
      });
    }
    expect(result.custom).toEqual(reference.custom);
    const odds = (e: { fairness: { criterion: string; gap: { value: number; ci: number[] } }[] }) =>
      e.fairness.find((f) => f.criterion === "equalized_odds")!;
    expect(odds(result).gap.value).toBeCloseTo(odds(reference).gap.value, 6);
    odds(result).gap.ci.forEach((end, i) => {
      expect(end).toBeCloseTo(odds(reference).gap.ci[i]!, 6);
    });
  }, 300_000);
});
