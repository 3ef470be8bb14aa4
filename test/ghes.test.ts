// GitHub Enterprise Server serves the REST API under https://<host>/api/v3, and the runner sets
// GITHUB_API_URL to it. The test server does the same here (basePath), so every request outside
// /api/v3 is a 404: an action or CLI call that dropped the prefix would fail.
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type GitHubServer, startGitHubServer } from "./support/github-server.js";
import {
  createWorkspace,
  modelBytes,
  pushPayload,
  seedMerge,
  writeModelVersion,
} from "./support/promote-fixture.js";
import { runAction } from "./support/run-action.js";
import { runCli } from "./support/run-cli.js";

let server: GitHubServer;
let workspace: string;

beforeEach(async () => {
  server = await startGitHubServer({ basePath: "/api/v3" });
  workspace = await createWorkspace();
});

afterEach(async () => {
  await server.close();
  await rm(workspace, { recursive: true, force: true });
});

describe("GitHub Enterprise Server (GITHUB_API_URL ending in /api/v3)", () => {
  it("promote releases through it, and gauntlet audit reads the release back", async () => {
    expect(server.url).toMatch(/\/api\/v3$/);
    const root = await fetch(
      `${new URL(server.url).origin}/repos/${server.state.repo.owner}/${server.state.repo.name}`,
      {
        headers: { authorization: `Bearer ${server.token}` },
      },
    );
    expect(root.status).toBe(404);

    await writeModelVersion(workspace, {
      name: "churn",
      version: "1.0.0",
      artefact: modelBytes("v1"),
      monitoring:
        "{ predictions: logs/p.jsonl, id: request_id, score: score, version-field: model_version, features: inputs }",
    });
    const merge = seedMerge(server, { churn: "success" }, "0.9.0", "1.0.0");
    const promoted = await runAction("actions/promote", {
      token: server.token,
      apiUrl: server.url,
      cwd: workspace,
      eventName: "push",
      payload: pushPayload(merge),
    });
    expect(promoted.exitCode, promoted.stdout).toBe(0);
    const release = server.state.releases.find((r) => r.tagName === "churn/v1.0.0");
    // The assets went up through the upload URL the server handed out, under /api/v3 too.
    expect(release?.assets.map((a) => a.name).sort()).toEqual([
      "evaluation.json",
      "gate.json",
      "model.onnx",
      "profile.json",
      "reference-sample.parquet", // the manifest has monitoring:
    ]);

    const score = Math.round(1e6 / (1 + Math.exp(-(-0.05 * 10 + 0.167)))) / 1e6;
    await mkdir(join(workspace, "logs"), { recursive: true });
    await writeFile(
      join(workspace, "logs", "p.jsonl"),
      `${JSON.stringify({ request_id: "r-1", model_version: "1.0.0", inputs: { tenure_months: 10 }, score })}\n`,
    );
    const { code, stdout, stderr } = await runCli(
      [
        "audit",
        "--manifest",
        "models/churn/model.yml",
        "--request",
        "r-1",
        "--repo",
        `${server.state.repo.owner}/${server.state.repo.name}`,
      ],
      { cwd: workspace, env: { GITHUB_TOKEN: server.token, GITHUB_API_URL: server.url } },
    );
    expect(stderr).toBe("");
    expect(code, stdout).toBe(0);
    expect(stdout).toContain(`pull request:  #${merge.number}`);
    expect(stdout).toContain("reproduces the logged score");
    // The one request refused is the test's own to the root: every other went through /api/v3.
    expect(server.rejections().map((r) => [r.kind, r.path])).toEqual([
      ["unknown-route", "/__outside_the_api_root__"],
    ]);
    expect(server.calls().length).toBeGreaterThan(10);
  });
});
