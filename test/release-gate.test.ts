import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { gateCommand } from "../packages/cli/src/commands/gate.js";
import {
  ARTEFACT,
  type EvaluationJson,
  evaluationJson,
  GATE,
  gateManifest,
  validationJson,
  withBaseline,
} from "./support/gate-fixture.js";
import { type GitHubServer, startGitHubServer } from "./support/github-server.js";
import { runAction } from "./support/run-action.js";
import { patchFromState, webhookPayload } from "./support/webhooks.js";
import { createWorkspace, type Workspace } from "./support/workspace.js";

const ACTION = join(import.meta.dirname, "..", "actions", "release-gate");
const PR = 9;
const AUTHOR = "dev";
const CHECK = "gauntlet/churn";

let server: GitHubServer;
let ws: Workspace;
let head: string;

/** Every gate rule met, a small improvement on roc_auc and a small recall drop (CI spans 0). */
const passing = () =>
  withBaseline(evaluationJson(), { roc_auc: 0.005, recall: -0.01 }, { recall: [-0.03, 0.01] });

function writeEvaluation(file: EvaluationJson | Record<string, unknown>) {
  ws.write(".gauntlet/churn/evaluation.json", `${JSON.stringify(file, null, 2)}\n`);
}

async function run(
  inputs: Record<string, string> = {},
  extra: { token?: string; event?: "pull_request" | "pull_request_review"; reviewer?: string } = {},
) {
  const event = extra.event ?? "pull_request";
  const patch = patchFromState(server.state, PR);
  const payload =
    event === "pull_request"
      ? webhookPayload("pull_request", "synchronize", patch)
      : webhookPayload("pull_request_review", "submitted", {
          ...patch,
          review: { state: "approved", user: extra.reviewer ?? "octocat" },
        });
  return runAction(ACTION, {
    inputs: { manifest: "models/churn/model.yml", ...inputs },
    cwd: ws.dir,
    eventName: event,
    payload,
    token: extra.token ?? server.token,
    apiUrl: server.url,
  });
}

const approve = (user: string, commitId?: string) =>
  server.seed.review({ pullNumber: PR, user, state: "APPROVED", ...(commitId ? { commitId } : {}) });
const checkRuns = () => server.state.checkRuns.filter((r) => r.name === CHECK && r.headSha === head);
const comments = () => server.state.comments.filter((c) => c.issueNumber === PR);
const gateJson = () => JSON.parse(readFileSync(ws.path(".gauntlet/churn/gate.json"), "utf8"));
const errorsOf = (result: Awaited<ReturnType<typeof run>>) =>
  result.annotations.filter((a) => a.level === "error").map((a) => a.message);

beforeAll(() => {
  // The bundle is what the runner executes: `npm test` builds it first.
  readFileSync(join(ACTION, "dist", "index.js"));
});

beforeEach(async () => {
  server = await startGitHubServer();
  head = server.seed.pullRequest({ number: PR, user: AUTHOR }).head.sha;
  ws = createWorkspace();
  ws.write("models/churn/model.yml", gateManifest());
  ws.write("models/churn/model.onnx", ARTEFACT);
  writeEvaluation(passing());
});

afterEach(async () => {
  await server.close();
  ws.remove();
});

