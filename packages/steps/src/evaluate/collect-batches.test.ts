import { assignSlices, type Column, evaluationSlices } from "@gauntlet/core";
import { describe, expect, it } from "vitest";
import { collectBatches } from "./collect-batches.js";

const category = (values: string[]): Column => ({
  kind: "category",
  values,
  nulls: Uint8Array.from(values, (v) => (v === "" ? 1 : 0)),
});
const number = (values: number[]): Column => ({
  kind: "number",
  values: Float64Array.from(values),
  nulls: Uint8Array.from(values, (v) => (Number.isNaN(v) ? 1 : 0)),
});

// Three batches, the second (one file of a glob) without the slice columns.
const batches = [
  { region: ["AE", "SA", "AE"], tenure: [1, 7, 30], label: [1, 0, 1] },
  { label: [0, 0] },
  { region: ["SA", "", "EG"], tenure: [Number.NaN, 2, 13], label: [1, 1, 0] },
] as const;
const specs = ["region", { column: "tenure", bins: [6, 12] }];

function feed(sink: ReturnType<typeof collectBatches>): void {
  for (const b of batches) {
    const columns = new Map<string, Column>([["churned", number([...b.label])]]);
    if ("region" in b) columns.set("region", category([...b.region]));
    if ("tenure" in b) columns.set("tenure", number([...b.tenure]));
    sink.add({ rows: b.label.length, columns, labelText: new Map(), scores: [] });
  }
}

describe("collectBatches", () => {
  it("assigns slices batch by batch exactly as the columns collected whole would be", () => {
    const whole = collectBatches("churned", ["region", "tenure"]);
    feed(whole);
    const collected = whole.finish();
    const expected = assignSlices(collected.sliceColumns, 8, specs);

    const assigning = collectBatches("churned", {
      assigner: evaluationSlices({ specs }),
      columns: ["region", "tenure"],
      kinds: new Map([
        ["region", "category"],
        ["tenure", "number"],
      ]),
    });
    feed(assigning);
    const assigned = assigning.finish();
    expect(assigned.sliceColumns.size).toBe(0);
    expect(assigned.label).toEqual(collected.label);
    expect(assigned.sliceAssignment!.slices).toEqual(expected.slices);
    expect(assigned.sliceAssignment!.rowSlice.map((s) => [...s])).toEqual(
      expected.rowSlice.map((s) => [...s]),
    );
    // The batch without the columns is missing in both specs.
    expect(expected.slices.filter((s) => s.key.region === "(missing)")[0]!.n).toBe(3);
    expect(expected.slices.filter((s) => s.key.tenure === "(missing)")[0]!.n).toBe(3);
  });
});
