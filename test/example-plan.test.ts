// The example's multiclass model (examples/churn/models/plan: the fixture generator's plan
// classifier, three classes) through the bundled actions as the example's workflows run them:
// shadow-compare on the plan model's logged traffic (pr.yml's shadow job), and the sharded
// evaluation of evaluate-sharded.yml (its matrix of shards, then the merge job) against the
// production release, whose merged numbers equal a single run's.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseManifest } from "@gauntlet/core";
import { churnRows, fitPlanModel, PLANS, planRow } from "@gauntlet/fixtures";
import { buildReferenceProfile } from "@gauntlet/steps";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { seedProductionRelease } from "./support/drift-fixtures.js";
import { seedRegistry } from "./support/evaluate-fixtures.js";
import { exampleWorkflow, gauntletSteps } from "./support/example-workflow.js";
import { type FixtureSet, writeFixtureSet } from "./support/fixture-set.js";
import { type GitHubServer, startGitHubServer } from "./support/github-server.js";
import { resultNumbers } from "./support/result-numbers.js";
import { type ActionResult, runAction } from "./support/run-action.js";
import { patchFromState, webhookPayload } from "./support/webhooks.js";
import { createWorkspace, type Workspace } from "./support/workspace.js";

const ROOT = join(import.meta.dirname, "..");
const EXAMPLE = join(ROOT, "examples", "churn");
const MODEL = "plan";
const EXAMPLE_FILES = [`models/${MODEL}/model.yml`, `models/${MODEL}/model.onnx`, "data/eval.csv"];
/** The fixture call of examples/churn/generate.mjs: the example's model file is this set's. */
const OPTIONS = { rows: 5000, trainRows: 20_000, seed: 7, now: "2025-06-01T00:00:00Z" };
const PR = 21;
const LOG = "logs/shadow/plan/sample.jsonl";

let fx: FixtureSet;
let server: GitHubServer;
let ws: Workspace;

const readJson = (path: string) => JSON.parse(readFileSync(ws.path(path), "utf8"));

function onPullRequest(action: string, inputs: Record<string, string>): Promise<ActionResult> {
  return runAction(join(ROOT, action), {
    inputs,
    cwd: ws.dir,
    eventName: "pull_request",
    payload: webhookPayload("pull_request", "synchronize", patchFromState(server.state, PR)),
    token: server.token,
    apiUrl: server.url,
    timeoutMs: 180_000,
  });
}

beforeAll(() => {
  for (const action of [
    "validate-data",
    "evaluate-slices",
    "shadow-compare",
    "release-gate",
    "drift-check",
  ]) {
    readFileSync(join(ROOT, "actions", action, "dist", "index.js"));
  }
  fx = writeFixtureSet("gauntlet-plan-fx-", OPTIONS);
}, 180_000);

afterAll(() => fx.remove());

beforeEach(async () => {
  server = await startGitHubServer();
  server.seed.pullRequest({ number: PR, user: "dev" });
  ws = createWorkspace("gauntlet-plan-");
  for (const path of EXAMPLE_FILES) ws.write(path, readFileSync(join(EXAMPLE, path)));
});

afterEach(async () => {
  await server.close();
  ws.remove();
});