describe("release-gate: verdicts", () => {
  it("passes when every rule holds and octocat approved the head commit", async () => {
    approve("octocat");
    const result = await run();
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({
      status: "pass",
      passed: "true",
      result: ".gauntlet/churn/gate.json",
    });
    const gate = gateJson();
    expect(gate).toMatchObject({
      schema: "gauntlet/gate@1",
      status: "pass",
      model: { name: "churn", version: "1.3.0" },
    });
    expect(gate.approvals.counted).toEqual([{ user: "octocat", via: "octocat" }]);
    expect(gate.rules.every((c: { status: string }) => c.status === "pass")).toBe(true);
    const [check, ...more] = checkRuns();
    expect(more).toHaveLength(0);
    expect(check).toMatchObject({ status: "completed", conclusion: "success" });
    expect(check!.output.title).toMatch(/^Gate passed/);
    expect(check!.output.text).toContain("| | Rule | Scope |");
    expect(result.outputs["check-run-id"]).toBe(String(check!.id));
    expect(comments()).toHaveLength(1);
    expect(comments()[0]!.body).toContain("### Gate");
    expect(comments()[0]!.body).toContain("Release gate passed");
    expect(result.outputs["comment-id"]).toBe(String(comments()[0]!.id));
    expect(server.rejections()).toEqual([]);
  });

  it.each([
    {
      name: "a value below its minimum",
      file: () => withBaseline(evaluationJson({ overall: { roc_auc: 0.78 } }), { roc_auc: 0.005 }),
      reason: "roc_auc 0.78 < 0.8 overall",
    },
    {
      name: "a drop beyond max-drop, judged on the point change (no confidence)",
      file: () => withBaseline(evaluationJson(), { roc_auc: -0.03 }),
      reason: "overall: roc_auc 0.88 → 0.85, drop 0.03, beyond 0.01",
    },
    {
      name: "a drop beyond max-drop with 95% confidence",
      file: () => withBaseline(evaluationJson(), { recall: -0.05 }, { recall: [-0.08, -0.04] }),
      reason: "beyond 0.03 with confidence: the 95% interval of the drop is [0.04, 0.08]",
    },
    {
      name: "a recall gap across regions beyond max-gap",
      file: () => withBaseline(evaluationJson({ regions: { EG: { recall: 0.6 } } }), {}),
      reason: "recall from 0.6 (region=EG) to 0.73 (region=AE): gap 0.13 > 0.05",
    },
    {
      name: "a baseline slice missing for the candidate",
      file: () => withBaseline(evaluationJson(), {}, {}, { KW: { roc_auc: 0.8, recall: 0.7 } }),
      reason: "slice region=KW has metrics for the baseline but is missing now",
    },
  ])("fails on $name, even when approved", async ({ file, reason }) => {
    approve("octocat");
    writeEvaluation(file());
    const result = await run();
    expect(result.exitCode).toBe(1);
    expect(result.outputs).toMatchObject({ status: "fail", passed: "false" });
    const failing = gateJson().rules.filter((c: { status: string }) => c.status === "fail");
    expect(failing.map((c: { reason: string }) => c.reason).join("\n")).toContain(reason);
    expect(checkRuns()).toHaveLength(1);
    expect(checkRuns()[0]).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(checkRuns()[0]!.output.text).toContain("❌");
    expect(comments()[0]!.body).toContain("Release gate failed");
    // Failing checks are annotated on the manifest.
    expect(result.annotations.some((a) => a.level === "error" && a.file === "models/churn/model.yml")).toBe(
      true,
    );
    expect(server.rejections()).toEqual([]);
  });

  it("passes a drop beyond max-drop that the confidence interval does not confirm", async () => {
    approve("octocat");
    writeEvaluation(withBaseline(evaluationJson(), { recall: -0.05 }, { recall: [-0.09, -0.01] }));
    const result = await run();
    expect(result.outputs["status"]).toBe("pass");
    const recall = gateJson().rules.filter(
      (c: { metric: string; id: string }) => c.id === "change-max-drop" && c.metric === "recall",
    );
    expect(recall).toHaveLength(3);
    expect(recall[0].reason).toContain("beyond 0.03 on the point change but not significantly");
  });
});

