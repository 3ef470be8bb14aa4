import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseManifest } from "@gauntlet/core";
import { churnColumns, churnRows, predictionLogRows, writeCsv } from "@gauntlet/fixtures";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadReference } from "../reference/load-reference.js";
import { churnScore, monitoringManifest } from "./monitoring-manifest.test-helper.js";
import { runDriftCheck } from "./run-drift-check.js";

const NOW = "2025-06-01T00:00:00Z";
let dir: string;

/**
 * 4,000 log rows over 24 h. With `anti`, the last window's tenure_months values are handed out in
 * the reverse order of its monthly_charges: every marginal stays exactly as it was, while the two
 * (correlated about +0.2 in the churn data) become strongly anti-correlated.
 */
function writeLogs(anti: boolean) {
  const rows = [
    ...predictionLogRows({ seed: 4, rows: 4_000, now: NOW, score: churnScore, otherVersionFraction: 0 }),
  ];
  const last = rows.filter(
    (r) =>
      Date.parse(NOW) - Date.parse(r.ts) <= 6 * 3_600_000 &&
      r.inputs["tenure_months"] !== null &&
      r.inputs["monthly_charges"] !== null,
  );
  if (anti) {
    const gb = last.map((r) => Number(r.inputs["tenure_months"])).sort((a, b) => b - a);
    [...last]
      .sort((a, b) => Number(a.inputs["monthly_charges"]) - Number(b.inputs["monthly_charges"]))
      .forEach((r, i) => {
        r.inputs["tenure_months"] = gb[i]!;
      });
  }
  mkdirSync(join(dir, "logs"), { recursive: true });
  writeFileSync(join(dir, "logs/a.jsonl"), `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`);
}

async function check(reference = "data/ref.csv") {
  const manifest = parseManifest(monitoringManifest("  multivariate: {}\n"), "models/churn/model.yml");
  const loaded = await loadReference(reference, { cwd: dir, manifest });
  return runDriftCheck({ file: "models/churn/model.yml", manifest }, { cwd: dir, reference: loaded });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "gauntlet-multivariate-"));
  mkdirSync(join(dir, "data"));
  writeCsv(join(dir, "data/ref.csv"), churnColumns(false), churnRows({ seed: 3, rows: 4_000, now: NOW }));
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("drift-check's multivariate drift", () => {
  it("alerts on a joint-distribution change whose marginals are stable, which no column shows", async () => {
    writeLogs(true);
    const { result, markdown } = await check();
    const multivariate = result.multivariate!;
    expect(multivariate.windows.map((w) => w.alert)).toEqual([false, false, false, true]);
    expect(multivariate.checks[0]!.status).toBe("fail");
    expect(result.columns.filter((c) => c.level === "alert")).toEqual([]);
    expect(result.level).toBe("alert");
    expect(markdown).toContain("#### Multivariate drift (PCA reconstruction error)");
    expect(markdown).toContain("| multivariate drift (PCA) | 🔴 alert | multivariate\\-drift |");
  });

  it("stays quiet on logs from the reference's joint distribution", async () => {
    writeLogs(false);
    const { result } = await check();
    expect(result.multivariate!.checks[0]!.status).toBe("pass");
  });

  it("says it is unavailable against a profile without rows, and fails nothing", async () => {
    writeLogs(true);
    const manifest = parseManifest(monitoringManifest("  multivariate: {}\n"), "models/churn/model.yml");
    const { profile } = await loadReference("data/ref.csv", { cwd: dir, manifest });
    const { markdown, result } = await runDriftCheck(
      { file: "models/churn/model.yml", manifest },
      {
        cwd: dir,
        reference: { profile, source: { kind: "profile", location: "profile.json", rows: profile.rows } },
      },
    );
    expect(result.multivariate).toBeUndefined();
    expect(markdown).toContain("Unavailable: the reference is a profile without rows");
  });
});
