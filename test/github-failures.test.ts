import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { logisticModel } from "@gauntlet/fixtures";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { driftManifest, seedProductionRelease, writeLogs, writeReference } from "./support/drift-fixtures.js";
import {
  churnManifest,
  type EvaluateFixtures,
  placeChurn,
  seedRegistry,
  writeEvaluateFixtures,
} from "./support/evaluate-fixtures.js";
import { ARTEFACT, evaluationJson, gateManifest, withBaseline } from "./support/gate-fixture.js";
import { type Fault, type GitHubServer, startGitHubServer } from "./support/github-server.js";
import {
  createWorkspace as createPromoteWorkspace,
  pushPayload,
  seedMerge,
  writeModelVersion,
} from "./support/promote-fixture.js";
import { type ActionResult, runAction } from "./support/run-action.js";
import { type ShadowFixtures, shadowManifest, writeShadowFixtures } from "./support/shadow-fixtures.js";
import { validateManifest, writeValidateData } from "./support/validate-fixture.js";
import { patchFromState, webhookPayload } from "./support/webhooks.js";
import { createWorkspace, type Workspace } from "./support/workspace.js";

/**
 * GitHub failing under each action that talks to it: a 403 or 404 on a read, a persistent 5xx, a
 * rate limit that outlasts the retries, a malformed event payload. Each ends with one `::error`
 * naming the operation and the permission (or "GitHub is unavailable: re-run"), exit code 1, the
 * step's outputs set and its result files kept — never "gauntlet bug", never a stack trace.
 */

const PR = 7;
const STACK = /\n\s+at .*\(.*\.js:\d+:\d+\)/;
const action = (name: string) => join(import.meta.dirname, "..", "actions", name);

let server: GitHubServer;
let ws: Workspace;

beforeEach(async () => {
  server = await startGitHubServer({ repo: { owner: "acme", name: "models" } });
  server.seed.pullRequest({ number: PR });
  ws = createWorkspace();
});

afterEach(async () => {
  await server.close();
  ws.remove();
});

const prPayload = () => webhookPayload("pull_request", "synchronize", patchFromState(server.state, PR));
/** Runs an action on the pull request's `synchronize` event, with the server's all-powerful token. */
const onPullRequest = (name: string, inputs: Record<string, string>, extra: { timeoutMs?: number } = {}) =>
  runAction(action(name), {
    inputs,
    cwd: ws.dir,
    eventName: "pull_request",
    payload: prPayload(),
    token: server.token,
    apiUrl: server.url,
    ...extra,
  });

/** The one clean error every case ends with; returns its message. */
function expectOneCleanError(result: ActionResult): string {
  expect(result.exitCode, result.stdout).toBe(1);
  const errors = result.annotations.filter((a) => a.level === "error");
  expect(errors.map((e) => e.message)).toHaveLength(1);
  expect(result.stdout).not.toContain("gauntlet bug");
  expect(result.stdout).not.toMatch(STACK);
  expect(result.stderr).not.toMatch(STACK);
  expect(result.outputs["passed"]).toBe("false");
  return errors[0]!.message;
}

const UNAVAILABLE = /^GitHub is unavailable: re-run\. /;
/** A 5xx that outlasts the client's three retries. */
const persistent = (operationId: string, status: Fault["status"] = 502): Fault => ({
  operationId,
  status,
  times: 10,
});

