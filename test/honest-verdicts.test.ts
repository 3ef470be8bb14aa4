import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { logisticModel } from "@gauntlet/fixtures";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ARTEFACT, evaluationJson, gateManifest, withBaseline } from "./support/gate-fixture.js";
import { type GitHubServer, startGitHubServer } from "./support/github-server.js";
import {
  createWorkspace as createPromoteWorkspace,
  pushPayload,
  writeModelVersion,
} from "./support/promote-fixture.js";
import { type ActionResult, runAction } from "./support/run-action.js";
import { type ShadowFixtures, shadowManifest, writeShadowFixtures } from "./support/shadow-fixtures.js";
import { validateManifest, writeValidateData } from "./support/validate-fixture.js";
import { patchFromState, webhookPayload } from "./support/webhooks.js";
import { createWorkspace, type Workspace } from "./support/workspace.js";

/**
 * Verdicts that used to be silently wrong: a gate passing on rules it could not evaluate, two
 * models of one name, a shadow verdict on one request, `passed` under `fail-on: never`, and a
 * bumped manifest hidden by GitHub's 300-file comparison limit.
 */

const PR = 7;
const action = (name: string) => join(import.meta.dirname, "..", "actions", name);
const errorsOf = (result: ActionResult) =>
  result.annotations.filter((a) => a.level === "error").map((a) => a.message);

let server: GitHubServer;
let ws: Workspace;

beforeEach(async () => {
  server = await startGitHubServer({ repo: { owner: "acme", name: "models" } });
  server.seed.pullRequest({ number: PR, user: "dev" });
  ws = createWorkspace();
});

afterEach(async () => {
  await server.close();
  ws.remove();
});

const onPullRequest = (name: string, inputs: Record<string, string>) =>
  runAction(action(name), {
    inputs,
    cwd: ws.dir,
    eventName: "pull_request",
    payload: webhookPayload("pull_request", "synchronize", patchFromState(server.state, PR)),
    token: server.token,
    apiUrl: server.url,
    timeoutMs: 60_000,
  });

describe("release-gate: a rule that could not be evaluated is not met", () => {
  beforeEach(() => {
    ws.write("models/churn/model.yml", gateManifest());
    ws.write("models/churn/model.onnx", ARTEFACT);
    server.seed.review({ pullNumber: PR, user: "octocat", state: "APPROVED" });
  });

  /** Every label of every slice was 0: AUC and recall are undefined there. */
  function oneClassSlices() {
    const file = withBaseline(evaluationJson(), { roc_auc: 0.005, recall: -0.01 }, { recall: [-0.03, 0.01] });
    for (const slice of [...file.slices, ...(file.baseline?.slices ?? [])]) {
      for (const metric of ["roc_auc", "recall"]) {
        if (slice.metrics[metric]) slice.metrics[metric] = { value: null, ci: null };
        if (slice.delta?.[metric]) slice.delta[metric] = { value: null, ci: null };
      }
    }
    return file;
  }

  it("fails the gate and names the undefined metric; if-undefined: pass accepts it explicitly", async () => {
    ws.write(".gauntlet/churn/evaluation.json", JSON.stringify(oneClassSlices()));
    const result = await onPullRequest("release-gate", { manifest: "models/churn/model.yml" });
    expect(result.exitCode).toBe(1);
    expect(result.outputs).toMatchObject({ status: "fail", passed: "false" });
    const gate = JSON.parse(readFileSync(ws.path(".gauntlet/churn/gate.json"), "utf8"));
    const unevaluated = gate.rules.filter((c: { reason: string }) => c.reason.includes("not evaluated"));
    expect(unevaluated.length).toBeGreaterThan(0);
    expect(unevaluated.every((c: { status: string }) => c.status === "fail")).toBe(true);
    expect(unevaluated[0].reason).toMatch(
      /is undefined .* \(undefined\): not evaluated, which blocks the gate/,
    );
    expect(server.state.checkRuns.at(-1)).toMatchObject({ conclusion: "failure" });

    ws.write("models/churn/model.yml", gateManifest().replace("gate:\n", "gate:\n  if-undefined: pass\n"));
    const accepted = await onPullRequest("release-gate", { manifest: "models/churn/model.yml" });
    expect(accepted.outputs).toMatchObject({ status: "pass", passed: "true" });
    const skipped = JSON.parse(readFileSync(ws.path(".gauntlet/churn/gate.json"), "utf8")).rules.filter(
      (c: { status: string }) => c.status === "skip",
    );
    expect(skipped[0].reason).toContain("accepted by if-undefined: pass");
  });
});

