import { UserError } from "@gauntlet/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type GitHubServer, startGitHubServer } from "../../../../test/support/github-server.js";
import { webhookPayload } from "../../../../test/support/webhooks.js";
import { createGitHubClient, type GitHubClient } from "../client.js";
import type { RunContext } from "../context.js";
import { withPullRequest } from "./pull-request-of-run.js";

let server: GitHubServer;
let client: GitHubClient;
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

beforeEach(async () => {
  server = await startGitHubServer();
  client = createGitHubClient(server.token, { apiUrl: server.url, log: quiet, delayUnitMs: 1 });
});
afterEach(() => server.close());

const context = (payload: Record<string, unknown>, eventName = "workflow_run"): RunContext => ({
  eventName,
  payload,
  repo: { owner: "acme", repo: "models" },
  sha: "0".repeat(40),
  ref: "refs/heads/main",
  apiUrl: server.url,
  serverUrl: "https://github.com",
  runId: 1,
  runUrl: "https://github.com/acme/models/actions/runs/1",
});

describe("withPullRequest", () => {
  it("takes a branch of this repository from workflow_run.pull_requests", async () => {
    const pull = server.seed.pullRequest({ number: 4, user: "dev", headRef: "feature" });
    const payload = webhookPayload("workflow_run", "completed", {
      workflowRun: {
        event: "pull_request_review",
        headSha: pull.head.sha,
        headBranch: "feature",
        headRepo: "acme/models",
        pullRequests: [{ number: 4, head: { sha: pull.head.sha } }],
      },
    });
    const ctx = await withPullRequest(client, context(payload));
    expect(ctx.pullRequest).toEqual({
      number: 4,
      headSha: pull.head.sha,
      baseSha: pull.base.sha,
      headRepoFullName: "acme/models",
      isFork: false,
      author: "dev",
    });
    expect(server.calls().map((c) => c.operationId)).toEqual(["pulls/get"]);
    expect(server.rejections()).toEqual([]);
  });

  it("leaves other events as they are, without a call", async () => {
    const ctx = context({}, "push");
    expect(await withPullRequest(client, ctx)).toBe(ctx);
    expect(server.calls()).toEqual([]);
  });

  it("refuses a workflow_run event without a readable run, and a run of no pull request", async () => {
    await expect(withPullRequest(client, context({}))).rejects.toThrow(UserError);
    const push = webhookPayload("workflow_run", "completed", {
      workflowRun: { event: "push", headSha: "a".repeat(40), headBranch: "main", headRepo: "acme/models" },
    });
    await expect(withPullRequest(client, context(push))).rejects.toThrow(
      /no open pull request of acme\/models has that head commit/,
    );
  });
});
