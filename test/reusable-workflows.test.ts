// The reusable workflows a model repository calls in about 20 lines (docs/quickstart.md): their
// gauntlet steps run through the bundles as GitHub would run the called jobs, for a push to a pull
// request and for a review, which re-runs only the gate on the push's results.
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { churnManifest, type EvaluateFixtures, writeEvaluateFixtures } from "./support/evaluate-fixtures.js";
import {
  exampleWorkflow,
  filesUnder,
  gauntletSteps,
  repoWorkflow,
  type WorkflowJob,
} from "./support/example-workflow.js";
import { type GitHubServer, startGitHubServer } from "./support/github-server.js";
import type { PullState } from "./support/github-state.js";
import { type ActionResult, type RunActionOptions, runAction } from "./support/run-action.js";
import { patchFromState, webhookPayload } from "./support/webhooks.js";
import { createWorkspace, type Workspace } from "./support/workspace.js";

const PR = 12;
const PUSH_RUN = 7_001;
const CALLER = ".github/workflows/model-pr.yml";
const GATE = `gate:
  rules:
    - { metric: roc_auc, min: 0.6 }
  approvals: { min: 1, from: [octocat] }
  require: [validate-data, evaluate-slices]
`;
const PR_SIDE = repoWorkflow("model-pr.yml");
const RELEASE_SIDE = repoWorkflow("model-release.yml");

let fx: EvaluateFixtures;
let server: GitHubServer;
let ws: Workspace;
let pull: PullState;

/** The quick start's caller workflows, as the reader copies them. */
function quickstartWorkflows(): { text: string; workflow: Record<string, unknown> }[] {
  const doc = readFileSync(join(import.meta.dirname, "..", "docs", "quickstart.md"), "utf8");
  return [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)]
    .map((m) => m[1]!)
    .filter((text) => /uses: OWNER\/gauntlet\/\.github\/workflows\//.test(text))
    .map((text) => ({ text, workflow: parse(text) as Record<string, unknown> }));
}

/** A job's gauntlet steps with `${{ inputs.* }}` resolved as the caller's `with:` (and defaults) set them. */
function stepsOf(job: WorkflowJob, callInputs: Record<string, string>) {
  return gauntletSteps(job).map(({ action, inputs }) => ({
    action,
    inputs: Object.fromEntries(
      Object.entries(inputs).map(([k, v]) => [
        k,
        v.replace(/\$\{\{ inputs\.([a-z-]+) \}\}/g, (_, n) => callInputs[n] ?? ""),
      ]),
    ),
  }));
}

async function runJob(job: WorkflowJob, options: RunActionOptions & { cwd: string }) {
  const token = `ghs_job_${Math.random().toString(36).slice(2)}`;
  server.addToken(token, job.permissions ?? {});
  const results: ActionResult[] = [];
  for (const { action, inputs } of stepsOf(job, { manifest: "models/*/model.yml" })) {
    const result = await runAction(action, {
      apiUrl: server.url,
      timeoutMs: 120_000,
      token,
      inputs,
      ...options,
    });
    expect(result.exitCode, `${action}\n${result.stdout}\n${result.stderr}`).toBe(0);
    results.push(result);
  }
  return results;
}

beforeAll(() => {
  fx = writeEvaluateFixtures();
});
afterAll(() => fx.remove());

beforeEach(async () => {
  server = await startGitHubServer();
  pull = server.seed.pullRequest({ number: PR, user: "dev", headRef: "better-churn" });
  ws = createWorkspace("gauntlet-reusable-");
  ws.write("models/churn/model.yml", churnManifest({ sha256: fx.sha256("models/candidate.onnx") }) + GATE);
  ws.write("models/churn/model.onnx", fx.bytes("models/candidate.onnx"));
  ws.write("data/eval.csv", fx.bytes("eval.csv"));
});

afterEach(async () => {
  await server.close();
  ws.remove();
});

