import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isUserError, parseManifest } from "@gauntlet/core";
import { churnColumns, churnRows, predictionLogRows, writeCsv } from "@gauntlet/fixtures";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LoadedReference, loadReference } from "../reference/load-reference.js";
import { writePart } from "../shard-parts.js";
import { driftShard } from "./drift-shard.js";
import { mergeDrift } from "./merge-drift.js";
import { churnScore, monitoringManifest } from "./monitoring-manifest.test-helper.js";
import { runDriftCheck } from "./run-drift-check.js";

const NOW = "2025-06-01T00:00:00Z";
const FILE = "models/churn/model.yml";
/** Every layer a sharded run carries, with limits that some windows breach; segments too. */
const LAYERS = `  id: request_id
  latency: latency_ms
  error: error
  operations: { latency-p99: 180, error-rate: 0.05, volume: { min-ratio: 0.3 } }
  prediction:
    low-confidence: { below: 0.9, max-share: 0.5 }
    class-mix: { max-shift: 0.1 }
  kpis:
    - { name: retained, field: retained, aggregate: rate, min: 0.8 }
    - { name: revenue, field: revenue, aggregate: mean, min: 20 }
  multivariate: {}
  slices: [region]
`;
/** Float sums (KPI values, reconstruction errors) added in another order. */
const SUM_TOLERANCE = 1e-9;

let dir: string;
let reference: LoadedReference;
const loaded = (extra = LAYERS) => ({ file: FILE, manifest: parseManifest(monitoringManifest(extra), FILE) });

