import { describe, expect, it } from "vitest";
import { createPairedMoments } from "./paired-moments.js";

// Reference values from NumPy once (corrcoef, mean and var(ddof=1) of b − a); never at test time.
describe("createPairedMoments", () => {
  it("gives the correlation and the difference's mean and sample variance", () => {
    const m = createPairedMoments();
    for (const [a, b] of [
      [10, 10.2],
      [12, 13],
      [8, 8.1],
      [11, 10.5],
    ] as const)
      m.add(a, b);
    const r = m.finish();
    expect(r.n).toBe(4);
    expect(r.correlation).toBeCloseTo(0.9576769916683948, 12);
    expect(r.meanDifference).toBeCloseTo(0.2, 12);
    expect(r.differenceVariance).toBeCloseTo(0.38, 12);
  });

  it("defines the degenerate cases: no pairs, one pair, a constant side", () => {
    expect(createPairedMoments().finish()).toEqual({
      n: 0,
      correlation: null,
      meanDifference: null,
      differenceVariance: null,
    });
    const one = createPairedMoments();
    one.add(1, 4);
    expect(one.finish()).toEqual({ n: 1, correlation: null, meanDifference: 3, differenceVariance: null });
    const flat = createPairedMoments();
    for (let i = 0; i < 5; i++) flat.add(2, i);
    expect(flat.finish().correlation).toBeNull();
    expect(flat.finish().differenceVariance).toBeCloseTo(2.5, 12);
  });
});
