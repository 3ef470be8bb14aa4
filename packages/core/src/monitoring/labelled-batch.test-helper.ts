// Log batches for the prediction-health tests: one row per request, hour by hour from T0.
import type { Batch } from "../table/column.js";

/** The first window's start. */
export const T0 = Date.parse("2025-06-01T00:00:00Z");
export const HOUR = 3_600_000;

/** Hour h's rows: logged `predicted` and, where not null, the arrived `actual`. */
export function labelledBatch(
  hours: { predicted: (string | number)[]; actual: (string | number | null)[] }[],
): Batch {
  const ts: number[] = [];
  const predicted: (string | number)[] = [];
  const actual: (string | number | null)[] = [];
  hours.forEach((rows, h) => {
    rows.predicted.forEach((p, i) => {
      ts.push(T0 + h * HOUR + i);
      predicted.push(p);
      actual.push(rows.actual[i]!);
    });
  });
  const n = ts.length;
  const nulls = Uint8Array.from(actual, (a) => (a === null ? 1 : 0));
  const numeric = typeof predicted[0] === "number";
  return {
    source: "logs.jsonl",
    firstRow: 1,
    length: n,
    invalid: new Map(),
    columns: new Map([
      ["ts", { kind: "timestamp", values: Float64Array.from(ts), nulls: new Uint8Array(n) }],
      numeric
        ? [
            "pred",
            { kind: "number", values: Float64Array.from(predicted as number[]), nulls: new Uint8Array(n) },
          ]
        : ["pred", { kind: "category", values: predicted as string[], nulls: new Uint8Array(n) }],
      numeric
        ? [
            "y",
            { kind: "number", values: Float64Array.from(actual, (a) => (a === null ? 0 : Number(a))), nulls },
          ]
        : ["y", { kind: "category", values: actual.map((a) => (a === null ? "" : String(a))), nulls }],
    ]),
  } as Batch;
}
