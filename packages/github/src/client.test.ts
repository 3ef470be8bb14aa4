import { afterEach, describe, expect, it } from "vitest";
import { type FakeGitHub, recordingLog, startFakeGitHub } from "../test/fake-github.js";
import { createGitHubClient } from "./client.js";

let fake: FakeGitHub | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const fast = { delayUnitMs: 1, writeSpacingMs: 0 };

describe("createGitHubClient", () => {
  it("sends the token to the given API root", async () => {
    fake = await startFakeGitHub(() => ({ body: { full_name: "acme/models" } }));
    const client = createGitHubClient("t0ken", { apiUrl: `${fake.url}/`, ...fast });
    const { data } = await client.rest.repos.get({ owner: "acme", repo: "models" });
    expect(data.full_name).toBe("acme/models");
    expect(fake.requests[0]!.path).toBe("/repos/acme/models");
    expect(fake.requests[0]!.headers.authorization).toBe("token t0ken");
  });

  it("retries a 500 and returns the answer that follows", async () => {
    let calls = 0;
    fake = await startFakeGitHub(() =>
      ++calls === 1
        ? { status: 500, body: { message: "Server Error" } }
        : { body: { full_name: "acme/models" } },
    );
    const client = createGitHubClient("t", { apiUrl: fake.url, ...fast });
    const { data } = await client.rest.repos.get({ owner: "acme", repo: "models" });
    expect(data.full_name).toBe("acme/models");
    expect(calls).toBe(2);
  });

  it("gives up on a persistent 502 after the configured retries", async () => {
    fake = await startFakeGitHub(() => ({ status: 502, body: { message: "Bad Gateway" } }));
    const client = createGitHubClient("t", { apiUrl: fake.url, retries: 2, ...fast });
    await expect(client.rest.repos.get({ owner: "acme", repo: "models" })).rejects.toMatchObject({
      status: 502,
    });
    expect(fake.requests).toHaveLength(3);
  });

  it("does not retry a 404", async () => {
    fake = await startFakeGitHub(() => undefined);
    const client = createGitHubClient("t", { apiUrl: fake.url, ...fast });
    await expect(client.rest.repos.get({ owner: "acme", repo: "nope" })).rejects.toMatchObject({
      status: 404,
    });
    expect(fake.requests).toHaveLength(1);
  });

  it("waits out a secondary rate limit and retries the write", async () => {
    let posts = 0;
    fake = await startFakeGitHub((request) => {
      if (request.method !== "POST") return undefined;
      return ++posts === 1
        ? {
            status: 403,
            headers: { "retry-after": "2" },
            body: { message: "You have exceeded a secondary rate limit. Please wait a few minutes." },
          }
        : { status: 201, body: { id: 1, html_url: "u" } };
    });
    const { log, warnings } = recordingLog();
    const client = createGitHubClient("t", { apiUrl: fake.url, log, ...fast });
    const { data } = await client.rest.issues.createComment({
      owner: "a",
      repo: "b",
      issue_number: 1,
      body: "x",
    });
    expect(data.id).toBe(1);
    expect(posts).toBe(2);
    expect(warnings.join("\n")).toMatch(/secondary rate limit.*retrying after 2 s/);
  });

  it("stops retrying a secondary rate limit after the configured number of tries", async () => {
    fake = await startFakeGitHub(() => ({
      status: 403,
      headers: { "retry-after": "1" },
      body: { message: "You have exceeded a secondary rate limit." },
    }));
    const { log } = recordingLog();
    const client = createGitHubClient("t", { apiUrl: fake.url, log, secondaryRateLimitRetries: 2, ...fast });
    await expect(client.rest.repos.get({ owner: "a", repo: "b" })).rejects.toMatchObject({ status: 403 });
    expect(fake.requests).toHaveLength(3);
  });

  it("does not sleep through a retry-after longer than the cap: one UserError asking to re-run later", async () => {
    fake = await startFakeGitHub(() => ({
      status: 403,
      headers: { "retry-after": "3600" },
      body: { message: "You have exceeded a secondary rate limit." },
    }));
    const { log, warnings } = recordingLog();
    // 1 ms per second: sleeping through 3,600 s would take 3.6 s and leave 2+ requests.
    const client = createGitHubClient("t", { apiUrl: fake.url, log, ...fast });
    const started = Date.now();
    await expect(client.rest.repos.get({ owner: "a", repo: "b" })).rejects.toMatchObject({
      name: "UserError",
      message: expect.stringMatching(
        /GitHub asked to wait 3600 s before GET \/repos\/\{owner\}\/\{repo\}; re-run later/,
      ),
    });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(fake.requests).toHaveLength(1);
    expect(warnings.join("\n")).toMatch(/asks to wait 3600 s, longer than 60 s: not waiting/);
  });

  it("waits for a retry-after up to the cap", async () => {
    let calls = 0;
    fake = await startFakeGitHub(() =>
      ++calls === 1
        ? {
            status: 429,
            headers: { "retry-after": "5" },
            body: { message: "You have exceeded a secondary rate limit." },
          }
        : { body: { full_name: "a/b" } },
    );
    const { log } = recordingLog();
    const client = createGitHubClient("t", { apiUrl: fake.url, log, maxRateLimitWaitSeconds: 5, ...fast });
    const { data } = await client.rest.repos.get({ owner: "a", repo: "b" });
    expect(data.full_name).toBe("a/b");
    expect(calls).toBe(2);
  });

  it("does not wait for a primary rate limit that resets far in the future", async () => {
    const reset = Math.floor(Date.now() / 1000) + 3600;
    fake = await startFakeGitHub(() => ({
      status: 403,
      headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset) },
      body: { message: "API rate limit exceeded" },
    }));
    const { log, warnings } = recordingLog();
    const client = createGitHubClient("t", { apiUrl: fake.url, log, ...fast });
    await expect(client.rest.repos.get({ owner: "a", repo: "b" })).rejects.toMatchObject({ status: 403 });
    expect(fake.requests).toHaveLength(1);
    expect(warnings.join("\n")).toMatch(/not waiting/);
  });

  it("retries a primary rate limit once when the reset is near", async () => {
    let calls = 0;
    fake = await startFakeGitHub(() =>
      ++calls === 1
        ? {
            status: 429,
            headers: {
              "x-ratelimit-remaining": "0",
              "x-ratelimit-reset": String(Math.floor(Date.now() / 1000)),
            },
            body: { message: "API rate limit exceeded" },
          }
        : { body: { full_name: "a/b" } },
    );
    const { log } = recordingLog();
    const client = createGitHubClient("t", { apiUrl: fake.url, log, ...fast });
    const { data } = await client.rest.repos.get({ owner: "a", repo: "b" });
    expect(data.full_name).toBe("a/b");
    expect(calls).toBe(2);
  });
});
