import { appendFile, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createRng } from "@gauntlet/core";
import { logisticModel } from "@gauntlet/fixtures";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { exampleWorkflow, gauntletSteps } from "./support/example-workflow.js";
import { type GitHubServer, startGitHubServer } from "./support/github-server.js";
import { createWorkspace, pushPayload, seedMerge, writeModelVersion } from "./support/promote-fixture.js";
import { type ActionResult, runAction } from "./support/run-action.js";
import { webhookPayload } from "./support/webhooks.js";

let server: GitHubServer;
let workspace: string;

beforeEach(async () => {
  server = await startGitHubServer();
  workspace = await createWorkspace();
});

afterEach(async () => {
  await server.close();
  await rm(workspace, { recursive: true, force: true });
});

const bytes = (bias: number) =>
  Buffer.from(
    logisticModel({
      weights: [-0.05],
      bias,
      features: ["tenure_months"],
      inputName: "tenure_months",
    }),
  );

const ROLLOUT = `rollout:
  log: logs/serving.jsonl
  latency: latency_ms
  error: error
  stages:
    - { stage: canary, traffic: 0.1, min-requests: 1000 }
    - { stage: half, traffic: 0.5, min-requests: 1000 }
    - { stage: production, traffic: 1.0 }
  checks: [ { signal: latency-p99, max-ratio: 1.2 }, { signal: error-rate, max-increase: 0.02 } ]
`;

/** v1.0.0 in production (no rollout), then v1.1.0 merged with rollout: — promote releases it to canary. */
async function releaseCanary(
  rollout = ROLLOUT,
): Promise<{ incumbent: string; candidate: string; promoted: ActionResult }> {
  await writeModelVersion(workspace, { name: "churn", version: "1.0.0", artefact: bytes(0.1) });
  const first = seedMerge(server, { churn: "success" }, "0.9.0", "1.0.0");
  const p1 = await runAction("actions/promote", {
    token: server.token,
    apiUrl: server.url,
    cwd: workspace,
    eventName: "push",
    payload: pushPayload(first),
  });
  expect(p1.exitCode, p1.stdout + p1.stderr).toBe(0);
  await writeModelVersion(workspace, { name: "churn", version: "1.1.0", artefact: bytes(0.2) });
  await appendFile(join(workspace, "models/churn/model.yml"), rollout);
  const second = seedMerge(server, { churn: "success" });
  const promoted = await runAction("actions/promote", {
    token: server.token,
    apiUrl: server.url,
    cwd: workspace,
    eventName: "push",
    payload: pushPayload(second),
  });
  expect(promoted.exitCode, promoted.stdout).toBe(0);
  return { incumbent: first.after, candidate: second.after, promoted };
}

function canary(inputs: Record<string, string> = {}): Promise<ActionResult> {
  return runAction("actions/canary-check", {
    inputs: { manifest: "models/churn/model.yml", ...inputs },
    cwd: workspace,
    eventName: "schedule",
    payload: webhookPayload("schedule"),
    token: server.token,
    apiUrl: server.url,
  });
}

const alias = (stage: string) => server.state.refs.get(`refs/tags/churn/${stage}`);
const stageStart = (stage: string) => {
  const d = server.state.deployments.filter((x) => x.environment === `churn/${stage}`).at(-1)!;
  return Date.parse(d.createdAt);
};

interface Traffic {
  share: number;
  total: number;
  candidateLatency?: number;
  candidateErrors?: number;
  /** Log a served score (normal, mean 0.3 + this for the new version, sd 0.1) and its class. */
  candidateScoreShift?: number;
}

