import { describe, expect, it } from "vitest";
import { rowsByCode } from "./rows-by-code.js";

describe("rowsByCode", () => {
  it("lists each code's rows in ascending order and leaves out rows coded -1", () => {
    const codes = Int32Array.of(2, -1, 0, 2, 1, -1, 2, 0);
    const lists = rowsByCode(codes, [2, 1, 3]);
    expect(lists.map((l) => [...l])).toEqual([[2, 7], [4], [0, 3, 6]]);
  });

  it("gives an empty list for a code no row has, and none for no codes", () => {
    expect(rowsByCode(Int32Array.of(1, 1), [0, 2]).map((l) => [...l])).toEqual([[], [0, 1]]);
    expect(rowsByCode(new Int32Array(0), [])).toEqual([]);
  });
});
