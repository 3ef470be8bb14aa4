import { createHash } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { logisticModel } from "@gauntlet/fixtures";
import { afterEach, beforeEach } from "vitest";
import { type GitHubServer, type GitHubServerOptions, startGitHubServer } from "./github-server.js";
import { webhookPayload } from "./webhooks.js";

/** A model version written into a workspace: manifest, artefact bytes, evaluation data and results. */
export interface ModelVersionFiles {
  name: string;
  version: string;
  /** Bytes of the "ONNX" file; promote only hashes and uploads it. */
  artefact: Buffer;
  /** Write `evaluation.json` and `gate.json` into `.gauntlet/<name>/` (default true). */
  results?: boolean;
  /** Override the manifest's `artefact.sha256` (to test a mismatch). */
  sha256?: string;
  /** A `monitoring:` section for the manifest, as one flow-style YAML line. */
  monitoring?: string;
}

const EVAL_CSV = ["customer_id,tenure_months,region,churned"]
  .concat(
    Array.from(
      { length: 60 },
      (_, i) => `c${i},${(i * 7) % 48},${["AE", "SA", "EG"][i % 3]},${i % 4 === 0 ? 1 : 0}`,
    ),
  )
  .join("\n");

/**
 * A real ONNX model per name (promote scores the evaluation data with it for the reference
 * profile): a logistic regression on `tenure_months`, its bias set by the name so that every
 * version's bytes differ.
 */
export const modelBytes = (text: string): Buffer =>
  Buffer.from(
    logisticModel({
      weights: [-0.05],
      bias: [...text].reduce((s, c) => s + c.charCodeAt(0), 0) / 1000,
      features: ["tenure_months"],
      inputName: "tenure_months",
    }),
  );

/** A fresh workspace directory. */
export async function createWorkspace(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "gauntlet-promote-"));
  await mkdir(join(dir, "data"), { recursive: true });
  await writeFile(join(dir, "data", "eval.csv"), `${EVAL_CSV}\n`);
  return dir;
}

/** Writes (or overwrites) one model version's files into the workspace. */
export async function writeModelVersion(workspace: string, files: ModelVersionFiles): Promise<void> {
  const { name, version } = files;
  const sha256 = files.sha256 ?? createHash("sha256").update(files.artefact).digest("hex");
  const write = async (path: string, text: string | Buffer) => {
    await mkdir(dirname(join(workspace, path)), { recursive: true });
    await writeFile(join(workspace, path), text);
  };
  await write(`models/${name}/model.onnx`, files.artefact);
  await write(
    `models/${name}/model.yml`,
    [
      `name: ${name}`,
      `version: ${version}`,
      "task: binary",
      'owner: "@acme/risk-ml"',
      "description: Monthly churn propensity",
      `artefact: { path: models/${name}/model.onnx, sha256: "${sha256}", outputs: { probabilities: probabilities }, classes: [0, 1], positive: 1 }`,
      `provenance: { training-data: { path: data/train.csv, sha256: "${"ab".repeat(32)}" }, code: train.py }`,
      "limitations: [Trained on prepaid subscribers only]",
      "evaluation: { data: data/eval.csv, label: churned, metrics: [roc_auc, recall] }",
      ...(files.monitoring ? [`monitoring: ${files.monitoring}`] : []),
      "",
    ].join("\n"),
  );
  if (files.results === false) return;
  const model = { name, version, sha256 };
  const metric = (value: number) => ({ value, ci: [value - 0.05, value + 0.05] });
  const evaluation = {
    schema: "gauntlet/evaluation@1",
    model,
    rows: 60,
    overall: { n: 60, metrics: { roc_auc: metric(0.81), recall: metric(0.7) } },
    slices: ["AE", "SA", "EG"].map((region, i) => ({
      key: { region },
      n: 20,
      suppressed: false,
      metrics: { roc_auc: metric(0.7 + i * 0.1), recall: metric(0.6) },
    })),
  };
  const gate = {
    schema: "gauntlet/gate@1",
    model,
    status: "pass",
    reasons: ["All 2 rule checks passed"],
    approvals: { counted: [{ user: "octocat", via: "user" }] },
  };
  await write(`.gauntlet/${name}/evaluation.json`, JSON.stringify(evaluation));
  await write(`.gauntlet/${name}/gate.json`, JSON.stringify(gate));
}

/** What a merged pull request left in the server: its merge commit on main and its head. */
export interface Merge {
  before: string;
  after: string;
  headSha: string;
  number: number;
}

/**
 * Seeds a pull request that changed these manifests' versions, merged into main, with check runs
 * `gauntlet/<model>` (conclusion per model, default success; `null` = never ran) and an approval.
 */
export function seedMerge(
  server: GitHubServer,
  models: Record<string, string | null>,
  from = "1.0.0",
  to = "1.1.0",
): Merge {
  const before = server.state.refs.get("refs/heads/main")!;
  const files = Object.keys(models).map((name) => ({
    filename: `models/${name}/model.yml`,
    status: "modified" as const,
    patch: `@@ -1,3 +1,3 @@\n name: ${name}\n-version: ${from}\n+version: ${to}`,
  }));
  const merge = server.seed.commit({ branch: "main", message: `Merge models ${to}`, files });
  const pull = server.seed.pullRequest({ merged: true, mergeCommitSha: merge.sha, baseSha: before, files });
  for (const [name, conclusion] of Object.entries(models)) {
    if (conclusion !== null)
      server.seed.checkRun({ name: `gauntlet/${name}`, headSha: pull.head.sha, conclusion });
  }
  server.seed.review({ pullNumber: pull.number, user: "octocat" });
  return { before, after: merge.sha, headSha: pull.head.sha, number: pull.number };
}

/** The push event of a merge. */
export function pushPayload(merge: Merge) {
  return webhookPayload("push", undefined, {
    ref: "refs/heads/main",
    before: merge.before,
    after: merge.after,
  });
}

/** A fresh test server and promote workspace per test, closed and removed after it. */
export interface PromoteBed {
  readonly server: GitHubServer;
  readonly workspace: string;
}

/**
 * Registers `beforeEach`/`afterEach` hooks that start a test server (with `options`) and create a
 * workspace ({@link createWorkspace}) for each test, and close and remove them after it.
 *
 * @example
 * const bed = usePromoteBed({ basePath: "/api/v3" });
 * it("…", async () => { await writeModelVersion(bed.workspace, …); seedMerge(bed.server, …); });
 */
export function usePromoteBed(options: GitHubServerOptions = {}): PromoteBed {
  let server: GitHubServer | undefined;
  let workspace: string | undefined;
  beforeEach(async () => {
    server = await startGitHubServer(options);
    workspace = await createWorkspace();
  });
  afterEach(async () => {
    await server?.close();
    if (workspace) await rm(workspace, { recursive: true, force: true });
  });
  return {
    get server() {
      return server!;
    },
    get workspace() {
      return workspace!;
    },
  };
}