describe("validate-data: one model per name", () => {
  beforeEach(() => writeValidateData(ws));

  it("refuses a second manifest named churn in another folder, instead of overwriting churn's results", async () => {
    ws.write("models/churn/model.yml", validateManifest({ rowsMin: 10 }));
    // A copy left behind, failing its contract: it used to overwrite churn's passing result.
    ws.write("models/churn-old/model.yml", validateManifest({ rowsMin: 10_000 }));
    const result = await onPullRequest("validate-data", { manifest: "models/*/model.yml" });
    expect(result.exitCode).toBe(1);
    expect(result.outputs["passed"]).toBe("false");
    expect(errorsOf(result)).toEqual([
      "models/churn-old/model.yml: name: the model's name 'churn' differs from its folder 'churn-old'. " +
        "Fix: a model lives in models/<name>/model.yml: set name: churn-old, or move the manifest to models/churn/model.yml",
    ]);
    // churn's own result stands: 200 rows ≥ 10.
    expect(JSON.parse(readFileSync(ws.path(".gauntlet/churn/validation.json"), "utf8")).status).not.toBe(
      "fail",
    );
  });

  it("refuses two manifests in one model folder before running either", async () => {
    ws.write("models/churn/model.yml", validateManifest({ rowsMin: 10 }));
    ws.write("models/churn/model-copy.yml", validateManifest({ rowsMin: 10 }));
    const result = await onPullRequest("validate-data", { manifest: "models/churn/*.yml" });
    expect(result.exitCode).toBe(1);
    expect(result.outputs["passed"]).toBe("false");
    const [error, ...more] = errorsOf(result);
    expect(more).toEqual([]);
    expect(error).toContain("matches 2 manifests in folders of one name");
    expect(result.stdout).not.toContain("gauntlet bug");
  });

  it("sets passed=false for a failed check under fail-on: never, which only keeps the exit code 0", async () => {
    ws.write("models/churn/model.yml", validateManifest({ rowsMin: 10_000 }));
    const result = await onPullRequest("validate-data", {
      manifest: "models/churn/model.yml",
      "fail-on": "never",
    });
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ status: "fail", passed: "false" });
  });
});

describe("shadow-compare: a verdict needs enough compared requests", () => {
  let fx: ShadowFixtures;
  beforeAll(() => {
    fx = writeShadowFixtures();
  }, 60_000);
  afterAll(() => fx.remove());

  it("holds on one request after repeated ids are left out, naming them; min-requests lowers the bar", async () => {
    ws.write("models/churn/model.onnx", fx.bytes("models/candidate.onnx"));
    const [first] = fx.rows("logs/shadow-agreeing.jsonl");
    const repeated = Array.from({ length: 40 }, () => JSON.stringify(first)).join("\n");
    ws.write("logs/shadow.jsonl", `${repeated}\n`);
    ws.write("models/churn/model.yml", shadowManifest({ sha256: fx.sha256("models/candidate.onnx") }));
    const inputs = { manifest: "models/churn/model.yml", "champion-version": "1.2.0" };
    const result = await onPullRequest("shadow-compare", inputs);
    expect(result.exitCode).toBe(1);
    expect(result.outputs).toMatchObject({ status: "fail", passed: "false", recommendation: "hold" });
    const shadow = JSON.parse(readFileSync(ws.path(".gauntlet/churn/shadow.json"), "utf8"));
    expect(shadow.checks[0]).toMatchObject({
      id: "compared-requests",
      status: "fail",
      value: 1,
      limit: 1000,
    });
    expect(shadow.log.repeatedIds).toEqual([String(first!["request_id"])]);
    const comment = server.state.comments.find((c) => c.issueNumber === PR)!.body;
    expect(comment).toContain(
      "only 1 request compared \\(39 of 40 logged rows left out, 39 of them repeated ids\\)",
    );
    expect(comment).toContain("39 repeated request ids (first occurrence kept; e.g. `");

    const rows = fx.rows("logs/shadow-agreeing.jsonl").slice(0, 50);
    ws.write("logs/shadow.jsonl", `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`);
    ws.write(
      "models/churn/model.yml",
      shadowManifest({ sha256: fx.sha256("models/candidate.onnx"), extra: "  min-requests: 50\n" }),
    );
    const enough = await onPullRequest("shadow-compare", inputs);
    const checks = JSON.parse(readFileSync(ws.path(".gauntlet/churn/shadow.json"), "utf8")).checks;
    expect(checks[0]).toMatchObject({ id: "compared-requests", status: "pass", value: 50, limit: 50 });
    expect(enough.outputs["recommendation"]).not.toBe(undefined);
  });
});

