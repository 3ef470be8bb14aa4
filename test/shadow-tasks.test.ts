import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type EvaluateFixtures, writeEvaluateFixtures } from "./support/evaluate-fixtures.js";
import { type GitHubServer, startGitHubServer } from "./support/github-server.js";
import { runAction } from "./support/run-action.js";
import { patchFromState, webhookPayload } from "./support/webhooks.js";
import { createWorkspace, type Workspace } from "./support/workspace.js";

// shadow-compare for a multiclass and a regression model, as the runner runs the bundle: the
// candidate scored here by its ONNX artefact, and a candidate whose scores are supplied (logged
// beside the champion's). Every number the log fixes by itself (the champion's accuracy and MAE;
// with both sides logged, the whole table, the mean difference and the share beyond the tolerance)
// is recomputed here from the log.

const ACTION = join(import.meta.dirname, "..", "actions", "shadow-compare");
const PR = 7;
const CLASSES = ["0", "1", "2"];
const NUMERIC = ["tenure_months", "monthly_charges", "support_calls", "data_gb", "age"];

let fx: EvaluateFixtures;
let server: GitHubServer;
let ws: Workspace;

beforeAll(() => {
  readFileSync(join(ACTION, "dist", "index.js"));
  fx = writeEvaluateFixtures();
}, 120_000);

afterAll(() => fx.remove());

beforeEach(async () => {
  server = await startGitHubServer();
  server.seed.pullRequest({ number: PR });
  ws = createWorkspace();
});

afterEach(async () => {
  await server.close();
  ws.remove();
});

/** The fixture CSV as objects (its text cells hold no commas). */
function csv(path: string): Record<string, string>[] {
  const [header, ...lines] = fx.bytes(path).toString("utf8").trimEnd().split("\n");
  const names = header!.split(",");
  return lines.map((line) => Object.fromEntries(line.split(",").map((v, i) => [names[i]!, v])));
}

const jsonl = (rows: readonly object[]) => `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`;

async function run(model: string) {
  const result = await runAction(ACTION, {
    inputs: { manifest: `models/${model}/model.yml`, outcome: "truth" },
    cwd: ws.dir,
    eventName: "pull_request",
    payload: webhookPayload("pull_request", "synchronize", patchFromState(server.state, PR)),
    token: server.token,
    apiUrl: server.url,
    timeoutMs: 90_000,
  });
  const path = ws.path(`.gauntlet/${model}/shadow.json`);
  const shadow = result.outputs["result"] ? JSON.parse(readFileSync(path, "utf8")) : undefined;
  return { ...result, shadow };
}

const body = () => server.state.comments.filter((c) => c.issueNumber === PR)[0]!.body;
const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/**
 * The model's manifest: a flow-style `artefact:` and `evaluation:`, and `shadow:` over
 * logs/shadow.jsonl by request_id with the given lines (and 500 requests enough for a verdict).
 */
function writeManifest(
  model: string,
  task: string,
  parts: { artefact: string; evaluation: string; shadow: string[] },
) {
  ws.write(
    `models/${model}/model.yml`,
    [
      `name: ${model}`,
      "version: 0.2.0",
      `task: ${task}`,
      'owner: "@acme/risk-ml"',
      `artefact: ${parts.artefact}`,
      `evaluation: ${parts.evaluation}`,
      "shadow:",
      ...["log: logs/shadow.jsonl", "id: request_id", ...parts.shadow, "min-requests: 500"].map(
        (l) => `  ${l}`,
      ),
      "",
    ].join("\n"),
  );
}

/** A manifest whose artefact is any file verified by its SHA-256 (scores supplied). */
function suppliedArtefact(name: string): string {
  const digest = `sha256:${name}-service\n`;
  ws.write(`models/${name}/image.digest`, digest);
  return `{ path: models/${name}/image.digest, sha256: "${createHash("sha256").update(digest).digest("hex")}"`;
}

