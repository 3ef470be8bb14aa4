import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createRng, labelledScoreCounts, parseManifest } from "@gauntlet/core";
import { churnColumns, churnRows, writeCsv } from "@gauntlet/fixtures";
import { buildReferenceProfile } from "@gauntlet/steps";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  driftManifest,
  LOG_NOW,
  seedProductionRelease,
  writeLogs,
  writeReference,
} from "./support/drift-fixtures.js";
import { type GitHubServer, startGitHubServer } from "./support/github-server.js";
import { runAction } from "./support/run-action.js";
import { webhookPayload } from "./support/webhooks.js";
import { createWorkspace, type Workspace } from "./support/workspace.js";

const ACTION = join(import.meta.dirname, "..", "actions", "drift-check");
const OPERATIONS = `  latency: latency_ms
  error: error
  operations: { latency-p99: 250, error-rate: 0.05, volume: { min-ratio: 0.3 } }
  close-after: 1
`;

let server: GitHubServer;
let ws: Workspace;

async function run(extra: Record<string, string> = {}) {
  return runAction(ACTION, {
    inputs: { manifest: "models/churn/model.yml", "fail-on": "never", ...extra },
    cwd: ws.dir,
    eventName: "schedule",
    payload: webhookPayload("schedule"),
    token: server.token,
    apiUrl: server.url,
    repository: "acme/models",
  });
}

/** Hours before LOG_NOW (0 = the last hour of the logged day). */
const hoursAgo = (ts: string) => Math.floor((Date.parse(LOG_NOW) - Date.parse(ts)) / 3_600_000);

/** The example's logs with a latency and an error flag; `last` shapes the last 6-hour window. */
function writeOperationalLogs(last: { latencyMs?: number; errorEvery?: number } = {}) {
  writeLogs(ws);
  const path = ws.path("logs/predictions.jsonl");
  const lines = readFileSync(path, "utf8").trim().split("\n");
  const out = lines.map((line, i) => {
    const row = JSON.parse(line) as { ts: string };
    const recent = hoursAgo(row.ts) < 6;
    const latency = (recent ? (last.latencyMs ?? 40) : 40) + (i % 30);
    const failed = recent && last.errorEvery !== undefined ? i % last.errorEvery === 0 : i % 500 === 0;
    return JSON.stringify({ ...row, latency_ms: latency, error: failed });
  });
  writeFileSync(path, `${out.join("\n")}\n`);
}

const monitoringIssues = () =>
  [...server.state.issues.values()].filter((i) => i.labels.includes("gauntlet:drift"));
const commentsOn = (n: number) => server.state.comments.filter((c) => c.issueNumber === n);
const readDrift = () => JSON.parse(readFileSync(ws.path(".gauntlet/churn/drift.json"), "utf8"));

/** Rewrites the example's logs row by row: `map` gets each row without its binary outcome `churned`. */
function rewriteLogs(map: (row: { ts: string }, i: number, churned: number | undefined) => object) {
  writeLogs(ws);
  const path = ws.path("logs/predictions.jsonl");
  const lines = readFileSync(path, "utf8").trim().split("\n");
  const out = lines.map((line, i) => {
    const { churned, ...row } = JSON.parse(line) as { ts: string; churned?: number };
    return JSON.stringify(map(row, i, churned));
  });
  writeFileSync(path, `${out.join("\n")}\n`);
}

/** The churn manifest turned into another task's (`edits`: text replacements), its reference, and a release whose evaluation.json holds `metrics`. */
async function setUpTask(extra: string, edits: [string, string][], metrics: Record<string, unknown>) {
  const manifest = edits.reduce((text, [from, to]) => text.replace(from, to), driftManifest({ extra }));
  ws.write("models/churn/model.yml", manifest);
  await writeReference(ws, manifest);
  seedProductionRelease(server, ws, "churn", [
    {
      name: "evaluation.json",
      data: Buffer.from(JSON.stringify({ overall: { n: 4000, metrics } })),
      contentType: "application/json",
    },
  ]);
}

beforeAll(() => {
  readFileSync(join(ACTION, "dist", "index.js"));
});

beforeEach(async () => {
  server = await startGitHubServer({ repo: { owner: "acme", name: "models" } });
  ws = createWorkspace();
});