describe("the quick start's workflows", () => {
  it("call the reusable workflows in about 20 lines, granting every permission their jobs ask for", () => {
    const callers = quickstartWorkflows();
    expect(callers).toHaveLength(2);
    const rank = { none: 0, read: 1, write: 2 } as const;
    for (const { text, workflow } of callers) {
      expect(text.trim().split("\n").length).toBeLessThanOrEqual(25);
      const jobs = Object.values(workflow["jobs"] as Record<string, { uses: string }>);
      expect(jobs).toHaveLength(1);
      const called = /^OWNER\/gauntlet\/\.github\/workflows\/([a-z-]+\.yml)@v1$/.exec(jobs[0]!.uses)?.[1];
      const target =
        called === "model-pr.yml" ? PR_SIDE : called === "model-release.yml" ? RELEASE_SIDE : undefined;
      expect(target, jobs[0]!.uses).toBeDefined();
      expect(Object.keys(target!.on)).toEqual(["workflow_call"]);
      // A called job can use at most what the caller grants.
      const granted = workflow["permissions"] as Record<string, keyof typeof rank>;
      for (const job of Object.values(target!.jobs)) {
        for (const [scope, level] of Object.entries(job.permissions ?? {})) {
          expect(rank[granted[scope] ?? "none"], `${called}: ${scope}`).toBeGreaterThanOrEqual(
            rank[level as keyof typeof rank],
          );
        }
      }
    }
    const prCaller = callers.find((c) => c.text.includes("model-pr.yml"))!.workflow;
    expect(Object.keys(prCaller["on"] as object).sort()).toEqual(
      ["pull_request", "pull_request_review", "pull_request_target", "workflow_run"].sort(),
    );
  });
});

describe("the reusable pull-request workflow", () => {
  it("runs the gauntlet on a push, and on a review only the gate, on the push's results", async () => {
    const patch = patchFromState(server.state, PR);
    // A push: validate, evaluate, behaviour (this model has none: skipped) and the gate, one job.
    const job = PR_SIDE.jobs["gauntlet"]!;
    expect(stepsOf(job, {}).map((s) => s.action)).toEqual([
      "actions/validate-data",
      "actions/evaluate-slices",
      "actions/check-behaviour",
      "actions/shadow-compare",
      "actions/release-gate",
    ]);
    // shadow-compare runs only with `shadow-logs`; the quick start sets none.
    const steps = job.steps as { uses?: string; if?: string }[];
    expect(steps.find((s) => s.uses?.includes("shadow-compare"))!.if).toContain("inputs.shadow-logs != ''");
    const pushJob: WorkflowJob = {
      ...job,
      steps: job.steps.filter((s) => !s.uses?.includes("shadow-compare")),
    };
    const [validated, evaluated, , gated] = await runJob(pushJob, {
      eventName: "pull_request",
      payload: webhookPayload("pull_request", "synchronize", patch),
      cwd: ws.dir,
      env: { GITHUB_RUN_ID: String(PUSH_RUN) },
    });
    expect(validated!.outputs["passed"]).toBe("true");
    expect(evaluated!.outputs["passed"]).toBe("true");
    expect(gated!.outputs).toMatchObject({ status: "pending", passed: "false" });
    const evaluation = JSON.parse(readFileSync(ws.path(".gauntlet/churn/evaluation.json"), "utf8"));
    expect(evaluation.rows).toBe(5000);
    // upload-artifact keeps the results; then a fresh runner.
    server.seed.workflowRun({
      id: PUSH_RUN,
      path: CALLER,
      event: "pull_request",
      headSha: pull.head.sha,
      headBranch: pull.head.ref,
    });
    server.seed.artifact({
      name: `gauntlet-results-${pull.head.sha}`,
      runId: PUSH_RUN,
      files: filesUnder(ws.path(".gauntlet")),
    });
    rmSync(ws.path(".gauntlet"), { recursive: true, force: true });

    // A review: only the gate, from the push's results; nothing is evaluated again.
    const review = PR_SIDE.jobs["review"]!;
    expect(stepsOf(review, {}).map((s) => s.action)).toEqual(["actions/release-gate"]);
    expect(review.concurrency?.group).not.toBe(job.concurrency?.group);
    server.seed.review({ pullNumber: PR, user: "octocat", state: "APPROVED", commitId: pull.head.sha });
    const [regated] = await runJob(review, {
      eventName: "pull_request_review",
      payload: webhookPayload("pull_request_review", "submitted", {
        ...patchFromState(server.state, PR),
        review: { state: "approved", user: "octocat" },
      }),
      cwd: ws.dir,
    });
    expect(regated!.stdout).toContain("from artifact");
    expect(regated!.outputs).toMatchObject({ status: "pass", passed: "true" });
    const runs = server.state.checkRuns.filter(
      (r) => r.name === "gauntlet/churn" && r.headSha === pull.head.sha,
    );
    expect(runs.at(-1)).toMatchObject({ status: "completed", conclusion: "success" });
  });

  it("keeps the fork-safe split: forks computed read-only on their files as data, then gated", () => {
    const compute = PR_SIDE.jobs["fork-compute"]!;
    expect(compute.permissions).toEqual({ contents: "read" });
    for (const name of ["fork-compute", "fork-publish", "fork-review"]) {
      const job = PR_SIDE.jobs[name]!;
      expect(
        job.steps.filter((s) => s.run !== undefined),
        name,
      ).toEqual([]);
      const checkout = job.steps.find((s) => s.uses?.startsWith("actions/checkout@"))!;
      expect(checkout.with).toMatchObject({ path: "head", "persist-credentials": false });
      for (const { inputs } of stepsOf(job, { manifest: "models/*/model.yml" }))
        expect(inputs["workspace"]).toBe("head");
    }
    for (const name of ["fork-publish", "fork-review"]) {
      expect(stepsOf(PR_SIDE.jobs[name]!, {})).toEqual([
        { action: "actions/release-gate", inputs: expect.objectContaining({ "trusted-results": "true" }) },
      ]);
    }
  });
});

