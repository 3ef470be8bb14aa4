import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type GitHubServer, startGitHubServer } from "./support/github-server.js";
import { runAction } from "./support/run-action.js";
import { type ShadowFixtures, shadowManifest, writeShadowFixtures } from "./support/shadow-fixtures.js";
import { patchFromState, webhookPayload } from "./support/webhooks.js";
import { createWorkspace, type Workspace } from "./support/workspace.js";

const ACTION = join(import.meta.dirname, "..", "actions", "shadow-compare");
const PR = 7;
const FEATURES = ["tenure_months", "monthly_charges", "support_calls", "data_gb", "age", "region", "plan"];

let fx: ShadowFixtures;
let server: GitHubServer;
let ws: Workspace;

const jsonl = (rows: readonly Record<string, unknown>[]) =>
  `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`;

function setUp(
  log: string | Record<string, unknown>[],
  manifest: { challenger?: string | null; extra?: string } = {},
) {
  ws.write("logs/shadow.jsonl", typeof log === "string" ? fx.bytes(log) : jsonl(log));
  ws.write(
    "models/churn/model.yml",
    shadowManifest({ sha256: fx.sha256("models/candidate.onnx"), ...manifest }),
  );
}

async function run(inputs: Record<string, string> = {}) {
  const result = await runAction(ACTION, {
    inputs: {
      manifest: "models/churn/model.yml",
      "champion-model": "models/churn/production.onnx",
      "champion-version": "1.2.0",
      "challenger-latency": "shadow_latency_ms",
      ...inputs,
    },
    cwd: ws.dir,
    eventName: "pull_request",
    payload: webhookPayload("pull_request", "synchronize", patchFromState(server.state, PR)),
    token: server.token,
    apiUrl: server.url,
    timeoutMs: 60_000,
  });
  const path = ws.path(".gauntlet/churn/shadow.json");
  const shadow = result.outputs["result"] ? JSON.parse(readFileSync(path, "utf8")) : undefined;
  return { ...result, shadow };
}

const commentsOn = (number: number) => server.state.comments.filter((c) => c.issueNumber === number);

beforeAll(() => {
  readFileSync(join(ACTION, "dist", "index.js"));
  fx = writeShadowFixtures();
}, 60_000);

afterAll(() => fx.remove());

beforeEach(async () => {
  server = await startGitHubServer();
  server.seed.pullRequest({ number: PR });
  ws = createWorkspace();
  ws.write("models/churn/model.onnx", fx.bytes("models/candidate.onnx"));
  ws.write("models/churn/production.onnx", fx.bytes("models/production.onnx"));
});

afterEach(async () => {
  await server.close();
  ws.remove();
});

