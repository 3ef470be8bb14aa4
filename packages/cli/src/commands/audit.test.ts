import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderModelCard } from "@gauntlet/core";
import { sha256File } from "@gauntlet/model";
import { AUDIT_TOLERANCE, loadManifest } from "@gauntlet/steps";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDemoInputs } from "../demo/demo-inputs.js";
import { loadExampleManifest } from "../demo/example-manifest.js";
import { releaseDir } from "../demo/local-releases.js";
import { PRODUCTION_VERSION, type ProductionRelease, releaseProduction } from "../demo/production-release.js";
import { main } from "../main.js";

const ROOT = join(import.meta.dirname, "..", "..", "..", "..");
const EXAMPLE = join(ROOT, "examples", "churn");
const LOG = "logs/predictions/drifted.jsonl";
const OFFLINE = [
  "--manifest",
  "models/churn/model.yml",
  "--registry",
  "registry.json",
  "--releases",
  "releases",
];

interface LogRow {
  request_id: string;
  ts: string;
  model_version: string;
  inputs: Record<string, number | string | null>;
  score: number;
}

let work: string;
let production: ProductionRelease;
let rows: LogRow[];

/** The example set up as `gauntlet demo` sets it up: a copy, the production release, the logs. */
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "gauntlet-audit-"));
  await cp(EXAMPLE, work, { recursive: true });
  const loaded = await loadExampleManifest(work, "examples/churn");
  const releases = join(work, "releases");
  const { inputs } = generateDemoInputs(loaded, {
    production: join(releaseDir(releases, "churn", PRODUCTION_VERSION), "model.onnx"),
    shadowLog: join(work, "logs", "shadow", "agreeing.jsonl"),
    predictions: join(work, LOG),
  });
  production = await releaseProduction(loaded, {
    cwd: work,
    releasesDir: releases,
    modelFile: inputs.production.path,
    registryFile: join(work, "registry.json"),
  });
  rows = (await readFile(join(work, LOG), "utf8"))
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as LogRow);
}, 120_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

async function audit(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(["audit", ...args], {
    cwd: work,
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  });
  return { code, stdout, stderr };
}

const served = (version: string, skip = 0) => rows.filter((r) => r.model_version === version)[skip]!;

