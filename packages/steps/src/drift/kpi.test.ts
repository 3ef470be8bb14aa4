import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isUserError, parseManifest } from "@gauntlet/core";
import { churnColumns, churnRows, predictionLogRows, writeCsv } from "@gauntlet/fixtures";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadReference } from "../reference/load-reference.js";
import { churnScore, monitoringManifest } from "./monitoring-manifest.test-helper.js";
import { runDriftCheck } from "./run-drift-check.js";

const NOW = "2025-06-01T00:00:00Z";
let dir: string;

/** 2,000 log rows over 24 h (four 6-hour windows); `extra(i, window)` adds fields. */
function writeLogs(extra: (i: number, window: number) => Record<string, unknown>) {
  const rows = [
    ...predictionLogRows({ seed: 4, rows: 2_000, now: NOW, score: churnScore, otherVersionFraction: 0 }),
  ];
  const lines = rows.map((r, i) => {
    const window = Math.floor((Date.parse(r.ts) - Date.parse(NOW)) / 21_600_000) + 4;
    return JSON.stringify({ ...r, ...extra(i, window) });
  });
  mkdirSync(join(dir, "logs"), { recursive: true });
  writeFileSync(join(dir, "logs/a.jsonl"), `${lines.join("\n")}\n`);
}

async function check(kpis: string) {
  const manifest = parseManifest(monitoringManifest(`  kpis:\n${kpis}`), "models/churn/model.yml");
  const reference = await loadReference("data/ref.csv", { cwd: dir, manifest });
  return runDriftCheck({ file: "models/churn/model.yml", manifest }, { cwd: dir, reference });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "gauntlet-kpi-"));
  mkdirSync(join(dir, "data"));
  writeCsv(join(dir, "data/ref.csv"), churnColumns(false), churnRows({ seed: 3, rows: 2_000, now: NOW }));
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

const RETAINED = "    - { name: retained, field: retained, aggregate: rate, min: 0.8 }\n";

describe("drift-check's business KPIs", () => {
  it("alerts when a rate KPI's whole interval falls below its minimum in a window", async () => {
    writeLogs((i, w) => ({ retained: w === 3 ? i % 10 < 6 : i % 10 < 9 }));
    const { result, markdown } = await check(RETAINED);
    const kpi = result.kpis!.kpis[0]!;
    expect(kpi.windows.map((w) => w.value)).toEqual([
      expect.closeTo(0.9, 1),
      expect.closeTo(0.9, 1),
      expect.closeTo(0.9, 1),
      expect.closeTo(0.6, 1),
    ]);
    const check_ = result.checks.find((c) => c.id === "kpi-retained")!;
    expect(check_.status).toBe("fail");
    expect(check_.reason).toContain("whole interval below the minimum 0.8 (1 of 4 windows breach");
    expect(result.level).toBe("alert");
    expect(result.verdict).toMatch(/^alert: kpis alert \(kpi-retained: rate 0\.6/);
    expect(markdown).toContain("#### Business KPIs");
    expect(markdown).toContain("**Recommended next step:** Check the business process: kpi-retained");
    expect(markdown).toContain("kpis ∶ kpi-retained");
  });

  it("handles a KPI field missing in some windows: those windows say so and never read as zero", async () => {
    writeLogs((i, w) => (w === 1 || w === 2 ? {} : { revenue: 10 + (i % 5) }));
    const { result, markdown } = await check(
      "    - { name: revenue, field: revenue, aggregate: mean, min: 5 }\n    - { name: total, field: revenue, aggregate: sum, min: 1000 }\n",
    );
    const [mean, sum] = result.kpis!.kpis;
    expect(mean!.windows.map((w) => w.n > 0)).toEqual([true, false, false, true]);
    expect(mean!.windows[1]!.value).toBeNull();
    expect(mean!.windows[0]!.value).toBeCloseTo(12, 1);
    expect(sum!.windows[1]!.value).toBeNull();
    expect(result.kpis!.checks.map((c) => c.status)).toEqual(["pass", "pass"]);
    expect(result.kpis!.checks[0]!.reason).toContain('2 window(s) without values of "revenue"');
    expect(markdown).toContain("no values");
  });

  it("says a KPI whose field is in no window is unavailable, and fails nothing for it", async () => {
    writeLogs(() => ({}));
    const { result } = await check(RETAINED);
    expect(result.kpis!.kpis[0]!.unavailable).toBe('the logs have no values of "retained"');
    expect(result.kpis!.checks[0]!.status).toBe("skip");
    expect(result.level).not.toBe("alert");
  });

  it("refuses a mean KPI logged as text, naming the value and the KPI's field", async () => {
    writeLogs(() => ({ revenue: "12 EUR" }));
    let thrown: unknown;
    try {
      await check("    - { name: revenue, field: revenue, aggregate: mean, min: 5 }\n");
    } catch (error) {
      thrown = error;
    }
    expect(isUserError(thrown)).toBe(true);
    expect((thrown as Error).message).toContain('KPI revenue value "12 EUR"');
    expect((thrown as Error).message).toContain("monitoring.kpis[0].field");
  });
});