describe("shadow-compare for a multiclass model", () => {
  const rows = () => csv("eval-multiclass.csv");
  // The champion is right except on every `every`th request, where it says the next class.
  const championClass = (r: Record<string, string>, i: number, every: number) =>
    i % every === 0 ? String((Number(r["plan_id"]) + 1) % 3) : r["plan_id"]!;

  it("scores the ONNX candidate's classes and compares them with the served ones: table, agreement, shares, paired accuracy", async () => {
    const log = rows().map((r, i) => ({
      request_id: r["customer_id"],
      inputs: Object.fromEntries(NUMERIC.map((c) => [c, Number(r[c])])),
      // Wrong on every other request: a candidate as good as evaluate-slices finds it (> 0.7) is not worse.
      served_plan: championClass(r, i, 2),
      // Outcomes arrive for two requests in three.
      truth: i % 3 === 2 ? null : r["plan_id"],
    }));
    ws.write("logs/shadow.jsonl", jsonl(log));
    ws.write("models/plan/model.onnx", fx.bytes("models/multiclass.onnx"));
    writeManifest("plan", "multiclass", {
      artefact: `{ path: models/plan/model.onnx, sha256: "${fx.sha256("models/multiclass.onnx")}", inputs: { numeric: [${NUMERIC.join(", ")}] }, outputs: { probabilities: probabilities }, classes: [0, 1, 2] }`,
      evaluation:
        "{ data: data/eval-multiclass.csv, label: plan_id, metrics: [accuracy, f1_macro, log_loss], bootstrap: 200, seed: 7 }",
      shadow: ["features: inputs", "champion: served_plan", "max-disagreement: 0.95"],
    });
    const result = await run("plan");
    expect(result.stderr).toBe("");
    expect(result.exitCode, result.stdout).toBe(0);
    const s = result.shadow;
    expect(s).toMatchObject({ task: "multiclass", threshold: null, challengerScores: "scored" });
    expect(s.agreement.n).toBe(log.length);
    const m = s.multiclass;
    expect(m.classes).toEqual(CLASSES);
    // The table's rows are the champion's classes, counted here from the log.
    const served = CLASSES.map((c) => log.filter((r) => r.served_plan === c).length);
    expect(m.confusion.map((row: number[]) => row.reduce((a, b) => a + b, 0))).toEqual(served);
    const diagonal = m.confusion.reduce((sum: number, row: number[], i: number) => sum + row[i]!, 0);
    expect(m.agreement.value).toBeCloseTo(diagonal / log.length, 12);
    expect(s.agreement.disagreement).toBeCloseTo(1 - diagonal / log.length, 12);
    expect(m.agreement.ci[0]).toBeLessThan(m.agreement.value);
    expect(m.agreement.ci[1]).toBeGreaterThan(m.agreement.value);
    expect(m.shares.map((c: { champion: number }) => c.champion)).toEqual(served.map((n) => n / log.length));
    expect(s.distribution.histogram).toMatchObject({ labels: CLASSES, champion: served });
    // The outcomes: the champion's accuracy is fixed by the log; the paired difference is bracketed.
    const labelled = log.filter((r) => r.truth !== null);
    const acc = s.outcomes.metrics.accuracy;
    expect(s.outcomes.labelled).toBe(labelled.length);
    expect(acc.champion.value).toBeCloseTo(
      mean(labelled.map((r) => (r.served_plan === r.truth ? 1 : 0))),
      12,
    );
    expect(acc.delta.value).toBeCloseTo(acc.challenger.value - acc.champion.value, 12);
    expect(acc.delta.ci[0]).toBeLessThanOrEqual(acc.delta.value);
    expect(acc.delta.ci[1]).toBeGreaterThanOrEqual(acc.delta.value);
    expect(Object.keys(s.outcomes.metrics)).toEqual(["accuracy", "f1_macro"]);
    expect(s.checks.find((c: { id: string }) => c.id === "disagreement").reason).toMatch(
      /^predicted classes differ on/,
    );
    // The largest disagreements name the two classes.
    expect(CLASSES).toContain(s.largestDisagreements[0].a);
    expect(s.largestDisagreements[0].a).not.toBe(s.largestDisagreements[0].b);
    expect(body()).toContain("| champion ↓ · candidate → | 0 | 1 | 2 |");
    expect(body()).toContain("Class agreement ");
    expect(server.rejections()).toEqual([]);
  });

  it("compares supplied classes logged beside the champion's, and holds when they differ too often", async () => {
    const names = ["basic", "plus", "pro"];
    const log = rows().map((r, i) => ({
      request_id: r["customer_id"],
      served: names[Number(championClass(r, i, 7))],
      // The candidate says the previous class on every 5th request.
      shadow: names[i % 5 === 0 ? (Number(r["plan_id"]) + 2) % 3 : Number(r["plan_id"])],
      truth: names[Number(r["plan_id"])],
    }));
    ws.write("logs/shadow.jsonl", jsonl(log));
    writeManifest("plan", "multiclass", {
      artefact: `${suppliedArtefact("plan")}, classes: [basic, plus, pro] }`,
      evaluation:
        "{ data: data/plan.csv, label: plan, metrics: [accuracy], bootstrap: 200, predictions: { candidate: [p_basic, p_plus, p_pro] } }",
      shadow: ["champion: served", "challenger: shadow", "max-disagreement: 0.2"],
    });
    const result = await run("plan");
    // Disagreement is about 1/7 + 1/5: over the 20% allowed.
    expect(result.exitCode, result.stdout).toBe(1);
    expect(result.outputs["recommendation"]).toBe("hold");
    const s = result.shadow;
    expect(s.challengerScores).toBe("logged");
    const expected = names.map((a) =>
      names.map((b) => log.filter((r) => r.served === a && r.shadow === b).length),
    );
    expect(s.multiclass.confusion).toEqual(expected);
    const same = log.filter((r) => r.served === r.shadow).length;
    expect(s.agreement.disagreement).toBeCloseTo(1 - same / log.length, 12);
    expect(s.agreement.disagreement).toBeGreaterThan(0.2);
    const shares = s.multiclass.shares;
    for (const [i, name] of names.entries()) {
      const champion = log.filter((r) => r.served === name).length / log.length;
      const challenger = log.filter((r) => r.shadow === name).length / log.length;
      expect(shares[i]).toMatchObject({ class: name });
      expect(shares[i].shift).toBeCloseTo(challenger - champion, 12);
    }
    const acc = s.outcomes.metrics.accuracy;
    expect(acc.champion.value).toBeCloseTo(mean(log.map((r) => (r.served === r.truth ? 1 : 0))), 12);
    expect(acc.challenger.value).toBeCloseTo(mean(log.map((r) => (r.shadow === r.truth ? 1 : 0))), 12);
    expect(s.checks.find((c: { id: string }) => c.id === "disagreement")).toMatchObject({
      status: "fail",
      limit: 0.2,
    });
    expect(body()).toContain("Recommendation: hold");
    expect(body()).toContain("| **basic** |");
    expect(server.rejections()).toEqual([]);
  });

  it("reads the candidate's per-class probability fields, taking the most probable class", async () => {
    const names = ["basic", "plus", "pro"];
    const log = rows().map((r, i) => {
      const label = Number(r["plan_id"]);
      // The candidate leans to the true class, except on every 4th request where it leans to the next one.
      const top = i % 4 === 0 ? (label + 1) % 3 : label;
      const p = [0.15, 0.15, 0.15];
      p[top] = 0.7;
      // The champion is as often wrong, on other requests (every 4th, offset by 2), so neither is worse.
      const served = names[i % 4 === 2 ? (label + 2) % 3 : label];
      return {
        request_id: r["customer_id"],
        served,
        p_basic: p[0],
        p_plus: p[1],
        p_pro: p[2],
        top,
        truth: names[label],
      };
    });
    ws.write("logs/shadow.jsonl", jsonl(log));
    writeManifest("plan", "multiclass", {
      artefact: `${suppliedArtefact("plan")}, classes: [basic, plus, pro] }`,
      evaluation:
        "{ data: data/plan.csv, label: plan, metrics: [accuracy], predictions: { candidate: [p_basic, p_plus, p_pro] } }",
      shadow: ["champion: served", "challenger: [p_basic, p_plus, p_pro]", "max-disagreement: 0.6"],
    });
    const result = await run("plan");
    expect(result.exitCode, result.stdout).toBe(0);
    const expected = names.map((a) =>
      names.map((_, j) => log.filter((r) => r.served === a && r.top === j).length),
    );
    expect(result.shadow.multiclass.confusion).toEqual(expected);
    expect(result.shadow.agreement.disagreement).toBeCloseTo(
      log.filter((r) => names[r.top] !== r.served).length / log.length,
      12,
    );

    writeManifest("plan", "multiclass", {
      artefact: `${suppliedArtefact("plan")}, classes: [basic, plus, pro] }`,
      evaluation:
        "{ data: data/plan.csv, label: plan, metrics: [accuracy], predictions: { candidate: [p_basic, p_plus, p_pro] } }",
      shadow: ["champion: served", "challenger: [p_basic, p_plus]"],
    });
    const short = await run("plan");
    expect(short.exitCode).toBe(1);
    expect(short.annotations.filter((a) => a.level === "error").map((a) => a.message)).toEqual([
      expect.stringContaining(
        "shadow.challenger: lists 2 probability fields for the 3 classes of artefact.classes. Fix: list one probability field per class",
      ),
    ]);
    expect(server.rejections()).toEqual([]);
  });

  it("names a logged class that is not one of artefact.classes in one error", async () => {
    ws.write(
      "logs/shadow.jsonl",
      jsonl([
        { request_id: "a", served: "basic", shadow: "plus", truth: "plus" },
        { request_id: "b", served: "gold", shadow: "plus", truth: "plus" },
      ]),
    );
    writeManifest("plan", "multiclass", {
      artefact: `${suppliedArtefact("plan")}, classes: [basic, plus, pro] }`,
      evaluation:
        "{ data: data/plan.csv, label: plan, metrics: [accuracy], predictions: { candidate: [p_basic, p_plus, p_pro] } }",
      shadow: ["champion: served", "challenger: shadow"],
    });
    const result = await run("plan");
    expect(result.exitCode).toBe(1);
    const errors = result.annotations.filter((a) => a.level === "error").map((a) => a.message);
    expect(errors).toEqual([
      expect.stringContaining(
        'shadow.champion: row 2 has the champion class "gold" in field "served", which is not one of artefact.classes (basic, plus, pro)',
      ),
    ]);
    expect(result.stdout).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });
});

