import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  churnManifest,
  type EvaluateFixtures,
  placeChurn,
  seedRegistry,
  writeEvaluateFixtures,
} from "./support/evaluate-fixtures.js";
import { exampleWorkflow, gauntletSteps } from "./support/example-workflow.js";
import { type GitHubServer, startGitHubServer } from "./support/github-server.js";
import { runAction } from "./support/run-action.js";
import { patchFromState, webhookPayload } from "./support/webhooks.js";
import { createWorkspace, type Workspace } from "./support/workspace.js";

const ACTION = join(import.meta.dirname, "..", "actions", "check-behaviour");
const GATE = join(import.meta.dirname, "..", "actions", "release-gate");
const PR = 7;
const BEHAVIOUR = `behaviour:
  cases: models/churn/cases.csv
  sample: 300
  invariance: [ { column: region, values: [AE, SA, EG], tolerance: 0.01 } ]
  directional: [ { column: support_calls, by: 2, expect: increase } ]
  edge-cases: true
  robustness: { noise: 0.05, max-flip-rate: 0.05 }
`;
const CASES = `tenure_months,monthly_charges,support_calls,data_gb,age,region,plan,expected
1,30,6,2,25,EG,prepaid_basic,1
120,10,0,5,50,AE,postpaid,0
`;

let fx: EvaluateFixtures;
let server: GitHubServer;
let ws: Workspace;

async function run(inputs: Record<string, string> = {}) {
  const result = await runAction(ACTION, {
    inputs: { manifest: "models/churn/model.yml", ...inputs },
    cwd: ws.dir,
    eventName: "pull_request",
    payload: webhookPayload("pull_request", "synchronize", patchFromState(server.state, PR)),
    token: server.token,
    apiUrl: server.url,
    timeoutMs: 60_000,
  });
  const path = ws.path(".gauntlet/churn/behaviour.json");
  const behaviour = result.outputs["result"] ? JSON.parse(readFileSync(path, "utf8")) : undefined;
  return { ...result, behaviour };
}

const commentsOn = (number: number) => server.state.comments.filter((c) => c.issueNumber === number);

beforeAll(() => {
  // The bundle is what the runner executes: the build runs first.
  readFileSync(join(ACTION, "dist", "index.js"));
  fx = writeEvaluateFixtures();
}, 60_000);

afterAll(() => fx.remove());

beforeEach(async () => {
  server = await startGitHubServer();
  server.seed.pullRequest({ number: PR });
  ws = createWorkspace();
  placeChurn(ws, fx, "models/candidate.onnx");
  ws.write("models/churn/cases.csv", CASES);
  ws.write(
    "models/churn/model.yml",
    churnManifest({ sha256: fx.sha256("models/candidate.onnx"), baseline: "production" }) + BEHAVIOUR,
  );
});

afterEach(async () => {
  await server.close();
  ws.remove();
});

