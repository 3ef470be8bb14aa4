import { describe, expect, it } from "vitest";
import type { MetricName } from "../manifest/metric-names.js";
import type { SliceSpec } from "../slicing/slice-spec.js";
import type { Column } from "../table/column.js";
import { evaluate, evaluationSlices } from "./evaluate.js";
import { regionInput, twoModelData } from "./two-models.test-helper.js";

// evaluate with the rows put in slices batch by batch (as evaluate-slices does while reading)
// against the same rows' slice columns whole: one evaluation, to the last bit.
describe("evaluate with a sliceAssignment", () => {
  const d = twoModelData({ n: 1500, seed: 5, prevalence: 0.3 });
  const base = regionInput(d, 120);
  const n = d.labels.length;
  const tenure: Column = {
    kind: "number",
    values: Float64Array.from({ length: n }, (_, i) => (i % 41 === 0 ? Number.NaN : (i * 7919) % 60)),
    nulls: Uint8Array.from({ length: n }, (_, i) => (i % 41 === 0 ? 1 : 0)),
  };
  const sliceColumns = new Map([...base.sliceColumns, ["tenure", tenure]]);
  const input = {
    ...base,
    sliceColumns,
    specs: ["region", { column: "tenure", bins: [6, 12, 24] }] as SliceSpec[],
    declaredValues: new Map([["region", ["small", "large", "medium"]]]),
    metrics: ["roc_auc", "average_precision", "accuracy"] as MetricName[],
    threshold: 0.5,
    bootstrap: 100,
    seed: 3,
  };

  it("gives exactly the evaluation of the slice columns whole", () => {
    const whole = evaluate({ ...input });
    const slices = evaluationSlices({ ...input, specs: [...input.specs] });
    for (let from = 0; from < n; from += 256) {
      const to = Math.min(n, from + 256);
      const batch = new Map<string, Column>([
        [
          "region",
          {
            kind: "category",
            values: (sliceColumns.get("region")!.values as string[]).slice(from, to),
            nulls: new Uint8Array(to - from),
          },
        ],
        [
          "tenure",
          { kind: "number", values: tenure.values.slice(from, to), nulls: tenure.nulls.slice(from, to) },
        ],
      ]);
      slices.add(batch, to - from);
    }
    const batched = evaluate({
      ...input,
      specs: [...input.specs],
      metrics: [...input.metrics],
      sliceColumns: new Map(),
      sliceAssignment: slices.finish(),
    });
    expect(batched).toEqual(whole);
    // The declared value without rows and the missing bin are there too.
    expect(whole.slices.map((s) => s.key)).toContainEqual({ region: "medium" });
    expect(whole.slices.map((s) => s.key)).toContainEqual({ tenure: "(missing)" });
  });

  it("refuses an assignment of other rows", () => {
    const slices = evaluationSlices({ specs: ["region"] });
    slices.add(base.sliceColumns, 10);
    expect(() =>
      evaluate({
        ...input,
        specs: ["region"],
        metrics: ["roc_auc"],
        sliceColumns: new Map(),
        sliceAssignment: slices.finish(),
      }),
    ).toThrow(RangeError);
  });
});