describe("gauntlet audit, offline on the example", () => {
  it("reproduces a logged prediction and names the release and commit that served it", async () => {
    const row = served(PRODUCTION_VERSION, 41);
    const result = await audit([...OFFLINE, "--request", row.request_id]);
    expect(result.stderr).toBe("");
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain(
      `Request ${row.request_id} (${LOG} row ${rows.indexOf(row) + 1}, ${row.ts})`,
    );
    expect(result.stdout).toContain(`served by version ${PRODUCTION_VERSION} with score ${row.score}`);
    expect(result.stdout).toContain(`tenure_months = ${row.inputs["tenure_months"]}`);
    const replayed = Number(/score (\S+) \(\|Δ\|/.exec(result.stdout)![1]);
    expect(Math.abs(replayed - row.score)).toBeLessThanOrEqual(AUDIT_TOLERANCE);
    expect(result.stdout).toContain("reproduces the logged score");
    expect(result.stdout).toContain(
      `release:       churn v${PRODUCTION_VERSION} (tag churn/v${PRODUCTION_VERSION})`,
    );
    expect(result.stdout).toContain(`commit:        ${production.commit}`);
    // The demo's release has no model card: what it does not record is said, not left out.
    expect(result.stdout).toContain("pull request:  not recorded in the release");
    expect(result.stdout).toContain("No findings");
  });

  it("reproduces every logged prediction of the production version within the tolerance", async () => {
    // A sample across the day, so the tolerance is not fitted to one lucky row.
    for (const skip of [0, 500, 1500, 3000]) {
      const result = await audit([...OFFLINE, "--request", served(PRODUCTION_VERSION, skip).request_id]);
      expect(result.code, result.stdout).toBe(0);
    }
  });

  it("flags a tampered log line: the score, or an input, changed after serving", async () => {
    const row = served(PRODUCTION_VERSION, 7);
    const tamper = async (name: string, change: (r: LogRow) => LogRow) => {
      const text = rows.map((r) => JSON.stringify(r === row ? change(structuredClone(r)) : r)).join("\n");
      await writeFile(join(work, "logs", name), `${text}\n`);
      return audit([...OFFLINE, "--request", row.request_id, "--log", `logs/${name}`]);
    };
    const score = await tamper("tampered-score.jsonl", (r) => ({ ...r, score: r.score + 0.01 }));
    expect(score.stderr).toBe("");
    expect(score.code, score.stdout).toBe(1);
    expect(score.stdout).toContain("DOES NOT reproduce the logged score");
    expect(score.stdout).toMatch(/Findings \(1\):\n {2}- the logged score \S+ does not reproduce/);

    const input = await tamper("tampered-input.jsonl", (r) => ({
      ...r,
      inputs: { ...r.inputs, support_calls: Number(r.inputs["support_calls"]) + 4 },
    }));
    expect(input.code, input.stdout).toBe(1);
    expect(input.stdout).toContain(`support_calls = ${Number(row.inputs["support_calls"]) + 4}`);
    expect(input.stdout).toContain("skew between serving and the released model");
  });

  it("prints the whole chain from the release's model card, gate.json and evaluation.json", async () => {
    const loaded = await loadManifest("models/churn/model.yml", work);
    const dir = releaseDir(join(work, "releases"), "churn", PRODUCTION_VERSION);
    const modelAsset = production.releases.registry.releases[0]!.assets[0]!;
    const modelSha = await sha256File(join(dir, "model.onnx"), { file: "test", field: "model" });
    const model = { name: "churn", version: PRODUCTION_VERSION, sha256: modelSha };
    const gate = {
      schema: "gauntlet/gate@1",
      model,
      status: "pass",
      reasons: ["All 7 rule checks passed"],
      approvals: { counted: [{ user: "octocat", via: "user" }] },
    };
    const evaluation = {
      schema: "gauntlet/evaluation@1",
      model,
      overall: { n: 5000, metrics: { roc_auc: { value: 0.8312, ci: [0.82, 0.84] } } },
      slices: [],
    };
    await writeFile(join(dir, "gate.json"), JSON.stringify(gate));
    await writeFile(join(dir, "evaluation.json"), JSON.stringify(evaluation));
    const card = (artefactSha: string) =>
      renderModelCard({
        manifest: { ...loaded.manifest, version: PRODUCTION_VERSION },
        commit: production.commit,
        artefact: { name: "model.onnx", sha256: artefactSha, size: modelAsset.size },
        gate,
        verdict: { pullNumber: 41, headSha: "c".repeat(40), conclusion: "success", approvers: ["octocat"] },
        profile: true,
      });
    const registry = (body: string) => ({
      ...production.releases.registry,
      releases: [
        {
          ...production.releases.registry.releases[0]!,
          body,
          assets: [
            ...production.releases.registry.releases[0]!.assets,
            { name: "gate.json", size: 1 },
            { name: "evaluation.json", size: 1 },
          ],
        },
      ],
    });
    await writeFile(join(work, "registry-card.json"), JSON.stringify(registry(card(model.sha256))));
    const row = served(PRODUCTION_VERSION, 12);
    const args = [
      "--manifest",
      "models/churn/model.yml",
      "--releases",
      "releases",
      "--request",
      row.request_id,
    ];
    const result = await audit([...args, "--registry", "registry-card.json"]);
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain(`pull request:  #41 (head ${"c".repeat(40)})`);
    expect(result.stdout).toContain("approvers:     octocat");
    expect(result.stdout).toContain(
      "gate verdict:  check run concluded success; gate.json pass: All 7 rule checks passed",
    );
    expect(result.stdout).toContain("evaluation:    roc_auc 0.8312 [0.8200, 0.8400] on 5000 rows");
    const data = loaded.manifest.provenance!["training-data"]!;
    expect(result.stdout).toContain(`training data: ${data.uri}, SHA-256 ${data.sha256} (not verified)`);
    expect(result.stdout).toContain("training code: train.py");

    // The model asset replaced after the release: the scores may still agree, the digest does not.
    await writeFile(join(work, "registry-swapped.json"), JSON.stringify(registry(card("0".repeat(64)))));
    const swapped = await audit([...args, "--registry", "registry-swapped.json"]);
    expect(swapped.code, swapped.stdout).toBe(1);
    expect(swapped.stdout).toContain(`but the release recorded ${"0".repeat(64)}: the asset was replaced`);
  });
});

describe("gauntlet audit, bad inputs", () => {
  it("an unknown request id is one error naming the log", async () => {
    const result = await audit([...OFFLINE, "--request", "req-nope"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(
      /^error: models\/churn\/model\.yml: monitoring\.predictions: request req-nope is not in the prediction log logs\/predictions\/\*\.jsonl\. Fix: /,
    );
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("a version that is not in the registry is one error naming the registry", async () => {
    const other = rows.find((r) => r.model_version !== PRODUCTION_VERSION)!;
    const result = await audit([...OFFLINE, "--request", other.request_id]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `error: registry.json: releases: version ${other.model_version} served the request, but churn/v${other.model_version} is not released in the registry`,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("an id logged on two days needs --date, which picks the day", async () => {
    const [a, b] = [served(PRODUCTION_VERSION, 1), served(PRODUCTION_VERSION, 2)];
    const repeated = { ...b, request_id: a.request_id, ts: "2025-06-02T10:00:00.000Z" };
    await writeFile(
      join(work, "logs", "repeated.jsonl"),
      `${JSON.stringify(a)}\n${JSON.stringify(repeated)}\n`,
    );
    const args = [...OFFLINE, "--request", a.request_id, "--log", "logs/repeated.jsonl"];
    const both = await audit(args);
    expect(both.code).toBe(1);
    expect(both.stderr).toMatch(
      new RegExp(`error: --date: request ${a.request_id} is logged 2 times: .*pass --date YYYY-MM-DD`),
    );
    const day = await audit([...args, "--date", "2025-06-02"]);
    expect(day.code, day.stderr).toBe(0);
    expect(day.stdout).toContain(`with score ${b.score}`);
    const bad = await audit([...args, "--date", "June 2"]);
    expect(bad.stderr).toMatch(/^error: --date: expected a day as YYYY-MM-DD/);
  });

  it("without a registry, says where to find one", async () => {
    const result = await audit(["--manifest", "models/churn/model.yml", "--request", "x"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^error: --registry: an audit needs the registry.*--registry <file> --releases <dir>/s,
    );
  });
});