/** Served-traffic rows after the stage began, the new version serving `share` of them (seeded). */
async function serve(stage: string, traffic: Traffic, seed: string, append = false): Promise<void> {
  const rng = createRng(seed);
  const start = stageStart(stage);
  const rows: string[] = [];
  for (let i = 0; i < traffic.total; i++) {
    const isNew = rng.next() < traffic.share;
    const median = isNew ? (traffic.candidateLatency ?? 50) : 50;
    const errorRate = isNew ? (traffic.candidateErrors ?? 0.01) : 0.01;
    const score =
      traffic.candidateScoreShift === undefined
        ? undefined
        : Number((0.3 + (isNew ? traffic.candidateScoreShift : 0) + rng.normal(0, 0.1)).toFixed(4));
    rows.push(
      JSON.stringify({
        timestamp: new Date(start + 1000 + i * 500).toISOString(),
        model_version: isNew ? "1.1.0" : "1.0.0",
        latency_ms: Number((median * Math.exp(rng.normal(0, 0.3))).toFixed(2)),
        error: rng.bernoulli(errorRate) === 1,
        ...(score === undefined ? {} : { score, tier: score < 0.25 ? "low" : score < 0.4 ? "mid" : "high" }),
      }),
    );
  }
  // The scheduled run comes after the traffic it reads (the server's clock stamps deployments).
  server.state.now = Math.max(server.state.now, start + 1000 + traffic.total * 500 + 60_000);
  const path = join(workspace, "logs/serving.jsonl");
  await mkdir(join(workspace, "logs"), { recursive: true });
  await (append ? appendFile(path, `${rows.join("\n")}\n`) : writeFile(path, `${rows.join("\n")}\n`));
}

const canaryIssues = () =>
  [...server.state.issues.values()].filter((i) => i.labels.includes("gauntlet:canary"));
const readCanary = async () =>
  JSON.parse(await readFile(join(workspace, ".gauntlet/churn/canary.json"), "utf8"));