describe("validate-data", () => {
  beforeEach(() => {
    ws.write("models/churn/model.yml", validateManifest({ rowsMin: 10 }));
    writeValidateData(ws);
  });
  const run = (token = server.token, payload: unknown = prPayload()) =>
    runAction(action("validate-data"), {
      inputs: { manifest: "models/churn/model.yml" },
      cwd: ws.dir,
      eventName: "pull_request",
      payload: payload as Record<string, unknown>,
      token,
      apiUrl: server.url,
    });
  const kept = (result: ActionResult) => {
    expect(result.outputs["result"]).toBe(".gauntlet/churn/validation.json");
    expect(result.outputs["report"]).toBe(".gauntlet/churn/validation.md");
    expect(readFileSync(ws.path(".gauntlet/churn/validation.json"), "utf8")).toContain(
      "gauntlet/validation@1",
    );
  };

  it("a token that cannot read the pull request's comments (403 on a read) names the permission", async () => {
    server.addToken("contents-only", { contents: "read" });
    const result = await run("contents-only");
    const message = expectOneCleanError(result);
    expect(message).toContain(
      "the token cannot read issue and pull request comments (GET /repos/acme/models/issues/7/comments)",
    );
    expect(message).toContain("it needs `permissions: pull-requests: read`");
    kept(result);
  });

  it("a persistent 502 on listing comments says GitHub is unavailable, after the retries", async () => {
    server.injectFault(persistent("issues/list-comments"));
    const result = await run();
    const message = expectOneCleanError(result);
    expect(message).toMatch(UNAVAILABLE);
    expect(message).toContain("read issue and pull request comments");
    expect(message).toContain("GitHub answered 502");
    expect(server.calls().filter((c) => c.fault === "502")).toHaveLength(4);
    kept(result);
  });

  it("a malformed event payload names the field, before any call", async () => {
    const payload = prPayload();
    delete payload.pull_request.head.sha;
    const result = await run(server.token, payload);
    const message = expectOneCleanError(result);
    expect(message).toContain("pull_request.head.sha: the event payload's pull request is malformed");
    expect(server.calls()).toHaveLength(0);
  });
});

describe("release-gate", () => {
  beforeEach(() => {
    ws.write("models/churn/model.yml", gateManifest());
    ws.write("models/churn/model.onnx", ARTEFACT);
    ws.write(
      ".gauntlet/churn/evaluation.json",
      JSON.stringify(
        withBaseline(evaluationJson(), { roc_auc: 0.005, recall: -0.01 }, { recall: [-0.03, 0.01] }),
      ),
    );
  });
  const run = () => onPullRequest("release-gate", { manifest: "models/churn/model.yml" });
  const kept = (result: ActionResult) => {
    expect(result.outputs["result"]).toBe(".gauntlet/churn/gate.json");
    expect(result.outputs["report"]).toBe(".gauntlet/churn/gate.md");
    const gate = JSON.parse(readFileSync(ws.path(".gauntlet/churn/gate.json"), "utf8"));
    expect(gate.status).toBe("pending");
    expect(gate.approvals.reason).toContain("reviews were not checked");
    expect(existsSync(ws.path(".gauntlet/churn/evaluation.json"))).toBe(true);
  };

  it("a 404 on listing reviews names the operation and permission, and still writes gate.json", async () => {
    server.injectFault({ operationId: "pulls/list-reviews", status: 404, times: 1 });
    const result = await run();
    const message = expectOneCleanError(result);
    expect(message).toContain(
      "the token cannot read pull request reviews (GET /repos/acme/models/pulls/7/reviews)",
    );
    expect(message).toContain("GitHub answered 404 Not Found");
    expect(message).toContain("`permissions: pull-requests: read`");
    kept(result);
  });

  it("a primary rate limit that resets in an hour is not waited for: GitHub is unavailable", async () => {
    server.injectFault({ operationId: "pulls/list-reviews", status: 403, primaryRateLimit: true, times: 10 });
    const result = await run();
    const message = expectOneCleanError(result);
    expect(message).toMatch(UNAVAILABLE);
    expect(message).toContain("rate limit outlasted the retries");
    expect(message).toContain("reviews of pull request #7 (GET /repos/acme/models/pulls/7/reviews)");
    kept(result);
  });

  it("a secondary rate limit on the comment that outlasts the retries: GitHub is unavailable", async () => {
    server.injectFault({
      operationId: "issues/list-comments",
      status: 403,
      secondaryRateLimit: true,
      times: 10,
    });
    const result = await run();
    const message = expectOneCleanError(result);
    expect(message).toMatch(UNAVAILABLE);
    expect(message).toContain("read issue and pull request comments");
    expect(server.calls().filter((c) => c.fault === "secondary-rate-limit")).toHaveLength(4);
    expect(result.outputs["result"]).toBe(".gauntlet/churn/gate.json");
  });
});