describe("promote: a merge that touches more than 300 files", () => {
  let workspace: string;
  beforeEach(async () => {
    workspace = await createPromoteWorkspace();
  });
  afterEach(() => rmSync(workspace, { recursive: true, force: true }));

  it.each([
    { push: "after an earlier commit (compare API)", zeros: false },
    { push: "that created the branch (commit API, before = 0…0)", zeros: true },
  ])(
    "still finds the bumped manifest beyond the 300 files GitHub lists, for a push $push, and only that one",
    async ({ zeros }) => {
      const artefact = Buffer.from(
        logisticModel({
          weights: [-0.05],
          bias: 0.1,
          features: ["tenure_months"],
          inputName: "tenure_months",
        }),
      );
      await writeModelVersion(workspace, { name: "churn", version: "1.1.0", artefact });
      await writeModelVersion(workspace, { name: "fraud", version: "2.0.0", artefact, results: false });
      const manifestAt = (name: string, version: string) =>
        readFileSync(join(workspace, `models/${name}/model.yml`), "utf8").replace(
          /^version: .*$/m,
          `version: ${version}`,
        );

      const before = server.state.refs.get("refs/heads/main")!;
      server.state.commits.get(before)!.tree = {
        "models/churn/model.yml": manifestAt("churn", "1.0.0"),
        "models/fraud/model.yml": manifestAt("fraud", "2.0.0"),
      };
      // 350 files: the manifest is the 321st, so the comparison never lists it.
      const files = Array.from({ length: 350 }, (_, i) => ({
        filename: i === 320 ? "models/churn/model.yml" : `data/shards/part-${String(i).padStart(3, "0")}.csv`,
        status: "modified" as const,
        patch:
          i === 320
            ? "@@ -1,2 +1,2 @@\n name: churn\n-version: 1.0.0\n+version: 1.1.0"
            : "@@ -1 +1 @@\n-a\n+b",
      }));
      const merge = server.seed.commit({
        branch: "main",
        message: "Merge a large data refresh and churn 1.1.0",
        files,
        tree: { "models/churn/model.yml": manifestAt("churn", "1.1.0") },
      });
      const pull = server.seed.pullRequest({
        merged: true,
        mergeCommitSha: merge.sha,
        baseSha: before,
        files,
      });
      server.seed.checkRun({ name: "gauntlet/churn", headSha: pull.head.sha, conclusion: "success" });
      server.seed.review({ pullNumber: pull.number, user: "octocat" });

      const result = await runAction("actions/promote", {
        token: server.token,
        apiUrl: server.url,
        cwd: workspace,
        eventName: "push",
        payload: pushPayload({
          before: zeros ? "0".repeat(40) : before,
          after: merge.sha,
          headSha: pull.head.sha,
          number: pull.number,
        }),
      });
      expect(result.exitCode, result.stdout).toBe(0);
      expect(result.outputs).toMatchObject({ promoted: "churn@1.1.0", passed: "true" });
      expect(server.state.releases.map((r) => r.tagName)).toEqual(["churn/v1.1.0"]);
      const listed = server
        .calls()
        .find((c) => c.operationId === (zeros ? "repos/get-commit" : "repos/compare-commits"));
      expect(listed?.status).toBe(200);
      const read = server
        .calls()
        .filter((c) => c.operationId === "repos/get-content")
        .map((c) => [decodeURIComponent(c.path).replace(/^.*\/contents\//, ""), c.query["ref"]]);
      expect(read).toEqual([
        ["models/churn/model.yml", before],
        ["models/fraud/model.yml", before],
      ]);
      expect(server.rejections()).toEqual([]);
    },
  );
});
