import { describe, expect, it } from "vitest";
import { isUserError } from "../errors/user-error.js";
import type { Column } from "../table/column.js";
import { assignSlices, OTHER } from "./assign-slices.js";
import { binLabel, binLabels } from "./bin-label.js";

const category = (values: (string | null)[]): Column => ({
  kind: "category",
  values: values.map((v) => v ?? ""),
  nulls: Uint8Array.from(values, (v) => (v === null ? 1 : 0)),
});
const number = (values: number[]): Column => ({
  kind: "number",
  values: Float64Array.from(values),
  nulls: Uint8Array.from(values, (v) => (Number.isNaN(v) ? 1 : 0)),
});

describe("binLabel", () => {
  const edges = [0, 6, 12, 24, 60];
  it("puts edges in the bin they open and keeps open ends", () => {
    expect([-0.5, 0, 5.999, 6, 12, 59.9, 60, 1e9].map((v) => binLabel(v, edges))).toEqual([
      "< 0",
      "[0, 6)",
      "[0, 6)",
      "[6, 12)",
      "[12, 24)",
      "[24, 60)",
      "≥ 60",
      "≥ 60",
    ]);
    expect(binLabel(Number.NaN, edges)).toBe("(missing)");
    expect(binLabels([1])).toEqual(["< 1", "≥ 1", "(missing)"]);
  });
});

describe("assignSlices", () => {
  const columns = new Map<string, Column>([
    ["region", category(["AE", "SA", "AE", null, "AE", "SA"])],
    ["plan", category(["pre", "post", "post", "pre", "pre", "post"])],
    ["tenure", number([1, 7, Number.NaN, 70, 6, -2])],
  ]);
  it("slices by value with missing as its own slice, largest first", () => {
    const a = assignSlices(columns, 6, ["region"]);
    expect(a.slices.map((s) => [s.key, s.n])).toEqual([
      [{ region: "AE" }, 3],
      [{ region: "SA" }, 2],
      [{ region: "(missing)" }, 1],
    ]);
    expect([...a.rowSlice[0]!]).toEqual([0, 1, 0, 2, 0, 1]);
  });
  it("bins numbers in edge order and skips empty bins", () => {
    const a = assignSlices(columns, 6, [{ column: "tenure", bins: [0, 6, 12] }]);
    expect(a.slices.map((s) => [s.key.tenure, s.n])).toEqual([
      ["< 0", 1],
      ["[0, 6)", 1],
      ["[6, 12)", 2],
      ["≥ 12", 1],
      ["(missing)", 1],
    ]);
  });
  it("lists empty bins and declared values without rows as slices of n = 0", () => {
    const bins = assignSlices(columns, 6, [{ column: "tenure", bins: [0, 2, 6, 12, 100] }]);
    expect(bins.slices.map((s) => [s.key.tenure, s.n])).toEqual([
      ["< 0", 1],
      ["[0, 2)", 1],
      ["[2, 6)", 0],
      ["[6, 12)", 2],
      ["[12, 100)", 1],
      ["≥ 100", 0],
      ["(missing)", 1],
    ]);
    // No missing value: no empty (missing) slice.
    const full = new Map([["t", number([1, 2])]]);
    expect(assignSlices(full, 2, [{ column: "t", bins: [5] }]).slices.map((s) => s.key.t)).toEqual([
      "< 5",
      "≥ 5",
    ]);
    const declared = new Map([["region", ["AE", "SA", "QA"]]]);
    const values = assignSlices(columns, 6, ["region", ["region", "plan"]], { declared });
    expect(values.slices.filter((s) => s.spec === 0).map((s) => [s.key, s.n])).toEqual([
      [{ region: "AE" }, 3],
      [{ region: "SA" }, 2],
      [{ region: "(missing)" }, 1],
      [{ region: "QA" }, 0],
    ]);
    // Crosses list only the combinations seen.
    expect(values.slices.filter((s) => s.spec === 1).every((s) => s.n > 0)).toBe(true);
  });
  it("crosses two columns into keys of both", () => {
    const a = assignSlices(columns, 6, [["region", "plan"]]);
    expect(a.slices[0]).toEqual({ spec: 0, key: { region: "AE", plan: "pre" }, n: 2 });
    expect(a.slices.map((s) => s.key)).toContainEqual({ region: "(missing)", plan: "pre" });
    expect(a.slices.reduce((sum, s) => sum + s.n, 0)).toBe(6);
  });
  it("caps 100,000 distinct values at the largest ones plus one pooled slice", () => {
    const n = 100_100;
    const values = Array.from({ length: n }, (_, i) => (i < 200 ? `big${i % 2}` : `v${i}`));
    const a = assignSlices(new Map([["id", category(values)]]), n, ["id"], { maxSlicesPerSpec: 1000 });
    expect(a.slices).toHaveLength(1001);
    expect(a.slices.slice(0, 2).map((s) => [s.key.id, s.n])).toEqual([
      ["big0", 100],
      ["big1", 100],
    ]);
    const other = a.slices[1000]!;
    expect(other.key).toEqual({ id: OTHER });
    expect(other.otherValues).toBe(2 + 99_900 - 1000);
    expect(a.slices.reduce((sum, s) => sum + s.n, 0)).toBe(n);
  });
  it("names the manifest field when a column is absent or bins cannot apply", () => {
    const thrown = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        return error;
      }
      return undefined;
    };
    const absent = thrown(() => assignSlices(columns, 6, ["region", "nope"], { file: "m.yml" }));
    expect(isUserError(absent) && absent.field).toBe("evaluation.slices[1]");
    const bins = thrown(() => assignSlices(columns, 6, [{ column: "region", bins: [0, 1] }]));
    expect(isUserError(bins) && bins.field).toBe("evaluation.slices[0].bins");
    const order = thrown(() => assignSlices(columns, 6, [{ column: "tenure", bins: [5, 1] }]));
    expect(isUserError(order)).toBe(true);
  });
});
