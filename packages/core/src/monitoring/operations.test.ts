import { describe, expect, it } from "vitest";
import { isUserError } from "../errors/user-error.js";
import { quantileSorted } from "../stats/quantile.js";
import { wilsonInterval } from "../stats/wilson-interval.js";
import type { Batch, Column } from "../table/column.js";
import { finishOperations, type OperationsSettings } from "./operational-health.js";
import { createOperationsTally } from "./operations-tally.js";
import { releasedMetrics } from "./released-metrics.js";
import { renderOperations } from "./render-operations.js";

const HOUR = 3_600_000;
const T0 = Date.parse("2025-06-01T00:00:00Z");
const FILE = "models/churn/model.yml";

type Row = { ts: number; v?: string; latency?: number | null; error?: boolean | number | string | null };

function batch(rows: Row[], errorKind: "boolean" | "number" | "category" = "boolean"): Batch {
  const n = rows.length;
  const columns = new Map<string, Column>([
    ["ts", { kind: "timestamp", values: Float64Array.from(rows, (r) => r.ts), nulls: new Uint8Array(n) }],
    ["v", { kind: "category", values: rows.map((r) => r.v ?? "1.0.0"), nulls: new Uint8Array(n) }],
  ]);
  if (rows.some((r) => r.latency !== undefined)) {
    columns.set("latency_ms", {
      kind: "number",
      values: Float64Array.from(rows, (r) => r.latency ?? Number.NaN),
      nulls: Uint8Array.from(rows, (r) => (r.latency === null || r.latency === undefined ? 1 : 0)),
    });
  }
  if (rows.some((r) => r.error !== undefined)) {
    const nulls = Uint8Array.from(rows, (r) => (r.error === null || r.error === undefined ? 1 : 0));
    columns.set(
      "error",
      errorKind === "category"
        ? { kind: "category", values: rows.map((r) => (r.error == null ? "" : String(r.error))), nulls }
        : errorKind === "number"
          ? { kind: "number", values: Float64Array.from(rows, (r) => Number(r.error ?? Number.NaN)), nulls }
          : { kind: "boolean", values: Uint8Array.from(rows, (r) => (r.error === true ? 1 : 0)), nulls },
    );
  }
  return { source: "logs/a.jsonl", firstRow: 1, length: n, invalid: new Map(), columns };
}

const fields = { timestamp: "ts", version: "v", latency: "latency_ms", error: "error" };

function settings(limits: Partial<NonNullable<OperationsSettings["limits"]>> = {}): OperationsSettings {
  return {
    window: "1h",
    fields: { latency: "latency_ms", error: "error" },
    unit: "ms",
    limits: { "min-rows": 30, ...limits },
    file: FILE,
  };
}

/** `perHour[h]` rows in hour h, latency from `latency(h, i)`, error from `error(h, i)`. */
function rows(
  perHour: number[],
  latency: (h: number, i: number) => number,
  error: (h: number, i: number) => boolean,
) {
  const out: Row[] = [];
  perHour.forEach((count, h) => {
    for (let i = 0; i < count; i++)
      out.push({ ts: T0 + h * HOUR + (i * HOUR) / count, latency: latency(h, i), error: error(h, i) });
  });
  return out;
}

function run(input: Row[], s = settings(), kind?: "boolean" | "number" | "category") {
  const tally = createOperationsTally({ fields, version: "1.0.0", window: "1h", file: FILE });
  tally.add(batch(input, kind));
  return finishOperations(tally.state(), s);
}

