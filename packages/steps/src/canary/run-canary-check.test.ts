import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EXAMPLE_MANIFEST_YAML, isUserError, parseManifest } from "@gauntlet/core";
import { describe, expect, it } from "vitest";
import { runCanaryCheck } from "./run-canary-check.js";

const FILE = "models/churn/model.yml";
const SINCE = Date.parse("2026-05-01T00:00:00Z");

function workspace(rows: object[]): string {
  const cwd = mkdtempSync(join(tmpdir(), "canary-"));
  writeFileSync(join(cwd, "serving.jsonl"), rows.map((r) => JSON.stringify(r)).join("\n"));
  return cwd;
}

const loaded = (extra = "") => ({
  file: FILE,
  manifest: parseManifest(
    `${EXAMPLE_MANIFEST_YAML}
rollout:
  log: serving.jsonl
  latency: latency_ms
  error: error
  stages:
    - { stage: canary, traffic: 0.5, min-requests: 10 }
    - { stage: production, traffic: 1.0 }
  checks: [{ signal: error-rate, max-increase: 0.05 }]
${extra}`,
    FILE,
  ),
});

const row = (i: number, version: string | undefined, hoursAfter = 1) => ({
  timestamp: new Date(SINCE + hoursAfter * 3_600_000 + i * 1000).toISOString(),
  ...(version === undefined ? {} : { model_version: version }),
  latency_ms: 40 + (i % 7),
  error: i % 50 === 0,
});

describe("runCanaryCheck", () => {
  it("counts each arm's requests since the stage began and names versions it does not know", async () => {
    const rows = [
      ...Array.from({ length: 40 }, (_, i) => row(i, i % 2 === 0 ? "1.3.0" : "1.2.0")),
      ...Array.from({ length: 5 }, (_, i) => row(i, "1.3.0", -5)),
      row(1, "0.9.0"),
      row(2, undefined),
    ];
    const { result, markdown } = await runCanaryCheck(loaded(), {
      stage: "canary",
      incumbent: "v1.2.0",
      since: SINCE,
      cwd: workspace(rows),
    });
    expect(result.candidate).toEqual({ version: "1.3.0", requests: 20 });
    expect(result.incumbent).toEqual({ version: "1.2.0", requests: 20 });
    expect(result.checks.find((c) => c.id === "versions")?.reason).toContain("0.9.0 (1), (missing) (1)");
    expect(result.windows.length).toBeGreaterThan(0);
    expect(markdown).toContain("```mermaid");
  });

  it("names rollout.version-field when the logs do not have it", async () => {
    const rows = Array.from({ length: 5 }, (_, i) => row(i, undefined));
    const error = await runCanaryCheck(loaded(), {
      stage: "canary",
      incumbent: "1.2.0",
      since: SINCE,
      cwd: workspace(rows),
    }).catch((e) => e);
    expect(isUserError(error)).toBe(true);
    expect(error.message).toContain('no field "model_version"');
    expect(error.field).toBe("rollout.version-field");
  });

  it("names the stages when asked about a stage the rollout does not have", async () => {
    const error = await runCanaryCheck(loaded(), {
      stage: "pilot",
      incumbent: "1.2.0",
      since: SINCE,
      cwd: workspace([row(0, "1.3.0")]),
    }).catch((e) => e);
    expect(isUserError(error)).toBe(true);
    expect(error.fix).toContain("canary, production");
  });
});
