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
 * 4,000 log rows over 24 h (four 6-hour windows); `edit(inputs, window, i, line)` may change a
 * row's inputs or its logged line's top-level fields.
 */
function writeLogs(
  edit: (
    inputs: Record<string, unknown>,
    window: number,
    i: number,
    line: Record<string, unknown>,
  ) => void = () => {},
) {
  const rows = [
    ...predictionLogRows({ seed: 4, rows: 4_000, now: NOW, score: churnScore, otherVersionFraction: 0 }),
  ];
  const lines = rows.map((r, i) => {
    const window = Math.floor((Date.parse(r.ts) - Date.parse(NOW)) / 21_600_000) + 4;
    const inputs = { ...r.inputs };
    const line: Record<string, unknown> = { ...r, inputs };
    edit(inputs, window, i, line);
    return JSON.stringify(line);
  });
  mkdirSync(join(dir, "logs"), { recursive: true });
  writeFileSync(join(dir, "logs/a.jsonl"), `${lines.join("\n")}\n`);
}

const SEGMENTS = `  slices: [region]
  owners: { "region=AE": "@acme/uae-ml", "region=SA": "riyadh-lead" }
`;

async function check(extra = SEGMENTS) {
  const manifest = parseManifest(monitoringManifest(extra, { outcome: true }), "models/churn/model.yml");
  const reference = await loadReference("data/ref.csv", { cwd: dir, manifest });
  return runDriftCheck({ file: "models/churn/model.yml", manifest }, { cwd: dir, reference });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "gauntlet-segments-"));
  mkdirSync(join(dir, "data"));
  writeCsv(join(dir, "data/ref.csv"), churnColumns(false), churnRows({ seed: 3, rows: 2_000, now: NOW }));
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("drift-check per segment", () => {
  it("names a drift confined to one region, with its owner, while the whole population stays ok", async () => {
    writeLogs((inputs, window) => {
      if (inputs["region"] === "AE" && window === 3)
        inputs["monthly_charges"] = Number(inputs["monthly_charges"]) + 60;
    });
    const { result, markdown } = await check();
    const segments = result.segments!;
    const worst = segments.segments[0]!;
    expect(worst).toMatchObject({ slice: "region", value: "AE", level: "alert", owner: "@acme/uae-ml" });
    expect(worst.reason).toContain("drift monthly_charges");
    expect(segments.segments.filter((s) => s.level === "alert").map((s) => s.value)).toEqual(["AE"]);
    expect(result.level).toBe("alert");
    expect(result.verdict).toMatch(/^alert: segments alert \(region=AE: drift monthly_charges/);
    expect(markdown).toContain("#### Worst segments");
    expect(markdown).toContain("| segments | 🔴 alert | region\\=AE |");
    expect(markdown).toContain(
      "**Recommended next step:** Ask @\u2060acme/uae\\-ml, its owner, to look at region\\=AE",
    );
    // The owner is named, not mentioned, in the report (a word joiner after @); the issue mentions them.
    expect(markdown).toContain("| region\\=AE | @\u2060acme/uae\\-ml |");
  });

  it("never alerts on a segment with one row, and tracks each segment's accuracy gap per window", async () => {
    writeLogs((inputs, _window, i) => {
      if (i === 10) inputs["region"] = "ZZ";
    });
    const { result } = await check();
    const zz = result.segments!.segments.find((s) => s.value === "ZZ")!;
    expect(zz.rows).toBe(1);
    expect(zz.level).toBe("no data");
    expect(zz.reason).toBe("region=ZZ: 1 rows, fewer than 100: reported, never alerts");
    expect(result.segments!.checks.find((c) => c.column === "region=ZZ")!.status).toBe("skip");
    const sa = result.segments!.segments.find((s) => s.value === "SA")!;
    expect(sa.gaps).toHaveLength(4);
    for (const g of sa.gaps) {
      expect(g.labelled).toBeGreaterThan(50);
      expect(Math.abs(g.gap!)).toBeLessThan(0.2);
    }
    expect(result.segments!.segments.filter((s) => s.level === "alert")).toEqual([]);
  });

  it("reads a slice that is not a feature nested under features, else at the top level", async () => {
    const market = (inputs: Record<string, unknown>) => (inputs["region"] === "AE" ? "gulf" : "rest");
    const drift = (inputs: Record<string, unknown>, window: number) => {
      if (inputs["region"] === "AE" && window === 3)
        inputs["monthly_charges"] = Number(inputs["monthly_charges"]) + 60;
    };
    writeLogs((inputs, window) => {
      drift(inputs, window);
      inputs["market"] = market(inputs);
    });
    const nested = (await check("  slices: [market]\n")).result.segments!;
    writeLogs((inputs, window, _i, line) => {
      drift(inputs, window);
      line["market"] = market(inputs);
    });
    const top = (await check("  slices: [market]\n")).result.segments!;
    expect(nested.segments.map((s) => [s.value, s.rows, s.level])).toEqual([
      ["gulf", expect.any(Number), "alert"],
      ["rest", expect.any(Number), expect.not.stringMatching("alert")],
    ]);
    expect(top).toEqual(nested);
  });

  it("says a slice the logs do not have is missing, and fails nothing for it", async () => {
    writeLogs();
    const { result } = await check("  slices: [country]\n");
    expect(result.segments!.missing).toEqual(["country"]);
    expect(result.segments!.segments).toEqual([]);
    expect(result.level).not.toBe("alert");
  });
});
