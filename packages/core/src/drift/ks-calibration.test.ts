import { describe, expect, it } from "vitest";
import { compareColumn } from "../profile/compare-column.js";
import { createProfileBuilder } from "../profile/create-profile-builder.js";
import type { Profile } from "../profile/profile.js";
import { createRng } from "../random/rng.js";
import type { Batch } from "../table/column.js";

/**
 * The drift KS test's false-alarm rate under no drift, as drift-check computes it (profiles that
 * keep their values, compared column by column): random splits of one data set into a reference
 * and a current half must reject at p < 0.05 in 5% of splits. The quantile-sketch path it replaced
 * rejected in about 29%.
 */
describe("KS calibration under no drift", () => {
  const profileOf = (values: Float64Array, reference?: Profile): Profile => {
    const builder = createProfileBuilder({ exactValues: values.length, ...(reference ? { reference } : {}) });
    const batch: Batch = {
      source: "split",
      firstRow: 1,
      length: values.length,
      columns: new Map([["x", { kind: "number", values, nulls: new Uint8Array(values.length) }]]),
      invalid: new Map(),
    };
    builder.add(batch);
    return builder.finish();
  };

  it("rejects at p < 0.05 in 5% ± 1.5% of 1,000 seeded random splits (exact p-values, 1,000 vs 1,000)", () => {
    const rng = createRng("ks-calibration");
    // One skewed, continuous data set: a log-normal, as amounts and durations are.
    const data = Float64Array.from({ length: 2000 }, () => Math.exp(rng.normal(0, 1)));
    const splits = 1000;
    let rejected = 0;
    for (let s = 0; s < splits; s++) {
      const shuffled = data.slice();
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
      }
      const reference = profileOf(shuffled.subarray(0, 1000).slice());
      const current = profileOf(shuffled.subarray(1000).slice(), reference);
      const drift = compareColumn(reference.columns.x!, current.columns.x!, { column: "x", method: "ks" });
      expect(drift.details.approximate).toBeUndefined();
      if (drift.pValue! < 0.05) rejected += 1;
    }
    const rate = rejected / splits;
    expect(rate).toBeGreaterThanOrEqual(0.035);
    expect(rate).toBeLessThanOrEqual(0.065);
  });
});
