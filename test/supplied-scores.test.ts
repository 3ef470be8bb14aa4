// The example's model whose scores are computed elsewhere (examples/churn/models/churn-scored:
// evaluation.predictions joins predictions.csv to data/eval.csv by customer_id; the artefact is a
// container digest file, never run), taken through the bundled actions as pr.yml and release.yml
// run them: validate-data, evaluate-slices, check-behaviour, shadow-compare, release-gate, promote.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { rocAuc } from "@gauntlet/core";
import { readTable } from "@gauntlet/data";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type GitHubServer, startGitHubServer } from "./support/github-server.js";
import { pushPayload, seedMerge } from "./support/promote-fixture.js";
import { type ActionResult, runAction } from "./support/run-action.js";
import { type ShadowFixtures, writeShadowFixtures } from "./support/shadow-fixtures.js";
import { patchFromState, webhookPayload } from "./support/webhooks.js";
import { createWorkspace, type Workspace } from "./support/workspace.js";

const ROOT = join(import.meta.dirname, "..");
const EXAMPLE = join(ROOT, "examples", "churn");
const MODEL = "churn-scored";
const MANIFEST = `models/${MODEL}/model.yml`;
const PR = 12;
const EXAMPLE_FILES = [
  MANIFEST,
  `models/${MODEL}/predictions.csv`,
  `models/${MODEL}/service.digest`,
  "data/eval.csv",
];

let fx: ShadowFixtures;
let server: GitHubServer;
let ws: Workspace;

const sha256 = (bytes: Uint8Array | string) => createHash("sha256").update(bytes).digest("hex");
const exampleBytes = (path: string) => readFileSync(join(EXAMPLE, path));
const readJson = (path: string) => JSON.parse(readFileSync(ws.path(path), "utf8"));
const errorsOf = (result: ActionResult) =>
  result.annotations.filter((a) => a.level === "error").map((a) => a.message);

/** Runs a bundled action on the pull request, as pr.yml's jobs do. */
function onPullRequest(action: string, inputs: Record<string, string> = {}): Promise<ActionResult> {
  return runAction(join(ROOT, "actions", action), {
    inputs: { manifest: MANIFEST, ...inputs },
    cwd: ws.dir,
    eventName: "pull_request",
    payload: webhookPayload("pull_request", "synchronize", patchFromState(server.state, PR)),
    token: server.token,
    apiUrl: server.url,
    timeoutMs: 120_000,
  });
}

/** Reads a CSV of plain cells (no quoting: the example's files have none) as rows of named cells. */
function csvRows(text: string): Record<string, string>[] {
  const [header, ...lines] = text.trimEnd().split("\n");
  const names = header!.split(",");
  return lines.map((line) => Object.fromEntries(line.split(",").map((cell, i) => [names[i]!, cell])));
}

beforeAll(() => {
  for (const action of [
    "validate-data",
    "evaluate-slices",
    "check-behaviour",
    "shadow-compare",
    "release-gate",
    "promote",
  ]) {
    readFileSync(join(ROOT, "actions", action, "dist", "index.js"));
  }
  fx = writeShadowFixtures();
}, 120_000);

afterAll(() => fx.remove());

beforeEach(async () => {
  server = await startGitHubServer();
  server.seed.pullRequest({ number: PR, user: "dev" });
  ws = createWorkspace("gauntlet-supplied-");
  for (const path of EXAMPLE_FILES) ws.write(path, exampleBytes(path));
  // The service logs both versions' scores; the agreeing log holds them as score and shadow_score.
  ws.write("logs/shadow/sample.jsonl", fx.bytes("logs/shadow-agreeing.jsonl"));
});

afterEach(async () => {
  await server.close();
  ws.remove();
});

