import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DRIFT_LABEL, driftIssueMarker, encodeIssueState } from "@gauntlet/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exampleWorkflow, gauntletSteps, type WorkflowJob } from "./support/example-workflow.js";
import { type GitHubServer, startGitHubServer } from "./support/github-server.js";
import {
  createWorkspace,
  modelBytes,
  pushPayload,
  seedMerge,
  writeModelVersion,
} from "./support/promote-fixture.js";
import { type ActionResult, runAction } from "./support/run-action.js";
import { webhookPayload } from "./support/webhooks.js";

// The registry a repository builds up through promote (two models, three versions each, a
// rollback) plus an open drift issue, read back by the registry-site action through the API.
let server: GitHubServer;
let workspace: string;
let site: ActionResult;
const MODELS = ["churn", "fraud"];
const WORKFLOW = exampleWorkflow("site.yml");
const BUILD = WORKFLOW.jobs["build"] as WorkflowJob;
const VERSIONS = ["1.0.0", "1.1.0", "1.2.0"];

const page = (path: string) => readFile(join(workspace, "_site", path), "utf8");
const text = (html: string) => html.replace(/<[^>]+>/g, "");

beforeAll(async () => {
  server = await startGitHubServer();
  workspace = await createWorkspace();
  let from = "0.9.0";
  let last = "";
  for (const version of VERSIONS) {
    for (const name of MODELS) {
      await writeModelVersion(workspace, { name, version, artefact: modelBytes(`${name}${version}`) });
    }
    const merge = seedMerge(server, Object.fromEntries(MODELS.map((m) => [m, "success"])), from, version);
    const promoted = await runAction("actions/promote", {
      token: server.token,
      apiUrl: server.url,
      cwd: workspace,
      eventName: "push",
      payload: pushPayload(merge),
      timeoutMs: 180_000,
    });
    expect(
      promoted.exitCode,
      `${promoted.timedOut ? "timed out\n" : ""}${promoted.stdout}${promoted.stderr}`,
    ).toBe(0);
    from = version;
    last = merge.after;
  }
  const rollback = await runAction("actions/promote", {
    token: server.token,
    apiUrl: server.url,
    cwd: workspace,
    eventName: "workflow_dispatch",
    payload: webhookPayload("workflow_dispatch", undefined, { inputs: { rollback: "true" } }),
    sha: last,
    inputs: { manifest: "models/churn/model.yml", rollback: true },
    timeoutMs: 180_000,
  });
  expect(rollback.exitCode, rollback.stdout).toBe(0);
  server.seed.label({ name: DRIFT_LABEL });
  const state = {
    v: 1 as const,
    level: "alert" as const,
    alerting: ["tenure_months"],
    alerts: 2,
    healthy: 0,
    episode: "7",
    retrained: false,
  };
  server.seed.issue({
    title: "fraud: drift alert",
    body: `${driftIssueMarker("fraud")}\nDrift on tenure_months.\n${encodeIssueState(state)}`,
    labels: [DRIFT_LABEL],
    state: "open",
  });
  // What the monitoring run that triggered the rebuild left for churn (its windows are charted).
  const window = (day: string, level: string, driftIndex: number) => ({
    start: `${day}T00:00:00.000Z`,
    end: `${day}T23:59:59.999Z`,
    rows: 400,
    level,
    driftIndex,
    worstColumn: "tenure_months",
    alerting: [],
    health: { meanScore: 0.3, lowConfidenceShare: 0.1, positiveShare: 0.25 },
    estimatedAccuracy: 0.8,
  });
  await writeFile(
    join(workspace, ".gauntlet", "churn", "drift.json"),
    JSON.stringify({
      schema: "gauntlet/drift@1",
      model: { name: "churn", version: "1.1.0" },
      level: "warn",
      verdict: "warn: 1 of 2 columns drifted (worst: tenure_months)",
      windows: [window("2026-05-05", "ok", 0.4), window("2026-05-06", "warn", 1.3)],
    }),
  );
  const before = server.calls().length;
  // The build job of the example workflow, run as GitHub would: its inputs, and a token with only its permissions.
  const [step] = gauntletSteps(BUILD);
  server.addToken("site-token", BUILD.permissions ?? {});
  site = await runAction(step?.action ?? "", {
    token: "site-token",
    apiUrl: server.url,
    cwd: workspace,
    eventName: "workflow_run",
    payload: webhookPayload("workflow_run", "completed"),
    inputs: step?.inputs ?? {},
    timeoutMs: 180_000,
  });
  reads = server
    .calls()
    .slice(before)
    .map((c) => c.method);
}, 900_000);

let reads: string[] = [];

afterAll(async () => {
  await server?.close();
  if (workspace) await rm(workspace, { recursive: true, force: true });
});

