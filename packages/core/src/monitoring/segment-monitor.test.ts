import { describe, expect, it } from "vitest";
import { windowStart } from "../drift/window-start.js";
import { createProfileBuilder } from "../profile/create-profile-builder.js";
import { kllRank } from "../profile/kll-sketch.js";
import type { NumericColumnProfile, Profile } from "../profile/profile.js";
import type { Batch, Column } from "../table/column.js";
import { createSegmentMonitor, type SegmentMonitorOptions } from "./segment-monitor.js";

const HOUR = 3_600_000;
const T0 = Date.parse("2025-06-01T00:00:00Z");

interface Row {
  ts: number;
  version: string;
  region: string | null;
  age: number;
  plan: string;
  score: number;
  churned: number;
}

/** Seeded rows over three hourly windows in no order, with awkward cases mixed in. */
function logRows(n: number): Row[] {
  let seed = 7;
  const next = () => {
    seed = (Math.imul(seed, 1_664_525) + 1_013_904_223) >>> 0;
    return seed / 2 ** 32;
  };
  return Array.from({ length: n }, (_, i) => {
    const u = next();
    return {
      // Every 500th row has no timestamp; rows are shuffled across the windows.
      ts: i % 500 === 7 ? Number.NaN : T0 + Math.floor(next() * 3 * HOUR),
      version: i % 50 === 3 ? "0.9" : "1.0",
      // AE dominates (over 16,384 of its values in one window), then SA, three rare values, nulls.
      region: i % 211 === 0 ? null : u < 0.8 ? "AE" : u < 0.95 ? "SA" : (["EG", "JO", "QA"][i % 3] ?? "EG"),
      // Ties (whole years) and one missing age.
      age: i === 11 ? Number.NaN : Math.floor(18 + next() * 60),
      plan: next() < 0.3 ? "pro" : "basic",
      score: next(),
      churned: i % 3 === 0 ? (next() < 0.4 ? 1 : 0) : Number.NaN,
    };
  });
}

function numbers(values: number[]): Column {
  return {
    kind: "number",
    values: Float64Array.from(values),
    nulls: Uint8Array.from(values.map((v) => (Number.isNaN(v) ? 1 : 0))),
  };
}

function timestamps(values: number[]): Column {
  const { values: ms, nulls } = numbers(values) as { values: Float64Array; nulls: Uint8Array };
  return { kind: "timestamp", values: ms, nulls };
}

function categories(values: (string | null)[]): Column {
  return {
    kind: "category",
    values: values.map((v) => v ?? ""),
    nulls: Uint8Array.from(values.map((v) => (v === null ? 1 : 0))),
  };
}

function logBatch(rows: Row[], firstRow: number): Batch {
  return {
    source: "logs/a.jsonl",
    firstRow,
    length: rows.length,
    columns: new Map<string, Column>([
      ["ts", timestamps(rows.map((r) => r.ts))],
      ["v", categories(rows.map((r) => r.version))],
      ["inputs.region", categories(rows.map((r) => r.region))],
      ["inputs.age", numbers(rows.map((r) => r.age))],
      ["inputs.plan", categories(rows.map((r) => r.plan))],
      ["score", numbers(rows.map((r) => r.score))],
      ["churned", numbers(rows.map((r) => r.churned))],
    ]),
    invalid: new Map(),
  };
}

/** The profile of `rows` alone, built directly: what one segment's window must hold. */
function profileOf(rows: Row[], reference?: Profile) {
  const builder = createProfileBuilder({ reference, chunks: false });
  builder.add({
    source: "logs/a.jsonl",
    firstRow: 1,
    length: rows.length,
    columns: new Map<string, Column>([
      ["age", numbers(rows.map((r) => r.age))],
      ["plan", categories(rows.map((r) => r.plan))],
      ["score", numbers(rows.map((r) => r.score))],
    ]),
    invalid: new Map(),
  });
  return builder.finish();
}

describe("createSegmentMonitor", () => {
  it("gives each segment's windows the counts of its own rows, as a profile of those rows alone has them", () => {
    const rows = logRows(90_000);
    const reference = profileOf(rows.slice(0, 5_000));
    const options: SegmentMonitorOptions = {
      columns: ["age", "plan"],
      fields: { timestamp: "ts", features: "inputs", score: "score", outcome: "churned", version: "v" },
      version: "1.0",
      binary: { positive: 1, threshold: 0.5 },
      window: "1h",
      slices: ["region"],
      reference,
      minRows: 10,
      maxSegments: 4,
    };
    // Shuffled across the windows, and in time order (most batches wholly in one window).
    const byTime = [...rows].sort((a, b) => (a.ts || 0) - (b.ts || 0));
    for (const order of [rows, byTime]) expectOwnRows(order, options);
  });
});