describe("release-gate: approvals", () => {
  it("is pending without approvals: step passes, check stays in progress, the comment says who can approve", async () => {
    const result = await run();
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ status: "pending", passed: "false" });
    expect(gateJson().status).toBe("pending");
    expect(checkRuns()).toHaveLength(1);
    // Not `neutral`: branch protection counts a neutral check as passing.
    expect(checkRuns()[0]).toMatchObject({ status: "in_progress", conclusion: null });
    expect(checkRuns()[0]!.output.title).toBe("Gate pending: waiting for 1 approval");
    expect(comments()[0]!.body).toContain("Waiting for 1 approval from octocat");
    const strict = await run({ "fail-on": "warning" });
    expect(strict.exitCode).toBe(1);
    expect(server.rejections()).toEqual([]);
  });

  it("ignores an approval of an older commit and the author's own approval", async () => {
    const old = server.seed.commit({ message: "earlier push" }).sha;
    approve("octocat", old);
    approve(AUTHOR);
    const result = await run();
    expect(result.outputs["status"]).toBe("pending");
    const ignored = gateJson().approvals.ignored;
    expect(ignored).toContainEqual({
      user: "octocat",
      reason: expect.stringContaining("approved an older commit"),
    });
    expect(ignored).toContainEqual({ user: AUTHOR, reason: "the PR author's own approval never counts" });
    expect(comments()[0]!.body).toContain("approved an older commit");
  });

  it("re-runs on pull_request_review and updates the same check run and comment section", async () => {
    const first = await run();
    expect(first.outputs["status"]).toBe("pending");
    approve("octocat");
    const second = await run({}, { event: "pull_request_review" });
    expect(second.exitCode).toBe(0);
    expect(second.outputs["status"]).toBe("pass");
    expect(checkRuns()).toHaveLength(1);
    expect(checkRuns()[0]).toMatchObject({ status: "completed", conclusion: "success" });
    expect(second.outputs["check-run-id"]).toBe(first.outputs["check-run-id"]);
    expect(comments()).toHaveLength(1);
    expect(comments()[0]!.body).toContain("Release gate passed");
    expect(comments()[0]!.body).not.toContain("Waiting for");
    expect(server.rejections()).toEqual([]);
  });

  it("counts only the approvals of write collaborators when approvals.from is absent", async () => {
    ws.write("models/churn/model.yml", gateManifest(GATE.replace("min: 1, from: [octocat]", "min: 2")));
    server.seed.collaborator("bob", "maintain");
    server.seed.collaborator("carol", "read");
    server.seed.collaborator(AUTHOR, "admin");
    approve("bob");
    approve("carol");
    approve(AUTHOR);
    const result = await run();
    expect(result.outputs["status"]).toBe("pending");
    const { approvals } = gateJson();
    expect(approvals.counted).toEqual([{ user: "bob", via: "write access" }]);
    expect(approvals.ignored).toContainEqual({ user: "carol", reason: "no write access to the repository" });
    expect(server.rejections()).toEqual([]);
  });

  it("counts a team member's approval, and needs members: read to look teams up", async () => {
    ws.write(
      "models/churn/model.yml",
      gateManifest(GATE.replace("from: [octocat]", 'from: ["@acme/risk-leads"]')),
    );
    server.seed.teamMember("acme", "risk-leads", "alice");
    approve("alice");
    approve("mallory");
    const result = await run();
    expect(result.outputs["status"]).toBe("pass");
    expect(gateJson().approvals.counted).toEqual([{ user: "alice", via: "@acme/risk-leads" }]);
    expect(gateJson().approvals.ignored).toContainEqual({ user: "mallory", reason: "not in approvals.from" });

    server.addToken("repo-only", { contents: "read", checks: "write", "pull-requests": "write" });
    const denied = await run({}, { token: "repo-only" });
    expect(denied.exitCode).toBe(1);
    expect(errorsOf(denied)).toHaveLength(1);
    expect(errorsOf(denied)[0]).toContain("members: read");
    expect(errorsOf(denied)[0]).toContain("gate.approvals.from");
    expect(server.rejections()).toEqual([]);
  });

  it("warns that an approvals team that does not exist counts nobody", async () => {
    ws.write(
      "models/churn/model.yml",
      gateManifest(GATE.replace("from: [octocat]", 'from: ["@acme/risk-lead"]')),
    );
    server.seed.teamMember("acme", "risk-leads", "alice");
    approve("alice");
    const result = await run();
    expect(result.exitCode).toBe(0);
    expect(result.outputs["status"]).toBe("pending");
    const warnings = result.annotations.filter(
      (a) => a.level === "warning" && a.file === "models/churn/model.yml",
    );
    expect(warnings.map((w) => w.message)).toContainEqual(
      "models/churn/model.yml: gate.approvals.from: @acme/risk-lead does not exist, or this token cannot see it: it counts nobody's approval. " +
        "Fix: check the organisation and team slug (https://github.com/orgs/acme/teams/risk-lead), or list the approvers as users",
    );
    expect(server.calls().filter((c) => c.operationId === "teams/list-members-in-org")).toHaveLength(1);
    expect(server.rejections()).toEqual([]);

    // The team that exists gives no warning, even before any member has approved.
    ws.write(
      "models/churn/model.yml",
      gateManifest(GATE.replace("from: [octocat]", 'from: ["@acme/risk-leads"]')),
    );
    const existing = await run();
    expect(
      existing.annotations.filter((a) => a.level === "warning" && a.message.includes("does not exist")),
    ).toEqual([]);
    expect(existing.outputs["status"]).toBe("pass");
  });

  it("reads reviews beyond the first 100", async () => {
    for (let i = 0; i < 120; i++)
      server.seed.review({ pullNumber: PR, user: `reader${i}`, state: "COMMENTED" });
    approve("octocat");
    const result = await run();
    expect(result.outputs["status"]).toBe("pass");
    const pages = server.calls().filter((c) => c.operationId === "pulls/list-reviews");
    expect(pages.map((c) => c.query["page"] ?? "1")).toEqual(["1", "2"]);
    expect(server.rejections()).toEqual([]);
  });
});

