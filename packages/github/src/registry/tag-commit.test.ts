import { afterEach, describe, expect, it } from "vitest";
import { type FakeGitHub, type FakeResponse, startFakeGitHub } from "../../test/fake-github.js";
import { createGitHubClient } from "../client.js";
import { tagCommit } from "./tag-commit.js";

let fake: FakeGitHub | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const repo = { owner: "acme", repo: "models" };
const git = "/repos/acme/models/git";

/** A fake holding tag refs and annotated tag objects; `denied` answers 403 to every read. */
async function clientFor(
  refs: Record<string, { sha: string; type: string }>,
  tags: Record<string, { sha: string; type: string }>,
  denied = false,
) {
  fake = await startFakeGitHub((request): FakeResponse | undefined => {
    if (denied) return { status: 403, body: { message: "Resource not accessible by integration" } };
    const path = decodeURIComponent(request.path);
    const ref = path.match(/\/git\/ref\/tags\/(.+)$/);
    if (ref) {
      const object = refs[ref[1]!];
      return object && { body: { ref: `refs/tags/${ref[1]}`, object } };
    }
    const tag = path.match(/\/git\/tags\/(\w+)$/);
    const object = tag ? tags[tag[1]!] : undefined;
    return object && { body: { sha: tag![1], object } };
  });
  return createGitHubClient("t0ken", { apiUrl: fake.url, delayUnitMs: 1, retries: 0 });
}

describe("tagCommit", () => {
  it("gives a lightweight tag's commit without reading a tag object", async () => {
    const client = await clientFor({ "churn/v1.0.0": { sha: "c1", type: "commit" } }, {});
    expect(await tagCommit(client, repo, "churn/v1.0.0")).toBe("c1");
    expect(fake!.requests.map((r) => decodeURIComponent(r.path))).toEqual([`${git}/ref/tags/churn/v1.0.0`]);
  });

  it("peels annotated tags, also a tag of a tag, down to the commit", async () => {
    const client = await clientFor(
      { "churn/production": { sha: "t2", type: "tag" } },
      { t2: { sha: "t1", type: "tag" }, t1: { sha: "c9", type: "commit" } },
    );
    expect(await tagCommit(client, repo, "churn/production")).toBe("c9");
  });

  it("is undefined for a missing tag and for one that ends at a tree or loops", async () => {
    const client = await clientFor(
      { "churn/tree": { sha: "t1", type: "tag" }, "churn/loop": { sha: "t3", type: "tag" } },
      { t1: { sha: "x", type: "tree" }, t3: { sha: "t3", type: "tag" } },
    );
    expect(await tagCommit(client, repo, "churn/v9.9.9")).toBeUndefined();
    expect(await tagCommit(client, repo, "churn/tree")).toBeUndefined();
    expect(await tagCommit(client, repo, "churn/loop")).toBeUndefined();
  });

  it("names the tag and the permission when the token cannot read it", async () => {
    const client = await clientFor({}, {}, true);
    await expect(tagCommit(client, repo, "churn/production")).rejects.toThrow(
      /read the tag churn\/production of acme\/models[\s\S]*contents: read/,
    );
  });
});