async function mergedOf(count: number, extra = LAYERS) {
  const results = mkdtempSync(join(dir, "results-"));
  for (let index = 1; index <= count; index++) {
    const part = await driftShard(loaded(extra), { cwd: dir, reference }, { index, count });
    await writePart(results, "churn", "drift", { index, count }, part);
  }
  return { results, merged: await mergeDrift(loaded(extra), { cwd: dir, reference }, results) };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "gauntlet-layers-shard-"));
  mkdirSync(join(dir, "data"));
  mkdirSync(join(dir, "logs"));
  writeCsv(join(dir, "data/ref.csv"), churnColumns(false), churnRows({ seed: 3, rows: 3_000, now: NOW }));
  // 3,000 rows over 24 h: latencies with ties, error flags, a KPI rate and mean; the last 6 hours
  // slower, failing more often, retaining fewer, with tenure handed out against charges.
  const rows = [
    ...predictionLogRows({ seed: 4, rows: 3_000, now: NOW, score: churnScore, otherVersionFraction: 0.05 }),
  ];
  const recent = (ts: string) => Date.parse(NOW) - Date.parse(ts) <= 6 * 3_600_000;
  const last = rows.filter(
    (r) => recent(r.ts) && r.inputs["tenure_months"] !== null && r.inputs["monthly_charges"] !== null,
  );
  const tenure = last.map((r) => Number(r.inputs["tenure_months"])).sort((a, b) => b - a);
  [...last]
    .sort((a, b) => Number(a.inputs["monthly_charges"]) - Number(b.inputs["monthly_charges"]))
    .forEach((r, i) => {
      r.inputs["tenure_months"] = tenure[i]!;
    });
  const lines = rows.map((r, i) => {
    const late = recent(r.ts);
    return JSON.stringify({
      ...r,
      latency_ms: (late ? 150 : 40) + (i % 40),
      error: i % (late ? 12 : 60) === 0,
      retained: (i % 100) / 100 < (late ? 0.6 : 0.9),
      ...(i % 7 === 0 ? {} : { revenue: 10 + (i % 33) * 0.37 }),
    });
  });
  writeFileSync(join(dir, "logs/a.jsonl"), `${lines.join("\n")}\n`);
  reference = await loadReference("data/ref.csv", { cwd: dir, manifest: loaded().manifest });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("sharded drift check: the monitoring layers", () => {
  it.each([2, 3])(
    "merging %i shards gives one run's operational health, prediction health, KPIs, multivariate drift and segments",
    async (count) => {
      const single = (await runDriftCheck(loaded(), { cwd: dir, reference })).result;
      const { merged } = await mergedOf(count);
      const result = merged.result;
      // Counts and latency percentiles (the sorted latencies of every shard) exactly.
      expect(single.operations!.checks.map((c) => c.status)).toContain("fail");
      expect(result.operations).toEqual(single.operations);
      expect(single.prediction!.checks.length).toBeGreaterThan(0);
      expect(result.prediction).toEqual(single.prediction);
      // KPI means and reconstruction errors: sums in another order, equal to rounding.
      const kpis = single.kpis!;
      expect(kpis.checks.map((c) => c.status)).toContain("fail");
      expect(result.kpis!.checks.map((c) => [c.id, c.status, c.limit])).toEqual(
        kpis.checks.map((c) => [c.id, c.status, c.limit]),
      );
      const windows = (k: typeof kpis) => k.kpis.flatMap((series) => series.windows);
      expect(windows(result.kpis!).map(({ start, n }) => [start, n])).toEqual(
        windows(kpis).map(({ start, n }) => [start, n]),
      );
      windows(result.kpis!).forEach((w, i) => {
        const expected = windows(kpis)[i]!;
        for (const [got, want] of [
          [w.value, expected.value],
          ...(w.ci && expected.ci ? w.ci.map((c, j) => [c, expected.ci![j]!]) : []),
        ] as [number | null, number | null][]) {
          if (got === null || want === null) expect(got).toBe(want);
          else expect(Math.abs(got - want)).toBeLessThan(SUM_TOLERANCE);
        }
      });
      const multivariate = single.multivariate!;
      expect(multivariate.level).toBe("alert");
      expect(result.multivariate!.level).toBe("alert");
      expect(result.multivariate!.windows.map(({ error: _e, ...w }) => w)).toEqual(
        multivariate.windows.map(({ error: _e, ...w }) => w),
      );
      result.multivariate!.windows.forEach((w, i) => {
        expect(Math.abs(w.error! - multivariate.windows[i]!.error!)).toBeLessThan(SUM_TOLERANCE);
      });
      // The verdict and level come from every layer, as in one run.
      expect(result.level).toBe(single.level);
      expect(merged.markdown).toContain("#### Operational health");
      expect(merged.markdown).toContain("#### Business KPIs");
      expect(merged.markdown).toContain("#### Multivariate drift");
      // Segments: rows, accuracy gaps and their own operational and prediction health exactly; their
      // drift (sketch-based: each score carries its bound) within the two runs' bounds.
      const segments = single.segments!;
      expect(segments.segments.length).toBeGreaterThan(3);
      expect(result.segments!.missing).toEqual(segments.missing);
      const byKey = (health: typeof segments) =>
        new Map(health.segments.map((seg) => [`${seg.slice}=${seg.value}`, seg]));
      const mergedSegments = byKey(result.segments!);
      expect([...mergedSegments.keys()].sort()).toEqual([...byKey(segments).keys()].sort());
      for (const [key, want] of byKey(segments)) {
        const got = mergedSegments.get(key)!;
        expect([got.rows, got.owner]).toEqual([want.rows, want.owner]);
        expect(got.gaps).toEqual(want.gaps);
        expect(got.operations).toEqual(want.operations);
        expect(got.prediction).toEqual(want.prediction);
        expect(got.kpis!.checks.map((c) => c.status)).toEqual(want.kpis!.checks.map((c) => c.status));
        const scores = new Map(got.drift.map((c) => [c.column, c]));
        for (const column of want.drift) {
          const other = scores.get(column.column)!;
          const bound = (c: typeof column) => c.details.approximate?.bound ?? 0;
          if (column.score === null) expect(other.score).toBeNull();
          else
            expect(Math.abs(other.score! - column.score)).toBeLessThanOrEqual(
              bound(column) + bound(other) + SUM_TOLERANCE,
            );
        }
      }
      expect(merged.markdown).toContain("region\\=SA");
    },
    120_000,
  );

  it("refuses a merge whose manifest configures other layers than the shards ran with", async () => {
    const { results } = await mergedOf(2);
    const other = loaded(LAYERS.replace("latency-p99: 180", "latency-p99: 250"));
    const error = await mergeDrift(other, { cwd: dir, reference }, results).catch((e: unknown) => e);
    expect(isUserError(error)).toBe(true);
    expect((error as Error).message).toContain("different settings");
  });

  it("refuses a part whose layer counts are not well formed", async () => {
    const { results } = await mergedOf(2);
    const file = join(results, "churn", "drift.part-1-of-2.json");
    const part = JSON.parse(readFileSync(file, "utf8"));
    part.layers.prediction[0].scored = -1;
    writeFileSync(file, JSON.stringify(part));
    const error = await mergeDrift(loaded(), { cwd: dir, reference }, results).catch((e: unknown) => e);
    expect(isUserError(error)).toBe(true);
    expect((error as Error).message).toContain(
      "the monitoring layers' counts in this part are not well formed",
    );
  });
});
