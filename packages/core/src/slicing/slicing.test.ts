import { describe, expect, it } from "vitest";
import { isUserError } from "../errors/user-error.js";
import type { Column } from "../table/column.js";
import { assignSlices, OTHER, sliceAssigner } from "./assign-slices.js";
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

describe("sliceAssigner", () => {
  // Awkward data: ties in size, a value first seen in a late batch, nulls and NaN, bins with an
  // empty bin, a cross, more values than the cap and than one byte of codes.
  const rows = 3000;
  const rng = (seed: number) => () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const r = rng(11);
  const region = category(
    Array.from({ length: rows }, (_, i) =>
      i % 97 === 0 ? null : i > 2500 ? "late" : ["AE", "SA", "EG"][i % 3]!,
    ),
  );
  const id = category(Array.from({ length: rows }, () => `v${Math.floor(r() * 400)}`));
  const tenure = number(Array.from({ length: rows }, (_, i) => (i % 50 === 0 ? Number.NaN : r() * 70)));
  const columns = new Map<string, Column>([
    ["region", region],
    ["id", id],
    ["tenure", tenure],
  ]);
  const specs = ["region", "id", { column: "tenure", bins: [0, 6, 12, 100, 200] }, ["region", "id"] as const];
  const options = { maxSlicesPerSpec: 300, declared: new Map([["region", ["AE", "QA"]]]) };
  const slice = (column: Column, from: number, to: number): Column =>
    column.kind === "category"
      ? { kind: "category", values: column.values.slice(from, to), nulls: column.nulls.slice(from, to) }
      : {
          kind: "number",
          values: (column.values as Float64Array).slice(from, to),
          nulls: column.nulls.slice(from, to),
        };

  it("gives exactly assignSlices' slices and rows when fed in batches", () => {
    const whole = assignSlices(columns, rows, specs, options);
    const assigner = sliceAssigner(specs, options);
    for (const [from, to] of [
      [0, 1],
      [1, 700],
      [700, 700],
      [700, 2999],
      [2999, 3000],
    ] as const) {
      assigner.add(new Map([...columns].map(([name, c]) => [name, slice(c, from, to)])), to - from);
    }
    const batched = assigner.finish();
    expect(batched.slices).toEqual(whole.slices);
    expect(batched.rowSlice.map((s) => [...s])).toEqual(whole.rowSlice.map((s) => [...s]));
    expect(whole.slices.some((s) => s.key.id === OTHER)).toBe(true);
    expect(whole.slices.find((s) => s.key.region === "QA")?.n).toBe(0);
    // 300 id slices and more: the row → slice indices need two bytes.
    expect(whole.rowSlice[0]).toBeInstanceOf(Uint16Array);
  });

  it("lists a binned spec's bins when no rows were added", () => {
    const a = sliceAssigner([{ column: "tenure", bins: [0, 6] }]).finish();
    expect(a.slices.map((s) => [s.key.tenure, s.n])).toEqual([
      ["< 0", 0],
      ["[0, 6)", 0],
      ["≥ 6", 0],
    ]);
    expect(
      assignSlices(new Map([["tenure", number([])]]), 0, [{ column: "tenure", bins: [0, 6] }]).slices,
    ).toEqual(a.slices);
  });
});
