import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { driftCommand } from "../packages/cli/src/commands/drift.js";
import { mergeCommand } from "../packages/cli/src/commands/merge.js";
import { driftManifest, seedProductionRelease, writeLogs, writeReference } from "./support/drift-fixtures.js";
import { type GitHubServer, startGitHubServer } from "./support/github-server.js";
import { runAction } from "./support/run-action.js";
import { webhookPayload } from "./support/webhooks.js";
import { createWorkspace, type Workspace } from "./support/workspace.js";

const ACTION = join(import.meta.dirname, "..", "actions", "drift-check");
const RETRAIN = "  retrain: { workflow: retrain.yml, after: 2 }\n  close-after: 3\n";

let server: GitHubServer;
let ws: Workspace;

async function run(inputs: Record<string, string> = {}, token?: string) {
  return runAction(ACTION, {
    inputs: { manifest: "models/churn/model.yml", "fail-on": "never", ...inputs },
    cwd: ws.dir,
    eventName: "schedule",
    payload: webhookPayload("schedule"),
    token: token ?? server.token,
    apiUrl: server.url,
    repository: "acme/models",
  });
}

const driftIssues = () =>
  [...server.state.issues.values()].filter((i) => i.labels.includes("gauntlet:drift"));
const commentsOn = (n: number) => server.state.comments.filter((c) => c.issueNumber === n);
const readDrift = () => JSON.parse(readFileSync(ws.path(".gauntlet/churn/drift.json"), "utf8"));

beforeAll(() => {
  readFileSync(join(ACTION, "dist", "index.js"));
});

beforeEach(async () => {
  server = await startGitHubServer({ repo: { owner: "acme", name: "models" } });
  ws = createWorkspace();
});

afterEach(async () => {
  await server.close();
  ws.remove();
});

