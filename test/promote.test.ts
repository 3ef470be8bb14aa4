import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type NumericColumnProfile, normalizedWassersteinDistance } from "@gauntlet/core";
import { readTable } from "@gauntlet/data";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { promoteCommand } from "../packages/cli/src/commands/promote.js";
import { type GitHubServer, startGitHubServer } from "./support/github-server.js";
import {
  createWorkspace,
  modelBytes,
  pushPayload,
  seedMerge,
  writeModelVersion,
} from "./support/promote-fixture.js";
import { type ActionResult, type RunActionOptions, runAction } from "./support/run-action.js";
import { webhookPayload } from "./support/webhooks.js";

const ACTION = "actions/promote";
let server: GitHubServer;
let workspace: string;

beforeEach(async () => {
  server = await startGitHubServer();
  workspace = await createWorkspace();
});

afterEach(async () => {
  await server.close();
  await rm(workspace, { recursive: true, force: true });
});

const bytes = modelBytes;

function promote(options: RunActionOptions = {}): Promise<ActionResult> {
  return runAction(ACTION, {
    token: server.token,
    apiUrl: server.url,
    cwd: workspace,
    eventName: "push",
    ...options,
  });
}

/** Everything the registry holds for a model, in DESIGN.md's terms. */
function registry(model = "churn") {
  const s = server.state;
  const peel = (sha: string | undefined) =>
    sha && s.tagObjects.has(sha) ? s.tagObjects.get(sha)!.object.sha : sha;
  const tags = [...s.refs].filter(([ref]) => ref.startsWith(`refs/tags/${model}/v`));
  return {
    tags: Object.fromEntries(
      tags.map(([ref, sha]) => [ref.slice(10), { commit: peel(sha), annotated: s.tagObjects.has(sha) }]),
    ),
    alias: s.refs.get(`refs/tags/${model}/production`),
    releases: s.releases
      .filter((r) => r.tagName.startsWith(`${model}/`))
      .map((r) => ({ tag: r.tagName, name: r.name, assets: r.assets.map((a) => a.name).sort() })),
    deployments: s.deployments
      .filter((d) => d.environment === `${model}/production`)
      .map((d) => ({ sha: d.sha, states: d.statuses.map((x) => x.state) })),
  };
}

const errors = (result: ActionResult) =>
  result.annotations.filter((a) => a.level === "error").map((a) => a.message);
const ALL_ASSETS = ["evaluation.json", "gate.json", "model.onnx", "profile.json"];

