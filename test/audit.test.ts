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

const bed = usePromoteBed();

const MONITORING =
  "{ predictions: logs/predictions.jsonl, id: request_id, score: score, version-field: model_version, features: inputs, timestamp: ts }";

/**
 * The served score of `modelBytes(name)` (a logistic regression on tenure_months, weight −0.05,
 * bias from the name's character codes), computed here in float64 and logged at 6 decimals as a
 * serving system would; onnxruntime computes the same in float32.
 */
const servedScore = (name: string, tenure: number) => {
  const bias = [...name].reduce((s, c) => s + c.charCodeAt(0), 0) / 1000;
  return Math.round(1e6 / (1 + Math.exp(-(-0.05 * tenure + bias)))) / 1e6;
};

const audit = (args: string[], env: Record<string, string>) =>
  runCli(["audit", "--manifest", "models/churn/model.yml", ...args], { cwd: bed.workspace, env });

describe("gauntlet audit through the GitHub API", () => {
  it("re-scores a logged prediction with the release promote made, and prints its chain", async () => {
    await writeModelVersion(bed.workspace, {
      name: "churn",
      version: "1.0.0",
      artefact: modelBytes("v1"),
      monitoring: MONITORING,
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

    const row = (id: string, version: string, tenure: number, score = servedScore("v1", tenure)) =>
      JSON.stringify({
        request_id: id,
        ts: "2026-05-01T10:00:00Z",
        model_version: version,
        inputs: { tenure_months: tenure },
        score,
      });
    await mkdir(join(bed.workspace, "logs"), { recursive: true });
    await writeFile(
      join(bed.workspace, "logs", "predictions.jsonl"),
      [
        row("r-1", "1.0.0", 7),
        row("r-2", "1.0.0", 30),
        row("r-3", "1.0.0", 12, servedScore("v1", 12) + 0.02),
        row("r-4", "0.9.0", 7),
      ].join("\n"),
    );
    const env = { GITHUB_TOKEN: bed.server.token, GITHUB_API_URL: bed.server.url };
    const repo = ["--repo", `${bed.server.state.repo.owner}/${bed.server.state.repo.name}`];

    const ok = await audit([...repo, "--request", "r-2"], env);
    expect(ok.stderr).toBe("");
    expect(ok.code, ok.stdout).toBe(0);
    expect(ok.stdout).toContain("served by version 1.0.0 with score");
    expect(ok.stdout).toContain("reproduces the logged score");
    expect(ok.stdout).toContain("release:       churn v1.0.0 (tag churn/v1.0.0)");
    expect(ok.stdout).toContain(`commit:        ${merge.after}`);
    expect(ok.stdout).toContain(`pull request:  #${merge.number} (head ${merge.headSha})`);
    expect(ok.stdout).toContain("approvers:     octocat");
    expect(ok.stdout).toContain(
      "gate verdict:  check run concluded success; gate.json pass: All 2 rule checks passed",
    );
    expect(ok.stdout).toContain("evaluation:    roc_auc 0.8100 [0.7600, 0.8600] on 60 rows");
    expect(ok.stdout).toContain(`training data: data/train.csv, SHA-256 ${"ab".repeat(32)}`);
    expect(ok.stdout).toContain("No findings");
    // The model, gate.json and evaluation.json were downloaded as release assets.
    const downloads = bed.server.calls().filter((c) => c.operationId === "repos/get-release-asset");
    expect(downloads).toHaveLength(3);

    const tampered = await audit([...repo, "--request", "r-3"], env);
    expect(tampered.code, tampered.stdout).toBe(1);
    expect(tampered.stdout).toContain("DOES NOT reproduce the logged score");
    expect(tampered.stdout).toContain("tenure_months = 12");

    const unreleased = await audit([...repo, "--request", "r-4"], env);
    expect(unreleased.code).toBe(1);
    expect(unreleased.stderr).toMatch(
      /^error: models\/churn\/model\.yml: monitoring\.version-field: version 0\.9\.0 served the request, but \S+ has no published release churn\/v0\.9\.0\. Fix: /,
    );
    expect(unreleased.stderr.trim().split("\n")).toHaveLength(1);
  });
});