describe("examples/churn's plan: a multiclass model through shadow and sharding", () => {
  it("is the fixture generator's plan classifier, pinned by digest", () => {
    const manifest = readFileSync(join(EXAMPLE, "models", MODEL, "model.yml"), "utf8");
    expect(manifest).toContain(`sha256: "${fx.sha256("models/multiclass.onnx")}"`);
    expect(readFileSync(join(EXAMPLE, "models", MODEL, "model.onnx"))).toEqual(
      fx.bytes("models/multiclass.onnx"),
    );
  });

  it("shadow-compare (pr.yml's shadow job) scores the candidate on the logged traffic and compares its classes with production's", async () => {
    ws.write(LOG, fx.bytes("logs/shadow-multiclass.jsonl"));
    const [step] = gauntletSteps(exampleWorkflow("pr.yml").jobs["shadow"]!);
    expect(step!.action).toBe("actions/shadow-compare");
    const result = await onPullRequest(step!.action, {
      ...step!.inputs,
      manifest: `models/${MODEL}/model.yml`,
    });
    expect(result.stderr).toBe("");
    expect(result.exitCode, result.stdout).toBe(0);
    const s = readJson(`.gauntlet/${MODEL}/shadow.json`);
    const log = fx
      .bytes("logs/shadow-multiclass.jsonl")
      .toString("utf8")
      .trimEnd()
      .split("\n")
      .map(
        (line) => JSON.parse(line) as { inputs: Record<string, number>; served_plan: string; plan?: string },
      );
    expect(s).toMatchObject({ task: "multiclass", challengerScores: "scored" });
    expect(s.agreement.n).toBe(log.length);
    expect(s.multiclass.classes).toEqual([...PLANS]);
    // The table's rows are production's served classes, counted here from the log.
    const served = PLANS.map((c) => log.filter((r) => r.served_plan === c).length);
    expect(s.multiclass.confusion.map((row: number[]) => row.reduce((a, b) => a + b, 0))).toEqual(served);
    // Its columns are the candidate's classes: the plan classifier refitted here in JavaScript
    // (the ONNX file computes in float32, so a near tie may fall the other way on a few rows).
    const train = [
      ...churnRows({ seed: `${OPTIONS.seed}/train`, rows: OPTIONS.trainRows, now: OPTIONS.now }),
    ];
    const candidate = fitPlanModel(train.map(planRow)).probabilities(log.map((r) => r.inputs));
    const classes = candidate.map((p) => PLANS[p.indexOf(Math.max(...p))]!);
    const predicted = PLANS.map((c) => classes.filter((k) => k === c).length);
    const columns = PLANS.map((_, j) =>
      s.multiclass.confusion.reduce((n: number, row: number[]) => n + row[j]!, 0),
    );
    for (const [j, count] of predicted.entries())
      expect(Math.abs(columns[j]! - count)).toBeLessThanOrEqual(3);
    const same = log.filter((r, i) => r.served_plan === classes[i]).length;
    expect(Math.abs(s.multiclass.agreement.value - same / log.length)).toBeLessThanOrEqual(3 / log.length);
    expect(s.multiclass.agreement.value).toBeGreaterThan(0.95);
    expect(s.recommendation).toBe("promote to canary");
    // The outcomes arrive on about half the rows: production's accuracy there is fixed by the log.
    const labelled = log.filter((r) => r.plan !== undefined);
    expect(s.outcomes.labelled).toBe(labelled.length);
    const accuracy = labelled.filter((r) => r.served_plan === r.plan).length / labelled.length;
    expect(s.outcomes.metrics.accuracy.champion.value).toBeCloseTo(accuracy, 12);
    const comment = server.state.comments.find((c) => c.issueNumber === PR)!.body;
    expect(comment).toContain("| champion ↓ · candidate → | prepaid\\_basic | prepaid\\_plus | postpaid |");
    expect(server.rejections()).toEqual([]);
  }, 300_000);

  it("holds one class against the rest between regions: a multiclass rule naming a class (recall of prepaid_plus)", async () => {
    const manifest = readFileSync(join(EXAMPLE, "models", MODEL, "model.yml"), "utf8");
    const rule = "    - { fairness: equal_opportunity, class: prepaid_plus, across: region, max-gap: 0.3 }\n";
    ws.write(
      `models/${MODEL}/model.yml`,
      manifest
        .replace("  bootstrap: 1000\n", "  bootstrap: 200\n")
        .replace("  approvals:", `${rule}  approvals:`),
    );
    const evaluated = await onPullRequest("actions/evaluate-slices", {
      manifest: `models/${MODEL}/model.yml`,
      comment: "false",
    });
    expect(evaluated.exitCode, evaluated.stdout + evaluated.stderr).toBe(0);
    const evaluation = readJson(`.gauntlet/${MODEL}/evaluation.json`);
    const recorded = evaluation.fairness.find((f: { class?: string }) => f.class === "prepaid_plus");
    expect(recorded).toMatchObject({ across: "region", criterion: "equal_opportunity" });
    // The recall of prepaid_plus per region, from the plan classifier refitted here in JavaScript
    // (float32 in the ONNX file may flip a near tie): its spread is the recorded gap.
    const train = [
      ...churnRows({ seed: `${OPTIONS.seed}/train`, rows: OPTIONS.trainRows, now: OPTIONS.now }),
    ];
    const rows = [
      ...churnRows({
        seed: `${OPTIONS.seed}/eval`,
        rows: OPTIONS.rows,
        now: OPTIONS.now,
        idOffset: OPTIONS.trainRows,
      }),
    ];
    const probabilities = fitPlanModel(train.map(planRow)).probabilities(rows);
    const recall = recorded.groups.map((region: string) => {
      const of = rows.flatMap((r, i) => (r["region"] === region && r["plan"] === "prepaid_plus" ? [i] : []));
      const hit = of.filter((i) => probabilities[i]!.indexOf(Math.max(...probabilities[i]!)) === 1).length;
      return hit / of.length;
    });
    expect(Math.abs(recorded.gap.value - (Math.max(...recall) - Math.min(...recall)))).toBeLessThan(0.02);
    expect(recorded.gap.value).toBeGreaterThan(0.3);
    expect(recorded.gap.ci[0]).toBeLessThanOrEqual(recorded.gap.value);
    // The gate holds it: the gap is over 0.3, and the reason names the class.
    await onPullRequest("actions/release-gate", { manifest: `models/${MODEL}/model.yml` });
    const gate = readJson(`.gauntlet/${MODEL}/gate.json`);
    const check = gate.rules.find((c: { description: string }) =>
      c.description.startsWith("equal_opportunity of class"),
    );
    expect(check).toMatchObject({ status: "fail", value: recorded.gap.value, limit: 0.3 });
    expect(check.reason).toContain("equal_opportunity of class prepaid_plus gap across region=");
    expect(server.rejections()).toEqual([]);
  }, 300_000);

  it("drift-check (monitor.yml) watches the served traffic: class mix, realised accuracy and the label-free estimate recalibrated on the release's reference", async () => {
    ws.write("logs/predictions/plan/sample.jsonl", fx.bytes("logs/shadow-multiclass.jsonl"));
    // The production release's profile.json, as promote built it for 1.2.0 from production's model.
    ws.write("releases/plan.onnx", fx.bytes("models/multiclass-production.onnx"));
    const manifestFile = `models/${MODEL}/model.yml`;
    const released = readFileSync(ws.path(manifestFile), "utf8").replace("version: 1.3.0", "version: 1.2.0");
    const manifest = parseManifest(released, manifestFile);
    await buildReferenceProfile(manifest, {
      cwd: ws.dir,
      path: ws.path(".reference/profile.json"),
      model: { path: ws.path("releases/plan.onnx"), manifestFile },
    });
    seedProductionRelease(server, ws, MODEL, [
      {
        name: "evaluation.json",
        data: Buffer.from(
          JSON.stringify({
            overall: { n: 5000, metrics: { accuracy: { value: 0.85 }, f1_macro: { value: 0.8 } } },
          }),
        ),
        contentType: "application/json",
      },
    ]);
    // monitor.yml's drift step, on the plan model alone (its logs are the only ones here).
    const [step] = gauntletSteps(exampleWorkflow("monitor.yml").jobs["drift"]!);
    expect(step!.action).toBe("actions/drift-check");
    const result = await runAction(join(ROOT, step!.action), {
      inputs: { ...step!.inputs, manifest: manifestFile },
      cwd: ws.dir,
      eventName: "schedule",
      payload: webhookPayload("schedule"),
      token: server.token,
      apiUrl: server.url,
      timeoutMs: 180_000,
    });
    expect(result.stderr).toBe("");
    expect(result.exitCode, result.stdout).toBe(0);
    const prediction = readJson(`.gauntlet/${MODEL}/drift.json`).prediction;
    const checks = Object.fromEntries(
      prediction.checks.map((c: { id: string; status: string }) => [c.id, c.status]),
    );
    expect(checks, JSON.stringify(prediction.checks)).toMatchObject({
      calibration: "pass",
      "class-mix": "pass",
      "realised-accuracy": "pass",
      "estimated-accuracy": "pass",
      "estimated-f1_macro": "pass",
    });
    expect(prediction.windows.length).toBe(4);
    for (const w of prediction.windows) {
      expect(Object.keys(w.classShares).sort()).toEqual([...PLANS].sort());
      expect(w.estimatedRows).toBe(w.scored);
      // The estimate, from the served probabilities alone, holds the accuracy the outcomes show.
      const [low, high] = w.estimated.accuracy.ci;
      expect(w.realised.accuracy.value).toBeGreaterThan(low - 0.03);
      expect(w.realised.accuracy.value).toBeLessThan(high + 0.03);
    }
    expect([...server.state.issues.values()].filter((i) => i.labels.includes("gauntlet:drift"))).toEqual([]);
    expect(server.rejections()).toEqual([]);
  }, 300_000);

  it("evaluate-sharded.yml: the shards against the production release merge into the single run's numbers, and the merge job gates", async () => {
    seedRegistry(server, {
      model: MODEL,
      version: "1.2.0",
      artefact: fx.bytes("models/multiclass-production.onnx"),
      older: { version: "1.1.0", artefact: fx.bytes("models/multiclass-production.onnx") },
    });
    const workflow = exampleWorkflow("evaluate-sharded.yml");
    const shardJob = workflow.jobs["shard"]! as typeof workflow.jobs.shard & {
      strategy: { matrix: { shard: number[] } };
    };
    const shards = shardJob.strategy.matrix.shard;
    expect(shards.length).toBeGreaterThan(1);
    const [shardStep] = gauntletSteps(shardJob);
    const single = await onPullRequest("actions/evaluate-slices", {
      manifest: `models/${MODEL}/model.yml`,
      "results-dir": ".single",
      comment: "false",
    });
    expect(single.exitCode, single.stdout + single.stderr).toBe(0);
    for (const shard of shards) {
      const inputs = Object.fromEntries(
        Object.entries(shardStep!.inputs).map(([k, v]) => [
          k,
          v.replace(/\$\{\{ matrix\.shard \}\}/, String(shard)),
        ]),
      );
      expect(inputs["shard"]).toBe(`${shard}/${shards.length}`);
      const part = await onPullRequest(shardStep!.action, inputs);
      expect(part.exitCode, part.stdout + part.stderr).toBe(0);
      expect(readJson(`.gauntlet/${MODEL}/evaluation.part-${shard}-of-${shards.length}.json`)).toBeDefined();
    }
    server.seed.review({ pullNumber: PR, user: "octocat" });
    const mergeSteps = gauntletSteps(workflow.jobs["merge"]!);
    expect(mergeSteps.map((s) => s.action)).toEqual([
      "actions/validate-data",
      "actions/evaluate-slices",
      "actions/release-gate",
    ]);
    const outcomes: ActionResult[] = [];
    for (const step of mergeSteps) outcomes.push(await onPullRequest(step.action, step.inputs));
    for (const outcome of outcomes) expect(outcome.exitCode, outcome.stdout + outcome.stderr).toBe(0);

    const merged = readJson(`.gauntlet/${MODEL}/evaluation.json`);
    const reference = readJson(`.single/${MODEL}/evaluation.json`);
    expect(merged.rows).toBe(OPTIONS.rows);
    expect(merged.baseline.source).toMatchObject({ reference: "production" });
    const got = resultNumbers(merged);
    const want = resultNumbers(reference);
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    expect(got.size).toBeGreaterThan(100);
    for (const [path, value] of want)
      expect(Math.abs(got.get(path)! - value), path).toBeLessThanOrEqual(1e-9);
    expect(merged.overall.metrics.accuracy.value).toBeGreaterThan(0.8);
    expect(merged.baseline.overall.metrics.accuracy.value).toBeGreaterThan(0.8);

    const gate = readJson(`.gauntlet/${MODEL}/gate.json`);
    expect(gate.status, JSON.stringify(gate.checks, null, 1)).toBe("pass");
    // The multiclass fairness rule: accuracy's spread between the regions shown (QA is suppressed).
    const regions = merged.slices.filter(
      (s: { key: Record<string, string> }) => Object.keys(s.key).join() === "region",
    ) as { key: { region: string }; suppressed: boolean; metrics: { accuracy: { value: number } } }[];
    const accuracies = regions.filter((s) => !s.suppressed).map((s) => s.metrics.accuracy.value);
    const spread = merged.fairness.find((f: { criterion: string }) => f.criterion === "accuracy");
    expect(spread.gap.value).toBeCloseTo(Math.max(...accuracies) - Math.min(...accuracies), 12);
    expect(spread.leftOut).toEqual([{ group: "QA", why: "suppressed" }]);
    expect(spread.adjustment).toMatchObject({ level: 0.95, family: 1 });
    const fairness = gate.rules.find(
      (c: { metric: string; id: string }) => c.metric === "accuracy" && c.id === "fairness-max-gap",
    );
    expect(fairness).toMatchObject({ status: "pass", value: spread.gap.value, limit: 0.25 });
    expect(fairness.reason).toContain(
      "≤ 0.25; the 95% interval, simultaneous over the report's 1 fairness rule with confidence (Bonferroni), is [",
    );
    expect(outcomes[2]!.outputs["passed"]).toBe("true");
    expect(server.rejections()).toEqual([]);
  }, 900_000);
});