describe("shadow-compare, run as the runner runs it", () => {
  it("recommends promote to canary for a candidate that agrees, ignoring columns the model does not know", async () => {
    const rows = fx.rows("logs/shadow-agreeing.jsonl").map((r) => ({
      ...r,
      inputs: { ...(r["inputs"] as object), favourite_colour: "teal" },
      client: "ios",
    }));
    setUp(rows);
    const result = await run();
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    expect(result.outputs["recommendation"]).toBe("promote to canary");
    expect(result.outputs["passed"]).toBe("true");
    expect(Number(result.outputs["disagreement"])).toBeLessThan(0.02);
    const shadow = result.shadow;
    expect(shadow).toMatchObject({ schema: "gauntlet/shadow@1", challengerScores: "logged", status: "pass" });
    expect(shadow.model).toMatchObject({
      name: "churn",
      version: "1.3.0",
      sha256: fx.sha256("models/candidate.onnx"),
    });
    expect(shadow.log).toMatchObject({ rows: 4000, compared: 4000, duplicateIds: 0 });
    for (const check of shadow.checks) {
      expect(check).toEqual(
        expect.objectContaining({
          id: expect.any(String),
          status: expect.any(String),
          reason: expect.any(String),
        }),
      );
      expect(check).toHaveProperty("value");
      expect(check).toHaveProperty("limit");
    }
    expect(shadow.agreement.correlation).toBeGreaterThan(0.99);
    const c = shadow.agreement.confusion;
    expect(c.bothPositive + c.bothNegative + c.championOnly + c.challengerOnly).toBe(4000);
    expect(shadow.distribution.psi).toBeLessThan(0.01);
    expect(shadow.skew.replay).toMatchObject({ n: 4000, mismatched: 0 });
    expect(shadow.latency.logged.champion.p99Ms).toBeGreaterThan(shadow.latency.logged.champion.p50Ms);
    expect(shadow.latency.benchmark.challenger.p50Ms).toBeGreaterThan(0);
    expect(shadow.latency.benchmark.champion.p50Ms).toBeGreaterThan(0);
    // Both artefacts timed on the same logged rows: one row as served, and a 1,024-row batch.
    const batches = shadow.latency.benchmarkBatches;
    expect(batches.map((b: { rows: number }) => b.rows)).toEqual([1, 1024]);
    expect(batches[0]).toMatchObject({ champion: shadow.latency.benchmark.champion });
    for (const side of ["champion", "challenger"]) {
      expect(batches[1][side].p50Ms).toBeGreaterThan(0);
      expect(batches[1][side].rowsPerSecond).toBeGreaterThan(batches[0][side].rowsPerSecond);
    }
    expect(shadow.outcomes).toMatchObject({ sufficient: true });
    expect(shadow.outcomes.n).toBeGreaterThan(1000);
    const delta = shadow.outcomes.metrics.roc_auc.delta;
    expect(delta.ci[0]).toBeLessThanOrEqual(delta.value);
    expect(delta.ci[1]).toBeGreaterThanOrEqual(delta.value);
    // Ids only: no feature value of the log reaches the report or the result's disagreement list.
    expect(shadow.largestDisagreements[0]).not.toHaveProperty("features");
    const body = commentsOn(PR)[0]!.body;
    expect(body).toContain("### Shadow");
    expect(body).toContain("Recommendation: promote to canary");
    expect(body).toMatch(
      /```mermaid\nxychart-beta\n[\s\S]*\n {2}bar \[[\d., ]+\]\n {2}line \[[\d., ]+\]\n```/,
    );
    expect(body).not.toContain("teal");
    expect(body).toContain("| candidate, in process | 1,024 rows |");
    expect(body).toContain("exclude network, request parsing and serialisation");
    expect(result.summary).toContain("Shadow");
    expect(result.outputs["comment-id"]).toBe(String(commentsOn(PR)[0]!.id));
    expect(server.rejections()).toEqual([]);
  });

  it("holds a candidate that disagrees in a single slice and names that slice worst", async () => {
    setUp("logs/shadow-disagreeing.jsonl");
    const result = await run();
    expect(result.exitCode).toBe(1);
    expect(result.outputs["recommendation"]).toBe("hold");
    expect(result.shadow.slices[0]).toMatchObject({ key: { region: "MA" }, suppressed: false });
    expect(result.shadow.slices[0].disagreement).toBeGreaterThan(0.5);
    expect(result.shadow.slices[1].disagreement).toBeLessThan(0.05);
    const check = result.shadow.checks.find((c: { id: string }) => c.id === "slice-disagreement");
    expect(check).toMatchObject({ status: "fail", column: "region=MA", limit: 0.05 });
    expect(result.shadow.reasons.join("\n")).toContain("region=MA");
    expect(result.annotations.some((a) => a.level === "error" && a.message.includes("region=MA"))).toBe(true);
    expect(commentsOn(PR)[0]!.body).toContain("Recommendation: hold");
  });

  it("reports training-serving skew by replay and against offline features", async () => {
    setUp("logs/shadow-skewed.jsonl", { extra: "  offline-features: data/offline.csv\n" });
    const truth = fx.rows("logs/shadow-agreeing.jsonl");
    const csv = truth.map((r) => {
      const inputs = r["inputs"] as Record<string, unknown>;
      return [r["request_id"], ...FEATURES.slice(0, 6).map((f) => inputs[f] ?? "")].join(",");
    });
    // The offline pipeline does not export `plan`: the column is reported missing on that side.
    ws.write("data/offline.csv", `request_id,${FEATURES.slice(0, 6).join(",")}\n${csv.join("\n")}\n`);
    const result = await run();
    expect(result.outputs["recommendation"]).toBe("hold");
    const { replay, features } = result.shadow.skew;
    expect(replay.share).toBeGreaterThan(0.5);
    expect(features.matched).toBe(4000);
    expect(features.columns[0]).toMatchObject({ column: "data_gb" });
    expect(features.columns[0].mismatched).toBeGreaterThan(3000);
    expect(features.columns.find((c: { column: string }) => c.column === "tenure_months").mismatched).toBe(0);
    expect(features.missingOffline).toEqual(["plan"]);
    const checks = Object.fromEntries(
      result.shadow.checks.map((c: { id: string; status: string }) => [c.id, c.status]),
    );
    expect(checks).toMatchObject({ "score-skew": "fail", "feature-skew": "fail", "feature-columns": "warn" });
    expect(commentsOn(PR)[0]!.body).toContain("data\\_gb");
  });

  it("scores the candidate offline when its scores were not logged", async () => {
    setUp("logs/shadow-no-candidate.jsonl", { challenger: null });
    const result = await run({ "challenger-latency": "" });
    expect(result.shadow.challengerScores).toBe("scored");
    expect(result.shadow.agreement.n).toBe(4000);
    // The candidate artefact is another model (log1p features, no MA rows in training): it differs, but correlates.
    expect(result.shadow.agreement.correlation).toBeGreaterThan(0.8);
    expect(result.shadow.agreement.meanAbsDiff).toBeGreaterThan(0.01);
    expect(commentsOn(PR)[0]!.body).toContain("candidate scored offline");
  });

  it("counts repeated request ids, keeps the first occurrence and says so", async () => {
    setUp("logs/shadow-duplicate-ids.jsonl");
    const result = await run();
    const rows = fx.rows("logs/shadow-duplicate-ids.jsonl");
    const distinct = new Set(rows.map((r) => r["request_id"])).size;
    expect(result.shadow.log.duplicateIds).toBe(rows.length - distinct);
    expect(result.shadow.log.compared).toBe(distinct);
    expect(result.shadow.checks.find((c: { id: string }) => c.id === "skipped-rows")).toMatchObject({
      status: "warn",
    });
    expect(commentsOn(PR)[0]!.body).toContain(
      `${rows.length - distinct} repeated request ids (first occurrence kept; e.g. \``,
    );
  });

  it("leaves out rows without a champion score and rows of another model version", async () => {
    const rows = fx.rows("logs/shadow-agreeing.jsonl").map((r, i) => {
      if (i % 40 === 0) {
        const { score: _, ...rest } = r;
        return rest;
      }
      return i % 10 === 1 ? { ...r, model_version: "1.1.0" } : r;
    });
    setUp(rows);
    const result = await run();
    expect(result.shadow.log).toMatchObject({
      missingChampionScore: 100,
      otherVersions: { "1.1.0": 400 },
      compared: 3500,
    });
    const body = commentsOn(PR)[0]!.body;
    expect(body).toContain("100 without a champion score");
    expect(body).toContain("400 of version 1.1.0 (another model version)");
  });

  it("says no data for an empty log", async () => {
    setUp([]);
    ws.write("logs/shadow.jsonl", "");
    const result = await run();
    expect(result.exitCode).toBe(1);
    const errors = result.annotations.filter((a) => a.level === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/no data/);
    expect(errors[0]!.message).toContain("logs/shadow.jsonl");
    expect(result.stdout).not.toMatch(/\n\s+at .*\.js:\d+:\d+/);
  });

  it("names the missing columns and the log when the model needs columns it lacks", async () => {
    const rows = fx.rows("logs/shadow-agreeing.jsonl").map((r) => {
      const { age: _, plan: __, ...inputs } = r["inputs"] as Record<string, unknown>;
      return { ...r, inputs };
    });
    setUp(rows);
    const result = await run();
    expect(result.exitCode).toBe(1);
    const errors = result.annotations.filter((a) => a.level === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toContain("inputs.age, inputs.plan");
    expect(errors[0]!.message).toContain("logs/shadow.jsonl");
    expect(errors[0]!.file).toBe("models/churn/model.yml");
  });

  it("shows how little 0.1% of outcomes says, and takes no verdict from them", async () => {
    let kept = 0;
    const rows = fx.rows("logs/shadow-disagreeing.jsonl").map((r) => {
      if (r["churned"] === undefined) return r;
      if (kept < 4 && (r["churned"] === 1) === (kept % 2 === 0)) {
        kept++;
        return r;
      }
      const { churned: _, ...rest } = r;
      return rest;
    });
    setUp(rows);
    const result = await run({ "fail-on": "never" });
    const outcomes = result.shadow.outcomes;
    expect(outcomes).toMatchObject({ n: 4, labelled: 4, sufficient: false });
    expect(outcomes.note).toContain("only 4 requests with outcomes");
    const outcomeChecks = result.shadow.checks.filter((c: { id: string }) => c.id === "outcome-metric");
    expect(outcomeChecks.length).toBeGreaterThan(0);
    for (const check of outcomeChecks) expect(check.status).toBe("skip");
    const accuracy = outcomes.metrics.accuracy.challenger;
    if (accuracy.ci) expect(accuracy.ci[1] - accuracy.ci[0]).toBeGreaterThan(0.2);
    expect(commentsOn(PR)[0]!.body).toContain("Outcomes (n = 4)");
    // The disagreement still holds the candidate: outcomes do not override the traffic checks.
    expect(result.outputs["recommendation"]).toBe("hold");
    expect(result.exitCode).toBe(0);
  });
});

describe("shadow-compare with sample weights (shadow.weight), run as the runner runs it", () => {
  it("weighs each request's outcome as that request logged as many times, and says so", async () => {
    const rows = fx.rows("logs/shadow-agreeing.jsonl");
    const weightOf = (i: number) => [1, 2, 0, 3, 1][i % 5]!;
    setUp(
      rows.flatMap((r, i) =>
        Array.from({ length: weightOf(i) }, (_, k) => ({ ...r, request_id: `${r["request_id"]}-${k}` })),
      ),
    );
    const repeated = await run({ comment: "false" });
    expect(repeated.exitCode, repeated.stdout).toBe(0);
    setUp(
      rows.map((r, i) => ({ ...r, w: weightOf(i) })),
      { extra: "  weight: w\n" },
    );
    const weighted = await run();
    expect(weighted.exitCode, weighted.stdout).toBe(0);
    const want = repeated.shadow.outcomes;
    const got = weighted.shadow.outcomes;
    expect(got.weight).toBe("w");
    expect(want.weight).toBeUndefined();
    const names = Object.keys(want.metrics);
    expect(names.length).toBeGreaterThan(1);
    for (const name of names) {
      for (const side of ["champion", "challenger", "delta"]) {
        expect(got.metrics[name][side].value, `${name} ${side}`).toBeCloseTo(
          want.metrics[name][side].value,
          9,
        );
      }
    }
    expect(commentsOn(PR)[0]!.body).toContain("Weighted by `w`.");
    expect(server.rejections()).toEqual([]);
  });
});