describe("registry-site", () => {
  it("is the example workflow's build step, rebuilt after releases and monitoring runs, deployed with the least permissions", () => {
    expect(gauntletSteps(BUILD)).toEqual([
      { action: "actions/registry-site", inputs: { manifest: "models/*/model.yml", out: "_site" } },
    ]);
    expect(BUILD.permissions).toEqual({ contents: "read", deployments: "read", issues: "read" });
    expect(WORKFLOW.jobs["deploy"]?.permissions).toEqual({ pages: "write", "id-token": "write" });
    expect(WORKFLOW.on["workflow_run"]).toEqual({
      workflows: ["model-release", "model-monitor"],
      types: ["completed"],
    });
    expect(BUILD.steps.at(-1)?.uses).toBe("actions/upload-pages-artifact@v4");
    expect(BUILD.steps.at(-1)?.with).toEqual({ path: "_site" });
  });

  it("builds a page per model and per version with read requests only", () => {
    expect(site.exitCode, site.stdout + site.stderr).toBe(0);
    expect(site.outputs).toMatchObject({
      pages: String(1 + MODELS.length * (1 + VERSIONS.length)),
      models: "2",
    });
    expect(site.outputs["path"]).toBe(join(workspace, "_site", "index.html"));
    expect(reads.length).toBeGreaterThan(0);
    expect(new Set(reads)).toEqual(new Set(["GET"]));
  });

  it("lists each model's owner, task, stage, last gate verdict and open alerts", async () => {
    const index = await page("index.html");
    const rows = [...index.matchAll(/<tr><td><a href="models\/[^"]+">(.*?)<\/tr>/gs)].map((m) =>
      [...m[0].matchAll(/<td>(.*?)<\/td>/gs)].map((c) => text(c[1] ?? "")),
    );
    expect(rows).toEqual([
      ["churn", "@acme/risk-ml", "binary", "production: v1.1.0", "pass v1.2.0", "none"],
      [
        "fraud",
        "@acme/risk-ml",
        "binary",
        "production: v1.2.0",
        "pass v1.2.0",
        expect.stringMatching(/^1 #\d+ fraud: drift alert$/),
      ],
    ]);
    expect(index).toMatch(/<a href="https:\/\/github\.com\/[^"]+\/issues\/\d+">#\d+ fraud: drift alert<\/a>/);
  });

  it("shows the timeline with the rollback and who approved, and every version's metrics charted", async () => {
    const churn = await page("models/churn/index.html");
    const timeline = /<ol class="timeline">(.*?)<\/ol>/s.exec(churn)?.[1] ?? "";
    const events = [...timeline.matchAll(/<li>(.*?)<\/li>/gs)].map((m) =>
      text(m[1] ?? "")
        .replace(/^\S+ \S+ /, "")
        .replace(/ \(details\)$/, ""),
    );
    expect(events).toEqual([
      "rolled back v1.1.0 to production",
      "promoted v1.2.0 to production; approved by octocat",
      "released v1.2.0; approved by octocat",
      "promoted v1.1.0 to production; approved by octocat",
      "released v1.1.0; approved by octocat",
      "promoted v1.0.0 to production; approved by octocat",
      "released v1.0.0; approved by octocat",
    ]);
    // roc_auc and recall across three versions, each with its interval, and the two monitoring windows.
    expect((churn.match(/<svg class="chart"/g) ?? []).length).toBe(3);
    expect((churn.match(/<rect class="bar"/g) ?? []).length).toBe(1);
    expect((churn.match(/<rect class="bar over"/g) ?? []).length).toBe(1);
    expect(text(churn)).toContain(
      "Latest run on v1.1.0: warn — warn: 1 of 2 columns drifted (worst: tenure_months)",
    );
    expect((churn.match(/<circle class="point"/g) ?? []).length).toBe(6);
    expect((churn.match(/<line class="ci"/g) ?? []).length).toBe(6);
    expect(churn).toContain("Worst slices of v1.1.0");
    expect(churn).toMatch(/<a href="https:\/\/github\.com\/[^"]+\/pull\/\d+">pull request #\d+<\/a>/);
    const fraud = await page("models/fraud/index.html");
    expect(text(fraud)).toContain(
      "Latest run on v1.2.0: alert — alert: alerting on tenure_months (2 alerting runs in a row)",
    );
  });

  it("shows each version's release card", async () => {
    const version = await page("models/churn/v1.2.0.html");
    expect(version).toContain("<h2>churn v1.2.0</h2>");
    expect(text(version)).toContain("Trained on prepaid subscribers only");
    expect(version).toMatch(/Released \d{4}-\d{2}-\d{2}/);
  });
});