describe("operational health", () => {
  it("computes each window's latency percentiles as numpy's linear quantiles, in ms", () => {
    const input = rows(
      [100, 100],
      (h, i) => (h + 1) * (i + 1),
      () => false,
    );
    const health = run(input);
    const hour1 = Float64Array.from({ length: 100 }, (_, i) => 2 * (i + 1));
    expect(health.windows[1]!.latency!.p99Ms).toBeCloseTo(quantileSorted(hour1, 0.99)!, 9);
    expect(health.windows[1]!.latency!.p50Ms).toBeCloseTo(101, 9);
    // numpy: np.quantile(np.arange(1, 101) * 2, 0.95) = 190.1
    expect(health.windows[1]!.latency!.p95Ms).toBeCloseTo(190.1, 9);
    expect(health.latency!.n).toBe(200);
  });

  it("alerts on a latency regression in one window, naming it; passes within the limit", () => {
    const input = rows(
      [200, 200, 200],
      (h, i) => (h === 2 ? 400 : 40) + (i % 10),
      () => false,
    );
    const health = run(input, settings({ "latency-p99": 250 }));
    const check = health.checks.find((c) => c.id === "latency-p99")!;
    expect(check.status).toBe("fail");
    expect(check.reason).toContain("the window from 2025-06-01T02:00:00.000Z");
    expect(check.reason).toContain("1 of 3 windows breach");
    expect(health.level).toBe("alert");
    const ok = run(input, settings({ "latency-p99": 500 }));
    expect(ok.checks[0]!.status).toBe("pass");
    expect(ok.level).toBe("ok");
  });

  it("converts seconds when latency-unit is s, and refuses an undeclared unit that looks like seconds", () => {
    const input = rows(
      [50],
      (_, i) => 0.05 + i / 1000,
      () => false,
    );
    const seconds = run(input, { ...settings(), unit: "s" });
    expect(seconds.latency!.p50Ms).toBeCloseTo(1000 * (0.05 + 24.5 / 1000), 9);
    let thrown: unknown;
    try {
      run(input, { ...settings(), unit: undefined });
    } catch (error) {
      thrown = error;
    }
    expect(isUserError(thrown)).toBe(true);
    expect((thrown as Error).message).toContain("monitoring.latency-unit");
    expect((thrown as Error).message).toContain("looks like seconds");
    // Milliseconds above 1 are read as such without a declared unit.
    expect(
      run(
        rows(
          [50],
          () => 12,
          () => false,
        ),
        { ...settings(), unit: undefined },
      ).latency!.p50Ms,
    ).toBe(12);
  });

  it("alerts on an error spike only when the rate's whole interval is above the limit", () => {
    const spike = rows(
      [400, 400],
      () => 10,
      (h, i) => (h === 1 ? i % 10 === 0 : i % 200 === 0),
    );
    const health = run(spike, settings({ "error-rate": 0.02 }));
    const check = health.checks.find((c) => c.id === "error-rate")!;
    expect(check.status).toBe("fail");
    expect(check.value).toBeCloseTo(0.1, 9);
    expect(health.windows[1]!.errors!.ci).toEqual(wilsonInterval(40, 400));
    // 2 errors in 40 rows is 5% but its interval reaches below 2%: no alert on noise.
    const small = run(
      rows(
        [40],
        () => 10,
        (_, i) => i < 2,
      ),
      settings({ "error-rate": 0.02 }),
    );
    expect(small.windows[0]!.errors!.rate).toBeCloseTo(0.05, 9);
    expect(small.checks[0]!.status).toBe("pass");
  });

  it("reads error flags logged as numbers or as the text true/false/1/0, and refuses other text", () => {
    const text = rows(
      [100],
      () => 10,
      (_, i) => i < 10,
    ).map((r) => ({ ...r, error: r.error ? "TRUE" : "false" }));
    expect(run(text, settings(), "category").windows[0]!.errors!.rate).toBeCloseTo(0.1, 9);
    const numeric = rows(
      [100],
      () => 10,
      (_, i) => i < 20,
    ).map((r) => ({ ...r, error: r.error ? 1 : 0 }));
    expect(run(numeric, settings(), "number").windows[0]!.errors!.rate).toBeCloseTo(0.2, 9);
    const bad = rows(
      [5],
      () => 10,
      () => false,
    ).map((r, i) => ({ ...r, error: i === 3 ? "timeout" : "0" }));
    let thrown: unknown;
    try {
      run(bad, settings(), "category");
    } catch (error) {
      thrown = error;
    }
    expect(isUserError(thrown)).toBe(true);
    expect((thrown as Error).message).toContain('error flag "timeout" in logs/a.jsonl row 4');
    expect((thrown as Error).message).toContain("monitoring.error");
  });

  it("compares each window's volume with the median window's: a drop, a spike, and a missing window", () => {
    const input = rows(
      [100, 100, 20, 100, 0, 100, 400],
      () => 10,
      () => false,
    );
    const health = run(input, settings({ volume: { "min-ratio": 0.5, "max-ratio": 3 } }));
    expect(health.typicalVolume).toBe(100);
    expect(health.windows.map((w) => w.rows)).toEqual([100, 100, 20, 100, 0, 100, 400]);
    const drop = health.checks.find((c) => c.id === "volume-drop")!;
    expect(drop.status).toBe("fail");
    expect(drop.value).toBe(0);
    expect(drop.reason).toContain("2 of 7 windows breach; first from 2025-06-01T02:00:00.000Z");
    const spike = health.checks.find((c) => c.id === "volume-spike")!;
    expect(spike.status).toBe("fail");
    expect(spike.value).toBe(4);
  });

  it("says which signals are unavailable and why, and fails none of them", () => {
    const input = rows(
      [100],
      () => 10,
      () => false,
    ).map(({ ts }) => ({ ts }));
    const health = run(
      input,
      settings({ "latency-p99": 100, "error-rate": 0.01, volume: { "min-ratio": 0.5 } }),
    );
    expect(health.unavailable).toEqual({
      latency: 'the logs have no field "latency_ms"',
      errors: 'the logs have no field "error"',
      volume: "1 window(s): a typical volume needs at least 3",
    });
    expect(health.checks.map((c) => c.status)).toEqual(["skip", "skip", "skip"]);
    expect(health.level).toBe("no data");
    expect(renderOperations(health)).toContain(
      'latency: unavailable (the logs have no field "latency\\_ms")',
    );
  });

  it("counts only the rows of the monitored version, and never alerts on a window under min-rows", () => {
    const input: Row[] = [
      ...rows(
        [10],
        () => 900,
        () => true,
      ),
      ...rows(
        [100],
        () => 900,
        () => true,
      ).map((r) => ({ ...r, v: "0.9.0" })),
    ];
    const health = run(input, settings({ "latency-p99": 100, "error-rate": 0.01 }));
    expect(health.windows[0]!.rows).toBe(10);
    expect(health.checks.map((c) => c.status)).toEqual(["skip", "skip"]);
    expect(health.checks[0]!.reason).toContain("no window with enough rows");
  });
});

describe("releasedMetrics", () => {
  it("reads the overall metric values of an evaluation.json and leaves out anything else", () => {
    expect(
      releasedMetrics({
        overall: { metrics: { roc_auc: { value: 0.81, ci: [0.79, 0.83] }, f1: { value: null }, x: "y" } },
      }),
    ).toEqual({ roc_auc: 0.81 });
    expect(releasedMetrics(null)).toEqual({});
    expect(releasedMetrics({ overall: { metrics: 3 } })).toEqual({});
  });
});
