// `gate.approvals.from: codeowners`: the owners of the manifest's path in CODEOWNERS, read from
// the pull request's base commit (last matching rule wins), are the approvers, users and teams.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ARTEFACT, evaluationJson, GATE, gateManifest } from "./support/gate-fixture.js";
import { type GitHubServer, startGitHubServer } from "./support/github-server.js";
import { runAction } from "./support/run-action.js";
import { patchFromState, webhookPayload } from "./support/webhooks.js";
import { createWorkspace, type Workspace } from "./support/workspace.js";

const ACTION = join(import.meta.dirname, "..", "actions", "release-gate");
const PR = 9;
const CODEOWNERS_GATE = GATE.replace(
  "approvals: { min: 1, from: [octocat] }",
  "approvals: { min: 1, from: codeowners }",
);

let server: GitHubServer;
let ws: Workspace;

function setUp(codeowners: Record<string, string>, headCodeowners?: string) {
  server.seed.commit({ branch: "main", message: "CODEOWNERS", tree: codeowners });
  const pull = server.seed.pullRequest({ number: PR, user: "dev" });
  if (headCodeowners !== undefined) {
    // The pull request makes mallory an owner: GitHub (and the gate) read CODEOWNERS from the base.
    server.state.commits.get(pull.head.sha)!.tree = { ".github/CODEOWNERS": headCodeowners };
  }
  return pull;
}

const run = () =>
  runAction(ACTION, {
    inputs: { manifest: "models/churn/model.yml" },
    cwd: ws.dir,
    eventName: "pull_request",
    payload: webhookPayload("pull_request", "synchronize", patchFromState(server.state, PR)),
    token: server.token,
    apiUrl: server.url,
  });
const gateJson = () => JSON.parse(readFileSync(ws.path(".gauntlet/churn/gate.json"), "utf8"));
const errorsOf = (result: Awaited<ReturnType<typeof run>>) =>
  result.annotations.filter((a) => a.level === "error").map((a) => a.message);

beforeEach(async () => {
  server = await startGitHubServer();
  ws = createWorkspace();
  ws.write("models/churn/model.yml", gateManifest(CODEOWNERS_GATE));
  ws.write("models/churn/model.onnx", ARTEFACT);
  ws.write(".gauntlet/churn/evaluation.json", JSON.stringify(evaluationJson()));
});

afterEach(async () => {
  await server.close();
  ws.remove();
});

describe("release-gate with approvals from CODEOWNERS", () => {
  it("counts the owners of the manifest's path by the base branch's last matching rule, teams included", async () => {
    const pull = setUp(
      {
        ".github/CODEOWNERS":
          "* @acme/everyone\nmodels/ @someone-else\nmodels/churn/ @octocat @acme/risk-leads\n",
      },
      "models/ @mallory\n",
    );
    server.seed.teamMember("acme", "risk-leads", "alice");
    server.seed.review({ pullNumber: PR, user: "mallory", state: "APPROVED", commitId: pull.head.sha });
    server.seed.review({ pullNumber: PR, user: "someone-else", state: "APPROVED", commitId: pull.head.sha });
    const pending = await run();
    expect(errorsOf(pending)).toEqual([]);
    expect(gateJson().approvals).toMatchObject({
      status: "pending",
      eligible: ["@octocat", "@acme/risk-leads"],
      counted: [],
    });
    expect(
      gateJson()
        .approvals.ignored.map((i: { user: string }) => i.user)
        .sort(),
    ).toEqual(["mallory", "someone-else"]);

    server.seed.review({ pullNumber: PR, user: "alice", state: "APPROVED", commitId: pull.head.sha });
    const passed = await run();
    expect(passed.exitCode, passed.stdout).toBe(0);
    expect(gateJson().status).toBe("pass");
    expect(gateJson().approvals.counted).toEqual([{ user: "alice", via: "@acme/risk-leads" }]);
  });

  it("reads CODEOWNERS at the root or in docs/ when .github/ has none", async () => {
    const pull = setUp({ "docs/CODEOWNERS": "models/**/model.yml @octocat\n" });
    server.seed.review({ pullNumber: PR, user: "octocat", state: "APPROVED", commitId: pull.head.sha });
    const result = await run();
    expect(result.exitCode, result.stdout).toBe(0);
    expect(gateJson().approvals.counted).toEqual([{ user: "octocat", via: "@octocat" }]);
  });

  it("without CODEOWNERS, or with no owner for the path, is one error naming the manifest and the fix", async () => {
    setUp({ ".github/CODEOWNERS": "docs/ @writers\nmodels/churn/ owner@example.com\n" });
    const result = await run();
    expect(result.exitCode).toBe(1);
    expect(errorsOf(result)).toEqual([
      expect.stringMatching(
        /^models\/churn\/model\.yml: gate\.approvals\.from: \.github\/CODEOWNERS line 2 gives models\/churn\/model\.yml only e-mail owners \(owner@example\.com\).*Fix: add a line such as `models\/churn\/ @your-org\/your-team`/,
      ),
    ]);
    expect(result.stdout).not.toMatch(/\n\s+at /);
  });
});
