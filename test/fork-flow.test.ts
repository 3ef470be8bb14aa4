// The pull-request flow for forks, as examples/churn/.github/workflows/pr-fork.yml, publish.yml and
// release.yml run it: the base repository's workflow computes the fork's numbers on its head
// checked out as data (`workspace: head`) with a read-only token; the publishing job downloads
// only those results (`trusted-results`), gates and writes the check run; a review re-gates through
// workflow_run; the merge releases the same trusted results. Every forged result is refused.
import { existsSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { logisticModel } from "@gauntlet/fixtures";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { churnManifest, type EvaluateFixtures, writeEvaluateFixtures } from "./support/evaluate-fixtures.js";
import { exampleWorkflow, filesUnder, gauntletSteps, type WorkflowJob } from "./support/example-workflow.js";
import { type GitHubServer, startGitHubServer } from "./support/github-server.js";
import type { PullState } from "./support/github-state.js";
import {
  createWorkspace as createPromoteWorkspace,
  pushPayload,
  seedMerge,
  writeModelVersion,
} from "./support/promote-fixture.js";
import { type ActionResult, type RunActionOptions, runAction } from "./support/run-action.js";
import { patchFromState, webhookPayload } from "./support/webhooks.js";
import { createWorkspace, type Workspace } from "./support/workspace.js";

const PR = 9;
const FORK = "contributor/models";
const COMPUTE_RUN = 5_001;
const REVIEW_RUN = 5_002;
const PR_FORK_YML = ".github/workflows/pr-fork.yml";
const CHECK = "gauntlet/churn";
const GATE = `gate:
  rules:
    - { metric: roc_auc, min: 0.6 }
    - { metric: roc_auc, slices: [region], min: 0.5 }
  approvals: { min: 1, from: [octocat] }
  require: [validate-data, evaluate-slices]
behaviour:
  directional: [ { column: support_calls, by: 1, expect: increase } ]
  edge-cases: true
`;

let fx: EvaluateFixtures;
let server: GitHubServer;
let ws: Workspace;
let pull: PullState;
const PR_FORK = exampleWorkflow("pr-fork.yml");
const PUBLISH = exampleWorkflow("publish.yml");
const RELEASE = exampleWorkflow("release.yml");

/** A token with exactly the permissions the job declares, as GitHub issues it to the job. */
function tokenFor(job: WorkflowJob): string {
  const token = `ghs_job_${Math.random().toString(36).slice(2)}`;
  server.addToken(token, job.permissions ?? {});
  return token;
}

/** Runs a job's gauntlet steps in order, as the runner would; every step must pass unless `expectFailure`. */
async function runJob(job: WorkflowJob, options: RunActionOptions & { cwd: string }, expectFailure = false) {
  const token = tokenFor(job);
  const results: ActionResult[] = [];
  for (const { action, inputs } of gauntletSteps(job)) {
    const result = await runAction(action, {
      apiUrl: server.url,
      timeoutMs: 120_000,
      token,
      inputs,
      ...options,
    });
    if (!expectFailure) expect(result.exitCode, `${action}\n${result.stdout}\n${result.stderr}`).toBe(0);
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
  pull = server.seed.pullRequest({ number: PR, user: "contributor", fork: true, headRef: "better-churn" });
  ws = createWorkspace("gauntlet-fork-");
  // actions/checkout with `path: head`: the fork's files, data only.
  ws.write(
    "head/models/churn/model.yml",
    churnManifest({ sha256: fx.sha256("models/candidate.onnx") }) + GATE,
  );
  ws.write("head/models/churn/model.onnx", fx.bytes("models/candidate.onnx"));
  ws.write("head/data/eval.csv", fx.bytes("eval.csv"));
});

afterEach(async () => {
  await server.close();
  ws.remove();
});

/** The fork's pull request as `pull_request_target` delivers it (the `pull_request` webhook shape). */
const targetPayload = () => webhookPayload("pull_request", "synchronize", patchFromState(server.state, PR));

/** The compute job of pr-fork.yml: validate and evaluate the head as data, with its read-only token. */
async function compute(): Promise<ActionResult[]> {
  return runJob(PR_FORK.jobs["compute"]!, {
    eventName: "pull_request_target",
    payload: targetPayload(),
    cwd: ws.dir,
    env: { GITHUB_RUN_ID: String(COMPUTE_RUN) },
  });
}

/** actions/upload-artifact at the end of a job, then a fresh runner for the next job. */
function upload(
  runId: number,
  name = `gauntlet-results-${pull.head.sha}`,
  files = filesUnder(ws.path(".gauntlet")),
) {
  const artifact = server.seed.artifact({ name, runId, files });
  rmSync(ws.path(".gauntlet"), { recursive: true, force: true });
  return artifact;
}

/** The compute job's run as the Actions API reports it: the base branch's workflow on pull_request_target. */
const trustedRun = (id = COMPUTE_RUN) =>
  server.seed.workflowRun({
    id,
    path: PR_FORK_YML,
    event: "pull_request_target",
    headSha: pull.base.sha,
    headBranch: "main",
  });

/** A run of the fork's own copy of the workflow: `on: pull_request` from the fork's branch. */
const forkRun = (id: number) =>
  server.seed.workflowRun({
    id,
    path: PR_FORK_YML,
    event: "pull_request",
    headSha: pull.head.sha,
    headBranch: pull.head.ref,
    headRepoFullName: FORK,
  });

/** The publish job of pr-fork.yml (on pull_request_target) or the gate job of publish.yml (on workflow_run). */
async function gate(event: "pull_request_target" | "workflow_run", payload: Record<string, unknown>) {
  const job = event === "workflow_run" ? PUBLISH.jobs["gate"]! : PR_FORK.jobs["publish"]!;
  const [result] = await runJob(job, { eventName: event, payload, cwd: ws.dir }, true);
  return result!;
}

/** The workflow_run event publish.yml gets when model-pr ran for a review of the fork's pull request. */
const reviewRunPayload = () =>
  webhookPayload("workflow_run", "completed", {
    ...patchFromState(server.state),
    workflowRun: {
      id: REVIEW_RUN,
      event: "pull_request_review",
      conclusion: "success",
      headSha: pull.head.sha,
      headBranch: pull.head.ref,
      headRepo: FORK,
      pullRequests: [],
    },
  });

const checkRuns = () => server.state.checkRuns.filter((r) => r.name === CHECK && r.headSha === pull.head.sha);
const comments = () => server.state.comments.filter((c) => c.issueNumber === PR);
const errorsOf = (result: ActionResult) =>
  result.annotations.filter((a) => a.level === "error").map((a) => a.message);
const gateJson = () => JSON.parse(readFileSync(ws.path(".gauntlet/churn/gate.json"), "utf8"));

describe("fork flow: the example workflows", () => {
  it("run the fork's files only as data, with the permissions each job needs", () => {
    expect(Object.keys(PR_FORK.on)).toEqual(["pull_request_target"]);
    expect(PUBLISH.on).toEqual({ workflow_run: { workflows: ["model-pr"], types: ["completed"] } });
    expect(exampleWorkflow("pr.yml").name).toBe("model-pr");
    expect(PR_FORK.jobs["compute"]!.permissions).toEqual({ contents: "read" });
    const jobs = [PR_FORK.jobs["compute"]!, PR_FORK.jobs["publish"]!, PUBLISH.jobs["gate"]!];
    for (const job of jobs) {
      // The head is checked out into head/ without credentials; no step runs a command.
      const checkouts = job.steps.filter((s) => s.uses?.startsWith("actions/checkout@"));
      expect(checkouts).toHaveLength(1);
      expect(checkouts[0]!.with).toMatchObject({ path: "head", "persist-credentials": false });
      expect(job.steps.filter((s) => s.run !== undefined)).toEqual([]);
      for (const { inputs } of gauntletSteps(job)) expect(inputs["workspace"]).toBe("head");
    }
    for (const job of [PR_FORK.jobs["publish"]!, PUBLISH.jobs["gate"]!]) {
      expect(gauntletSteps(job)).toEqual([
        { action: "actions/release-gate", inputs: expect.objectContaining({ "trusted-results": "true" }) },
      ]);
    }
    expect(gauntletSteps(RELEASE.jobs["promote"]!)[0]!.inputs["trusted-results"]).toBe("true");
  });
});

describe("fork flow: trusted computation, publication, review, release", () => {
  it("computes on the head as data, gates from the trusted artifact, counts a review through workflow_run", async () => {
    // The fork commits results of its own next to its data: nothing reads them.
    ws.write("head/.gauntlet/churn/evaluation.json", '{"schema":"gauntlet/evaluation@1","forged":true}');
    const [validated, evaluated, behaved] = await compute();
    // No comment from a read-only job: the reports are in the job summary.
    expect(validated!.summary).toContain("### Data");
    expect(evaluated!.summary).toContain("### Evaluation");
    expect(behaved!.summary).toContain("### Behaviour");
    expect(existsSync(ws.path(".gauntlet/churn/behaviour.json"))).toBe(true);
    const evaluation = JSON.parse(readFileSync(ws.path(".gauntlet/churn/evaluation.json"), "utf8"));
    expect(evaluation.rows).toBe(5000);
    expect(evaluation.model.sha256).toBe(fx.sha256("models/candidate.onnx"));
    expect(existsSync(ws.path(".gauntlet/churn/validation.json"))).toBe(true);
    expect(JSON.parse(readFileSync(ws.path("head/.gauntlet/churn/evaluation.json"), "utf8")).forged).toBe(
      true,
    );
    trustedRun();
    upload(COMPUTE_RUN);

    // The publish job: no approval yet, so the gate is pending and the check run blocks the merge.
    const published = await gate("pull_request_target", targetPayload());
    expect(published.exitCode, published.stdout).toBe(0);
    expect(published.stdout).toContain(`from artifact`);
    expect(published.stdout).toContain(`(${PR_FORK_YML}, pull_request_target)`);
    expect(published.outputs).toMatchObject({ status: "pending", passed: "false" });
    expect(gateJson().rules.filter((r: { status: string }) => r.status === "fail")).toEqual([]);
    expect(checkRuns()).toHaveLength(1);
    expect(checkRuns()[0]).toMatchObject({ status: "in_progress", conclusion: null });
    expect(comments()).toHaveLength(1);
    expect(comments()[0]!.body).toContain("### Gate");

    // octocat approves; model-pr runs on pull_request_review (read-only for a fork) and its
    // completion starts publish.yml, whose event lists no pull request for a fork's branch.
    server.seed.review({ pullNumber: PR, user: "octocat", state: "APPROVED", commitId: pull.head.sha });
    server.seed.workflowRun({
      id: REVIEW_RUN,
      path: ".github/workflows/pr.yml",
      event: "pull_request_review",
      headSha: pull.head.sha,
      headBranch: pull.head.ref,
      headRepoFullName: FORK,
    });
    const reviewed = await gate("workflow_run", reviewRunPayload());
    expect(reviewed.exitCode, reviewed.stdout).toBe(0);
    expect(reviewed.outputs).toMatchObject({ status: "pass", passed: "true" });
    expect(gateJson().approvals.counted).toEqual([{ user: "octocat", via: "octocat" }]);
    expect(checkRuns()).toHaveLength(1);
    expect(checkRuns()[0]).toMatchObject({ status: "completed", conclusion: "success" });
    expect(comments()).toHaveLength(1);
    expect(comments()[0]!.body).toContain("Release gate passed");
    // The fork's pull request was found by its head branch, as workflow_run.pull_requests is empty.
    expect(
      server
        .calls()
        .some((c) => c.operationId === "pulls/list" && c.query["head"] === "contributor:better-churn"),
    ).toBe(true);
    expect(server.rejections()).toEqual([]);
  });

  it("keeps the fork's paths inside head/: a link to the job's files is refused, naming the field", async () => {
    ws.write("secret.csv", "token\nghs_not_for_forks\n");
    rmSync(ws.path("head/data/eval.csv"));
    symlinkSync(ws.path("secret.csv"), ws.path("head/data/eval.csv"));
    const [validate] = await runJob(
      PR_FORK.jobs["compute"]!,
      { eventName: "pull_request_target", payload: targetPayload(), cwd: ws.dir },
      true,
    );
    expect(validate!.exitCode).toBe(1);
    const errors = errorsOf(validate!);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("evaluation.data");
    expect(errors[0]).toContain("outside the workspace");
    expect(validate!.stdout).not.toContain("ghs_not_for_forks");
  });

  it("refuses results that the fork's own workflow uploaded, even when they claim a pass", async () => {
    await compute();
    const honest = filesUnder(ws.path(".gauntlet"));
    const forged = JSON.parse(honest["churn/evaluation.json"]!.toString());
    forged.overall.metrics.roc_auc.value = 0.99;
    forkRun(6_001);
    upload(6_001, undefined, {
      ...honest,
      "churn/evaluation.json": Buffer.from(JSON.stringify(forged)),
      "churn/gate.json": Buffer.from('{"schema":"gauntlet/gate@1","status":"pass"}'),
    });
    server.seed.review({ pullNumber: PR, user: "octocat", state: "APPROVED", commitId: pull.head.sha });

    const result = await gate("pull_request_target", targetPayload());
    expect(result.exitCode).toBe(1);
    const errors = errorsOf(result);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`no results computed by a trusted run for pull request #${PR}`);
    expect(errors[0]).toContain(`ran the fork ${FORK}'s own copy of ${PR_FORK_YML} on pull_request`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(ws.path(".gauntlet/churn/evaluation.json"))).toBe(false);
    expect(checkRuns().filter((r) => r.conclusion === "success")).toHaveLength(0);
    expect(server.rejections()).toEqual([]);
  });

  it("takes the trusted run's artifact when the fork uploaded a newer one under the same name", async () => {
    await compute();
    const honest = filesUnder(ws.path(".gauntlet"));
    const auc = JSON.parse(honest["churn/evaluation.json"]!.toString()).overall.metrics.roc_auc.value;
    trustedRun();
    upload(COMPUTE_RUN, undefined, honest);
    forkRun(6_002);
    const forged = JSON.parse(honest["churn/evaluation.json"]!.toString());
    forged.overall.metrics.roc_auc.value = 0.999;
    upload(6_002, undefined, { ...honest, "churn/evaluation.json": Buffer.from(JSON.stringify(forged)) });

    const result = await gate("pull_request_target", targetPayload());
    expect(result.exitCode, result.stdout).toBe(0);
    const used = JSON.parse(readFileSync(ws.path(".gauntlet/churn/evaluation.json"), "utf8"));
    expect(used.overall.metrics.roc_auc.value).toBe(auc);
    expect(auc).toBeLessThan(0.999);
    expect(server.rejections()).toEqual([]);
  });

  it("refuses a trusted run's artifact whose run.json names another run or head commit", async () => {
    const [, evaluated] = await compute();
    const honest = filesUnder(ws.path(".gauntlet"));
    const record = JSON.parse(honest["run.json"]!.toString());
    expect(record).toEqual({
      schema: "gauntlet/run@1",
      repository: "acme/models",
      event: "pull_request_target",
      runId: COMPUTE_RUN,
      pullRequest: PR,
      headSha: pull.head.sha,
    });
    expect(evaluated!.exitCode).toBe(0);
    // A trusted workflow that relays another run's results (the old download-and-publish pattern).
    trustedRun(5_003);
    upload(5_003, undefined, honest);
    // The compute run's own artifact, its record edited to another head commit.
    trustedRun();
    const other = { ...record, headSha: "0123456789012345678901234567890123456789" };
    server.seed.artifact({
      name: `gauntlet-results-${pull.head.sha}`,
      runId: COMPUTE_RUN,
      files: { ...honest, "run.json": Buffer.from(JSON.stringify(other)) },
    });

    const result = await gate("pull_request_target", targetPayload());
    expect(result.exitCode).toBe(1);
    const [error, ...more] = errorsOf(result);
    expect(more).toEqual([]);
    expect(error).toContain(
      `run ${COMPUTE_RUN}: its run.json says head 0123456, not ${pull.head.sha.slice(0, 7)}`,
    );
    expect(error).toContain(
      `run 5003: its run.json says run ${COMPUTE_RUN}, not 5003: results copied from another run`,
    );
    expect(existsSync(ws.path(".gauntlet/churn/evaluation.json"))).toBe(false);
    expect(checkRuns()).toHaveLength(0);
  });

  it("refuses results computed for another head commit", async () => {
    await compute();
    trustedRun();
    upload(COMPUTE_RUN, "gauntlet-results-0123456789012345678901234567890123456789");
    const result = await gate("pull_request_target", targetPayload());
    expect(result.exitCode).toBe(1);
    expect(errorsOf(result)).toEqual([
      expect.stringContaining(
        `no results computed by a trusted run for pull request #${PR} at ${pull.head.sha.slice(0, 7)}`,
      ),
    ]);
    expect(checkRuns()).toHaveLength(0);
  });

  it("refuses a trusted artifact holding anything but result files in plain folders", async () => {
    trustedRun();
    upload(COMPUTE_RUN, undefined, { "../outside.json": Buffer.from("{}") });
    const result = await gate("pull_request_target", targetPayload());
    expect(result.exitCode).toBe(1);
    expect(errorsOf(result)).toEqual([
      expect.stringContaining("'../outside.json', which is not a result file"),
    ]);
    expect(existsSync(join(ws.dir, "outside.json"))).toBe(false);
  });

  it("does not re-gate for a workflow_run whose commit the pull request has moved past", async () => {
    const payload = reviewRunPayload();
    payload.workflow_run.head_sha = "fedcba9876543210fedcba9876543210fedcba98";
    const result = await gate("workflow_run", payload);
    expect(result.exitCode).toBe(1);
    expect(errorsOf(result)).toEqual([
      expect.stringContaining("no open pull request of acme/models has that head commit"),
    ]);
    expect(checkRuns()).toHaveLength(0);
    expect(server.rejections()).toEqual([]);
  });
});