describe("the fork jobs of the reusable workflow", () => {
  it("run exactly the steps of the example's fork workflows, which fork-flow.test.ts runs through the bundles", () => {
    const manifest = { manifest: "models/*/model.yml" };
    const same = (reusable: string, example: WorkflowJob) =>
      expect(stepsOf(PR_SIDE.jobs[reusable]!, manifest), reusable).toEqual(gauntletSteps(example));
    same("fork-compute", exampleWorkflow("pr-fork.yml").jobs["compute"]!);
    same("fork-publish", exampleWorkflow("pr-fork.yml").jobs["publish"]!);
    same("fork-review", exampleWorkflow("publish.yml").jobs["gate"]!);
    expect(PR_SIDE.jobs["fork-compute"]!.permissions).toEqual(
      exampleWorkflow("pr-fork.yml").jobs["compute"]!.permissions,
    );
  });
});

describe("the README's quick start", () => {
  it("shows the same pull-request caller as docs/quickstart.md", () => {
    const readme = readFileSync(join(import.meta.dirname, "..", "README.md"), "utf8");
    const block = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)]
      .map((m) => parse(m[1]!) as Record<string, unknown>)
      .find((w) => JSON.stringify(w).includes("model-pr.yml@v1"))!;
    const doc = quickstartWorkflows().find((c) => c.text.includes("model-pr.yml@v1"))!.workflow;
    expect(block["on"]).toEqual(doc["on"]);
    expect(block["permissions"]).toEqual(doc["permissions"]);
    expect(block["jobs"]).toEqual(doc["jobs"]);
  });
});

describe("the reusable release workflow", () => {
  it("promotes with the gate and trusted results, attests the released assets, and rolls back by hand", () => {
    const promote = RELEASE_SIDE.jobs["promote"]!;
    expect(stepsOf(promote, { manifest: "models/*/model.yml" })).toEqual([
      {
        action: "actions/promote",
        inputs: { manifest: "models/*/model.yml", "require-gate": "true", "trusted-results": "true" },
      },
    ]);
    expect(promote.permissions).toMatchObject({ "id-token": "write", attestations: "write" });
    const attest = (promote.steps as { uses?: string; with?: Record<string, string> }[]).find((s) =>
      s.uses?.startsWith("actions/attest-build-provenance@"),
    );
    expect(attest?.with?.["subject-path"]).toBe(`\${{ steps.promote.outputs.subject-paths }}`);
    expect(stepsOf(RELEASE_SIDE.jobs["rollback"]!, { model: "churn" })[0]!.inputs).toMatchObject({
      rollback: "true",
    });
  });
});