describe("a segment's estimated limits", () => {
  it("are skipped saying label-free estimates are the whole population's, not that probabilities are missing", () => {
    const rows = logRows(3_000);
    const reference = profileOf(rows.slice(0, 1_000));
    const fields = { timestamp: "ts", features: "inputs", score: "inputs.plan", version: "v" };
    const monitor = createSegmentMonitor({
      columns: ["age"],
      fields,
      version: "1.0",
      window: "1h",
      slices: ["region"],
      reference,
      minRows: 10,
      prediction: {
        tally: { fields, version: "1.0", window: "1h", task: "multiclass" },
        settings: {
          window: "1h",
          limits: { "min-labelled": 100, "min-rows": 30, estimated: { accuracy: { min: 0.7 } } },
          reference,
          score: "inputs.plan",
          task: "multiclass",
        },
      },
    });
    monitor.add(logBatch(rows, 1));
    const ae = monitor.finish().segments.find((s) => s.value === "AE")!;
    expect(ae.prediction!.windows.length).toBeGreaterThan(0);
    expect(ae.prediction!.checks.find((c) => c.id === "estimated-accuracy")).toMatchObject({
      status: "skip",
      reason:
        "estimated-accuracy: label-free estimates are computed on the whole population, not per segment",
    });
  });
});

/** Feeds `rows` to a segment monitor in batches and holds every segment to its rows alone. */
function expectOwnRows(rows: Row[], options: SegmentMonitorOptions): void {
  const reference = options.reference;
  const monitor = createSegmentMonitor(options);
  for (let at = 0; at < rows.length; at += 2_048) monitor.add(logBatch(rows.slice(at, at + 2_048), at + 1));
  const state = monitor.state();
  const named = state.segments.map((s) => s.value).filter((v) => v !== "(other)");
  // AE, SA, (missing) and the first rare value seen keep their names; the other two are (other).
  expect(named).toHaveLength(4);
  expect(named).toEqual(expect.arrayContaining(["AE", "SA", "(missing)"]));
  const kept = rows.filter((r) => r.version === "1.0" && Number.isFinite(r.ts));
  const segmentOf = (r: Row) => {
    const value = r.region ?? "(missing)";
    return named.includes(value) ? value : "(other)";
  };
  let crossed = false;
  for (const segment of state.segments) {
    const own = kept.filter((r) => segmentOf(r) === segment.value);
    expect(segment.rows).toBe(own.length);
    const starts = [...new Set(own.map((r) => windowStart(r.ts, HOUR)))].sort((a, b) => a - b);
    expect(segment.windows.map((w) => w.start)).toEqual(starts);
    for (const { start, profile } of segment.windows) {
      const inWindow = own.filter((r) => windowStart(r.ts, HOUR) === start);
      const expected = profileOf(inWindow, reference);
      expect(profile.rows).toBe(expected.rows);
      expect(profile.columns.plan).toEqual(expected.columns.plan);
      for (const column of ["age", "score"]) {
        const got = profile.columns[column] as NumericColumnProfile;
        const want = expected.columns[column] as NumericColumnProfile;
        // Everything but the sketch exactly; the sketch (made from sorted blocks) within 2/k.
        expect({ ...got, sketch: null }).toEqual({ ...want, sketch: null });
        const sorted = inWindow
          .map((r) => r[column as "age" | "score"])
          .filter((v) => Number.isFinite(v))
          .sort((a, b) => a - b);
        crossed ||= sorted.length > 16_384;
        expect(got.sketch.n).toBe(sorted.length);
        for (const q of [0.05, 0.25, 0.5, 0.75, 0.95]) {
          const x = sorted[Math.floor(q * sorted.length)]!;
          const rank = sorted.filter((v) => v <= x).length;
          expect(Math.abs(kllRank(got.sketch, x) - rank) / sorted.length).toBeLessThan(2 / 200);
        }
      }
    }
    // Realised accuracy per window: the segment's labelled rows, at the threshold.
    const accuracy = starts.map((start) => {
      const labelled = own.filter((r) => windowStart(r.ts, HOUR) === start && !Number.isNaN(r.churned));
      return {
        start,
        labelled: labelled.length,
        correct: labelled.filter((r) => (r.score >= 0.5 ? 1 : 0) === r.churned).length,
      };
    });
    expect(segment.accuracy).toEqual(accuracy);
  }
  expect(crossed).toBe(true);
}
