import { getOctokit } from "@actions/github";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type GitHubServer, startGitHubServer } from "./support/github-server.js";

const repo = { owner: "acme", repo: "models" };
let server: GitHubServer;
let octokit: ReturnType<typeof getOctokit>;

beforeEach(async () => {
  server = await startGitHubServer();
  octokit = getOctokit(server.token, { baseUrl: server.url });
});

afterEach(async () => {
  await server.close();
});

/** The status an Octokit call failed with, and its error, so a test can inspect both. */
async function failure(promise: Promise<unknown>): Promise<{
  status: number;
  message: string;
  response: { headers: Record<string, string>; data: unknown };
}> {
  try {
    await promise;
  } catch (error) {
    return error as {
      status: number;
      message: string;
      response: { headers: Record<string, string>; data: unknown };
    };
  }
  throw new Error("expected the request to fail");
}

describe("github server", () => {
  it("accepts a valid comment on a pull request and stores it", async () => {
    server.seed.pullRequest({ number: 7 });
    const { data, status } = await octokit.rest.issues.createComment({
      ...repo,
      issue_number: 7,
      body: "hello",
    });
    expect(status).toBe(201);
    expect(data.html_url).toBe(`https://github.com/acme/models/pull/7#issuecomment-${data.id}`);
    expect(data.user?.login).toBe("github-actions[bot]");
    expect(server.state.comments).toMatchObject([{ id: data.id, issueNumber: 7, body: "hello" }]);
    const updated = await octokit.rest.issues.updateComment({ ...repo, comment_id: data.id, body: "edited" });
    expect(updated.data.body).toBe("edited");
    expect(server.rejections()).toEqual([]);
  });

  it("rejects a body missing a required field with 422 and records it", async () => {
    server.seed.pullRequest({ number: 7 });
    const error = await failure(
      // A plain route string: the typed route would not let a test send the mistake it checks for.
      octokit.request("POST /repos/acme/models/issues/7/comments", { text: "hi" }),
    );
    expect(error.status).toBe(422);
    expect(server.rejections()).toMatchObject([
      { kind: "invalid-request", operationId: "issues/create-comment", status: 422 },
    ]);
    expect(JSON.stringify(server.rejections()[0]!.detail)).toContain("must have required property 'body'");
    expect(server.state.comments).toEqual([]);
  });

  it("rejects a wrongly typed path parameter and an unknown query parameter", async () => {
    server.seed.pullRequest({ number: 7 });
    await failure(octokit.request("GET /repos/acme/models/issues/seven"));
    await failure(
      octokit.request("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", {
        ...repo,
        issue_number: 7,
        perPage: 5,
      }),
    );
    expect(server.rejections().map((r) => r.kind)).toEqual(["invalid-request", "invalid-request"]);
  });

  it("rejects an unknown route with 404", async () => {
    const error = await failure(octokit.request("GET /repos/{owner}/{repo}/model-registry", repo));
    expect(error.status).toBe(404);
    expect(server.rejections()).toMatchObject([
      { kind: "unknown-route", path: "/repos/acme/models/model-registry" },
    ]);
  });

  it("answers 401 without a token", async () => {
    const response = await fetch(`${server.url}/repos/acme/models`);
    expect(response.status).toBe(401);
    expect(server.rejections()).toMatchObject([{ kind: "unauthenticated" }]);
  });

  it("paginates 250 comments in order with Link headers", async () => {
    server.seed.pullRequest({ number: 3 });
    for (let i = 0; i < 250; i += 1) server.seed.comment({ issueNumber: 3, body: `comment ${i}` });
    const comments = await octokit.paginate(octokit.rest.issues.listComments, {
      ...repo,
      issue_number: 3,
      per_page: 100,
    });
    expect(comments.map((c) => c.body)).toEqual(Array.from({ length: 250 }, (_, i) => `comment ${i}`));
    const pages = server.calls().filter((c) => c.operationId === "issues/list-comments");
    expect(pages.map((c) => c.query["page"])).toEqual([undefined, "2", "3"]);
    expect(server.rejections()).toEqual([]);
  });

  it("gives a token without pull-requests: write GitHub's real 403", async () => {
    server.seed.pullRequest({ number: 7 });
    server.addToken("read-only", { contents: "read", "pull-requests": "read" });
    const limited = getOctokit("read-only", { baseUrl: server.url });
    const error = await failure(limited.rest.issues.createComment({ ...repo, issue_number: 7, body: "x" }));
    expect(error.status).toBe(403);
    expect(error.response.data).toMatchObject({ message: "Resource not accessible by integration" });
    server.addToken("issues-writer", { issues: "write" });
    const writer = getOctokit("issues-writer", { baseUrl: server.url });
    await expect(
      writer.rest.issues.createComment({ ...repo, issue_number: 7, body: "x" }),
    ).resolves.toMatchObject({ status: 201 });
    expect(server.state.comments).toHaveLength(1);
  });

  it("injects a 500 once, then answers normally", async () => {
    server.injectFault({ operationId: "repos/get", status: 500, times: 1 });
    expect((await failure(octokit.rest.repos.get(repo))).status).toBe(500);
    const { data } = await octokit.rest.repos.get(repo);
    expect(data.full_name).toBe("acme/models");
    expect(server.calls().map((c) => [c.status, c.fault])).toEqual([
      [500, "500"],
      [200, undefined],
    ]);
  });

  it("injects a secondary rate limit with retry-after", async () => {
    server.seed.pullRequest({ number: 7 });
    server.injectFault({
      path: /\/comments$/,
      method: "POST",
      status: 403,
      secondaryRateLimit: true,
      times: 1,
    });
    const error = await failure(octokit.rest.issues.createComment({ ...repo, issue_number: 7, body: "x" }));
    expect(error.status).toBe(403);
    expect(error.response.headers["retry-after"]).toBe("1");
    expect(error.message).toMatch(/secondary rate limit/);
    await octokit.rest.issues.createComment({ ...repo, issue_number: 7, body: "x" });
    expect(server.state.comments).toHaveLength(1);
  });

  it("creates a release, uploads an asset through upload_url and downloads the same bytes", async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255, 10, 13]);
    const { data: release } = await octokit.rest.repos.createRelease({
      ...repo,
      tag_name: "churn/v1.0.0",
      name: "churn v1.0.0",
      body: "card",
    });
    expect(release.upload_url).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/uploads\/repos\/acme\/models\/releases\/\d+\/assets\{\?name,label\}$/,
    );
    const { data: asset } = await octokit.rest.repos.uploadReleaseAsset({
      ...repo,
      release_id: release.id,
      url: release.upload_url,
      name: "model.onnx",
      data: bytes as unknown as string,
      headers: { "content-type": "application/octet-stream", "content-length": bytes.length },
    });
    expect(asset).toMatchObject({ name: "model.onnx", size: bytes.length, state: "uploaded" });
    const download = await octokit.rest.repos.getReleaseAsset({
      ...repo,
      asset_id: asset.id,
      headers: { accept: "application/octet-stream" },
    });
    expect(Buffer.from(download.data as unknown as ArrayBuffer)).toEqual(bytes);
    const { data: byTag } = await octokit.rest.repos.getReleaseByTag({ ...repo, tag: "churn/v1.0.0" });
    expect(byTag.assets.map((a) => a.name)).toEqual(["model.onnx"]);
    expect(server.state.refs.has("refs/tags/churn/v1.0.0")).toBe(true);
    expect(server.rejections()).toEqual([]);
  });

  it("refuses a second release for the same tag with already_exists", async () => {
    await octokit.rest.repos.createRelease({ ...repo, tag_name: "churn/v1.0.0" });
    const error = await failure(octokit.rest.repos.createRelease({ ...repo, tag_name: "churn/v1.0.0" }));
    expect(error.status).toBe(422);
    expect(error.response.data).toMatchObject({
      errors: [{ resource: "Release", code: "already_exists", field: "tag_name" }],
    });
    expect((await failure(octokit.rest.repos.getReleaseByTag({ ...repo, tag: "nope" }))).status).toBe(404);
  });

  it("moves a tag alias only when forced backwards, like GitHub", async () => {
    const first = server.seed.commit({ branch: "main", message: "v1" });
    const second = server.seed.commit({ branch: "main", message: "v2" });
    await octokit.rest.git.createRef({ ...repo, ref: "refs/tags/churn/production", sha: second.sha });
    const error = await failure(
      octokit.rest.git.updateRef({ ...repo, ref: "tags/churn/production", sha: first.sha }),
    );
    expect(error.status).toBe(422);
    await octokit.rest.git.updateRef({ ...repo, ref: "tags/churn/production", sha: first.sha, force: true });
    const { data } = await octokit.rest.git.getRef({ ...repo, ref: "tags/churn/production" });
    expect(data.object.sha).toBe(first.sha);
    expect(server.rejections()).toEqual([]);
  });

  it("answers every operation gauntlet uses with responses that match the spec", async () => {
    const merge = server.seed.commit({
      branch: "main",
      message: "merge",
      files: [{ filename: "models/churn/model.yml" }],
    });
    server.seed.pullRequest({
      number: 9,
      files: [{ filename: "models/churn/model.yml" }],
      mergeCommitSha: merge.sha,
      merged: true,
    });
    server.seed.review({ pullNumber: 9, user: "octocat" });
    server.seed.collaborator("octocat", "maintain");
    server.seed.teamMember("acme", "risk-leads", "octocat");
    const pull = (await octokit.rest.pulls.get({ ...repo, pull_number: 9 })).data;
    expect(pull).toMatchObject({
      merged: true,
      merge_commit_sha: merge.sha,
      head: { repo: { full_name: "acme/models" } },
    });
    expect((await octokit.rest.pulls.listReviews({ ...repo, pull_number: 9 })).data[0]?.state).toBe(
      "APPROVED",
    );
    expect((await octokit.rest.pulls.listFiles({ ...repo, pull_number: 9 })).data[0]?.filename).toBe(
      "models/churn/model.yml",
    );
    const associated = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
      ...repo,
      commit_sha: merge.sha,
    });
    expect(associated.data.map((p) => p.number)).toEqual([9]);
    expect(
      (await octokit.rest.repos.getCollaboratorPermissionLevel({ ...repo, username: "octocat" })).data
        .permission,
    ).toBe("write");
    await octokit.rest.teams.getMembershipForUserInOrg({
      org: "acme",
      team_slug: "risk-leads",
      username: "octocat",
    });
    await octokit.rest.repos.getCommit({ ...repo, ref: merge.sha });
    await octokit.rest.repos.compareCommits({ ...repo, base: merge.parents[0]!, head: merge.sha });
    const run = await octokit.rest.checks.create({
      ...repo,
      name: "gauntlet/churn",
      head_sha: pull.head.sha,
      status: "in_progress",
    });
    await octokit.rest.checks.update({
      ...repo,
      check_run_id: run.data.id,
      conclusion: "success",
      output: { title: "ok", summary: "s" },
    });
    const runs = await octokit.rest.checks.listForRef({
      ...repo,
      ref: pull.head.sha,
      check_name: "gauntlet/churn",
    });
    expect(runs.data.check_runs.map((r) => r.conclusion)).toEqual(["success"]);
    const tag = await octokit.rest.git.createTag({
      ...repo,
      tag: "churn/v1.0.0",
      message: "churn 1.0.0",
      object: merge.sha,
      type: "commit",
    });
    await octokit.rest.git.createRef({ ...repo, ref: "refs/tags/churn/v1.0.0", sha: tag.data.sha });
    expect((await octokit.rest.git.listMatchingRefs({ ...repo, ref: "tags/churn/" })).data).toHaveLength(1);
    await octokit.rest.git.getTag({ ...repo, tag_sha: tag.data.sha });
    const deployment = await octokit.rest.repos.createDeployment({
      ...repo,
      ref: merge.sha,
      environment: "churn/production",
      auto_merge: false,
      required_contexts: [],
    });
    expect(deployment.status).toBe(201);
    const id = (deployment.data as { id: number }).id;
    await octokit.rest.repos.createDeploymentStatus({ ...repo, deployment_id: id, state: "success" });
    expect(
      (await octokit.rest.repos.listDeployments({ ...repo, environment: "churn/production" })).data,
    ).toHaveLength(1);
    await octokit.rest.repos.listDeploymentStatuses({ ...repo, deployment_id: id });
    const issue = await octokit.rest.issues.create({
      ...repo,
      title: "Drift: churn",
      labels: ["gauntlet-drift"],
      assignees: ["octocat"],
    });
    await octokit.rest.issues.update({ ...repo, issue_number: issue.data.number, state: "closed" });
    const open = await octokit.rest.issues.listForRepo({ ...repo, labels: "gauntlet-drift", state: "open" });
    expect(open.data).toEqual([]);
    await octokit.rest.issues.getLabel({ ...repo, name: "gauntlet-drift" });
    await octokit.rest.actions.createWorkflowDispatch({
      ...repo,
      workflow_id: "retrain.yml",
      ref: "main",
      inputs: { model: "churn" },
    });
    expect(server.state.dispatches).toMatchObject([
      { workflowId: "retrain.yml", inputs: { model: "churn" } },
    ]);
    expect(server.rejections()).toEqual([]);
  });

  it("answers 501 for an operation in the spec without a handler", async () => {
    const error = await failure(octokit.rest.repos.listBranches(repo));
    expect(error.status).toBe(501);
    expect(server.rejections()).toMatchObject([{ kind: "unhandled", operationId: "repos/list-branches" }]);
  });
});