describe("fork flow: the release of a merged pull request (release.yml)", () => {
  const artefact = Buffer.from(
    logisticModel({ weights: [-0.05], bias: 0.2, features: ["tenure_months"], inputName: "tenure_months" }),
  );
  let root: string;

  beforeEach(async () => {
    // release.yml checks out main after the merge: the new version is in the job's workspace.
    root = await createPromoteWorkspace();
    await writeModelVersion(root, { name: "churn", version: "1.1.0", artefact });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** The results the compute job uploaded for the merged head, and a run of the fork's own workflow. */
  function uploads(merge: { headSha: string; number: number }, trusted: boolean) {
    const honest = filesUnder(join(root, ".gauntlet"));
    rmSync(join(root, ".gauntlet"), { recursive: true, force: true });
    const name = `gauntlet-results-${merge.headSha}`;
    if (trusted) {
      server.seed.workflowRun({
        id: 7_001,
        path: PR_FORK_YML,
        event: "pull_request_target",
        headSha: pull.base.sha,
      });
      // What the compute job's actions record next to the results they write.
      const record = {
        schema: "gauntlet/run@1",
        repository: "acme/models",
        event: "pull_request_target",
        runId: 7_001,
        pullRequest: merge.number,
        headSha: merge.headSha,
      };
      server.seed.artifact({
        name,
        runId: 7_001,
        files: { ...honest, "run.json": Buffer.from(JSON.stringify(record)) },
      });
    }
    const forged = JSON.parse(honest["churn/evaluation.json"]!.toString());
    forged.overall.metrics.roc_auc.value = 0.999;
    server.seed.workflowRun({
      id: 7_002,
      path: PR_FORK_YML,
      event: "pull_request",
      headSha: merge.headSha,
      headRepoFullName: FORK,
    });
    server.seed.artifact({
      name,
      runId: 7_002,
      files: { ...honest, "churn/evaluation.json": Buffer.from(JSON.stringify(forged)) },
    });
    return honest;
  }

  /** The promote job of release.yml on the push of the merge. */
  const promote = async (merge: ReturnType<typeof seedMerge>) => {
    const [result] = await runJob(
      RELEASE.jobs["promote"]!,
      { eventName: "push", payload: pushPayload(merge), cwd: root },
      true,
    );
    return result!;
  };

  it("releases the evaluation that the trusted run computed for the merged head, never the fork's upload", async () => {
    const merge = seedMerge(server, { churn: "success" });
    const honest = uploads(merge, true);
    const result = await promote(merge);
    expect(result.exitCode, result.stdout).toBe(0);
    expect(result.stdout).toContain(`artifact`);
    expect(result.stdout).toContain("pull_request_target");
    const release = server.state.releases.find((r) => r.tagName === "churn/v1.1.0")!;
    const asset = release.assets.find((a) => a.name === "evaluation.json")!;
    expect(JSON.parse(asset.data.toString())).toEqual(
      JSON.parse(honest["churn/evaluation.json"]!.toString()),
    );
    expect(release.body).not.toContain("0.999");
    expect(server.rejections()).toEqual([]);
  });

  it("releases a branch of this repository's results too: pr.yml's pull_request run is trusted", async () => {
    const merge = seedMerge(server, { churn: "success" });
    const honest = filesUnder(join(root, ".gauntlet"));
    rmSync(join(root, ".gauntlet"), { recursive: true, force: true });
    server.seed.workflowRun({
      id: 8_001,
      path: ".github/workflows/pr.yml",
      event: "pull_request",
      headSha: merge.headSha,
    });
    const record = {
      schema: "gauntlet/run@1",
      repository: "acme/models",
      event: "pull_request",
      runId: 8_001,
      pullRequest: merge.number,
      headSha: merge.headSha,
    };
    server.seed.artifact({
      name: `gauntlet-results-${merge.headSha}`,
      runId: 8_001,
      files: { ...honest, "run.json": Buffer.from(JSON.stringify(record)) },
    });
    const result = await promote(merge);
    expect(result.exitCode, result.stdout).toBe(0);
    expect(result.stdout).toContain("run 8001 (.github/workflows/pr.yml, pull_request)");
    const release = server.state.releases.find((r) => r.tagName === "churn/v1.1.0")!;
    expect(release.assets.map((a) => a.name).sort()).toEqual([
      "evaluation.json",
      "gate.json",
      "model.onnx",
      "profile.json",
    ]);
    expect(server.rejections()).toEqual([]);
  });

  it("releases nothing when only a workflow the pull request controlled uploaded results", async () => {
    const merge = seedMerge(server, { churn: "success" });
    uploads(merge, false);
    const result = await promote(merge);
    expect(result.exitCode).toBe(1);
    expect(errorsOf(result)).toEqual([
      expect.stringContaining(`ran the fork ${FORK}'s own copy of ${PR_FORK_YML} on pull_request`),
    ]);
    expect(server.state.releases).toEqual([]);
    expect(server.rejections()).toEqual([]);
  });
});
