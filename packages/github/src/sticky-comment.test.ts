import { findMarker, isUserError, parseSections, upsertSection } from "@gauntlet/core";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeComment, type FakeGitHub, issueComments, startFakeGitHub } from "../test/fake-github.js";
import { createGitHubClient } from "./client.js";
import { upsertStickyComment } from "./sticky-comment.js";

let fake: FakeGitHub | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const target = { owner: "acme", repo: "models", issueNumber: 7, model: "churn" };
const clientFor = (server: FakeGitHub) =>
  createGitHubClient("t0ken", { apiUrl: server.url, delayUnitMs: 1, writeSpacingMs: 0 });
const chatter = (id: number, login = "octocat"): FakeComment => ({
  id,
  body: `comment ${id}`,
  user: { login },
});
const writes = (server: FakeGitHub) => server.requests.filter((r) => r.method !== "GET");

describe("upsertStickyComment", () => {
  it("walks every page, finds the marker on page 3 and updates that comment without creating another", async () => {
    const existing = upsertSection(undefined, "churn", "evaluation", "AUC 0.91");
    const comments = [1, 2, 3, 4].map((id) => chatter(id));
    comments.push({ id: 5, body: existing, user: { login: "github-actions[bot]" } });
    fake = await startFakeGitHub(issueComments(comments, { pageSize: 2 }));

    const result = await upsertStickyComment(clientFor(fake), {
      ...target,
      section: "data",
      markdown: "12 checks",
    });

    const listings = fake.requests.filter((r) => r.method === "GET");
    expect(listings.map((r) => r.query.get("page") ?? "1")).toEqual(["1", "2", "3"]);
    expect(listings.every((r) => r.query.get("per_page") === "100")).toBe(true);
    expect(writes(fake).map((r) => `${r.method} ${r.path}`)).toEqual([
      "PATCH /repos/acme/models/issues/comments/5",
    ]);
    expect(result).toEqual({ id: 5, url: `${fake.url}/comment/5`, created: false, updated: true });
    expect(comments).toHaveLength(5);
    expect(parseSections(comments[4]!.body)).toEqual([
      { name: "data", markdown: "12 checks" },
      { name: "evaluation", markdown: "AUC 0.91" },
    ]);
  });

  it("makes no write when the section is already what it would write", async () => {
    const body = upsertSection(undefined, "churn", "data", "12 checks");
    fake = await startFakeGitHub(issueComments([{ id: 3, body, user: { login: "github-actions[bot]" } }]));
    const result = await upsertStickyComment(clientFor(fake), {
      ...target,
      section: "data",
      markdown: "12 checks",
    });
    expect(writes(fake)).toEqual([]);
    expect(result).toMatchObject({ id: 3, created: false, updated: false });
  });

  it("creates the comment when none carries the marker, and adopts the oldest when two do", async () => {
    const comments = [chatter(1)];
    fake = await startFakeGitHub(issueComments(comments));
    const created = await upsertStickyComment(clientFor(fake), {
      ...target,
      section: "gate",
      markdown: "passed",
    });
    expect(created.created).toBe(true);
    expect(comments).toHaveLength(2);
    expect(comments[1]!.body.startsWith(findMarker("churn"))).toBe(true);

    comments.push({ id: 999, body: upsertSection(undefined, "churn", "data", "dup"), user: { login: "x" } });
    const again = await upsertStickyComment(clientFor(fake), {
      ...target,
      section: "gate",
      markdown: "failed",
    });
    expect(again.id).toBe(created.id);
  });

  it("folds its copy into the older comment when a concurrent job created one at the same time", async () => {
    const comments: FakeComment[] = [chatter(1)];
    const api = issueComments(comments);
    let raced = false;
    fake = await startFakeGitHub((request, base) => {
      if (request.method === "POST" && !raced) {
        raced = true;
        const other = upsertSection(undefined, "churn", "data", "from the other job");
        comments.push({ id: 50, body: other, user: { login: "github-actions[bot]" } });
      }
      return api(request, base);
    });
    const result = await upsertStickyComment(clientFor(fake), {
      ...target,
      section: "evaluation",
      markdown: "AUC",
    });
    expect(result).toMatchObject({ id: 50, created: false, updated: true });
    expect(comments.map((c) => c.id)).toEqual([1, 50]);
    expect(parseSections(comments[1]!.body).map((s) => s.name)).toEqual(["data", "evaluation"]);
  });

  it("ignores a marker comment planted by someone else when the author is given", async () => {
    const planted = upsertSection(undefined, "churn", "gate", "approved!!");
    const comments = [{ id: 1, body: planted, user: { login: "mallory" } }];
    fake = await startFakeGitHub(issueComments(comments));
    const result = await upsertStickyComment(clientFor(fake), {
      ...target,
      section: "gate",
      markdown: "blocked",
      author: "github-actions[bot]",
    });
    expect(result.created).toBe(true);
    expect(comments[0]!.body).toBe(planted);
  });

  it("fits an oversized section to the comment limit", async () => {
    const comments: FakeComment[] = [];
    fake = await startFakeGitHub(issueComments(comments));
    const markdown = Array.from({ length: 5000 }, (_, i) => `| slice ${i} | ${"x".repeat(30)} |`).join("\n");
    await upsertStickyComment(clientFor(fake), { ...target, section: "evaluation", markdown });
    expect(comments[0]!.body.length).toBeLessThanOrEqual(65_536);
    expect(comments[0]!.body).toContain("<!-- gauntlet:section-end=evaluation -->");
  });

  it("reports a token without pull-requests: write as a user error naming the permission", async () => {
    fake = await startFakeGitHub((request) =>
      request.method === "POST"
        ? { status: 403, body: { message: "Resource not accessible by integration" } }
        : { body: [] },
    );
    const error = await upsertStickyComment(clientFor(fake), {
      ...target,
      section: "data",
      markdown: "x",
    }).catch((e: unknown) => e);
    expect(isUserError(error)).toBe(true);
    expect((error as Error).message).toContain("the token cannot comment on pull request #7");
    expect((error as Error).message).toContain("`permissions: pull-requests: write`");
    expect(fake.requests.filter((r) => r.method === "POST")).toHaveLength(1);
  });
});
