import { describe, expect, it } from "vitest";
import { HashSet52 } from "./hash-set52.js";
import { Hasher52 } from "./hash52.js";

function hashOf(...values: (string | number | null)[]): number {
  const hasher = new Hasher52();
  hasher.reset();
  for (const v of values) {
    if (v === null) hasher.addNull();
    else if (typeof v === "string") hasher.addString(v);
    else hasher.addNumber(v);
  }
  return hasher.digest();
}

describe("Hasher52", () => {
  it("is deterministic, 52-bit, and tells field boundaries and types apart", () => {
    expect(hashOf("a", 1)).toBe(hashOf("a", 1));
    expect(Number.isInteger(hashOf("x"))).toBe(true);
    expect(hashOf("x")).toBeLessThan(2 ** 52);
    expect(hashOf("ab", "c")).not.toBe(hashOf("a", "bc"));
    expect(hashOf("1")).not.toBe(hashOf(1));
    expect(hashOf(null)).not.toBe(hashOf(""));
    expect(hashOf(0)).toBe(hashOf(-0));
  });

  it("tells apart rows of numbers that differ only in their high bits (signs, exponents)", () => {
    // Multiply-xor lanes carry a difference only upwards: unfolded, two flips of bit 31 cancel.
    expect(hashOf(1, 2)).not.toBe(hashOf(-1, -2));
    expect(hashOf("a", 7, 8)).not.toBe(hashOf("a", -7, -8));
    expect(hashOf(1, 0)).not.toBe(hashOf(Number.POSITIVE_INFINITY, 2));
    // Every pair of sign patterns of a few values, and powers of two: no two rows hash equal.
    const rows: number[][] = [];
    for (const a of [1, 2, 0.5, 3, 1e300, Number.POSITIVE_INFINITY])
      for (const b of [1, 2, 0.5, 3, 1e300, Number.POSITIVE_INFINITY])
        for (const sa of [1, -1]) for (const sb of [1, -1]) rows.push([sa * a, sb * b]);
    const hashes = new Set(rows.map((row) => hashOf(...row)));
    expect(hashes.size).toBe(new Set(rows.map((row) => row.join())).size);
  });

  it("continues from a snapshot as if the prefix had been added again", () => {
    const hasher = new Hasher52();
    hasher.reset();
    hasher.addString("prefix");
    const snap = hasher.snapshot();
    hasher.reset(snap);
    hasher.addNumber(7);
    expect(hasher.digest()).toBe(hashOf("prefix", 7));
  });
});

describe("HashSet52", () => {
  it("adds each hash once and grows past its initial capacity", () => {
    const set = new HashSet52(16);
    for (let i = 0; i < 100_000; i++) expect(set.add(hashOf(i))).toBe(true);
    expect(set.size).toBe(100_000);
    expect(set.add(hashOf(5))).toBe(false);
    expect(set.has(hashOf(99_999))).toBe(true);
    expect(set.has(hashOf(100_000))).toBe(false);
    expect(set.add(0)).toBe(true);
    expect(set.has(0)).toBe(true);
  });

  it("stops storing at its limit and says so", () => {
    const set = new HashSet52(16, 3);
    for (const h of [11, 22, 33]) set.add(h);
    expect(set.full).toBe(false);
    expect(set.add(44)).toBe(false);
    expect(set.full).toBe(true);
    expect(set.size).toBe(3);
  });
});
