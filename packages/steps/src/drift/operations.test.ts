import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { isUserError, parseManifest } from "@gauntlet/core";
import { churnColumns, churnRows, predictionLogRows, writeCsv } from "@gauntlet/fixtures";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadReference } from "../reference/load-reference.js";
import { churnScore, monitoringManifest } from "./monitoring-manifest.test-helper.js";
import { runDriftCheck } from "./run-drift-check.js";

const NOW = "2025-06-01T00:00:00Z";
const score = churnScore;

let dir: string;

/** Writes 2,000 log rows over 24 h; `extra(row, i, hour)` adds fields. */
function writeLogs(extra: (i: number, hour: number) => Record<string, unknown>) {
  const rows = [...predictionLogRows({ seed: 4, rows: 2_000, now: NOW, score, otherVersionFraction: 0 })];
  const lines = rows.map((r, i) => {
    const hour = Math.floor((Date.parse(r.ts) - Date.parse(NOW)) / 3_600_000) + 24;
    return JSON.stringify({ ...r, ...extra(i, hour) });
  });
  mkdirSync(join(dir, "logs"), { recursive: true });
  writeFileSync(join(dir, "logs/a.jsonl"), `${lines.join("\n")}\n`);
}

async function check(extra: string) {
  const manifest = parseManifest(monitoringManifest(extra), "models/churn/model.yml");
  const reference = await loadReference("data/ref.csv", { cwd: dir, manifest });
  return runDriftCheck({ file: "models/churn/model.yml", manifest }, { cwd: dir, reference });
}

async function userError(extra: string): Promise<Error> {
  try {
    await check(extra);
  } catch (error) {
    expect(isUserError(error)).toBe(true);
    return error as Error;
  }
  throw new Error("expected a UserError");
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "gauntlet-ops-"));
  mkdirSync(dirname(join(dir, "data/ref.csv")), { recursive: true });
  writeCsv(join(dir, "data/ref.csv"), churnColumns(false), churnRows({ seed: 3, rows: 2_000, now: NOW }));
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

const LIMITS = `  latency: latency_ms
  error: error
  operations: { latency-p99: 250, error-rate: 0.05, volume: { min-ratio: 0.5 } }
`;

describe("drift-check's operational health, read through the data reader", () => {
  it("alerts on a latency regression in the last window and says so in the verdict and report", async () => {
    writeLogs((i, hour) => ({ latency_ms: hour >= 18 ? 300 + (i % 50) : 40 + (i % 50), error: false }));
    const { result, markdown } = await check(LIMITS);
    expect(result.operations!.checks.find((c) => c.id === "latency-p99")!.status).toBe("fail");
    expect(result.level).toBe("alert");
    expect(result.status).toBe("fail");
    expect(result.verdict).toMatch(/^alert: operations alert \(latency-p99: /);
    expect(result.verdict).toContain("2025-05-31T18:00:00.000Z");
    expect(markdown).toContain("#### Operational health");
    expect(result.operations!.windows).toHaveLength(4);
    // The summary heads the report: the layers, the timeline of alerting signals, one next step.
    expect(markdown.startsWith("### 🔴 Monitoring: churn 1.2.0 — alert")).toBe(true);
    expect(markdown).toContain("| operational health | 🔴 alert | latency\\-p99 |");
    expect(markdown).toContain("| prediction health | not configured | — |");
    expect(markdown).toContain(
      "timeline\n  title Alerting signals per window (UTC)\n  2025-05-31 18∶00 : operations ∶ latency-p99",
    );
    expect(markdown).toContain(
      "**Recommended next step:** Fix serving first: latency-p99 breach their limits",
    );
  });

  it('reads error flags logged as the strings "true"/"false", and alerts on a spike', async () => {
    writeLogs((i, hour) => ({ latency_ms: 40, error: hour >= 18 && i % 4 === 0 ? "true" : "false" }));
    const { result } = await check(LIMITS);
    const check_ = result.operations!.checks.find((c) => c.id === "error-rate")!;
    expect(check_.status).toBe("fail");
    expect(check_.value).toBeGreaterThan(0.2);
    expect(result.operations!.windows[0]!.errors!.rate).toBe(0);
  });

  it("refuses an error flag that is neither true/false nor 1/0, naming the value, row and field", async () => {
    writeLogs((i) => ({ latency_ms: 40, error: i === 7 ? "timeout" : "false" }));
    const error = await userError(LIMITS);
    expect(error.message).toContain('error flag "timeout"');
    expect(error.message).toContain("row 8");
    expect(error.message).toContain("monitoring.error");
  });

  it("refuses latencies that look like seconds unless the unit is given, and converts them when it is", async () => {
    writeLogs((i) => ({ latency_ms: 0.04 + (i % 10) / 1000, error: 0 }));
    const error = await userError(LIMITS);
    expect(error.message).toContain("monitoring.latency-unit");
    const { result } = await check(`${LIMITS}  latency-unit: s\n`);
    expect(result.operations!.latency!.p50Ms).toBeCloseTo(44.5, 6);
    expect(result.operations!.level).toBe("ok");
  });

  it("refuses a latency logged as text, naming the field", async () => {
    writeLogs(() => ({ latency_ms: "40ms", error: 0 }));
    const error = await userError(LIMITS);
    expect(error.message).toContain('latency "40ms"');
    expect(error.message).toContain("monitoring.latency");
  });

  it("without the optional fields in the logs, every signal is unavailable and nothing fails", async () => {
    writeLogs(() => ({}));
    const { result, markdown } = await check(LIMITS);
    expect(result.operations!.unavailable.latency).toBe('the logs have no field "latency_ms"');
    expect(result.operations!.unavailable.errors).toBe('the logs have no field "error"');
    expect(result.operations!.checks.filter((c) => c.status === "fail")).toEqual([]);
    expect(result.level).not.toBe("alert");
    expect(markdown).toContain("unavailable");
  });

  it("without latency, error or operations in the manifest, the result has no operations", async () => {
    writeLogs(() => ({ latency_ms: 40 }));
    const { result } = await check("");
    expect(result.operations).toBeUndefined();
  });
});