describe("shadow-compare for a regression model", () => {
  const rows = () => csv("eval-regression.csv");
  // The champion is off by a repeating pattern of −3, −1.5, 0, +1.5, +3 (exact in binary) times `scale`.
  const offset = (i: number, scale = 1) => ((i % 5) - 2) * 1.5 * scale;

  it("scores the ONNX candidate's values: mean difference, share beyond the tolerance, paired MAE and RMSE", async () => {
    const log = rows().map((r, i) => ({
      request_id: r["customer_id"],
      inputs: Object.fromEntries(
        ["tenure_months", "data_gb", "support_calls", "age"].map((c) => [c, Number(r[c])]),
      ),
      // Far off (MAE 36), so the candidate is not the worse of the two on the outcomes.
      served: Number(r["monthly_charges"]) + offset(i, 20),
      truth: Number(r["monthly_charges"]),
    }));
    ws.write("logs/shadow.jsonl", jsonl(log));
    ws.write("models/charges/model.onnx", fx.bytes("models/regression.onnx"));
    writeManifest("charges", "regression", {
      artefact: `{ path: models/charges/model.onnx, sha256: "${fx.sha256("models/regression.onnx")}", inputs: { numeric: [tenure_months, data_gb, support_calls, age] }, outputs: { value: variable } }`,
      evaluation:
        "{ data: data/eval-regression.csv, label: monthly_charges, metrics: [mae, rmse, r2], bootstrap: 200, seed: 7 }",
      shadow: [
        "features: inputs",
        "champion: served",
        "tolerance: 10",
        "max-disagreement: 0.9",
        "max-psi: 5",
      ],
    });
    const result = await run("charges");
    expect(result.stderr).toBe("");
    expect(result.exitCode, result.stdout).toBe(0);
    const s = result.shadow;
    expect(s).toMatchObject({ task: "regression", threshold: null, challengerScores: "scored" });
    const g = s.regression;
    expect(g.tolerance).toBe(10);
    expect(s.agreement.disagreement).toBeCloseTo(g.beyondTolerance / log.length, 12);
    expect(g.meanDifference.ci[0]).toBeLessThan(g.meanDifference.value);
    expect(g.meanDifference.ci[1]).toBeGreaterThan(g.meanDifference.value);
    expect(s.distribution.histogram.labels).toHaveLength(10);
    expect(s.distribution.ks.statistic).toBeGreaterThanOrEqual(0);
    const o = s.outcomes.metrics;
    expect(Object.keys(o)).toEqual(["mae", "rmse", "r2"]);
    expect(o.mae.champion.value).toBeCloseTo(mean(log.map((_, i) => Math.abs(offset(i, 20)))), 6);
    expect(o.rmse.champion.value).toBeCloseTo(Math.sqrt(mean(log.map((_, i) => offset(i, 20) ** 2))), 6);
    expect(o.mae.delta.value).toBeCloseTo(o.mae.challenger.value - o.mae.champion.value, 12);
    for (const metric of [o.mae, o.rmse]) {
      expect(metric.delta.ci[0]).toBeLessThanOrEqual(metric.delta.value);
      expect(metric.delta.ci[1]).toBeGreaterThanOrEqual(metric.delta.value);
    }
    expect(typeof s.largestDisagreements[0].diff).toBe("number");
    expect(body()).toContain("Mean difference (candidate − champion) ");
    expect(body()).toContain("regression, tolerance 10");
    expect(server.rejections()).toEqual([]);
  });

  it("compares supplied values logged beside the champion's: every number recomputed from the log", async () => {
    const log = rows().map((r, i) => {
      const y = Number(r["monthly_charges"]);
      return {
        request_id: r["customer_id"],
        served: y + offset(i),
        shadow: y + (i % 4 === 0 ? 2.5 : -0.5),
        truth: y,
      };
    });
    ws.write("logs/shadow.jsonl", jsonl(log));
    writeManifest("charges", "regression", {
      artefact: `${suppliedArtefact("charges")} }`,
      evaluation:
        "{ data: data/charges.csv, label: charges, metrics: [mae, rmse], bootstrap: 200, predictions: { candidate: predicted } }",
      shadow: ["champion: served", "challenger: shadow", "tolerance: 2", "max-disagreement: 0.7"],
    });
    const result = await run("charges");
    expect(result.exitCode, result.stdout).toBe(0);
    const s = result.shadow;
    const diffs = log.map((r) => r.shadow - r.served);
    const beyond = diffs.filter((d) => Math.abs(d) > 2).length;
    expect(s.regression.beyondTolerance).toBe(beyond);
    expect(s.agreement.disagreement).toBeCloseTo(beyond / log.length, 12);
    const m = mean(diffs);
    const sd = Math.sqrt(diffs.reduce((a, d) => a + (d - m) ** 2, 0) / (diffs.length - 1));
    const half = 1.959963984540054 * (sd / Math.sqrt(diffs.length));
    expect(s.regression.meanDifference.value).toBeCloseTo(m, 9);
    expect(s.regression.meanDifference.ci[0]).toBeCloseTo(m - half, 6);
    expect(s.regression.meanDifference.ci[1]).toBeCloseTo(m + half, 6);
    expect(s.agreement.meanAbsDiff).toBeCloseTo(mean(diffs.map(Math.abs)), 9);
    const o = s.outcomes.metrics;
    expect(o.mae.challenger.value).toBeCloseTo(mean(log.map((r) => Math.abs(r.shadow - r.truth))), 9);
    expect(o.mae.champion.value).toBeCloseTo(mean(log.map((r) => Math.abs(r.served - r.truth))), 9);
    expect(o.rmse.challenger.value).toBeCloseTo(
      Math.sqrt(mean(log.map((r) => (r.shadow - r.truth) ** 2))),
      9,
    );
    // The candidate's errors are smaller on every pattern but one: MAE falls, significantly.
    expect(o.mae.delta.ci[1]).toBeLessThan(0);
    expect(s.checks.find((c: { id: string }) => c.id === "disagreement").reason).toMatch(
      /^predictions differ by more than 2 on /,
    );
    expect(server.rejections()).toEqual([]);
  });
});