describe("examples/churn's churn-scored: scores supplied in a predictions file, no ONNX", () => {
  it("is validated, evaluated, compared, gated and promoted by the bundles, saying the scores were supplied", async () => {
    const validate = await onPullRequest("validate-data");
    expect(validate.exitCode, validate.stderr).toBe(0);

    // evaluate-slices: the numbers are those of the predictions file's scores joined by customer_id.
    const evaluate = await onPullRequest("evaluate-slices");
    expect(evaluate.exitCode, evaluate.stderr).toBe(0);
    const evaluation = readJson(`.gauntlet/${MODEL}/evaluation.json`);
    const predictionsCsv = exampleBytes(`models/${MODEL}/predictions.csv`);
    expect(evaluation.predictions).toEqual({
      source: `models/${MODEL}/predictions.csv`,
      files: [{ path: `models/${MODEL}/predictions.csv`, sha256: sha256(predictionsCsv) }],
      key: ["customer_id"],
      candidate: ["score"],
      baseline: ["score_production"],
    });
    expect(evaluation.model.sha256).toBe(sha256(exampleBytes(`models/${MODEL}/service.digest`)));
    expect(evaluation.baseline.source).toEqual({
      kind: "supplied",
      reference: "score_production",
      path: `models/${MODEL}/predictions.csv`,
    });
    const scores = new Map(csvRows(predictionsCsv.toString("utf8")).map((r) => [r["customer_id"], r]));
    const data = csvRows(exampleBytes("data/eval.csv").toString("utf8"));
    const labels = data.map((r) => Number(r["churned"]));
    const candidate = data.map((r) => Number(scores.get(r["customer_id"])!["score"]));
    const production = data.map((r) => Number(scores.get(r["customer_id"])!["score_production"]));
    expect(evaluation.rows).toBe(data.length);
    expect(evaluation.overall.metrics.roc_auc.value).toBeCloseTo(rocAuc(labels, candidate).value!, 12);
    expect(evaluation.baseline.overall.metrics.roc_auc.value).toBeCloseTo(
      rocAuc(labels, production).value!,
      12,
    );
    const comment = server.state.comments.find((c) => c.issueNumber === PR)!.body;
    expect(comment).toContain("Scores supplied, not computed here");
    expect(comment).toContain(sha256(predictionsCsv).slice(0, 12));

    // check-behaviour over the glob skips a model without behaviour: (there is no model to probe).
    const behaviour = await onPullRequest("check-behaviour", { manifest: "models/*/model.yml" });
    expect(behaviour.exitCode, behaviour.stderr).toBe(0);
    expect(behaviour.stdout).toContain(`${MODEL}: no behaviour: section, skipped`);

    // shadow-compare: the logged challenger scores are compared; no model is loaded or benchmarked.
    const shadow = await onPullRequest("shadow-compare");
    expect(shadow.exitCode, shadow.stderr).toBe(0);
    const shadowJson = readJson(`.gauntlet/${MODEL}/shadow.json`);
    expect(shadowJson.challengerScores).toBe("logged");
    expect(shadowJson.model.sha256).toBe(evaluation.model.sha256);
    expect(shadowJson.latency.benchmarkBatches).toEqual([]);
    expect(shadowJson.agreement.n).toBeGreaterThan(3000);

    // release-gate: holds the supplied scores to the rules, and passes with an approval.
    server.seed.review({ pullNumber: PR, user: "octocat" });
    const gate = await onPullRequest("release-gate");
    expect(gate.exitCode, gate.stdout).toBe(0);
    expect(gate.outputs["passed"]).toBe("true");
    const gateJson = readJson(`.gauntlet/${MODEL}/gate.json`);
    expect(gateJson.status).toBe("pass");

    // promote: the release carries the digest file as its artefact, and the card says the scores were supplied.
    const merge = seedMerge(server, { [MODEL]: "success" }, "1.0.0", "2.0.0");
    const promote = await runAction(join(ROOT, "actions", "promote"), {
      cwd: ws.dir,
      eventName: "push",
      payload: pushPayload(merge),
      token: server.token,
      apiUrl: server.url,
      timeoutMs: 120_000,
    });
    expect(promote.exitCode, promote.stdout + promote.stderr).toBe(0);
    expect(promote.outputs).toMatchObject({ promoted: `${MODEL}@2.0.0`, tag: `${MODEL}/v2.0.0` });
    const release = server.state.releases.find((r) => r.tagName === `${MODEL}/v2.0.0`)!;
    expect(release.assets.map((a) => a.name).sort()).toEqual([
      "evaluation.json",
      "gate.json",
      "profile.json",
      "reference-sample.parquet",
      "service.digest",
    ]);
    // The reference sample's score column holds supplied candidate scores (it keeps no keys to join by).
    ws.write("sample.parquet", release.assets.find((a) => a.name === "reference-sample.parquet")!.data);
    const known = new Set(candidate);
    let sampled = 0;
    for await (const batch of readTable("sample.parquet", { cwd: ws.dir, columns: ["score"] })) {
      const column = batch.columns.get("score")!;
      expect(column.kind).toBe("number");
      for (let i = 0; i < batch.length; i++) expect(known.has(column.values[i] as number)).toBe(true);
      sampled += batch.length;
    }
    expect(sampled).toBeGreaterThan(0);
    expect(release.body).toContain("Scores were supplied, not computed by gauntlet");
    expect(release.body).toContain(
      "`service.digest`: the artefact (verified by SHA-256; its scores were supplied)",
    );
    const profile = JSON.parse(release.assets.find((a) => a.name === "profile.json")!.data.toString());
    // The reference's score column is the supplied candidate scores, calibrated against churned.
    expect(profile.prediction).toEqual({ column: "score", kind: "score" });
    expect(profile.calibration).toMatchObject({ label: "churned", positive: "1", rows: data.length });
    const positives = labels.reduce((a, b) => a + b, 0);
    const bins = profile.calibration.bins as { count: number; positiveRate: number; meanScore: number }[];
    expect(bins.reduce((n, b) => n + b.count * b.positiveRate, 0)).toBeCloseTo(positives, 6);
    const meanScore = candidate.reduce((a, b) => a + b, 0) / candidate.length;
    expect(bins.reduce((n, b) => n + b.count * b.meanScore, 0) / data.length).toBeCloseTo(meanScore, 9);
  }, 600_000);

  it("refuses a champion model to replay and a log without the challenger's scores, one error each", async () => {
    const replay = await onPullRequest("shadow-compare", { "champion-model": "models/production.onnx" });
    expect(replay.exitCode).toBe(1);
    expect(errorsOf(replay)).toEqual([expect.stringContaining("champion-model")]);
    expect(errorsOf(replay)[0]).toContain("cannot be replayed for a model whose scores are supplied");
    expect(replay.stderr).not.toMatch(/\n\s+at /);

    const manifest = exampleBytes(MANIFEST).toString("utf8");
    ws.write(MANIFEST, manifest.replace(/\n {2}challenger: shadow_score[^\n]*/, ""));
    const unlogged = await onPullRequest("shadow-compare");
    expect(unlogged.exitCode).toBe(1);
    expect(errorsOf(unlogged)).toEqual([expect.stringContaining("shadow.challenger")]);
    expect(errorsOf(unlogged)[0]).toContain("the candidate's scores are supplied");
  }, 300_000);

  it("fails evaluate-slices with one error naming the file when keys lack predictions", async () => {
    const csv = exampleBytes(`models/${MODEL}/predictions.csv`).toString("utf8").trimEnd().split("\n");
    // Drop every 50th row of scores: 100 of the 5,000 customers have none.
    ws.write(
      `models/${MODEL}/predictions.csv`,
      `${csv.filter((_, i) => i === 0 || i % 50 !== 0).join("\n")}\n`,
    );
    const result = await onPullRequest("evaluate-slices");
    expect(result.exitCode).toBe(1);
    const errors = errorsOf(result);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("evaluation.predictions.file");
    expect(errors[0]).toContain("100 of 5000 evaluation rows have no candidate scores");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }, 300_000);
});