describe("check-behaviour, run as the runner runs it", () => {
  it("tests candidate and the production release, writes behaviour.json and the Behaviour section once", async () => {
    seedRegistry(server, {
      model: "churn",
      version: "1.2.0",
      artefact: fx.bytes("models/production.onnx"),
      older: { version: "1.1.0", artefact: fx.bytes("models/tree.onnx") },
    });
    const result = await run();
    const behaviour = result.behaviour;
    expect(behaviour).toMatchObject({
      schema: "gauntlet/behaviour@1",
      model: { name: "churn", version: "1.3.0", sha256: fx.sha256("models/candidate.onnx") },
      production: { path: "production", sha256: fx.sha256("models/production.onnx") },
      sample: { source: "data/eval.csv", rows: 300 },
      threshold: 0.5,
    });
    const names = behaviour.tests.map((t: { name: string }) => t.name);
    expect(names).toEqual([
      "known-cases",
      "invariance:region",
      "directional:support_calls",
      "edge-cases",
      "robustness-flip-rate",
      "robustness-score-change",
      "out-of-distribution",
    ]);
    for (const check of behaviour.checks) {
      expect(["pass", "warn", "fail", "skip"]).toContain(check.status);
      expect(check.reason).toMatch(/\S/);
      expect(check).toHaveProperty("value");
      expect(check).toHaveProperty("limit");
    }
    for (const t of behaviour.tests) expect(t.production).not.toBeNull();
    const failing = behaviour.checks.filter((c: { status: string }) => c.status === "fail").length;
    expect(result.outputs["failed"]).toBe(String(failing));
    expect(result.outputs["status"]).toBe(behaviour.status);
    expect(result.exitCode).toBe(failing > 0 ? 1 : 0);
    expect(result.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
    expect(behaviour.disagreements).toHaveLength(5);
    // The record of which run computed the results, as every pull request action writes it.
    expect(JSON.parse(readFileSync(ws.path(".gauntlet/run.json"), "utf8"))).toMatchObject({
      schema: "gauntlet/run@1",
      event: "pull_request",
      pullRequest: PR,
    });
    const comments = commentsOn(PR);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain("<!-- gauntlet:section=behaviour -->");
    expect(comments[0]!.body).toContain("### Behaviour");
    expect(comments[0]!.body).toContain("Rows where candidate and production disagree most");
    // A re-run edits the same comment.
    await run();
    expect(commentsOn(PR)).toHaveLength(1);
  });

  it("tests the production model given as a path, without a comment", async () => {
    ws.write("models/churn/production.onnx", fx.bytes("models/production.onnx"));
    const result = await run({
      "production-model": "models/churn/production.onnx",
      comment: "false",
      "fail-on": "never",
    });
    expect(result.exitCode).toBe(0);
    expect(result.behaviour.production).toEqual({
      path: "models/churn/production.onnx",
      sha256: fx.sha256("models/production.onnx"),
    });
    expect(commentsOn(PR)).toHaveLength(0);
  });

  it("ends a known-cases file without the model's inputs in one ::error naming the file", async () => {
    ws.write("models/churn/cases.csv", "tenure_months,expected\n3,1\n");
    const result = await run({ "production-model": "", comment: "false" });
    expect(result.exitCode).toBe(1);
    const errors = result.stdout.split("\n").filter((l) => l.startsWith("::error"));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/file=models\/churn\/cases\.csv/);
    expect(errors[0]).toMatch(
      /the known-cases file has no columns monthly_charges, support_calls, data_gb, age, region, plan/,
    );
    expect(result.stdout + result.stderr).not.toMatch(/\n\s+at /);
  });

  it("ends a directional test on a categorical column in one ::error naming the field", async () => {
    ws.write(
      "models/churn/model.yml",
      churnManifest({ sha256: fx.sha256("models/candidate.onnx") }) +
        "behaviour:\n  directional: [ { column: plan, by: 1, expect: increase } ]\n",
    );
    const result = await run({ comment: "false" });
    expect(result.exitCode).toBe(1);
    const errors = result.stdout.split("\n").filter((l) => l.startsWith("::error"));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/behaviour\.directional\[0\]\.column: plan is a category column/);
  });
});

