// GitHub Enterprise Server serves the REST API under https://<host>/api/v3, and the runner sets
// GITHUB_API_URL to it. The test server does the same here (basePath), so every request outside
// /api/v3 is a 404: an action or CLI call that dropped the prefix would fail.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  modelBytes,
  pushPayload,
  seedMerge,
  usePromoteBed,
  writeModelVersion,
} from "./support/promote-fixture.js";
import { runAction } from "./support/run-action.js";
import { runCli } from "./support/run-cli.js";

const bed = usePromoteBed({ basePath: "/api/v3" });

describe("GitHub Enterprise Server (GITHUB_API_URL ending in /api/v3)", () => {
  it("promote releases through it, and gauntlet audit reads the release back", async () => {
    expect(bed.server.url).toMatch(/\/api\/v3$/);
    const root = await fetch(
      `${new URL(bed.server.url).origin}/repos/${bed.server.state.repo.owner}/${bed.server.state.repo.name}`,
      {
        headers: { authorization: `Bearer ${bed.server.token}` },
      },
    );
    expect(root.status).toBe(404);

    await writeModelVersion(bed.workspace, {
      name: "churn",
      version: "1.0.0",
      artefact: modelBytes("v1"),
      monitoring:
        "{ predictions: logs/p.jsonl, id: request_id, score: score, version-field: model_version, features: inputs }",
    });
    const merge = seedMerge(bed.server, { churn: "success" }, "0.9.0", "1.0.0");
    const promoted = await runAction("actions/promote", {
      token: bed.server.token,
      apiUrl: bed.server.url,
      cwd: bed.workspace,
      eventName: "push",
      payload: pushPayload(merge),
    });
    expect(promoted.exitCode, promoted.stdout).toBe(0);
    const release = bed.server.state.releases.find((r) => r.tagName === "churn/v1.0.0");
    // The assets went up through the upload URL the server handed out, under /api/v3 too.
    expect(release?.assets.map((a) => a.name).sort()).toEqual([
      "evaluation.json",
      "gate.json",
      "model.onnx",
      "profile.json",
      "reference-sample.parquet", // the manifest has monitoring:
    ]);

    const score = Math.round(1e6 / (1 + Math.exp(-(-0.05 * 10 + 0.167)))) / 1e6;
    await mkdir(join(bed.workspace, "logs"), { recursive: true });
    await writeFile(
      join(bed.workspace, "logs", "p.jsonl"),
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
        `${bed.server.state.repo.owner}/${bed.server.state.repo.name}`,
      ],
      { cwd: bed.workspace, env: { GITHUB_TOKEN: bed.server.token, GITHUB_API_URL: bed.server.url } },
    );
    expect(stderr).toBe("");
    expect(code, stdout).toBe(0);
    expect(stdout).toContain(`pull request:  #${merge.number}`);
    expect(stdout).toContain("reproduces the logged score");
    // The one request refused is the test's own to the root: every other went through /api/v3.
    expect(bed.server.rejections().map((r) => [r.kind, r.path])).toEqual([
      ["unknown-route", "/__outside_the_api_root__"],
    ]);
    expect(bed.server.calls().length).toBeGreaterThan(10);
  });
});
