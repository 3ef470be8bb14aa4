import { REFERENCE_SAMPLE_FILE } from "@gauntlet/core";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeGitHub, type FakeResponse, startFakeGitHub } from "../../test/fake-github.js";
import { createGitHubClient } from "../client.js";
import { downloadReleaseProfile, MAX_PROFILE_BYTES } from "./download-release-profile.js";
import { findAliasRelease } from "./find-baseline-release.js";

let fake: FakeGitHub | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const target = { owner: "acme", repo: "models", model: "churn", alias: "production" };
const repo = { owner: "acme", repo: "models" };

interface Asset {
  id: number;
  name: string;
  size: number;
  /** What the asset download answers (JSON-encoded by the fake); `undefined` is an empty body. */
  content?: unknown;
}

interface Release {
  tag_name: string;
  name?: string;
  draft?: boolean;
  published_at?: string | null;
  assets: Asset[];
}

/**
 * A fake registry: tag refs (`commit` objects, or `tag` objects peeled through `tags`), the
 * releases list, and asset downloads; `denied` answers 403 to the releases list.
 */
async function clientFor(
  registry: {
    refs: Record<string, { sha: string; type: string }>;
    tags?: Record<string, { sha: string; type: string }>;
    releases: Release[];
  },
  denied = false,
) {
  const assets = new Map(registry.releases.flatMap((r) => r.assets.map((a) => [a.id, a] as const)));
  fake = await startFakeGitHub((request): FakeResponse | undefined => {
    const path = decodeURIComponent(request.path);
    const ref = path.match(/\/git\/ref\/tags\/(.+)$/);
    if (ref) {
      const object = registry.refs[ref[1]!];
      return object && { body: { ref: `refs/tags/${ref[1]}`, object } };
    }
    const tag = path.match(/\/git\/tags\/(\w+)$/);
    if (tag) {
      const object = registry.tags?.[tag[1]!];
      return object && { body: { sha: tag[1], object } };
    }
    if (path === "/repos/acme/models/releases") {
      if (denied) return { status: 403, body: { message: "Resource not accessible by integration" } };
      return {
        body: registry.releases.map((r, i) => ({
          id: i + 1,
          name: r.name ?? r.tag_name.replace("/v", " v"),
          tag_name: r.tag_name,
          draft: r.draft ?? false,
          created_at: "2025-05-19T08:00:00Z",
          published_at: r.published_at === undefined ? "2025-05-20T09:00:00Z" : r.published_at,
          assets: r.assets.map(({ content: _, ...a }) => a),
        })),
      };
    }
    const asset = path.match(/\/releases\/assets\/(\d+)$/);
    const found = asset ? assets.get(Number(asset[1])) : undefined;
    return found && { headers: { "content-type": "application/octet-stream" }, body: found.content };
  });
  return createGitHubClient("t0ken", { apiUrl: fake.url, delayUnitMs: 1, retries: 0 });
}

const profile = { schema: "gauntlet/profile@1", rows: 10 };
const profileAsset = (id: number): Asset => ({ id, name: "profile.json", size: 40, content: profile });

