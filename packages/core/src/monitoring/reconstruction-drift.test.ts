import { describe, expect, it } from "vitest";
import { createRng } from "../random/rng.js";
import type { Batch, Column } from "../table/column.js";
import { createReconstructionTally, fitReconstruction } from "./reconstruction-drift.js";

const HOUR = 3_600_000;
const T0 = Date.parse("2025-06-01T00:00:00Z");

/** x and y = x + noise (correlation about 0.9), and an independent z. */
function correlated(n: number, seed: string) {
  const rng = createRng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  const x = Float64Array.from({ length: n }, normal);
  const y = Float64Array.from(x, (v) => v + 0.5 * normal());
  const z = Float64Array.from({ length: n }, normal);
  return { x, y, z };
}

function batch(hours: { x: Float64Array; y: Float64Array; z: Float64Array }[]): Batch {
  const ts: number[] = [];
  const cols = { x: [] as number[], y: [] as number[], z: [] as number[] };
  hours.forEach((h, k) => {
    h.x.forEach((_, i) => {
      ts.push(T0 + k * HOUR + i);
      cols.x.push(h.x[i]!);
      cols.y.push(h.y[i]!);
      cols.z.push(h.z[i]!);
    });
  });
  const n = ts.length;
  const num = (values: number[]) => ({
    kind: "number" as const,
    values: Float64Array.from(values),
    nulls: new Uint8Array(n),
  });
  return {
    source: "logs.jsonl",
    firstRow: 1,
    length: n,
    invalid: new Map(),
    columns: new Map<string, Column>([
      ["ts", { kind: "timestamp", values: Float64Array.from(ts), nulls: new Uint8Array(n) }],
      ["x", num(cols.x)],
      ["y", num(cols.y)],
      ["z", num(cols.z)],
    ]),
  };
}

describe("data reconstruction drift (PCA, as NannyML)", () => {
  const reference = correlated(5000, "reference");
  const model = fitReconstruction(reference)!;

  it("keeps the components for 65% of the standardised variance and sets limits from reference chunks", () => {
    expect(model.columns).toEqual(["x", "y", "z"]);
    expect(model.components).toHaveLength(2);
    expect(model.explained).toBeGreaterThanOrEqual(0.65);
    expect(model.chunks).toHaveLength(10);
    expect(model.lower).toBeLessThan(model.reference);
    expect(model.upper).toBeGreaterThan(model.reference);
  });

  it("alerts on a broken correlation whose marginals are unchanged, and not on new data from the same joint distribution", () => {
    const same = correlated(1000, "same");
    const broken = correlated(1000, "broken");
    // y shuffled against x: each marginal is exactly what it was, the joint distribution is not.
    const rng = createRng("shuffle");
    const y = Float64Array.from(broken.y);
    for (let i = y.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [y[i], y[j]] = [y[j]!, y[i]!];
    }
    const tally = createReconstructionTally(model, { fields: { timestamp: "ts" }, window: "1h" });
    tally.add(batch([same, { ...broken, y }]));
    const result = tally.finish();
    expect(result.windows[0]!.alert).toBe(false);
    expect(result.windows[1]!.alert).toBe(true);
    expect(result.windows[1]!.error!).toBeGreaterThan(model.upper);
    expect([...y].sort((a, b) => a - b)).toEqual([...broken.y].sort((a, b) => a - b));
    expect(result.checks[0]).toMatchObject({ id: "multivariate-drift", status: "fail" });
    expect(result.checks[0]!.reason).toContain("in the window from 2025-06-01T01:00:00.000Z");
    expect(result.level).toBe("alert");
  });

  it("sums each window's rows when rows of different windows alternate, as window by window", () => {
    const logged = batch([correlated(300, "a"), correlated(300, "b"), correlated(300, "c")]);
    const ts = logged.columns.get("ts")!.values as Float64Array;
    // Every row's time taken from another row's, so the window switches on most rows.
    const mixed: Batch = {
      ...logged,
      columns: new Map([
        ...logged.columns,
        [
          "ts",
          {
            kind: "timestamp",
            values: ts.map((_, i) => ts[(i * 7) % ts.length]!),
            nulls: new Uint8Array(ts.length),
          },
        ],
      ]),
    };
    const alternating = createReconstructionTally(model, { fields: { timestamp: "ts" }, window: "1h" });
    alternating.add(mixed);
    const byWindow = createReconstructionTally(model, { fields: { timestamp: "ts" }, window: "1h" });
    const mixedTs = mixed.columns.get("ts")!.values as Float64Array;
    for (let hour = 0; hour < 3; hour++) {
      // Each window's rows alone (the others without a time), in the same order.
      const own = Uint8Array.from(mixedTs, (t) => (Math.floor((t - T0) / HOUR) === hour ? 0 : 1));
      byWindow.add({
        ...mixed,
        columns: new Map([...mixed.columns, ["ts", { kind: "timestamp", values: mixedTs, nulls: own }]]),
      });
    }
    expect(alternating.state()).toHaveLength(3);
    expect(alternating.state()).toEqual(byWindow.state());
  });

  it("is null with fewer than two numeric columns", () => {
    expect(fitReconstruction({ x: reference.x })).toBeNull();
  });
});