describe("release-gate: bad input", () => {
  it("fails a metric the evaluation did not compute and a slice column it did not slice by", async () => {
    const file = passing();
    for (const group of [file.overall, ...file.slices, file.baseline!.overall, ...file.baseline!.slices]) {
      delete group.metrics["recall"];
    }
    for (const group of [file.baseline!.overall, ...file.baseline!.slices]) delete group.delta?.["recall"];
    writeEvaluation(file);
    ws.write(
      "models/churn/model.yml",
      gateManifest(
        GATE.replace(
          "{ metric: roc_auc, slices: [region], min: 0.75 }",
          "{ metric: roc_auc, slices: [plan], min: 0.75 }",
        ),
      ),
    );
    approve("octocat");
    const result = await run();
    expect(result.outputs["status"]).toBe("fail");
    const reasons = gateJson()
      .rules.map((c: { reason: string }) => c.reason)
      .join("\n");
    expect(reasons).toContain("recall was not computed by evaluate-slices (computed: roc_auc)");
    expect(reasons).toContain("evaluation.json has no slices of plan (sliced by: region)");
  });

  it("fails contradictory rules", async () => {
    ws.write(
      "models/churn/model.yml",
      gateManifest(
        GATE.replace(
          "- { metric: roc_auc, min: 0.80 }",
          "- { metric: roc_auc, min: 0.90 }\n    - { metric: roc_auc, max: 0.80 }",
        ),
      ),
    );
    approve("octocat");
    const result = await run();
    expect(result.outputs["status"]).toBe("fail");
    expect(gateJson().rules).toContainEqual(
      expect.objectContaining({
        id: "rules-contradict",
        reason: expect.stringContaining("no model can pass both"),
      }),
    );
  });

  it("rejects result files of another model or an older schema, naming the file and field", async () => {
    writeEvaluation({ ...passing(), model: { name: "fraud", version: "1.3.0" } });
    const other = await run();
    expect(other.exitCode).toBe(1);
    expect(errorsOf(other)).toHaveLength(1);
    expect(errorsOf(other)[0]).toContain(".gauntlet/churn/evaluation.json");
    expect(errorsOf(other)[0]).toContain("model.name");
    expect(other.stdout).not.toContain("gauntlet bug");

    writeEvaluation({ ...passing(), schema: "gauntlet/evaluation@0" });
    const older = await run();
    expect(older.exitCode).toBe(1);
    expect(errorsOf(older)[0]).toContain("gauntlet/evaluation@0 is an older schema version");
    // Nothing was judged: no check run, no gate.json claiming anything.
    expect(checkRuns()).toHaveLength(0);
  });

  it("does not believe result files edited to claim a pass", async () => {
    ws.write("models/churn/model.yml", gateManifest(`${GATE}\n  require: [validate-data]`));
    const file = withBaseline(evaluationJson(), { roc_auc: -0.03 });
    // Edited: a stored verdict, and the stored delta rewritten to hide the drop.
    file["status"] = "pass";
    file.baseline!.overall.delta["roc_auc"] = { value: 0.001, ci: null };
    writeEvaluation(file);
    const validation = validationJson(10);
    ws.write(".gauntlet/churn/validation.json", JSON.stringify(validation));
    approve("octocat");
    const result = await run();
    expect(result.outputs["status"]).toBe("fail");
    const gate = gateJson();
    expect(gate.rules.map((c: { reason: string }) => c.reason).join("\n")).toContain(
      "evaluation.json records a roc_auc delta of 0.001 overall, but candidate − baseline is -0.03",
    );
    expect(gate.requirements[0]).toMatchObject({ action: "validate-data", status: "fail" });
    expect(gate.requirements[0].reason).toContain("recorded as passing but failing by its numbers: rows-min");
  });

  it("fails when a result names another artefact than the one on disk", async () => {
    ws.write("models/churn/model.onnx", "a different build");
    approve("octocat");
    const result = await run();
    expect(result.outputs["status"]).toBe("fail");
    expect(
      gateJson().rules.filter(
        (c: { id: string; status: string }) => c.id === "artefact-sha256" && c.status === "fail",
      ),
    ).toHaveLength(2);
  });

  it("names checks: write when the token cannot create check runs, after writing gate.json and the comment", async () => {
    server.addToken("no-checks", { contents: "read", "pull-requests": "write" });
    approve("octocat");
    const result = await run({}, { token: "no-checks" });
    expect(result.exitCode).toBe(1);
    expect(errorsOf(result)).toHaveLength(1);
    expect(errorsOf(result)[0]).toContain("checks: write");
    expect(result.stdout).not.toMatch(/\n\s+at .*\(.*\.js:\d+:\d+\)/);
    expect(gateJson().status).toBe("pass");
    expect(comments()).toHaveLength(1);
    expect(server.rejections()).toEqual([]);
  });
});

describe("gauntlet gate (CLI)", () => {
  const gate = async (cwd: string) => {
    let stdout = "";
    const write = (text: string) => {
      stdout += text;
    };
    const io = { cwd, stdout: write, stderr: write };
    const cwdBefore = process.cwd();
    // The CLI writes results relative to the process cwd, as when run from the repository root.
    process.chdir(cwd);
    try {
      return { code: await gateCommand.run(["--manifest", "models/churn/model.yml"], io), stdout };
    } finally {
      process.chdir(cwdBefore);
    }
  };

  it("evaluates the rules on local files and says approvals are not checked", async () => {
    const passed = await gate(ws.dir);
    expect(passed.code).toBe(0);
    expect(passed.stdout).toContain(
      "churn 1.3.0: PASS (rules only; approvals are checked on the pull request)",
    );
    expect(passed.stdout).toContain("reviews were not checked");
    expect(gateJson().status).toBe("pending");

    writeEvaluation(withBaseline(evaluationJson({ overall: { roc_auc: 0.78 } }), {}));
    const failed = await gate(ws.dir);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain("churn 1.3.0: FAIL");
    expect(failed.stdout).toContain("  - 1 of 12 gate checks failed: roc_auc 0.78 < 0.8 overall");
  });
});
