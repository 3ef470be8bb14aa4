import { type Check, findMarker, parseSections } from "@gauntlet/core";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type FakeComment, type FakeGitHub, issueComments, startFakeGitHub } from "../test/fake-github.js";
import { createGitHubClient } from "./client.js";
import type { RunContext } from "./context.js";
import { modelPublisher } from "./publish-model-result.js";

let fake: FakeGitHub | undefined;
let output: string[] = [];
beforeEach(() => {
  output = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    output.push(String(chunk));
    return true;
  });
});
afterEach(async () => {
  vi.restoreAllMocks();
  await fake?.close();
  fake = undefined;
});

const contextAt = (apiUrl: string, pullRequest?: RunContext["pullRequest"]): RunContext => ({
  eventName: pullRequest ? "pull_request" : "push",
  payload: {},
  repo: { owner: "acme", repo: "models" },
  sha: "abc123",
  ref: "refs/heads/main",
  apiUrl,
  serverUrl: "https://github.com",
  runId: 42,
  runUrl: "https://github.com/acme/models/actions/runs/42",
  pullRequest,
});
const pullRequest = {
  number: 7,
  headSha: "abc123",
  baseSha: "def456",
  headRepoFullName: "acme/models",
  isFork: false,
  author: "octocat",
};
const loaded = { file: "models/churn/model.yml", manifest: { name: "churn" } };
const warning: Check = { id: "rows", status: "warn", value: 900, limit: 1000, reason: "only 900 rows" };

describe("modelPublisher", () => {
  it("writes the loaded model's section on the pull request and returns its comment-id output", async () => {
    const comments: FakeComment[] = [];
    fake = await startFakeGitHub(issueComments(comments));
    const publish = modelPublisher({
      context: contextAt(fake.url, pullRequest),
      client: createGitHubClient("t0ken", { apiUrl: fake.url, delayUnitMs: 1, writeSpacingMs: 0 }),
      comment: true,
    });

    const outputs = await publish(loaded, { section: "data", markdown: "12 checks", checks: [warning] });

    expect(comments).toHaveLength(1);
    expect(outputs).toEqual({ "comment-id": String(comments[0]!.id) });
    expect(comments[0]!.body).toContain(findMarker("churn"));
    expect(parseSections(comments[0]!.body)).toEqual([{ name: "data", markdown: "12 checks" }]);
    expect(output.join("")).toContain(
      "::warning title=gauntlet%3A rows,file=models/churn/model.yml::only 900 rows",
    );
  });

  it("sets no output when the step writes no comment", async () => {
    fake = await startFakeGitHub(issueComments([]));
    const publish = modelPublisher({
      context: contextAt(fake.url, pullRequest),
      client: createGitHubClient("t0ken", { apiUrl: fake.url, delayUnitMs: 1, writeSpacingMs: 0 }),
      comment: false,
    });

    expect(await publish(loaded, { section: "data", markdown: "12 checks" })).toEqual({});
    expect(fake.requests).toEqual([]);
  });
});