describe("the example repository's behaviour job and gate", () => {
  const EXAMPLE = join(import.meta.dirname, "..", "examples", "churn");
  const job = exampleWorkflow("pr.yml").jobs["behaviour"]!;

  it("fails the candidate's edge cases, and the gate's behaviour rule and requirement hold the release", async () => {
    for (const file of [
      "models/churn/model.yml",
      "models/churn/model.onnx",
      "models/churn/cases.csv",
      "data/eval.csv",
    ]) {
      ws.write(file, readFileSync(join(EXAMPLE, file)));
    }
    seedRegistry(server, {
      model: "churn",
      version: "1.2.0",
      artefact: fx.bytes("models/production.onnx"),
      older: { version: "1.1.0", artefact: fx.bytes("models/tree.onnx") },
    });
    const steps = gauntletSteps(job);
    expect(steps.map((s) => s.action)).toEqual(["actions/check-behaviour"]);
    expect(job.permissions).toEqual({ contents: "read", "pull-requests": "write" });
    const result = await run(steps[0]!.inputs);
    expect(result.exitCode).toBe(1);
    const failing = result.behaviour.tests.filter(
      (t: { candidate: { status: string } }) => t.candidate.status === "fail",
    );
    expect(failing.map((t: { name: string }) => t.name)).toEqual(["edge-cases"]);
    expect(failing[0].candidate.reason).toMatch(/tenure_months below min gives NaN/);
    expect(result.behaviour.production.path).toBe("production");
    const errors = result.annotations.filter((a) => a.level === "error");
    expect(errors.map((a) => a.message).join("\n")).toMatch(/tenure_months below min/);

    const gate = await runAction(GATE, {
      inputs: { manifest: "models/churn/model.yml", comment: "false" },
      cwd: ws.dir,
      eventName: "pull_request",
      payload: webhookPayload("pull_request", "synchronize", patchFromState(server.state, PR)),
      token: server.token,
      apiUrl: server.url,
      timeoutMs: 60_000,
    });
    expect(gate.exitCode).toBe(1);
    const verdict = JSON.parse(readFileSync(ws.path(".gauntlet/churn/gate.json"), "utf8"));
    const behaviourChecks = verdict.rules.filter((c: { id: string }) => c.id === "behaviour");
    expect(
      behaviourChecks
        .filter((c: { status: string }) => c.status === "fail")
        .map((c: { metric: string }) => c.metric),
    ).toEqual(["edge-cases"]);
    expect(
      behaviourChecks.find((c: { metric: string }) => c.metric === "robustness-flip-rate"),
    ).toMatchObject({
      status: "pass",
      limit: 0.05,
    });
    expect(
      verdict.requirements.find((r: { action: string }) => r.action === "check-behaviour"),
    ).toMatchObject({
      status: "fail",
      reason: "check-behaviour failed: 1 of 8 checks fail",
    });
  });
});

describe("check-behaviour when GitHub fails", () => {
  const errorsOf = (result: Awaited<ReturnType<typeof run>>) =>
    result.annotations.filter((a) => a.level === "error").map((a) => a.message);

  it("a 403 on listing the production release names the operation and contents: read", async () => {
    seedRegistry(server, {
      model: "churn",
      version: "1.2.0",
      artefact: fx.bytes("models/production.onnx"),
      older: { version: "1.1.0", artefact: fx.bytes("models/tree.onnx") },
    });
    server.injectFault({ operationId: "repos/list-releases", status: 403, times: 10 });
    const result = await run();
    expect(result.exitCode).toBe(1);
    const errors = errorsOf(result);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/the token cannot .*releases/);
    expect(errors[0]).toContain("`permissions: contents: read`");
    expect(result.stdout + result.stderr).not.toMatch(/\n\s+at .*\(.*\.js:\d+:\d+\)/);
  });

  it("a persistent 503 on the comment keeps behaviour.json and sets the outputs", async () => {
    ws.write("models/churn/production.onnx", fx.bytes("models/production.onnx"));
    server.injectFault({ operationId: "issues/list-comments", status: 503, times: 10 });
    const result = await run({ "production-model": "models/churn/production.onnx", "fail-on": "never" });
    expect(result.exitCode).toBe(1);
    // One error for GitHub; the others annotate the failing tests, as on a run where GitHub works.
    const unavailable = errorsOf(result).filter((e) => /^GitHub is unavailable: re-run\. /.test(e));
    expect(unavailable).toHaveLength(1);
    const failing = result.behaviour.checks.filter((c: { status: string }) => c.status === "fail").length;
    expect(errorsOf(result)).toHaveLength(1 + failing);
    expect(result.outputs["result"]).toBe(".gauntlet/churn/behaviour.json");
    expect(result.outputs["status"]).toBe(result.behaviour.status);
    expect(readFileSync(ws.path(".gauntlet/churn/behaviour.json"), "utf8")).toContain("gauntlet/behaviour@1");
  });
});
