import { describe, expect, it } from "vitest";
import { createRng } from "../random/rng.js";
import { normalCdf, normalQuantile } from "../stats/normal.js";
import { MAX_T_SPLIT_GROUPS, maxTCritical } from "./fairness-max-t.js";

const bonferroni = (alpha: number, pairs: number) => normalQuantile(1 - alpha / (2 * pairs));

describe("maxTCritical", () => {
  it("one pair at limit 0 is the two-sided z; with the limit many se away, the one-sided z", () => {
    // scipy: norm.ppf(0.975) = 1.959963984540054, norm.ppf(0.95) = 1.6448536269514722.
    expect(maxTCritical([[0.01, 0.01]], 0.05, 0)).toBeCloseTo(1.959963984540054, 6);
    expect(maxTCritical([[0.01, 0.01]], 0.05, 0.1)).toBeCloseTo(1.6448536269514722, 6);
    expect(maxTCritical([[0.03, 0.04]], 0.01, 0.5)).toBeCloseTo(normalQuantile(0.99), 6);
  });

  it("one pair in between solves Φ(−z) + Φ(−z − 2L/se) = α exactly", () => {
    const se = Math.hypot(0.02, 0.01);
    const z = maxTCritical([[0.02, 0.01]], 0.05, 0.01);
    expect(normalCdf(-z) + normalCdf(-z - (2 * 0.01) / se)).toBeCloseTo(0.05, 9);
    expect(z).toBeGreaterThan(normalQuantile(0.95));
    expect(z).toBeLessThan(normalQuantile(0.975));
  });

  it("k independent pairs at limit 0 give Šidák's value, below Bonferroni's", () => {
    for (const k of [2, 3, 6]) {
      const z = maxTCritical(
        Array.from({ length: k }, (_, i) => [0.01 * (i + 1), 0.02]),
        0.05,
        0,
      );
      const sidak = normalQuantile(1 - (1 - 0.95 ** (1 / k)) / 2);
      expect(z).toBeCloseTo(sidak, 6);
      expect(z).toBeLessThan(bonferroni(0.05, k));
    }
  });

  it("three groups of equal se at limit 0 match Tukey's studentized range (df ∞) / √2 to the simulation's precision", () => {
    // R: qtukey(0.95, 3, Inf) / sqrt(2) = 3.314493 / 1.414214 = 2.343700.
    expect(maxTCritical([[0.02, 0.02, 0.02]], 0.05, 0)).toBeCloseTo(2.3437, 1);
    expect(Math.abs(maxTCritical([[0.02, 0.02, 0.02]], 0.05, 0) - 2.3437)).toBeLessThan(0.02);
  });

  it("never exceeds Bonferroni's, falls as the limit grows, and is a fixed function of its inputs", () => {
    const g = createRng("max-t property");
    for (let trial = 0; trial < 8; trial++) {
      const rates = Array.from({ length: 1 + Math.floor(g.next() * 2) }, () =>
        Array.from({ length: 2 + Math.floor(g.next() * 4) }, () => 0.005 + 0.05 * g.next()),
      );
      const pairs = rates.reduce((s, r) => s + (r.length * (r.length - 1)) / 2, 0);
      const alpha = 0.01 + 0.09 * g.next();
      const limits = [0, 0.01, 0.03, 0.1];
      const z = limits.map((limit) => maxTCritical(rates, alpha, limit));
      for (let i = 0; i < z.length; i++) {
        expect(z[i]).toBeLessThanOrEqual(bonferroni(alpha, pairs));
        if (i > 0) expect(z[i]).toBeLessThanOrEqual(z[i - 1]!);
      }
      expect(maxTCritical(rates, alpha, 0.01)).toBe(z[1]);
    }
  });

  it(`above ${MAX_T_SPLIT_GROUPS} groups it ignores the limit: the max-|T| value, at any limit`, () => {
    const many = [Array(MAX_T_SPLIT_GROUPS + 2).fill(0.01)];
    expect(maxTCritical(many, 0.05, 0.05)).toBe(maxTCritical(many, 0.05, 0));
    expect(maxTCritical(many, 0.05, 0)).toBeLessThan(bonferroni(0.05, 36));
  });

  // The critical value holds its error rate at the least favourable null (two groups L above the
  // third), checked by drawing the group rates' errors afresh (not the draws the value came from).
  it("at the least favourable split, pairs fail in at most α of fresh draws (± 3 standard errors)", () => {
    const se = [0.012, 0.02, 0.015];
    const limit = 0.02;
    const alpha = 0.05;
    const z = maxTCritical([se], alpha, limit);
    const g = createRng("fresh draws");
    const truth = [
      [limit, limit, 0],
      [limit, 0, 0],
      [0, limit, 0],
    ];
    const draws = 40_000;
    for (const p of truth) {
      let failed = 0;
      for (let d = 0; d < draws; d++) {
        const est = p.map((v, i) => v + se[i]! * g.normal());
        let fail = false;
        for (let a = 0; a < 3; a++)
          for (let b = a + 1; b < 3; b++)
            if (Math.abs(est[a]! - est[b]!) - z * Math.hypot(se[a]!, se[b]!) > limit) fail = true;
        if (fail) failed++;
      }
      expect(failed / draws).toBeLessThan(alpha + 3 * Math.sqrt((alpha * (1 - alpha)) / draws));
    }
    // And z is not needlessly large: the worst split fails close to α.
    expect(z).toBeLessThan(bonferroni(alpha, 3));
  });
});
