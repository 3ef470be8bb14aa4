import { describe, expect, it } from "vitest";
import { blockBuffer } from "./block-buffer.js";

const pushed = (expected: number | undefined, sizes: number[]) => {
  const buffer = blockBuffer((n) => new Float64Array(n), expected);
  let next = 0;
  for (const size of sizes) {
    buffer.push(Float64Array.from({ length: size }, () => next++));
    buffer.fill(-1, 1);
  }
  return buffer.finish();
};

describe("blockBuffer", () => {
  it("gives every row in order, joined from blocks or in the one block it expected", () => {
    const sizes = [70_000, 1, 100_000, 50_000];
    const joined = pushed(undefined, sizes);
    const sized = pushed(230_000, sizes);
    const short = pushed(100_000, sizes);
    expect(joined).toHaveLength(220_005);
    expect([...joined.subarray(69_999, 70_003)]).toEqual([69_999, -1, 70_000, -1]);
    expect(sized).toEqual(joined);
    expect(short).toEqual(joined);
    // The expected block is returned as it is, without a copy.
    expect(sized.buffer.byteLength).toBe(230_000 * 8);
  });
});