describe("evaluate-slices", () => {
  let fx: EvaluateFixtures;
  beforeAll(() => {
    fx = writeEvaluateFixtures();
  });
  afterAll(() => fx.remove());

  it("a 403 on listing the baseline's releases names the operation and contents: read", async () => {
    placeChurn(ws, fx, "models/candidate.onnx");
    ws.write(
      "models/churn/model.yml",
      churnManifest({ sha256: fx.sha256("models/candidate.onnx"), baseline: "production" }),
    );
    seedRegistry(server, {
      model: "churn",
      version: "1.2.0",
      artefact: fx.bytes("models/production.onnx"),
      older: { version: "1.1.0", artefact: fx.bytes("models/candidate.onnx") },
    });
    server.injectFault({ operationId: "repos/list-releases", status: 403, times: 10 });
    const result = await onPullRequest("evaluate-slices", { manifest: "models/churn/model.yml" });
    const message = expectOneCleanError(result);
    expect(message).toMatch(/the token cannot .*releases/);
    expect(message).toContain("`permissions: contents: read`");
  });
});

describe("shadow-compare", () => {
  let fx: ShadowFixtures;
  beforeAll(() => {
    fx = writeShadowFixtures();
  }, 60_000);
  afterAll(() => fx.remove());

  it("a persistent 503 on the comment keeps shadow.json and sets the outputs", async () => {
    ws.write("models/churn/model.onnx", fx.bytes("models/candidate.onnx"));
    ws.write("logs/shadow.jsonl", fx.bytes("logs/shadow-agreeing.jsonl"));
    ws.write("models/churn/model.yml", shadowManifest({ sha256: fx.sha256("models/candidate.onnx") }));
    server.injectFault(persistent("issues/list-comments", 503));
    const result = await onPullRequest(
      "shadow-compare",
      { manifest: "models/churn/model.yml", "champion-version": "1.2.0" },
      { timeoutMs: 60_000 },
    );
    const message = expectOneCleanError(result);
    expect(message).toMatch(UNAVAILABLE);
    expect(message).toContain("GitHub answered 503");
    expect(result.outputs["result"]).toBe(".gauntlet/churn/shadow.json");
    expect(result.outputs["recommendation"]).toBeTruthy();
    expect(readFileSync(ws.path(".gauntlet/churn/shadow.json"), "utf8")).toContain("gauntlet/shadow@1");
  });
});

describe("drift-check", () => {
  it("a 404 on listing issues names the operation, and drift.json is kept", async () => {
    const manifest = driftManifest();
    ws.write("models/churn/model.yml", manifest);
    await writeReference(ws, manifest);
    seedProductionRelease(server, ws);
    writeLogs(ws, { drifted: true });
    server.injectFault({ operationId: "issues/list-for-repo", status: 404, times: 10 });
    const result = await runAction(action("drift-check"), {
      inputs: { manifest: "models/churn/model.yml", "fail-on": "never" },
      cwd: ws.dir,
      eventName: "schedule",
      payload: webhookPayload("schedule"),
      token: server.token,
      apiUrl: server.url,
      repository: "acme/models",
    });
    const message = expectOneCleanError(result);
    expect(message).toContain("GET /repos/acme/models/issues");
    expect(message).toContain("`permissions: issues: read`");
    expect(result.outputs["result"]).toBe(".gauntlet/churn/drift.json");
    expect(JSON.parse(readFileSync(ws.path(".gauntlet/churn/drift.json"), "utf8")).level).toBe("alert");
  });
});

describe("promote", () => {
  let workspace: string;
  beforeEach(async () => {
    workspace = await createPromoteWorkspace();
  });
  afterEach(() => rmSync(workspace, { recursive: true, force: true }));

  it.each([
    {
      name: "a 403 on comparing the pushed commits",
      fault: { operationId: "repos/compare-commits", status: 403, times: 10 } as Fault,
      text: "`permissions: contents: read`",
    },
    {
      name: "a persistent 500 on comparing the pushed commits",
      fault: persistent("repos/compare-commits", 500),
      text: "GitHub is unavailable: re-run.",
    },
  ])("$name ends with one error naming the operation", async ({ fault, text }) => {
    const model = Buffer.from(
      logisticModel({
        weights: [-0.05],
        bias: 0.1,
        features: ["tenure_months"],
        inputName: "tenure_months",
      }),
    );
    await writeModelVersion(workspace, { name: "churn", version: "1.1.0", artefact: model });
    const merge = seedMerge(server, { churn: "success" });
    server.injectFault(fault);
    const result = await runAction("actions/promote", {
      token: server.token,
      apiUrl: server.url,
      cwd: workspace,
      eventName: "push",
      payload: pushPayload(merge),
    });
    const message = expectOneCleanError(result);
    expect(message).toContain("compare the commits of the push");
    expect(message).toContain(text);
    expect(server.state.releases).toHaveLength(0);
  });
});
