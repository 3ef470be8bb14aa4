import { describe, expect, it } from "vitest";
import type { Column } from "../table/column.js";
import { cellText, cellValueText } from "./slice-value.js";

const flags = (...nulls: number[]) => Uint8Array.from(nulls);
const columns: Column[] = [
  { kind: "category", values: ["AE", "", "SA"], nulls: flags(0, 0, 1) },
  { kind: "boolean", values: Uint8Array.of(1, 0, 1), nulls: flags(0, 0, 1) },
  { kind: "number", values: Float64Array.of(1.5, Number.NaN, 2), nulls: flags(0, 0, 1) },
  { kind: "timestamp", values: Float64Array.of(0, Number.NaN, 0), nulls: flags(0, 0, 1) },
];

describe("cellValueText", () => {
  it("spells each kind one way, and every missing value as undefined", () => {
    expect(columns.map((c) => [0, 1, 2].map((i) => cellValueText(c, i)))).toEqual([
      ["AE", "", undefined],
      ["true", "false", undefined],
      ["1.5", undefined, undefined],
      ["1970-01-01T00:00:00.000Z", undefined, undefined],
    ]);
  });
});

describe("cellText", () => {
  it("is the same text, with a missing value as the slice (missing)", () => {
    for (const column of columns) {
      for (const i of [0, 1, 2]) expect(cellText(column, i)).toBe(cellValueText(column, i) ?? "(missing)");
    }
    expect(cellText(columns[2]!, 1)).toBe("(missing)");
  });
});