/** The churn manifest with `extra` under monitoring, its reference, and the release (with `assets`). */
async function setUp(extra: string, assets: Parameters<typeof seedProductionRelease>[3] = []) {
  const manifest = driftManifest({ extra });
  ws.write("models/churn/model.yml", manifest);
  await writeReference(ws, manifest);
  seedProductionRelease(server, ws, "churn", assets);
}

afterEach(async () => {
  await server.close();
  ws.remove();
});

describe("drift-check watches operational health, as the runner runs it", () => {
  it("opens the owner's issue on a latency regression, comments on an error spike, closes when healthy", async () => {
    await setUp(OPERATIONS);
    writeOperationalLogs();
    const healthy = await run();
    expect(healthy.exitCode).toBe(0);
    expect(healthy.stderr).toBe("");
    expect(readDrift().operations.checks.map((c: { status: string }) => c.status)).toEqual([
      "pass",
      "pass",
      "pass",
    ]);
    expect(monitoringIssues()).toHaveLength(0);

    writeOperationalLogs({ latencyMs: 400 });
    const slow = await run();
    expect(slow.outputs["level"]).toBe("alert");
    expect(monitoringIssues()).toHaveLength(1);
    const issue = monitoringIssues()[0]!;
    expect(issue.assignees).toEqual(["octocat"]);
    expect(issue.body).toContain("#### Operational health");
    expect(issue.body).toContain("| latency-p99 | 🔴 fail |");
    expect(readDrift().verdict).toMatch(
      /^alert: operations alert \(latency-p99: latency p99 4\d\d ms in the window from 2025-05-31T18:00:00.000Z/,
    );
    const check = readDrift().checks.find((c: { id: string }) => c.id === "latency-p99");
    expect(check).toMatchObject({ status: "fail", limit: 250 });

    writeOperationalLogs({ latencyMs: 400, errorEvery: 5 });
    await run();
    expect(monitoringIssues()).toHaveLength(1);
    const comment = commentsOn(issue.number).at(-1)!.body;
    expect(comment).toContain("Newly alerting: operations: error\\-rate.");
    expect(readDrift().checks.find((c: { id: string }) => c.id === "error-rate").status).toBe("fail");

    writeOperationalLogs();
    await run();
    expect(server.state.issues.get(issue.number)!.state).toBe("closed");
    expect(server.rejections()).toEqual([]);
  });

  it("merges sharded runs into one run's operational health, and the merge opens the owner's issue on it", async () => {
    await setUp(OPERATIONS);
    writeOperationalLogs({ latencyMs: 400, errorEvery: 5 });
    const single = await run({ comment: "false", "results-dir": ".single" });
    expect(single.outputs["level"]).toBe("alert");
    for (const shard of ["1/3", "2/3", "3/3"]) {
      const part = await run({ shard });
      expect(part.stderr).toBe("");
      expect(part.exitCode).toBe(0);
    }
    expect(monitoringIssues()).toHaveLength(0);
    const merged = await run({ merge: "true" });
    expect(merged.stderr).toBe("");
    expect(merged.outputs["level"]).toBe("alert");
    const reference = JSON.parse(readFileSync(ws.path(".single/churn/drift.json"), "utf8"));
    expect(reference.operations.checks.filter((c: { status: string }) => c.status === "fail")).toHaveLength(
      2,
    );
    expect(readDrift().operations).toEqual(reference.operations);
    const issue = monitoringIssues()[0]!;
    expect(issue.body).toContain("#### Operational health");
    expect(issue.body).toContain("| latency-p99 | 🔴 fail |");
    expect(issue.body).not.toContain("Not computed in a sharded run");
    expect(server.rejections()).toEqual([]);
  });

  it("opens the owner's issue when the realised ROC AUC drops below the released evaluation's after labels arrive", async () => {
    const evaluation = { overall: { n: 4000, metrics: { roc_auc: { value: 0.8, ci: [0.78, 0.82] } } } };
    await setUp(
      "  prediction:\n    realised: { roc_auc: { min: 0.6, max-drop: 0.05 } }\n  close-after: 1\n  retrain: { workflow: retrain.yml, after: 3 }\n",
      [
        {
          name: "evaluation.json",
          data: Buffer.from(JSON.stringify(evaluation)),
          contentType: "application/json",
        },
      ],
    );
    writeLogs(ws);
    const healthy = await run();
    expect(healthy.stderr).toBe("");
    const ok = readDrift().checks.find((c: { id: string }) => c.id === "realised-roc_auc");
    expect(ok).toMatchObject({ status: "pass", limit: 0.75 });
    expect(monitoringIssues()).toHaveLength(0);

    // The served scores lose their skill: labels that arrive show it.
    const path = ws.path("logs/predictions.jsonl");
    const lines = readFileSync(path, "utf8").trim().split("\n");
    const noisy = lines.map((line, i) =>
      JSON.stringify({ ...JSON.parse(line), score: ((i * 7919) % 1000) / 1000 }),
    );
    writeFileSync(path, `${noisy.join("\n")}\n`);
    const dropped = await run();
    expect(dropped.outputs["level"]).toBe("alert");
    const issue = monitoringIssues()[0]!;
    expect(issue.body).toContain("#### Prediction health limits");
    expect(issue.body).toContain("| realised-roc_auc | 🔴 fail |");
    expect(issue.body).toContain('"alerting":["prediction: realised\\u002droc_auc"]');
    // A failed performance limit retrains at once (after: 3 is for other alerts), saying why and when.
    expect(server.state.dispatches).toEqual([
      expect.objectContaining({
        workflowId: "retrain.yml",
        inputs: {
          model: "churn",
          trigger: "performance",
          reason: "performance limit failed (realised-roc_auc)",
          version: "1.2.0",
          window: "6h",
          from: "2025-05-31T00:00:00.000Z",
          to: "2025-06-01T00:00:00.000Z",
        },
      }),
    ]);
    expect(dropped.outputs["dispatched"]).toBe("retrain.yml");
    const failed = readDrift().checks.find((c: { id: string }) => c.id === "realised-roc_auc");
    expect(failed.reason).toContain("whole interval below the minimum 0.6 and the released 0.8 − 0.05");

    writeLogs(ws);
    await run();
    expect(server.state.issues.get(issue.number)!.state).toBe("closed");
    expect(server.rejections()).toEqual([]);
  });

  it("opens the owner's issue when a multiclass model's realised accuracy drops in the latest window", async () => {
    await setUpTask(
      "  prediction:\n    realised: { accuracy: { max-drop: 0.1 } }\n  close-after: 1\n",
      [
        ["task: binary", "task: multiclass"],
        ["classes: [0, 1]\n  positive: 1", "classes: [0, 1, 2]"],
        ["metrics: [roc_auc]", "metrics: [accuracy, f1_macro]"],
        ["score: score", "score: predicted_class"],
        ["outcome: churned", "outcome: plan_outcome"],
      ],
      { accuracy: { value: 0.9, ci: [0.89, 0.91] }, f1_macro: { value: 0.9 } },
    );
    /** The logged class and, where an outcome arrived, the true one: right on 92% of rows, `lastRight` in the last window. */
    const writeClassLogs = (lastRight: number) =>
      rewriteLogs((row, i, churned) => {
        const truth = i % 3;
        const right = ((i * 7919) % 100) / 100 < (hoursAgo(row.ts) < 6 ? lastRight : 0.92);
        const predicted = right ? truth : (truth + 1) % 3;
        const outcome = churned === undefined ? {} : { plan_outcome: truth };
        return { ...row, predicted_class: predicted, ...outcome };
      });
    writeClassLogs(0.92);
    const healthy = await run();
    expect(healthy.stderr).toBe("");
    const ok = readDrift().prediction.checks.find((c: { id: string }) => c.id === "realised-accuracy");
    expect(ok).toMatchObject({ status: "pass", limit: 0.8 });
    expect(monitoringIssues()).toHaveLength(0);

    // The served classes go wrong in the last window: the outcomes that arrive show it.
    writeClassLogs(0.4);
    const dropped = await run();
    expect(dropped.outputs["level"]).toBe("alert");
    const failed = readDrift().prediction.checks.find((c: { id: string }) => c.id === "realised-accuracy");
    expect(failed.status).toBe("fail");
    expect(failed.reason).toContain("in the window from 2025-05-31T18:00:00.000Z");
    expect(failed.reason).toContain("whole interval below the released 0.9 − 0.1");
    const issue = monitoringIssues()[0]!;
    expect(issue.body).toContain("#### Prediction health limits");
    expect(issue.body).toContain("| realised-accuracy | 🔴 fail |");
    expect(issue.body).toContain("| labelled | realised accuracy (95% CI) |");
    expect(issue.body).toContain('"alerting":["prediction: realised\\u002daccuracy"]');
    expect(server.rejections()).toEqual([]);
  });

  it("opens the owner's issue when a multiclass model's label-free estimated accuracy drops, with no labels logged", async () => {
    const evaluation = {
      overall: { n: 3000, metrics: { accuracy: { value: 0.8, ci: [0.78, 0.82] }, f1_macro: { value: 0.8 } } },
    };
    const manifest = driftManifest({
      extra:
        "  prediction:\n    estimated: { accuracy: { max-drop: 0.1 }, f1_macro: { min: 0.5 } }\n  close-after: 1\n",
    })
      .replace("task: binary", "task: multiclass")
      .replace("classes: [0, 1]\n  positive: 1", "classes: [0, 1, 2]")
      .replace("metrics: [roc_auc]", "metrics: [accuracy, f1_macro]")
      .replace("score: score", "score: predicted_class\n  probabilities: [p0, p1, p2]")
      .replace("  outcome: churned\n", "");
    ws.write("models/churn/model.yml", manifest);
    await writeReference(ws, manifest);
    /** Class probabilities softmax(z), z_k = 2·N(0, 1) · `spread`; the class drawn from them when `labelled`. */
    const rng = createRng("multiclass-estimate-e2e");
    const draw = (spread: number) => {
      const z = [0, 1, 2].map(() => 2 * spread * rng.normal(0, 1));
      const e = z.map((v) => Math.exp(v));
      const sum = e[0]! + e[1]! + e[2]!;
      return e.map((v) => v / sum);
    };
    // The reference as promote writes it for a multiclass model: each class's probability
    // against the label on the evaluation rows (here drawn from calibrated probabilities).
    const probabilities = Array.from({ length: 3000 }, () => draw(1));
    const labels = probabilities.map((p) => {
      const u = rng.next();
      return u < p[0]! ? 0 : u < p[0]! + p[1]! ? 1 : 2;
    });
    const profilePath = ws.path(".reference/profile.json");
    const profile = JSON.parse(readFileSync(profilePath, "utf8"));
    // Promote's reference also holds the model's predicted class on those rows (monitoring.score).
    const counts: Record<string, number> = { "0": 0, "1": 0, "2": 0 };
    for (const p of probabilities) counts[String(p.indexOf(Math.max(...p)))]! += 1;
    profile.columns.predicted_class = {
      kind: "category",
      rows: labels.length,
      count: labels.length,
      nulls: 0,
      counts,
      other: 0,
      chunks: [],
    };
    profile.prediction = { column: "predicted_class", kind: "class" };
    profile.classCalibration = {
      label: "churned",
      classes: ["0", "1", "2"],
      rows: labels.length,
      labelledScores: [0, 1, 2].map((k) =>
        labelledScoreCounts(
          probabilities.map((p) => p[k]!),
          labels.map((y) => (y === k ? 1 : 0)),
        ),
      ),
    };
    writeFileSync(profilePath, JSON.stringify(profile));
    seedProductionRelease(server, ws, "churn", [
      {
        name: "evaluation.json",
        data: Buffer.from(JSON.stringify(evaluation)),
        contentType: "application/json",
      },
    ]);
    /** The served class probabilities, no outcomes; in the last window spread by `lastSpread`. */
    const writeProbabilityLogs = (lastSpread: number) => {
      writeLogs(ws);
      const path = ws.path("logs/predictions.jsonl");
      const lines = readFileSync(path, "utf8").trim().split("\n");
      const out = lines.map((line) => {
        const { churned: _, ...row } = JSON.parse(line) as { ts: string; churned?: number };
        const p = draw(hoursAgo(row.ts) < 6 ? lastSpread : 1);
        const predicted = p.indexOf(Math.max(...p));
        return JSON.stringify({ ...row, predicted_class: String(predicted), p0: p[0], p1: p[1], p2: p[2] });
      });
      writeFileSync(path, `${out.join("\n")}\n`);
    };
    writeProbabilityLogs(1);
    const healthy = await run();
    expect(healthy.stderr).toBe("");
    const checks = () => readDrift().prediction.checks as { id: string; status: string; reason: string }[];
    expect(checks().find((c) => c.id === "calibration")!.status).toBe("pass");
    expect(checks().find((c) => c.id === "estimated-accuracy")).toMatchObject({
      status: "pass",
      limit: expect.closeTo(0.7, 12),
    });
    expect(monitoringIssues()).toHaveLength(0);

    // The last window's rows crowd the decision boundary: the probabilities say accuracy fell.
    writeProbabilityLogs(0.1);
    const dropped = await run();
    expect(dropped.outputs["level"]).toBe("alert");
    const failed = checks().find((c) => c.id === "estimated-accuracy")!;
    expect(failed.status).toBe("fail");
    expect(failed.reason).toContain("in the window from 2025-05-31T18:00:00.000Z");
    expect(failed.reason).toContain("no labels");
    expect(failed.reason).toContain("whole interval below the released 0.8 − 0.1");
    expect(readDrift().prediction.windows.at(-1).labelled).toBeUndefined();
    const issue = monitoringIssues()[0]!;
    expect(issue.body).toContain("| estimated-accuracy | 🔴 fail |");
    expect(issue.body).toContain("estimated accuracy (95% CI)");
    expect(issue.body).toContain("class probabilities recalibrated one-vs-rest by isotonic regression");
    expect(issue.body).toContain('"alerting":["prediction: estimated\\u002daccuracy"');
    expect(server.rejections()).toEqual([]);
  });

  it("counts a multiclass model's classes logged as numbers against a data-file reference, and flags the uncalibrated estimate with a ::warning", async () => {
    await setUpTask(
      "  prediction:\n    estimated: { accuracy: { min: 0.2 } }\n",
      [
        ["task: binary", "task: multiclass"],
        ["classes: [0, 1]\n  positive: 1", "classes: [0, 1, 2]"],
        ["metrics: [roc_auc]", "metrics: [accuracy, f1_macro]"],
        ["score: score", "score: predicted_class\n  probabilities: [p0, p1, p2]"],
        ["  outcome: churned\n", ""],
      ],
      { accuracy: { value: 0.8 }, f1_macro: { value: 0.8 } },
    );
    // The reference is the evaluation data: no predicted_class column (so the logged class is read
    // as a number) and no labelled class probabilities (so no calibration).
    const rng = createRng("multiclass-numeric-e2e");
    rewriteLogs((row) => {
      const e = [0, 1, 2].map(() => Math.exp(2 * rng.normal(0, 1)));
      const sum = e[0]! + e[1]! + e[2]!;
      const p = e.map((v) => v / sum);
      return { ...row, predicted_class: p.indexOf(Math.max(...p)), p0: p[0], p1: p[1], p2: p[2] };
    });
    const result = await run();
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    const prediction = readDrift().prediction;
    expect(prediction.windows.length).toBeGreaterThan(1);
    for (const w of prediction.windows) {
      expect(Object.keys(w.classShares).sort()).toEqual(["0", "1", "2"]);
      expect(w.estimatedRows).toBe(w.scored);
      expect(w.estimated.accuracy.value).toBeGreaterThan(0.2);
      expect(w.estimated.accuracy.ci).toBeNull();
    }
    expect(prediction.checks.find((c: { id: string }) => c.id === "calibration")).toMatchObject({
      status: "warn",
    });
    // As binary CBPE: the run flags the unchecked calibration on the manifest, not only in the report.
    expect(result.annotations.filter((a) => a.title === "gauntlet: calibration")).toEqual([
      expect.objectContaining({
        level: "warning",
        file: "models/churn/model.yml",
        message: expect.stringContaining("calibration not established"),
      }),
    ]);
    expect(server.rejections()).toEqual([]);
  });

  it("opens the owner's issue when a regression model's realised MAE rises in the latest window, and closes when healthy", async () => {
    await setUpTask(
      "  prediction:\n    realised: { mae: { max-rise: 0.5 } }\n  close-after: 1\n",
      [
        ["task: binary", "task: regression"],
        [
          "outputs: { probabilities: probabilities }\n  classes: [0, 1]\n  positive: 1",
          "outputs: { value: variable }",
        ],
        ["metrics: [roc_auc]", "metrics: [mae, rmse]"],
        ["score: score", "score: predicted_charges"],
        ["outcome: churned", "outcome: actual_charges"],
      ],
      { mae: { value: 0.64, ci: [0.62, 0.66] }, rmse: { value: 0.71 } },
    );
    /** The logged prediction and, where an outcome arrived, the true value: errors of size 1, `lastSpread` in the last window. */
    const writeValueLogs = (lastSpread: number) =>
      rewriteLogs((row, i, churned) => {
        const truth = 50 + (i % 40);
        const spread = hoursAgo(row.ts) < 6 ? lastSpread : 1;
        const outcome = churned === undefined ? {} : { actual_charges: truth };
        return { ...row, predicted_charges: truth + spread * Math.sin(i * 12.9898), ...outcome };
      });
    writeValueLogs(1);
    const healthy = await run();
    expect(healthy.stderr).toBe("");
    const ok = readDrift().prediction.checks.find((c: { id: string }) => c.id === "realised-mae");
    expect(ok.status).toBe("pass");
    expect(ok.limit).toBeCloseTo(1.14, 12);
    expect(ok.reason).toContain("whole period mae");
    expect(monitoringIssues()).toHaveLength(0);

    // The served values go wrong in the last window: the outcomes that arrive show it.
    writeValueLogs(4);
    const risen = await run();
    expect(risen.outputs["level"]).toBe("alert");
    const failed = readDrift().prediction.checks.find((c: { id: string }) => c.id === "realised-mae");
    expect(failed.status).toBe("fail");
    expect(failed.reason).toContain("in the window from 2025-05-31T18:00:00.000Z");
    expect(failed.reason).toContain("whole interval above the released 0.64 + 0.5");
    const issue = monitoringIssues()[0]!;
    expect(issue.assignees).toEqual(["octocat"]);
    expect(issue.body).toContain("| realised-mae | 🔴 fail |");
    expect(issue.body).toContain("| labelled | realised mae (95% CI) | realised rmse (95% CI) |");
    expect(issue.body).toContain("whole period (not judged)");
    expect(issue.body).toContain('"alerting":["prediction: realised\\u002dmae"]');

    writeValueLogs(1);
    await run();
    expect(server.state.issues.get(issue.number)!.state).toBe("closed");
    expect(server.rejections()).toEqual([]);
  });

  it("opens the owner's issue when a business KPI drops in the latest window, and closes when it recovers", async () => {
    await setUp(
      "  kpis:\n    - { name: retained, field: retained, aggregate: rate, min: 0.8 }\n  close-after: 1\n",
    );
    const writeKpiLogs = (lastRate: number) => {
      writeLogs(ws);
      const path = ws.path("logs/predictions.jsonl");
      const lines = readFileSync(path, "utf8").trim().split("\n");
      const out = lines.map((line, i) => {
        const row = JSON.parse(line) as { ts: string };
        const rate = hoursAgo(row.ts) < 6 ? lastRate : 0.9;
        return JSON.stringify({ ...row, retained: (i % 100) / 100 < rate });
      });
      writeFileSync(path, `${out.join("\n")}\n`);
    };
    writeKpiLogs(0.9);
    expect((await run()).stderr).toBe("");
    expect(monitoringIssues()).toHaveLength(0);

    writeKpiLogs(0.5);
    const dropped = await run();
    expect(dropped.outputs["level"]).toBe("alert");
    const issue = monitoringIssues()[0]!;
    expect(issue.body).toContain("#### Business KPIs");
    expect(issue.body).toContain("| kpi-retained | 🔴 fail |");
    expect(issue.body).toContain('"alerting":["kpis: kpi\\u002dretained"]');

    writeKpiLogs(0.9);
    await run();
    expect(server.state.issues.get(issue.number)!.state).toBe("closed");
    expect(server.rejections()).toEqual([]);
  });

  it("names a drift confined to one country and its owner in the issue; a healthy run closes it", async () => {
    await setUp('  slices: [region]\n  owners: { "region=AE": "uae-lead" }\n  close-after: 1\n');
    const writeRegionLogs = (drifted: boolean) => {
      writeLogs(ws);
      const path = ws.path("logs/predictions.jsonl");
      const lines = readFileSync(path, "utf8").trim().split("\n");
      const out = lines.map((line) => {
        const row = JSON.parse(line) as { ts: string; inputs: Record<string, unknown> };
        if (drifted && row.inputs["region"] === "AE" && hoursAgo(row.ts) < 6)
          row.inputs["monthly_charges"] = Number(row.inputs["monthly_charges"]) + 60;
        return JSON.stringify(row);
      });
      writeFileSync(path, `${out.join("\n")}\n`);
    };
    writeRegionLogs(false);
    expect((await run()).stderr).toBe("");
    expect(monitoringIssues()).toHaveLength(0);

    writeRegionLogs(true);
    const drifted = await run();
    expect(drifted.outputs["level"]).toBe("alert");
    const issue = monitoringIssues()[0]!;
    expect(issue.assignees).toEqual(["octocat", "uae-lead"]);
    expect(issue.body).toContain("Segment owners: @uae-lead (region\\=AE)");
    expect(issue.body).toContain("#### Worst segments");
    expect(issue.body).toContain('"alerting":["segments: region=AE"]');
    expect(readDrift().segments.segments[0]).toMatchObject({ slice: "region", value: "AE", level: "alert" });

    writeRegionLogs(false);
    await run();
    expect(server.state.issues.get(issue.number)!.state).toBe("closed");
    expect(server.rejections()).toEqual([]);
  });

  it("opens the owner's issue on a joint-distribution change whose marginals are stable (multivariate drift)", async () => {
    const manifest = driftManifest({ extra: "  multivariate: {}\n  close-after: 1\n" });
    ws.write("models/churn/model.yml", manifest);
    mkdirSync(ws.path("data"), { recursive: true });
    writeCsv(
      ws.path("data/eval.csv"),
      churnColumns(false),
      churnRows({ seed: 5, rows: 4_000, now: LOG_NOW }),
    );
    await buildReferenceProfile(parseManifest(manifest, "models/churn/model.yml"), {
      cwd: ws.dir,
      path: ws.path(".reference/profile.json"),
      sample: { path: ws.path(".reference/reference-sample.parquet"), maxRows: 100_000 },
    });
    seedProductionRelease(server, ws, "churn", [
      {
        name: "reference-sample.parquet",
        data: readFileSync(ws.path(".reference/reference-sample.parquet")),
        contentType: "application/octet-stream",
      },
    ]);
    /** The logs; with `anti`, the last 6 hours' tenure handed out in reverse order of their charges. */
    const writeJointLogs = (anti: boolean) => {
      writeLogs(ws);
      const path = ws.path("logs/predictions.jsonl");
      const rows = readFileSync(path, "utf8")
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as { ts: string; inputs: Record<string, number | string | null> });
      const last = rows.filter(
        (r) =>
          hoursAgo(r.ts) < 6 && r.inputs["tenure_months"] !== null && r.inputs["monthly_charges"] !== null,
      );
      if (anti) {
        const tenure = last.map((r) => Number(r.inputs["tenure_months"])).sort((a, b) => b - a);
        [...last]
          .sort((a, b) => Number(a.inputs["monthly_charges"]) - Number(b.inputs["monthly_charges"]))
          .forEach((r, i) => {
            r.inputs["tenure_months"] = tenure[i]!;
          });
      }
      writeFileSync(path, `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`);
    };
    writeJointLogs(false);
    expect((await run()).stderr).toBe("");
    expect(readDrift().multivariate.checks[0].status).toBe("pass");
    expect(monitoringIssues()).toHaveLength(0);

    writeJointLogs(true);
    const joint = await run();
    expect(joint.outputs["level"]).toBe("alert");
    const drift = readDrift();
    expect(drift.columns.filter((c: { level: string }) => c.level === "alert")).toEqual([]);
    const issue = monitoringIssues()[0]!;
    expect(issue.body).toContain("#### Multivariate drift (PCA reconstruction error)");
    expect(issue.body).toContain('"alerting":["multivariate: multivariate\\u002ddrift"]');

    writeJointLogs(false);
    await run();
    expect(server.state.issues.get(issue.number)!.state).toBe("closed");
    expect(server.rejections()).toEqual([]);
  });
});