describe("downloadReleaseProfile", () => {
  it("downloads the profile, evaluation and sample of the release at the alias's (peeled) commit", async () => {
    const client = await clientFor({
      refs: {
        "churn/production": { sha: "t1", type: "tag" },
        "churn/v1.1.0": { sha: "c1", type: "commit" },
        "churn/v1.2.0": { sha: "c2", type: "commit" },
        "churn/v1.3.0": { sha: "c2", type: "commit" },
        "fraud/v1.0.0": { sha: "c2", type: "commit" },
      },
      tags: { t1: { sha: "c2", type: "commit" } },
      releases: [
        { tag_name: "churn/v1.3.0", draft: true, assets: [profileAsset(30)] },
        { tag_name: "fraud/v1.0.0", assets: [profileAsset(40)] },
        { tag_name: "churn/v1.1.0", assets: [profileAsset(10)] },
        {
          tag_name: "churn/v1.2.0",
          assets: [
            profileAsset(20),
            { id: 21, name: "evaluation.json", size: 30, content: { metrics: { auc: 0.81 } } },
            { id: 22, name: REFERENCE_SAMPLE_FILE, size: 6, content: "PAR1" },
          ],
        },
      ],
    });
    const found = await downloadReleaseProfile(client, target);
    expect(found).toMatchObject({
      value: profile,
      tag: "churn/v1.2.0",
      published: "2025-05-20T09:00:00Z",
      evaluation: { metrics: { auc: 0.81 } },
    });
    expect(new TextDecoder().decode(found.sample)).toBe(JSON.stringify("PAR1"));
    // The draft and the other model's release at the same commit are never downloaded from.
    const downloads = fake!.requests.map((r) => r.path).filter((p) => p.includes("/releases/assets/"));
    expect(downloads).toEqual([20, 21, 22].map((id) => `/repos/acme/models/releases/assets/${id}`));
  });

  it("has no sample or evaluation when the release has none, and dates an unpublished one by creation", async () => {
    const client = await clientFor({
      refs: {
        "churn/production": { sha: "c2", type: "commit" },
        "churn/v1.2.0": { sha: "c2", type: "commit" },
      },
      releases: [{ tag_name: "churn/v1.2.0", published_at: null, assets: [profileAsset(20)] }],
    });
    expect(await downloadReleaseProfile(client, target)).toEqual({
      value: profile,
      tag: "churn/v1.2.0",
      published: "2025-05-19T08:00:00Z",
    });
  });

  it("names the missing alias tag, and the alias's commit when no release is there", async () => {
    const none = await clientFor({ refs: {}, releases: [] });
    await expect(downloadReleaseProfile(none, target)).rejects.toThrow(
      "there is no alias tag churn/production, so there is no production release to compare against",
    );
    await fake!.close();
    const orphan = await clientFor({
      refs: {
        "churn/production": { sha: "abcdef0123", type: "commit" },
        "churn/v1.2.0": { sha: "c2", type: "commit" },
      },
      releases: [{ tag_name: "churn/v1.2.0", assets: [profileAsset(20)] }],
    });
    await expect(downloadReleaseProfile(orphan, target)).rejects.toThrow(
      "no release of churn is at the commit churn/production points to (abcdef0)",
    );
  });

  it("rejects a release without profile.json, with an oversized one, and with one that is not JSON", async () => {
    const registry = (assets: Asset[]) => ({
      refs: {
        "churn/production": { sha: "c2", type: "commit" },
        "churn/v1.2.0": { sha: "c2", type: "commit" },
      },
      releases: [{ tag_name: "churn/v1.2.0", assets }],
    });
    const cases: [Asset[], string][] = [
      [[{ id: 5, name: "model.onnx", size: 9 }], "release churn v1.2.0 has no profile.json asset"],
      [
        [{ id: 5, name: "profile.json", size: MAX_PROFILE_BYTES + 1 }],
        `profile.json of churn/v1.2.0 is ${MAX_PROFILE_BYTES + 1} bytes (limit ${MAX_PROFILE_BYTES})`,
      ],
      [[{ id: 5, name: "profile.json", size: 0 }], "profile.json of churn/v1.2.0 is not valid JSON"],
    ];
    for (const [assets, message] of cases) {
      const client = await clientFor(registry(assets));
      await expect(downloadReleaseProfile(client, target)).rejects.toThrow(message);
      await fake!.close();
      fake = undefined;
    }
  });

  it("names the permission when the token cannot list releases", async () => {
    const client = await clientFor(
      { refs: { "churn/production": { sha: "c2", type: "commit" } }, releases: [] },
      true,
    );
    await expect(downloadReleaseProfile(client, target)).rejects.toThrow(
      /list the releases of acme\/models[\s\S]*contents: read/,
    );
  });
});

describe("findAliasRelease", () => {
  const options = { model: "churn", manifestFile: "models/churn/model.yml" };

  it("finds the same release by the same search, and has none before the first promotion", async () => {
    const client = await clientFor({
      refs: {
        "churn/production": { sha: "c2", type: "commit" },
        "churn/v1.1.0": { sha: "c1", type: "commit" },
        "churn/v1.2.0": { sha: "c2", type: "commit" },
      },
      releases: [
        { tag_name: "churn/v1.1.0", assets: [{ id: 1, name: "model.onnx", size: 9 }] },
        { tag_name: "churn/v1.2.0", assets: [{ id: 2, name: "model.onnx", size: 9 }] },
      ],
    });
    expect(await findAliasRelease(client, repo, "production", options)).toEqual({
      version: "1.2.0",
      release: "churn v1.2.0",
      tag: "churn/v1.2.0",
      asset: { id: 2, name: "model.onnx", size: 9 },
    });
    expect(await findAliasRelease(client, repo, "staging", options)).toBeUndefined();
  });

  it("says the registry is inconsistent when no release is at the alias's commit", async () => {
    const client = await clientFor({
      refs: { "churn/production": { sha: "abcdef0123456789", type: "commit" } },
      releases: [{ tag_name: "churn/v1.2.0", assets: [] }],
    });
    await expect(findAliasRelease(client, repo, "production", options)).rejects.toThrow(
      "the alias churn/production points at commit abcdef012345, but no release churn/v* is tagged there",
    );
  });
});