describe("promote", () => {
  it("promotes two versions, completes a re-run after a fault, and rolls back", async () => {
    await writeModelVersion(workspace, { name: "churn", version: "1.0.0", artefact: bytes("v1") });
    const first = seedMerge(server, { churn: "success" }, "0.9.0", "1.0.0");
    const r1 = await promote({ payload: pushPayload(first) });
    expect(r1.exitCode, r1.stdout).toBe(0);
    expect(r1.outputs).toMatchObject({ promoted: "churn@1.0.0", tag: "churn/v1.0.0", passed: "true" });

    await writeModelVersion(workspace, { name: "churn", version: "1.1.0", artefact: bytes("v2") });
    const second = seedMerge(server, { churn: "success" });
    // The first asset upload fails: the release exists without assets, the alias has not moved.
    server.injectFault({ operationId: "repos/upload-release-asset", status: 403, times: 1 });
    const broken = await promote({ payload: pushPayload(second) });
    expect(broken.exitCode).toBe(1);
    expect(registry().releases.find((r) => r.tag === "churn/v1.1.0")?.assets).toEqual([]);
    expect(registry().alias).toBe(first.after);

    const rerun = await promote({ payload: pushPayload(second) });
    expect(rerun.exitCode, rerun.stdout).toBe(0);
    const updatesBefore = server.state.refUpdates.length;
    const again = await promote({ payload: pushPayload(second) });
    expect(again.stdout).toContain("nothing to do");
    expect(server.state.refUpdates.length).toBe(updatesBefore);

    const release = server.state.releases.find((r) => r.tagName === "churn/v1.1.0")!;
    expect(release.body).toContain("# churn v1.1.0\n\nMonthly churn propensity");
    expect(release.body).toContain(
      `concluded **success** on \`${second.headSha}\`, the head of pull request #${second.number}`,
    );
    expect(release.body).toContain("Approved by: octocat.");
    expect(release.body).toContain("Trained on prepaid subscribers only");
    expect(release.assets.find((a) => a.name === "model.onnx")!.data).toEqual(bytes("v2"));
    const profile = JSON.parse(release.assets.find((a) => a.name === "profile.json")!.data.toString());
    expect(profile).toMatchObject({
      schema: "gauntlet/profile@1",
      rows: 60,
      model: { name: "churn", version: "1.1.0" },
    });
    expect(profile.columns.region).toMatchObject({ kind: "category", counts: { AE: 20, EG: 20, SA: 20 } });
    expect(profile.columns.tenure_months.kind).toBe("number");
    // The fixture's manifest names no monitoring.score, so no score column; the calibration of its
    // scores against `churned` (every fourth row positive) is there all the same.
    expect(profile.prediction).toBeUndefined();
    expect(profile.calibration).toMatchObject({ label: "churned", positive: "1", rows: 60 });
    const bins = profile.calibration.bins as {
      lower: number;
      upper: number;
      count: number;
      meanScore: number;
      positiveRate: number;
    }[];
    expect(bins.reduce((n, b) => n + b.count, 0)).toBe(60);
    expect(bins.reduce((n, b) => n + b.count * b.positiveRate, 0)).toBeCloseTo(15, 9);
    for (const bin of bins) {
      expect(bin.meanScore).toBeGreaterThanOrEqual(bin.lower);
      expect(bin.meanScore).toBeLessThanOrEqual(bin.upper);
    }

    const rollback = await promote({
      eventName: "workflow_dispatch",
      payload: webhookPayload("workflow_dispatch", undefined, { inputs: { rollback: "true" } }),
      sha: second.after,
      inputs: { manifest: "models/churn/model.yml", rollback: true },
    });
    expect(rollback.exitCode, rollback.stdout).toBe(0);
    expect(rollback.outputs).toMatchObject({ promoted: "churn@1.0.0", tag: "churn/v1.0.0" });
    expect(registry()).toEqual({
      tags: {
        "churn/v1.0.0": { commit: first.after, annotated: true },
        "churn/v1.1.0": { commit: second.after, annotated: true },
      },
      alias: first.after,
      releases: [
        { tag: "churn/v1.0.0", name: "churn v1.0.0", assets: ALL_ASSETS },
        { tag: "churn/v1.1.0", name: "churn v1.1.0", assets: ALL_ASSETS },
      ],
      deployments: [
        { sha: first.after, states: ["success", "inactive"] },
        { sha: second.after, states: ["success", "inactive"] },
        { sha: first.after, states: ["success"] },
      ],
    });
    expect(server.state.releases.find((r) => r.tagName === "churn/v1.1.0")!.body).toMatch(
      /Rolled back on \d{4}-\d\d-\d\d: churn\/production moved from v1\.1\.0 to v1\.0\.0/,
    );
    // A re-run of the rollback's run resumes it instead of rolling back further.
    const rerunRollback = await promote({
      eventName: "workflow_dispatch",
      payload: webhookPayload("workflow_dispatch", undefined, {}),
      inputs: { manifest: "models/churn/model.yml", rollback: true },
    });
    expect(rerunRollback.exitCode, rerunRollback.stdout).toBe(0);
    expect(registry().deployments).toHaveLength(3);
    // Re-running the v1.1.0 promotion after the rollback does not undo it.
    expect((await promote({ payload: pushPayload(second) })).exitCode).toBe(0);
    expect(registry().alias).toBe(first.after);
    expect(server.state.refUpdates.filter((u) => u.ref === "refs/tags/churn/production")).toEqual([
      { ref: "refs/tags/churn/production", sha: first.after, force: false, operation: "create" },
      { ref: "refs/tags/churn/production", sha: second.after, force: false, operation: "update" },
      { ref: "refs/tags/churn/production", sha: first.after, force: true, operation: "update" },
    ]);
    expect(server.rejections()).toEqual([]);
  });

  it("attaches the exact reference sample, which drift-check downloads and computes exact statistics on", async () => {
    // 60 evaluation rows, at most 40 kept; customer_id is the id and churned the label: never stored.
    const monitoring =
      "{ predictions: logs/*.jsonl, id: customer_id, timestamp: ts, score: score, drift: { warn: 0.1, alert: 0.2 }, reference-sample: { max-rows: 40 } }";
    await writeModelVersion(workspace, {
      name: "churn",
      version: "1.1.0",
      artefact: bytes("v2"),
      monitoring,
    });
    const merge = seedMerge(server, { churn: "success" });
    const promoted = await promote({ payload: pushPayload(merge) });
    expect(promoted.exitCode, promoted.stdout).toBe(0);
    const release = server.state.releases.find((r) => r.tagName === "churn/v1.1.0")!;
    expect(release.assets.map((a) => a.name).sort()).toEqual(
      [...ALL_ASSETS, "reference-sample.parquet"].sort(),
    );

    // The sample as released: 40 rows of the features and the score, no id, no label.
    const asset = release.assets.find((a) => a.name === "reference-sample.parquet")!;
    await mkdir(join(workspace, "check"), { recursive: true });
    await writeFile(join(workspace, "check", "sample.parquet"), asset.data);
    const sample: Record<string, number[]> = { tenure_months: [] };
    let names: string[] = [];
    let rows = 0;
    for await (const batch of readTable("check/sample.parquet", { cwd: workspace })) {
      names = [...batch.columns.keys()].sort();
      rows += batch.length;
      const c = batch.columns.get("tenure_months")!;
      for (let i = 0; i < batch.length; i++) sample.tenure_months!.push(c.values[i] as number);
    }
    expect(names).toEqual(["region", "score", "tenure_months"]);
    expect(rows).toBe(40);

    // drift-check against the production release: statistics on the sample, exactly.
    const logged = Array.from({ length: 90 }, (_, i) => ({
      ts: `2025-05-31T${String(i % 24).padStart(2, "0")}:00:00Z`,
      customer_id: `x${i}`,
      tenure_months: (i * 5) % 60,
      region: ["AE", "SA", "EG"][i % 3],
      score: 0.2 + (i % 10) / 20,
    }));
    await mkdir(join(workspace, "logs"), { recursive: true });
    await writeFile(join(workspace, "logs", "day.jsonl"), logged.map((r) => JSON.stringify(r)).join("\n"));
    const drift = await runAction("actions/drift-check", {
      inputs: { manifest: "models/churn/model.yml", "fail-on": "never", comment: "false" },
      token: server.token,
      apiUrl: server.url,
      cwd: workspace,
      eventName: "schedule",
      payload: webhookPayload("schedule"),
    });
    expect(drift.stderr).toBe("");
    expect(drift.exitCode, drift.stdout).toBe(0);
    const result = JSON.parse(await readFile(join(workspace, ".gauntlet", "churn", "drift.json"), "utf8"));
    expect(result.reference).toMatchObject({
      kind: "release",
      location: "churn/v1.1.0",
      rows: 60,
      sample: 40,
    });
    const tenure = result.columns.find((c: { column: string }) => c.column === "tenure_months");
    expect(tenure.details.approximate).toBeUndefined();
    const profile = JSON.parse(release.assets.find((a) => a.name === "profile.json")!.data.toString());
    const expected = normalizedWassersteinDistance(
      sample.tenure_months!,
      logged.map((r) => r.tenure_months),
      { scale: populationStd(sample.tenure_months!) },
    );
    expect(tenure.score).toBeCloseTo(expected.value!, 12);
    expect((profile.columns.tenure_months as NumericColumnProfile).values).toBeUndefined();
    expect(drift.summary).toContain("Statistics are exact: computed on 40 reference rows");
    expect(server.rejections()).toEqual([]);
  });

  it("refuses a version tag at another commit and writes nothing", async () => {
    await writeModelVersion(workspace, { name: "churn", version: "1.1.0", artefact: bytes("v2") });
    const other = server.seed.commit({ branch: "main", message: "elsewhere" });
    server.seed.annotatedTag({ tag: "churn/v1.1.0", sha: other.sha });
    const merge = seedMerge(server, { churn: "success" });
    const result = await promote({ payload: pushPayload(merge) });
    expect(result.exitCode).toBe(1);
    expect(errors(result).join("\n")).toContain(
      `tag churn/v1.1.0 already exists at commit ${other.sha.slice(0, 7)}`,
    );
    expect(registry().releases).toEqual([]);
    expect(registry().alias).toBeUndefined();
  });

  it("refuses a decreased version", async () => {
    await writeModelVersion(workspace, { name: "churn", version: "1.0.0", artefact: bytes("v1") });
    const old = server.seed.commit({ branch: "main", message: "v1.2.0" });
    server.seed.annotatedTag({ tag: "churn/v1.2.0", sha: old.sha });
    const merge = seedMerge(server, { churn: "success" }, "1.2.0", "1.0.0");
    const result = await promote({ payload: pushPayload(merge) });
    expect(result.exitCode).toBe(1);
    expect(errors(result).join("\n")).toContain(
      "models/churn/model.yml: version: version 1.0.0 is not greater than the latest released version 1.2.0",
    );
  });

  it("checks the artefact before writing anything: missing or a sha256 mismatch", async () => {
    await writeModelVersion(workspace, {
      name: "churn",
      version: "1.1.0",
      artefact: bytes("v2"),
      sha256: "0".repeat(64),
    });
    const merge = seedMerge(server, { churn: "success" });
    const mismatch = await promote({ payload: pushPayload(merge) });
    expect(errors(mismatch).join("\n")).toMatch(
      /artefact\.sha256: the SHA-256 of models\/churn\/model\.onnx is [0-9a-f]{64} but the manifest says 0{64}/,
    );
    await rm(`${workspace}/models/churn/model.onnx`);
    const missing = await promote({ payload: pushPayload(merge) });
    expect(missing.exitCode).toBe(1);
    expect(errors(missing).join("\n")).toContain(
      'models/churn/model.yml: artefact.path: "models/churn/model.onnx" does not exist. Fix: ',
    );
    expect(server.state.refUpdates).toEqual([]);
    expect(server.state.releases).toEqual([]);
  });

  it("refuses a failed gate and a gate that never ran, unless require-gate is false", async () => {
    await writeModelVersion(workspace, { name: "churn", version: "1.1.0", artefact: bytes("v2") });
    const failed = seedMerge(server, { churn: "failure" });
    const r1 = await promote({ payload: pushPayload(failed) });
    expect(errors(r1).join("\n")).toContain(
      `the gate did not pass: check run gauntlet/churn concluded failure on pull request #${failed.number}`,
    );
    const never = seedMerge(server, { churn: null });
    const r2 = await promote({ payload: pushPayload(never) });
    expect(errors(r2).join("\n")).toContain("the gate never ran: no check run gauntlet/churn");
    expect(server.state.refUpdates).toEqual([]);
    const r3 = await promote({ payload: pushPayload(never), inputs: { "require-gate": false } });
    expect(r3.exitCode, r3.stdout).toBe(0);
    expect(server.state.releases[0]!.body).toContain("The gate was not required for this promotion");
  });

  it("promotes both models of one push; one failing does not block the other", async () => {
    await writeModelVersion(workspace, { name: "churn", version: "1.1.0", artefact: bytes("churn") });
    await writeModelVersion(workspace, {
      name: "fraud",
      version: "1.1.0",
      artefact: bytes("fraud"),
      sha256: "f".repeat(64),
    });
    const merge = seedMerge(server, { churn: "success", fraud: "success" });
    const result = await promote({ payload: pushPayload(merge) });
    expect(result.exitCode).toBe(1);
    expect(result.outputs).toMatchObject({ promoted: "churn@1.1.0", passed: "false" });
    expect(errors(result)).toHaveLength(1);
    expect(errors(result)[0]).toContain("models/fraud/model.yml: artefact.sha256");
    expect(registry("churn").releases).toEqual([
      { tag: "churn/v1.1.0", name: "churn v1.1.0", assets: ALL_ASSETS },
    ]);
    expect(registry("fraud").releases).toEqual([]);
  });

  it("names the missing permission: contents: write, then deployments: write", async () => {
    await writeModelVersion(workspace, { name: "churn", version: "1.1.0", artefact: bytes("v2") });
    const merge = seedMerge(server, { churn: "success" });
    const reads = { contents: "read", checks: "read", "pull-requests": "read", deployments: "read" } as const;
    server.addToken("no-contents", { ...reads, deployments: "write" });
    const r1 = await promote({ payload: pushPayload(merge), token: "no-contents" });
    expect(errors(r1).join("\n")).toContain("it needs `permissions: contents: write` in the workflow job");
    server.addToken("no-deployments", { ...reads, contents: "write" });
    const r2 = await promote({ payload: pushPayload(merge), token: "no-deployments" });
    expect(errors(r2).join("\n")).toContain("it needs `permissions: deployments: write` in the workflow job");
    // With the permission fixed, a re-run completes the deployment without duplicating the rest.
    const r3 = await promote({ payload: pushPayload(merge) });
    expect(r3.exitCode, r3.stdout).toBe(0);
    expect(registry().deployments).toEqual([{ sha: merge.after, states: ["success"] }]);
    expect(server.state.releases).toHaveLength(1);
  });

  it("prints the plan and writes nothing with dry-run", async () => {
    await writeModelVersion(workspace, { name: "churn", version: "1.1.0", artefact: bytes("v2") });
    const merge = seedMerge(server, { churn: "success" });
    const result = await promote({ payload: pushPayload(merge), inputs: { "dry-run": true } });
    expect(result.exitCode, result.stdout).toBe(0);
    expect(result.stdout).toContain(`+ create annotated tag churn/v1.1.0 at ${merge.after.slice(0, 7)}`);
    expect(result.stdout).toContain("+ upload asset profile.json");
    expect(result.stdout).toContain(`+ create alias churn/production at ${merge.after.slice(0, 7)}`);
    expect(server.state.refUpdates).toEqual([]);
    expect(server.state.deployments).toEqual([]);
  });

  it("gauntlet promote --dry-run prints exactly what would be created or moved", async () => {
    await writeModelVersion(workspace, { name: "churn", version: "1.0.0", artefact: bytes("v1") });
    const first = seedMerge(server, { churn: "success" }, "0.9.0", "1.0.0");
    expect((await promote({ payload: pushPayload(first) })).exitCode).toBe(0);
    await writeModelVersion(workspace, { name: "churn", version: "1.1.0", artefact: bytes("v2") });
    const second = seedMerge(server, { churn: "success" });
    const saved = { ...process.env };
    Object.assign(process.env, {
      GITHUB_TOKEN: server.token,
      GITHUB_API_URL: server.url,
      GITHUB_REPOSITORY: "acme/models",
    });
    let out = "";
    try {
      const args = ["--dry-run", "--manifest", "models/churn/model.yml", "--sha", second.after];
      const code = await promoteCommand.run(args, {
        cwd: workspace,
        stdout: (t) => (out += t),
        stderr: (t) => (out += t),
      });
      expect(code).toBe(0);
    } finally {
      process.env = saved;
    }
    const [a, b] = [first.after.slice(0, 7), second.after.slice(0, 7)];
    expect(out.split("\n").filter(Boolean)).toEqual([
      `churn 1.1.0 at ${b}:`,
      `  + create annotated tag churn/v1.1.0 at ${b}`,
      expect.stringMatching(
        /^ {2}\+ create release "churn v1\.1\.0" for tag churn\/v1\.1\.0 \(model card: \d+ characters\)$/,
      ),
      expect.stringMatching(
        /^ {2}\+ upload asset model\.onnx \(\d+ bytes, .*models\/churn\/model\.onnx\) to release churn\/v1\.1\.0$/,
      ),
      expect.stringMatching(/^ {2}\+ upload asset evaluation\.json /),
      expect.stringMatching(/^ {2}\+ upload asset gate\.json /),
      expect.stringMatching(/^ {2}\+ upload asset profile\.json /),
      `  + move alias churn/production ${a} → ${b}`,
      "  + create deployment of churn/v1.1.0 to environment churn/production with status success",
    ]);
    expect(server.state.releases).toHaveLength(1);
  });
});

function populationStd(values: readonly number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
}
