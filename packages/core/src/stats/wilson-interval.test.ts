import { describe, expect, it } from "vitest";
import { wilsonInterval } from "./wilson-interval.js";

describe("wilsonInterval", () => {
  it("matches statsmodels' proportion_confint(method='wilson') to 1e-4", () => {
    // statsmodels: proportion_confint(10, 100, method="wilson") = (0.05523, 0.17437)
    const [low, high] = wilsonInterval(10, 100)!;
    expect(low).toBeCloseTo(0.05523, 4);
    expect(high).toBeCloseTo(0.17437, 4);
    // proportion_confint(0, 100, method="wilson") = (0.0, 0.03699)
    expect(wilsonInterval(0, 100)![0]).toBe(0);
    expect(wilsonInterval(0, 100)![1]).toBeCloseTo(0.03699, 4);
    expect(wilsonInterval(100, 100)![1]).toBe(1);
  });

  it("is null without trials and narrows as they grow", () => {
    expect(wilsonInterval(0, 0)).toBeNull();
    const small = wilsonInterval(1, 20)!;
    const large = wilsonInterval(500, 10_000)!;
    expect(small[1] - small[0]).toBeGreaterThan(10 * (large[1] - large[0]));
  });
});
