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

describe("runCanaryCheck: prediction signals and unknown versions", () => {
  const scored = (i: number, version: string, score: number, extra: object = {}) => ({
    ...row(i, version),
    score,
    ...extra,
  });

  it("sums each arm's served scores and classes (the class field, as text even when numeric)", async () => {
    const rows = Array.from({ length: 40 }, (_, i) =>
      scored(i, i % 2 === 0 ? "1.3.0" : "1.2.0", i % 2 === 0 ? 0.6 : 0.2, { tier: i % 4 === 0 ? 2 : 1 }),
    );
    const { result, markdown } = await runCanaryCheck(loaded("  score: score\n  class: tier\n"), {
      stage: "canary",
      incumbent: "1.2.0",
      since: SINCE,
      cwd: workspace(rows),
    });
    expect(result.predictions?.candidate).toMatchObject({ scores: 20, classShares: { "1": 0.5, "2": 0.5 } });
    expect(result.predictions?.candidate.meanScore).toBeCloseTo(0.6, 12);
    expect(result.predictions?.incumbent.meanScore).toBeCloseTo(0.2, 12);
    expect(result.predictions?.incumbent.classShares).toEqual({ "1": 1 });
    expect(markdown).toContain("| mean score (n) | 0.6 (20) | 0.2 (20) |");
  });

  it("sorts binary scores into classes at the class check's threshold when there is no class field", async () => {
    const rows = Array.from({ length: 40 }, (_, i) =>
      scored(i, i % 2 === 0 ? "1.3.0" : "1.2.0", (i % 10) / 10),
    );
    const withCheck = {
      file: FILE,
      manifest: parseManifest(
        `${EXAMPLE_MANIFEST_YAML}
rollout:
  log: serving.jsonl
  score: score
  stages: [{ stage: canary, traffic: 0.5 }, { stage: production, traffic: 1.0 }]
  checks: [{ prediction: class, max-shift: 0.1, threshold: 0.7 }]
`,
        FILE,
      ),
    };
    const { result } = await runCanaryCheck(withCheck, {
      stage: "canary",
      incumbent: "1.2.0",
      since: SINCE,
      cwd: workspace(rows),
    });
    // The new version serves i = 0, 2, …: scores 0, .2, .4, .6, .8 — one in five at or above 0.7.
    expect(result.predictions?.candidate.classShares).toEqual({ negative: 0.8, positive: 0.2 });
    expect(result.checks.find((c) => c.id === "prediction:class")).toBeDefined();
  });

  it("names rollout.score when a prediction check has no score to compare", async () => {
    const manifest = {
      file: FILE,
      manifest: parseManifest(
        `${EXAMPLE_MANIFEST_YAML}
rollout:
  log: serving.jsonl
  stages: [{ stage: canary, traffic: 0.5 }, { stage: production, traffic: 1.0 }]
  checks: [{ signal: error-rate, max-increase: 0.05 }, { prediction: score, max-shift: 0.1 }]
`,
        FILE,
      ),
    };
    const error = await runCanaryCheck(manifest, {
      stage: "canary",
      incumbent: "1.2.0",
      since: SINCE,
      cwd: workspace([row(0, "1.3.0")]),
    }).catch((e) => e);
    expect(isUserError(error)).toBe(true);
    expect(error.field).toBe("rollout.checks[1]");
    expect(error.fix).toContain("set rollout.score");
  });

  it("holds while a version neither arm knows is still served in the newest hour, and says so", async () => {
    const arms = Array.from({ length: 40 }, (_, i) => row(i, i % 2 === 0 ? "1.3.0" : "1.2.0"));
    const still = await runCanaryCheck(loaded(), {
      stage: "canary",
      incumbent: "1.2.0",
      since: SINCE,
      cwd: workspace([...arms, row(50, "0.9.0")]),
    });
    expect(still.result.verdict).toBe("hold");
    expect(still.result.checks.find((c) => c.id === "versions")).toMatchObject({ status: "fail", value: 1 });
    expect(still.markdown).toContain("still in the newest hour of the log: holding");
    // The same stray request three hours before the newest one: left out, no longer holding.
    const stopped = await runCanaryCheck(loaded(), {
      stage: "canary",
      incumbent: "1.2.0",
      since: SINCE,
      cwd: workspace([
        row(0, "0.9.0", 0.5),
        ...arms.map((r) => ({
          ...r,
          timestamp: new Date(Date.parse(r.timestamp) + 3 * 3_600_000).toISOString(),
        })),
      ]),
    });
    expect(stopped.result.checks.find((c) => c.id === "versions")).toMatchObject({
      status: "pass",
      value: 1,
    });
    expect(stopped.result.checks.find((c) => c.id === "versions")?.reason).toContain("none since");
  });
});