describe("drift-check, run on a schedule as the runner runs it", () => {
  it("opens one issue on alert, comments on change, dispatches retraining once, closes after healthy runs", async () => {
    const manifest = driftManifest({ extra: RETRAIN });
    ws.write("models/churn/model.yml", manifest);
    await writeReference(ws, manifest);
    seedProductionRelease(server, ws);

    writeLogs(ws);
    const healthy = await run();
    expect(healthy.stderr).toBe("");
    expect(healthy.exitCode).toBe(0);
    expect(healthy.outputs["level"]).not.toBe("alert");
    expect(driftIssues()).toHaveLength(0);
    expect(readDrift().reference).toMatchObject({ kind: "release", location: "churn/v1.2.0" });
    // A release with profile.json alone: sketched statistics, said so, each with its bound.
    expect(readDrift().reference.sample).toBeUndefined();
    expect(healthy.summary).toContain(
      "⚠️ **Approximate statistics:** the reference is a profile without a sample",
    );
    expect(readDrift().columns[0].details.approximate.bound).toBeGreaterThan(0);
    expect(healthy.summary).toContain("xychart-beta");
    // The reference profile is of the data alone: no labelled scores to check the estimate's calibration on.
    expect(healthy.annotations.filter((a) => a.level === "warning")).toEqual([
      expect.objectContaining({
        file: "models/churn/model.yml",
        title: "gauntlet: calibration",
        message: expect.stringContaining("calibration not established"),
      }),
    ]);
    expect(readDrift().performance.calibration).toMatchObject({ status: "not established", method: null });
    expect(readDrift().checks).toContainEqual(expect.objectContaining({ id: "calibration", status: "warn" }));
    expect(healthy.summary).toContain("Calibration warning:");

    writeLogs(ws, { drifted: true });
    const alert = await run();
    expect(alert.outputs["level"]).toBe("alert");
    expect(driftIssues()).toHaveLength(1);
    const issue = driftIssues()[0]!;
    expect(issue.assignees).toEqual(["octocat"]);
    expect(issue.body).toContain("<!-- gauntlet:drift=churn -->");
    expect(issue.body).toContain("Calibration warning:");
    expect(alert.outputs["issue-number"]).toBe(String(issue.number));
    expect(commentsOn(issue.number)).toHaveLength(0);
    expect(server.state.dispatches).toHaveLength(0);

    // Second consecutive alert: retrain.after = 2, so the workflow is dispatched and one comment says so.
    const again = await run();
    expect(driftIssues()).toHaveLength(1);
    expect(commentsOn(issue.number)).toHaveLength(1);
    expect(commentsOn(issue.number)[0]!.body).toContain("retrain.yml");
    expect(server.state.dispatches).toEqual([
      expect.objectContaining({ workflowId: "retrain.yml", ref: "main" }),
    ]);
    expect(again.outputs["dispatched"]).toBe("retrain.yml");

    // Nothing changed: no comment, no second dispatch in the same episode.
    await run();
    expect(commentsOn(issue.number)).toHaveLength(1);
    expect(server.state.dispatches).toHaveLength(1);

    writeLogs(ws);
    for (let i = 0; i < 3; i++) await run();
    expect(server.state.issues.get(issue.number)!.state).toBe("closed");
    const last = commentsOn(issue.number).at(-1)!.body;
    expect(last).toContain("Closing: 3 consecutive runs without an alert");
    // Now ok (one comment), nothing on the second healthy run, closing comment on the third.
    expect(commentsOn(issue.number)).toHaveLength(3);
    expect(server.rejections()).toEqual([]);
  });

  it("mentions a team owner instead of assigning it, and finds its issue across pages", async () => {
    const manifest = driftManifest({ owner: "@acme/risk-ml" });
    ws.write("models/churn/model.yml", manifest);
    await writeReference(ws, manifest);
    seedProductionRelease(server, ws);
    for (let i = 0; i < 120; i++)
      server.seed.issue({ labels: ["gauntlet:drift"], body: "<!-- gauntlet:drift=other -->" });
    writeLogs(ws, { drifted: true });
    await run();
    await run();
    const mine = driftIssues().filter((i) => i.body?.includes("gauntlet:drift=churn"));
    expect(mine).toHaveLength(1);
    expect(mine[0]!.assignees).toEqual([]);
    expect(mine[0]!.body).toContain("@acme/risk-ml");
    expect(server.rejections()).toEqual([]);
  });

  it("reports no data, not ok, when no logged row is of the production version", async () => {
    const manifest = driftManifest();
    ws.write("models/churn/model.yml", manifest);
    await writeReference(ws, manifest);
    seedProductionRelease(server, ws);
    const rows = writeLogs(ws, { otherVersionFraction: 1 });
    const result = await run();
    expect(result.outputs["level"]).toBe("no data");
    const drift = readDrift();
    expect(drift.level).toBe("no data");
    expect(drift.rows).toMatchObject({ read: rows, used: 0, otherVersions: { "1.1.0": rows } });
    expect(drift.verdict).toMatch(/^no data/);
    expect(driftIssues()).toHaveLength(0);
  });

  it("fails with one clear error for a profile of another model", async () => {
    const manifest = driftManifest();
    ws.write("models/churn/model.yml", manifest);
    await writeReference(ws, manifest.replace("name: churn", "name: fraud"));
    seedProductionRelease(server, ws);
    writeLogs(ws);
    const result = await run();
    expect(result.exitCode).toBe(1);
    const errors = result.annotations.filter((a) => a.level === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toContain("of model 'fraud', not 'churn'");
    expect(result.stdout).not.toContain("gauntlet bug");
  });

  it("names the permission when the token cannot open the issue", async () => {
    const manifest = driftManifest();
    ws.write("models/churn/model.yml", manifest);
    await writeReference(ws, manifest);
    seedProductionRelease(server, ws);
    writeLogs(ws, { drifted: true });
    server.addToken("read-only", { contents: "read", issues: "read" });
    const result = await run({}, "read-only");
    expect(result.exitCode).toBe(1);
    const errors = result.annotations.filter((a) => a.level === "error");
    expect(errors[0]!.message).toContain("issues: write");
    expect(readDrift().level).toBe("alert");
  });

  it("shards on a matrix: shards write parts without an issue, the merge routes drift to one issue", async () => {
    const manifest = driftManifest();
    ws.write("models/churn/model.yml", manifest);
    await writeReference(ws, manifest);
    seedProductionRelease(server, ws);
    writeLogs(ws, { drifted: true });
    const single = await run({ comment: "false", "results-dir": ".single" });
    expect(single.outputs["level"]).toBe("alert");
    for (const shard of ["1/2", "2/2"]) {
      const part = await run({ shard });
      expect(part.stderr).toBe("");
      expect(part.exitCode).toBe(0);
      expect(part.outputs["result"]).toBe(`.gauntlet/churn/drift.part-${shard[0]}-of-2.json`);
      expect(part.summary).toBe("");
    }
    expect(driftIssues()).toHaveLength(0);

    const merged = await run({ merge: "true" });
    expect(merged.stderr).toBe("");
    expect(merged.outputs["level"]).toBe("alert");
    const drift = readDrift();
    const reference = JSON.parse(readFileSync(ws.path(".single/churn/drift.json"), "utf8"));
    expect(drift.rows).toEqual(reference.rows);
    expect(drift.windows.map((w: { rows: number }) => w.rows)).toEqual(
      reference.windows.map((w: { rows: number }) => w.rows),
    );
    expect(driftIssues()).toHaveLength(1);
    expect(merged.outputs["issue-number"]).toBe(String(driftIssues()[0]!.number));
    expect(merged.summary).toContain("xychart-beta");

    await run({ merge: "true" });
    expect(driftIssues()).toHaveLength(1);
    expect(server.rejections()).toEqual([]);

    // Locally: the CLI's shards and merge, against the release's profile.json, give the same counts.
    const io = { cwd: ws.dir, stdout: () => {}, stderr: () => {} };
    const common = ["--manifest", "models/churn/model.yml", "--reference", ".reference/profile.json"];
    const dir = ["--results-dir", ws.path(".cli")];
    for (const shard of ["1/3", "2/3", "3/3"]) {
      expect(await driftCommand.run([...common, ...dir, "--shard", shard], io)).toBe(0);
    }
    expect(await mergeCommand.run([...common, ...dir, "--kind", "drift", "--fail-on", "never"], io)).toBe(0);
    const cli = JSON.parse(readFileSync(ws.path(".cli/churn/drift.json"), "utf8"));
    expect(cli.rows).toEqual(reference.rows);
    expect(cli.level).toBe("alert");
  });

  it("fails a merge whose parts disagree with one clear error, opening no issue", async () => {
    const manifest = driftManifest();
    ws.write("models/churn/model.yml", manifest);
    await writeReference(ws, manifest);
    seedProductionRelease(server, ws);
    writeLogs(ws, { drifted: true });
    expect((await run({ shard: "1/2" })).exitCode).toBe(0);
    expect((await run({ shard: "2/2", window: "1h" })).exitCode).toBe(0);
    const merged = await run({ merge: "true" });
    expect(merged.exitCode).toBe(1);
    const errors = merged.annotations.filter((a) => a.level === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toContain(
      "the parts disagree on settings: .gauntlet/churn/drift.part-1-of-2.json and .gauntlet/churn/drift.part-2-of-2.json differ",
    );
    expect(merged.stdout).not.toContain("gauntlet bug");
    expect(driftIssues()).toHaveLength(0);
  });
});
