import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRng, EXAMPLE_MANIFEST_YAML } from "@gauntlet/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../main.js";

let cwd: string;
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), "gauntlet-cli-canary-"));
  mkdirSync(join(cwd, "models", "churn"), { recursive: true });
});
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

function write(stages: string, rows: number, slow: number) {
  writeFileSync(
    join(cwd, "models/churn/model.yml"),
    `${EXAMPLE_MANIFEST_YAML}\nrollout:\n  log: serving.jsonl\n  latency: latency_ms\n  stages: ${stages}\n  checks: [{ signal: latency-p99, max-ratio: 1.2 }]\n`,
  );
  const rng = createRng("cli-canary");
  const lines = Array.from({ length: rows }, (_, i) => {
    const isNew = rng.next() < 0.2;
    return JSON.stringify({
      timestamp: new Date(Date.UTC(2026, 4, 1) + i * 1000).toISOString(),
      model_version: isNew ? "1.3.0" : "1.2.0",
      latency_ms: (isNew ? slow : 50) * Math.exp(rng.normal(0, 0.3)),
    });
  });
  writeFileSync(join(cwd, "serving.jsonl"), lines.join("\n"));
}

async function run(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    cwd,
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
  });
  return { code, stdout, stderr };
}

const STAGES = "[{ stage: canary, traffic: 0.2 }, { stage: production, traffic: 1.0 }]";

describe("gauntlet canary", () => {
  it("decides a rollback of a slow version, prints the report and writes canary.json", async () => {
    write(STAGES, 5000, 100);
    const out = join(cwd, ".gauntlet");
    const { code, stdout, stderr } = await run(
      "canary",
      "--manifest",
      "models/churn/model.yml",
      "--incumbent",
      "1.2.0",
      "--results-dir",
      out,
    );
    expect(stderr).toBe("");
    expect(code).toBe(1);
    expect(stdout).toContain("verdict: rollback");
    const result = JSON.parse(readFileSync(join(out, "churn/canary.json"), "utf8"));
    expect(result).toMatchObject({
      schema: "gauntlet/canary@1",
      verdict: "rollback",
      stage: { name: "canary" },
    });
    expect(result.checks.find((c: { id: string }) => c.id === "latency-p99")).toMatchObject({
      status: "fail",
      limit: 1.2,
    });
  });

  it("expands a version as fast as the incumbent", async () => {
    write(STAGES, 20_000, 50);
    const { code, stdout } = await run(
      "canary",
      "--manifest",
      "models/churn/model.yml",
      "--incumbent",
      "v1.2.0",
    );
    expect(stdout).toContain("verdict: expand");
    expect(code).toBe(0);
  });

  it("holds a version whose served scores shifted, naming the check, and fails the step", async () => {
    writeFileSync(
      join(cwd, "models/churn/model.yml"),
      `${EXAMPLE_MANIFEST_YAML}\nrollout:\n  log: serving.jsonl\n  score: score\n  stages: ${STAGES}\n  checks: [{ prediction: score, max-shift: 0.02 }]\n`,
    );
    const rng = createRng("cli-canary-scores");
    const lines = Array.from({ length: 20_000 }, (_, i) => {
      const isNew = rng.next() < 0.2;
      return JSON.stringify({
        timestamp: new Date(Date.UTC(2026, 4, 1) + i * 1000).toISOString(),
        model_version: isNew ? "1.3.0" : "1.2.0",
        score: (isNew ? 0.4 : 0.3) + rng.normal(0, 0.1),
      });
    });
    writeFileSync(join(cwd, "serving.jsonl"), lines.join("\n"));
    const { code, stdout } = await run(
      "canary",
      "--manifest",
      "models/churn/model.yml",
      "--incumbent",
      "1.2.0",
    );
    expect(code).toBe(1);
    expect(stdout).toContain("verdict: hold");
    expect(stdout).toContain("prediction:score");
    expect(stdout).toContain("holding \\(on\\-fail: hold\\)");
  });

  it("refuses a stage list that does not end at production with one error line naming the field", async () => {
    write("[{ stage: canary, traffic: 0.2 }]", 10, 50);
    const { code, stderr } = await run(
      "canary",
      "--manifest",
      "models/churn/model.yml",
      "--incumbent",
      "1.2.0",
    );
    expect(code).toBe(1);
    expect(stderr).toContain("rollout.stages[0].stage");
    expect(stderr).toContain("must end at production");
    expect(stderr).not.toContain("    at ");
  });
});