describe("canary-check, run on a schedule as the runner runs it", () => {
  it("a merge with rollout: releases to the first stage: alias, deployment payload with the share, rollout.json", async () => {
    const { incumbent, candidate, promoted } = await releaseCanary();
    expect(promoted.stdout).toContain("to canary");
    expect(alias("canary")).toBe(candidate);
    expect(alias("production")).toBe(incumbent);
    const deployment = server.state.deployments.find((d) => d.environment === "churn/canary")!;
    expect(deployment.payload).toMatchObject({ stage: "canary", traffic: 0.1, version: "1.1.0" });
    const release = server.state.releases.find((r) => r.tagName === "churn/v1.1.0")!;
    const rollout = JSON.parse(release.assets.find((a) => a.name === "rollout.json")!.data.toString());
    expect(rollout.stages.map((s: { alias: string; traffic: number }) => [s.alias, s.traffic])).toEqual([
      ["churn/canary", 0.1],
      ["churn/half", 0.5],
      ["churn/production", 1],
    ]);
    // Without rollout:, v1.0.0 went straight to production with no rollout.json.
    const v1 = server.state.releases.find((r) => r.tagName === "churn/v1.0.0")!;
    expect(v1.assets.map((a) => a.name)).not.toContain("rollout.json");
  });

  it("a good canary expands through every stage to production over successive runs; re-runs change nothing", async () => {
    const { candidate } = await releaseCanary();
    await serve("canary", { share: 0.1, total: 22_000, candidateErrors: 0.005 }, "good-1");
    const r1 = await canary();
    expect(r1.exitCode, r1.stdout + r1.stderr).toBe(0);
    expect(r1.outputs).toMatchObject({ verdict: "expand", stage: "half" });
    expect(alias("half")).toBe(candidate);
    const half = server.state.deployments.find((d) => d.environment === "churn/half")!;
    expect(half.payload).toMatchObject({ stage: "half", traffic: 0.5 });

    // The next run: the half stage has just begun, nothing logged since — it holds and moves nothing.
    const updates = server.state.refUpdates.length;
    const r2 = await canary();
    expect(r2.outputs.verdict).toBe("hold");
    expect(server.state.refUpdates.length).toBe(updates);

    await serve("half", { share: 0.5, total: 4400, candidateErrors: 0.005 }, "good-2", true);
    const r3 = await canary();
    expect(r3.outputs, r3.stdout).toMatchObject({ verdict: "expand", stage: "production" });
    expect(alias("production")).toBe(candidate);
    expect(r3.summary).toContain("Verdict: expand");
    expect(r3.summary).toContain("```mermaid");

    const deployments = server.state.deployments.length;
    const r4 = await canary();
    expect(r4.outputs.verdict).toBe("complete");
    expect(server.state.deployments.length).toBe(deployments);
  });

  it("rolls a latency regression back to the incumbent in one step with one owner issue; a re-run changes nothing", async () => {
    const { incumbent } = await releaseCanary();
    await serve("canary", { share: 0.1, total: 22_000, candidateLatency: 90 }, "slow");
    const r1 = await canary();
    expect(r1.exitCode).toBe(1);
    expect(r1.outputs.verdict).toBe("rollback");
    expect(alias("canary")).toBe(incumbent);
    expect(canaryIssues()).toHaveLength(1);
    expect(canaryIssues()[0]!.body).toContain("1.1.0 was rolled back to 1.0.0");
    expect(canaryIssues()[0]!.body).toContain("p99 ");
    expect(canaryIssues()[0]!.body).toMatch(/of new requests above [\d.]+ ms: fails/);
    const result = await readCanary();
    expect(result.checks.find((c: { id: string }) => c.id === "latency-p99")).toMatchObject({
      status: "fail",
      limit: 1.2,
    });

    const updates = server.state.refUpdates.length;
    const r2 = await canary();
    expect(r2.exitCode).toBe(0);
    expect(r2.outputs.verdict).toBe("none");
    expect(canaryIssues()).toHaveLength(1);
    expect(server.state.refUpdates.length).toBe(updates);
  });

  it("two checks running at once move the alias once: the registry is verified before it moves", async () => {
    const { candidate } = await releaseCanary();
    await serve("canary", { share: 0.1, total: 22_000, candidateErrors: 0.005 }, "race");
    const [a, b] = await Promise.all([canary(), canary()]);
    expect([a.outputs.verdict, b.outputs.verdict]).toEqual(["expand", "expand"]);
    expect(alias("half")).toBe(candidate);
    expect(server.state.refUpdates.filter((u) => u.ref === "refs/tags/churn/half")).toHaveLength(1);
    // Whichever run re-reads the registry after the other moved it stops with the one clear
    // error; if both re-read before either moved, the move itself re-checks the alias and the
    // second finds the work done. Either way at least one run expands and none fails otherwise.
    for (const r of [a, b]) {
      if (r.exitCode === 0) continue;
      expect(r.exitCode, r.stdout + r.stderr).toBe(1);
      const errors = r.annotations.filter((x) => x.level === "error").map((x) => x.message);
      expect(errors.join()).toContain("changed since this check started");
    }
    expect([a.exitCode, b.exitCode]).toContain(0);
    // GitHub has no compare-and-set for deployments: two runs that pass the check at the same
    // instant may both record the stage's deployment (same commit, same share). The example
    // workflow's concurrency group serialises the runs; the alias itself is never moved twice.
    const half = server.state.deployments.filter((d) => d.environment === "churn/half");
    expect(half.length).toBeGreaterThanOrEqual(1);
    for (const d of half)
      expect({ sha: d.sha, payload: d.payload }).toMatchObject({ sha: candidate, payload: { traffic: 0.5 } });
  });

  it("stops with a clear error and writes nothing when another run moved the rollout after this check started", async () => {
    const { candidate } = await releaseCanary();
    await serve("canary", { share: 0.1, total: 22_000, candidateErrors: 0.005 }, "moved");
    // The check reads churn/canary's alias when it starts and again just before it writes;
    // in between (while it reads the log), another run expands the version to half.
    let reads = 0;
    server.onRequest(({ operationId, path }) => {
      if (operationId !== "git/get-ref" || !decodeURIComponent(path).endsWith("tags/churn/canary")) return;
      reads++;
      if (reads === 2) server.state.refs.set("refs/tags/churn/half", candidate);
    });
    const r = await canary();
    expect(reads).toBeGreaterThanOrEqual(2);
    expect(r.exitCode, r.stdout + r.stderr).toBe(1);
    const errors = r.annotations.filter((x) => x.level === "error").map((x) => x.message);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`alias churn/half moved from nothing to ${candidate.slice(0, 7)}`);
    expect(errors[0]).toContain("nothing was written");
    expect(errors[0]).toContain("concurrency group");
    expect(r.stderr).not.toContain("    at ");
    // Nothing written by this run: no ref update, no deployment to half; the look is kept.
    expect(server.state.refUpdates.filter((u) => u.ref === "refs/tags/churn/half")).toHaveLength(0);
    expect(server.state.deployments.filter((d) => d.environment === "churn/half")).toHaveLength(0);
    expect((await readCanary()).verdict).toBe("expand");
  });

  it("rolls back a version whose served scores shifted (prediction: score, on-fail: rollback), with the evidence in the issue", async () => {
    const rollout = ROLLOUT.replace("  error: error\n", "  error: error\n  score: score\n").replace(
      "max-increase: 0.02 } ]",
      "max-increase: 0.02 }, { prediction: score, max-shift: 0.05, on-fail: rollback } ]",
    );
    const { incumbent } = await releaseCanary(rollout);
    await serve(
      "canary",
      { share: 0.1, total: 22_000, candidateErrors: 0.005, candidateScoreShift: 0.12 },
      "shift",
    );
    const r = await canary();
    expect(r.exitCode, r.stdout + r.stderr).toBe(1);
    expect(r.outputs.verdict).toBe("rollback");
    expect(alias("canary")).toBe(incumbent);
    const result = await readCanary();
    const check = result.checks.find((c: { id: string }) => c.id === "prediction:score");
    expect(check).toMatchObject({ status: "fail", limit: 0.05, onFail: "rollback" });
    expect(check.value).toBeGreaterThan(0.1);
    expect(check.interval[0]).toBeGreaterThan(0.05);
    expect(result.predictions.candidate.meanScore).toBeGreaterThan(
      result.predictions.incumbent.meanScore + 0.1,
    );
    expect(canaryIssues()).toHaveLength(1);
    expect(canaryIssues()[0]!.body).toContain("prediction:score");
    // Markdown-escaped in the issue, as all data-derived text is.
    expect(canaryIssues()[0]!.body).toContain("rolling back \\(on\\-fail: rollback\\)");
    expect(r.summary).toContain('title "Mean score per window"');
  });

  it("holds a version whose served classes shifted (prediction: class, on-fail: hold): nothing moves, the step fails", async () => {
    const rollout = ROLLOUT.replace("  error: error\n", "  error: error\n  class: tier\n").replace(
      "max-increase: 0.02 } ]",
      "max-increase: 0.02 }, { prediction: class, max-shift: 0.05 } ]",
    );
    const { candidate } = await releaseCanary(rollout);
    await serve(
      "canary",
      { share: 0.1, total: 22_000, candidateErrors: 0.005, candidateScoreShift: 0.1 },
      "tiers",
    );
    const updates = server.state.refUpdates.length;
    const r = await canary();
    expect(r.exitCode, r.stdout + r.stderr).toBe(1);
    expect(r.outputs.verdict).toBe("hold");
    expect(alias("canary")).toBe(candidate);
    expect(alias("half")).toBeUndefined();
    expect(server.state.refUpdates.length).toBe(updates);
    expect(canaryIssues()).toHaveLength(0);
    const result = await readCanary();
    expect(result.status).toBe("fail");
    expect(result.checks.find((c: { id: string }) => c.id === "prediction:class")).toMatchObject({
      status: "fail",
      onFail: "hold",
    });
    expect(Object.keys(result.predictions.candidate.classShares).sort()).toEqual(["high", "low", "mid"]);
    expect(r.summary).toContain("holding \\(on\\-fail: hold\\)");
    expect(r.summary).toMatch(/\| share of class high \| \d+(\.\d+)?% \| \d+(\.\d+)?% \|/);
    expect(r.summary).toMatch(/title "Share of class (high|low) per window"/);
  });

  it("holds while a version neither arm knows is still being served, and says so", async () => {
    const { candidate } = await releaseCanary();
    await serve("canary", { share: 0.1, total: 22_000, candidateErrors: 0.005 }, "stale-replica");
    // A stale replica still serving 1.0.0-rc in the newest minutes of the log.
    const last = stageStart("canary") + 1000 + 22_000 * 500;
    const stale = Array.from({ length: 30 }, (_, i) =>
      JSON.stringify({
        timestamp: new Date(last - i * 1000).toISOString(),
        model_version: "1.0.0-rc",
        latency_ms: 50,
        error: false,
      }),
    );
    await appendFile(join(workspace, "logs/serving.jsonl"), `${stale.join("\n")}\n`);
    const r = await canary();
    expect(r.exitCode, r.stdout + r.stderr).toBe(1);
    expect(r.outputs.verdict).toBe("hold");
    expect(alias("half")).toBeUndefined();
    expect(alias("canary")).toBe(candidate);
    const result = await readCanary();
    expect(result.checks.find((c: { id: string }) => c.id === "versions")).toMatchObject({
      status: "fail",
      value: 30,
    });
    expect(r.summary).toContain("1.0.0\\-rc \\(30\\), still in the newest hour of the log: holding");
  });

  it("dry-run prints the rollback and writes nothing", async () => {
    const { candidate } = await releaseCanary();
    await serve("canary", { share: 0.1, total: 22_000, candidateLatency: 90 }, "slow");
    const r = await canary({ "dry-run": "true" });
    expect(r.outputs.verdict).toBe("rollback");
    expect(r.stdout).toContain("move alias churn/canary");
    expect(alias("canary")).toBe(candidate);
    expect(canaryIssues()).toHaveLength(0);
  });

  it("holds an inconclusive canary and states the traffic it still needs", async () => {
    await releaseCanary();
    await serve("canary", { share: 0.1, total: 2000 }, "thin");
    const r = await canary();
    expect(r.exitCode).toBe(0);
    expect(r.outputs.verdict).toBe("hold");
    const result = await readCanary();
    expect(result.needs.requests).toBeGreaterThan(500);
    expect(r.summary).toMatch(/Still needed:\*\* about \d+ more requests of the new version/);
  });

  it("holds on a sample-ratio mismatch and says so", async () => {
    const { candidate } = await releaseCanary();
    await serve("canary", { share: 0.3, total: 22_000, candidateErrors: 0.005 }, "srm");
    const r = await canary();
    expect(r.outputs.verdict).toBe("hold");
    expect(r.summary).toContain("mismatch: the new version served 30");
    expect(alias("half")).toBeUndefined();
    expect(alias("canary")).toBe(candidate);
  });

  it("refuses to roll back to an incumbent whose release no longer exists, moving nothing", async () => {
    const { candidate } = await releaseCanary();
    server.state.releases = server.state.releases.filter((r) => r.tagName !== "churn/v1.0.0");
    await serve("canary", { share: 0.1, total: 22_000, candidateLatency: 90 }, "slow");
    const r = await canary();
    expect(r.exitCode).toBe(1);
    const errors = r.annotations.filter((a) => a.level === "error").map((a) => a.message);
    expect(errors.join()).toContain("release churn/v1.0.0 no longer exists");
    expect(r.stderr).not.toContain("    at ");
    expect(alias("canary")).toBe(candidate);
  });

  it("runs examples/churn's canary.yml as written: skips a model without rollout:, expands one being rolled out", async () => {
    const job = exampleWorkflow("canary.yml").jobs["canary"]!;
    expect(job.permissions).toEqual({ contents: "write", deployments: "write", issues: "write" });
    const [step] = gauntletSteps(job);
    expect(step!.action).toBe("actions/canary-check");
    const runStep = () =>
      runAction(step!.action, {
        inputs: step!.inputs,
        cwd: workspace,
        eventName: "schedule",
        payload: webhookPayload("schedule"),
        token: server.token,
        apiUrl: server.url,
      });

    await writeModelVersion(workspace, { name: "churn", version: "1.0.0", artefact: bytes(0.1) });
    const skipped = await runStep();
    expect(skipped.exitCode, skipped.stderr).toBe(0);
    expect(skipped.stdout).toContain("churn: no rollout: section, skipped");

    const { candidate } = await releaseCanary();
    await serve("canary", { share: 0.1, total: 22_000, candidateErrors: 0.005 }, "example");
    const expanded = await runStep();
    expect(expanded.outputs).toMatchObject({ verdict: "expand", stage: "half" });
    expect(alias("half")).toBe(candidate);
  });
});