describe("drift-check retrains on new labelled rows and on a schedule, as the runner runs it", () => {
  const DAY = 86_400_000;
  /** Moves the production release's publication date (time passing since the release). */
  const releasedDaysAgo = (days: number) => {
    const at = new Date(Date.now() - days * DAY).toISOString().replace(/\.\d{3}Z$/, "Z");
    server.state.releases[0]!.publishedAt = at;
    return at;
  };
  const labelledInLogs = () =>
    readDrift().windows.reduce((sum: number, w: { labelled: number }) => sum + w.labelled, 0);

  it("dispatches once when enough labelled rows were logged since the release, and not again on a re-run", async () => {
    await setUp("  retrain: { workflow: retrain.yml, after: 3, labels: 500 }\n");
    writeLogs(ws);
    const first = await run();
    expect(first.stderr).toBe("");
    expect(first.outputs["dispatched"]).toBe("retrain.yml");
    const labelled = labelledInLogs();
    expect(labelled).toBeGreaterThan(500);
    const published = server.state.releases[0]!.publishedAt;
    expect(server.state.dispatches).toEqual([
      expect.objectContaining({
        workflowId: "retrain.yml",
        ref: "main",
        inputs: {
          model: "churn",
          trigger: "labelled-rows",
          reason: `${labelled} labelled rows logged since release churn/v1.2.0 (${published}); the limit is 500`,
          version: "1.2.0",
          window: "6h",
          from: "2025-05-31T00:00:00.000Z",
          to: "2025-06-01T00:00:00.000Z",
        },
      }),
    ]);
    // A healthy run has no issue to keep the record in: it opens one saying why, and closes it.
    const [record] = monitoringIssues();
    expect(record).toMatchObject({ title: "Retraining: churn", state: "closed", assignees: ["octocat"] });
    expect(record!.body).toContain("Dispatched the retraining workflow `retrain.yml` (labelled-rows)");

    // Re-running the job (or the next scheduled run on the same logs) finds no newer labelled rows.
    const rerun = await run();
    expect(rerun.stderr).toBe("");
    expect(rerun.outputs["dispatched"]).toBeUndefined();
    expect(server.state.dispatches).toHaveLength(1);
    expect(monitoringIssues()).toHaveLength(1);
    expect(server.rejections()).toEqual([]);
  });

  it("does not retrain on a drift alert when only labels is configured (drift needs `after` next to it)", async () => {
    await setUp("  retrain: { workflow: retrain.yml, labels: 1000000 }\n");
    writeLogs(ws, { drifted: true });
    const drifted = await run();
    expect(drifted.stderr).toBe("");
    expect(drifted.outputs["level"]).toBe("alert");
    expect(monitoringIssues()).toHaveLength(1);
    expect(drifted.outputs["dispatched"]).toBeUndefined();
    expect(server.state.dispatches).toEqual([]);

    // Naming the drift trigger next to labels retrains on the same alert.
    ws.write(
      "models/churn/model.yml",
      driftManifest({ extra: "  retrain: { workflow: retrain.yml, labels: 1000000, after: 1 }\n" }),
    );
    const named = await run();
    expect(named.outputs["dispatched"]).toBe("retrain.yml");
    expect(server.state.dispatches.map((d) => d.inputs["trigger"])).toEqual(["drift"]);
    expect(server.rejections()).toEqual([]);
  });

  it("dispatches on the schedule when it is due and not before, once", async () => {
    await setUp("  retrain: { workflow: retrain.yml, after: 3, every: 30d }\n");
    writeLogs(ws);
    releasedDaysAgo(29);
    const early = await run();
    expect(early.stderr).toBe("");
    expect(server.state.dispatches).toEqual([]);
    expect(monitoringIssues()).toEqual([]);

    const published = releasedDaysAgo(31);
    const due = await run();
    expect(due.outputs["dispatched"]).toBe("retrain.yml");
    expect(server.state.dispatches).toHaveLength(1);
    const inputs = server.state.dispatches[0]!.inputs;
    expect(inputs["trigger"]).toBe("schedule");
    expect(inputs["reason"]).toMatch(
      new RegExp(
        `^31\\.0 days since release churn/v1\\.2\\.0 \\(${published}\\); the schedule is every 30d$`,
      ),
    );

    await run();
    expect(server.state.dispatches).toHaveLength(1);
    expect(server.rejections()).toEqual([]);
  });

  it("dispatches once naming both triggers when new labelled rows and the schedule are both due", async () => {
    await setUp("  retrain: { workflow: retrain.yml, after: 3, labels: 500, every: 30d }\n");
    // Logs of the last day, a release 40 days old: both triggers fire in the same run.
    writeLogs(ws, { now: Date.now() });
    releasedDaysAgo(40);
    const both = await run();
    expect(both.stderr).toBe("");
    expect(server.state.dispatches).toHaveLength(1);
    const inputs = server.state.dispatches[0]!.inputs;
    expect(inputs["trigger"]).toBe("labelled-rows,schedule");
    expect(inputs["reason"]).toMatch(
      new RegExp(
        `^${labelledInLogs()} labelled rows logged since release .*; the limit is 500; 40\\.0 days since release .*; the schedule is every 30d$`,
      ),
    );
    expect(monitoringIssues()).toHaveLength(1);

    await run();
    expect(server.state.dispatches).toHaveLength(1);
    expect(server.rejections()).toEqual([]);
  });
});
