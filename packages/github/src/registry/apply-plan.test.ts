import type { RegistryPlan } from "@gauntlet/core";
import { afterEach, beforeEach, expect, it } from "vitest";
import { type GitHubServer, startGitHubServer } from "../../../../test/support/github-server.js";
import { createGitHubClient, type GitHubClient } from "../client.js";
import { applyPlan } from "./apply-plan.js";
import { changedFiles } from "./changed-files.js";
import { AliasMovedError } from "./move-alias.js";
import { readRegistryState } from "./read-registry.js";

let server: GitHubServer;
let client: GitHubClient;
const repo = { owner: "acme", repo: "models" };
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

beforeEach(async () => {
  server = await startGitHubServer();
  client = createGitHubClient(server.token, {
    apiUrl: server.url,
    log: quiet,
    writeSpacingMs: 0,
    delayUnitMs: 1,
  });
});
afterEach(() => server.close());

const movePlan = (from: string | null, to: string): RegistryPlan => ({
  model: "churn",
  version: "1.1.0",
  commit: to,
  kept: [],
  operations: [{ kind: "move-alias", tag: "churn/production", from, to, force: false }],
});

it("re-reads the alias before moving it and stops when another promotion moved it", async () => {
  const v1 = server.seed.commit({ branch: "main" }).sha;
  const v2 = server.seed.commit({ branch: "main" }).sha;
  const v3 = server.seed.commit({ branch: "main" }).sha;
  server.seed.ref("refs/tags/churn/production", v3);
  const options = { ...repo, releases: [], runUrl: "https://example.test/run", log: () => {} };
  await expect(applyPlan(client, movePlan(v1, v2), options)).rejects.toBeInstanceOf(AliasMovedError);
  expect(server.state.refs.get("refs/tags/churn/production")).toBe(v3);
  await applyPlan(client, movePlan(v3, v3), options);
  expect(server.rejections()).toEqual([]);
});

it("reads version tags peeled to their commits and skips other tags of the model", async () => {
  const c = server.seed.commit({ branch: "main" }).sha;
  server.seed.annotatedTag({ tag: "churn/v1.0.0", sha: c });
  server.seed.ref("refs/tags/churn/production", c);
  server.seed.ref("refs/tags/churn-v2/v9.0.0", c);
  const state = await readRegistryState(client, { ...repo, model: "churn", stage: "production" });
  expect(state).toEqual({
    tags: [{ version: "1.0.0", tag: "churn/v1.0.0", commit: c }],
    releases: [],
    alias: { tag: "churn/production", commit: c },
  });
});

it("tells a manifest edit without a version bump from a bump", async () => {
  const before = server.state.refs.get("refs/heads/main")!;
  const after = server.seed.commit({
    branch: "main",
    files: [
      { filename: "models/churn/model.yml", patch: "@@ -2 +2 @@\n-version: 1.0.0\n+version: 1.1.0" },
      { filename: "models/fraud/model.yml", patch: "@@ -4 +4 @@\n-description: a\n+description: b" },
    ],
  }).sha;
  expect(await changedFiles(client, { ...repo, before, after })).toEqual([
    { filename: "models/churn/model.yml", versionTouched: true },
    { filename: "models/fraud/model.yml", versionTouched: false },
  ]);
});
