import { mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isUserError } from "@gauntlet/core";
import { describe, expect, it } from "vitest";
import { readRunContext } from "./context.js";

// Real webhook payloads, as GitHub documents them.
const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as {
  name: string;
  examples: Record<string, unknown>[];
}[];
const example = (event: string, action?: string) =>
  structuredClone(
    examples
      .find((e) => e.name === event)!
      .examples.find((x) => action === undefined || x["action"] === action)!,
  );

const dir = mkdtempSync(join(tmpdir(), "gauntlet-context-"));
function envFor(eventName: string, payload: unknown) {
  const path = join(dir, `${eventName}-${Math.random()}.json`);
  writeFileSync(path, JSON.stringify(payload));
  return {
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: path,
    GITHUB_REPOSITORY: "Codertocat/Hello-World",
    GITHUB_SHA: "ffac537e6cbbf934b08745a378932722df287a53",
    GITHUB_REF: "refs/pull/2/merge",
    GITHUB_RUN_ID: "42",
  };
}

describe("readRunContext", () => {
  it("reads a same-repository pull request", () => {
    const payload = example("pull_request", "opened");
    const ctx = readRunContext(envFor("pull_request", payload));
    const pr = payload["pull_request"] as { head: { sha: string }; base: { sha: string } };
    expect(ctx).toMatchObject({
      eventName: "pull_request",
      repo: { owner: "Codertocat", repo: "Hello-World" },
      sha: "ffac537e6cbbf934b08745a378932722df287a53",
      ref: "refs/pull/2/merge",
      apiUrl: "https://api.github.com",
      serverUrl: "https://github.com",
      runId: 42,
      runUrl: "https://github.com/Codertocat/Hello-World/actions/runs/42",
      pullRequest: {
        number: 2,
        headSha: pr.head.sha,
        baseSha: pr.base.sha,
        headRepoFullName: "Codertocat/Hello-World",
        isFork: false,
        author: "Codertocat",
      },
    });
    expect(ctx.payload["action"]).toBe("opened");
  });

  it("marks a pull request from another repository, or from a deleted fork, as a fork", () => {
    const payload = example("pull_request", "opened");
    const pr = payload["pull_request"] as { head: { repo: { full_name: string } | null } };
    pr.head.repo = { ...pr.head.repo!, full_name: "mallory/Hello-World" };
    const fork = readRunContext(envFor("pull_request", payload)).pullRequest;
    expect(fork).toMatchObject({ isFork: true, headRepoFullName: "mallory/Hello-World" });

    pr.head.repo = null;
    expect(readRunContext(envFor("pull_request_target", payload)).pullRequest).toMatchObject({
      isFork: true,
      headRepoFullName: undefined,
    });
  });

  it("reads a push, with no pull request, honouring GHES URLs", () => {
    const ctx = readRunContext({
      ...envFor("push", example("push")),
      GITHUB_REF: "refs/heads/main",
      GITHUB_API_URL: "https://ghes.example/api/v3/",
      GITHUB_SERVER_URL: "https://ghes.example",
    });
    expect(ctx.eventName).toBe("push");
    expect(ctx.pullRequest).toBeUndefined();
    expect(ctx.apiUrl).toBe("https://ghes.example/api/v3");
    expect(ctx.runUrl).toBe("https://ghes.example/Codertocat/Hello-World/actions/runs/42");
  });

  it("falls back to the payload's repository and fails clearly without one", () => {
    const env = { ...envFor("push", example("push")), GITHUB_REPOSITORY: "" };
    expect(readRunContext(env).repo).toEqual({ owner: "Codertocat", repo: "Hello-World" });
    let caught: unknown;
    try {
      readRunContext({});
    } catch (error) {
      caught = error;
    }
    expect(isUserError(caught)).toBe(true);
    expect(() =>
      readRunContext({ GITHUB_REPOSITORY: "a/b", GITHUB_EVENT_PATH: join(dir, "missing.json") }),
    ).toThrow(/cannot read the event payload/);
  });

  it("refuses a malformed event payload with one user error naming the file or field", () => {
    const broken = join(dir, "broken.json");
    writeFileSync(broken, '{"action": "opened", "pull_request": {');
    const thrown = (env: Record<string, string>) => {
      try {
        readRunContext(env);
      } catch (error) {
        return error;
      }
      throw new Error("expected readRunContext to throw");
    };
    const notJson = thrown({ GITHUB_REPOSITORY: "a/b", GITHUB_EVENT_PATH: broken });
    expect(isUserError(notJson)).toBe(true);
    expect((notJson as Error).message).toContain(`${broken}: the event payload is not valid JSON`);
    writeFileSync(broken, "[1, 2]");
    expect((thrown({ GITHUB_REPOSITORY: "a/b", GITHUB_EVENT_PATH: broken }) as Error).message).toContain(
      "the event payload is not a JSON object",
    );
    const payload = example("pull_request", "opened") as { pull_request: { head: Record<string, unknown> } };
    delete payload.pull_request.head["sha"];
    const malformed = thrown(envFor("pull_request", payload));
    expect(isUserError(malformed)).toBe(true);
    expect((malformed as Error).message).toMatch(
      /^pull_request\.head\.sha: the event payload's pull request is malformed/,
    );
  });
});
