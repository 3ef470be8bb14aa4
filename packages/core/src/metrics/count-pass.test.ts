import { describe, expect, it } from "vitest";
import { fillPoissonWeights } from "../bootstrap/poisson-weight.js";
import { rowIdHash } from "../bootstrap/row-hash.js";
import { BINARY_TALLY } from "./binary-pass.js";
import {
  COUNT_METRICS,
  type CountPassData,
  countPassFrom,
  prepareCountPass,
  rowPassFrom,
} from "./count-pass.js";
import { prepareBinaryPass } from "./prepare-binary-pass.js";
import { METRICS } from "./registry.js";

/** Awkward rows: scores on a 0.02-wide grid (many ties, some exactly at the threshold), two groupings. */
function rows(n: number) {
  let s = 5;
  const rnd = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const labels = Float64Array.from({ length: n }, () => (rnd() < 0.3 ? 1 : 0));
  const scores = labels.map((y) => 0.49 + Math.round((rnd() * 0.02 + 0.004 * y) * 500) / 500);
  const groupIds = [new Uint8Array(n), Uint8Array.from({ length: n }, (_, i) => 1 + (i % 3))];
  return { labels, scores, groupIds, groups: 4 };
}

describe("prepareCountPass", () => {
  it("gives the binary pass's confusion counts bit for bit, unweighted and for Poisson replicates", () => {
    const r = rows(3000);
    const full = prepareBinaryPass(r, 0.5);
    const counts = prepareCountPass(r, 0.5);
    const hashes = Uint32Array.from({ length: 3000 }, (_, i) => rowIdHash(`c-${i}`));
    const weights = new Uint8Array(3000);
    for (const replicate of [null, 0, 1, 2]) {
      if (replicate !== null) fillPoissonWeights(hashes, 3, replicate, weights);
      const a = new Float64Array(full.groups * full.tallySize);
      const b = new Float64Array(counts.groups * counts.tallySize);
      full.run(replicate === null ? null : weights, a);
      counts.run(replicate === null ? null : weights, b);
      for (let g = 0; g < 4; g++) {
        for (const field of [BINARY_TALLY.POS, BINARY_TALLY.NEG, BINARY_TALLY.TP, BINARY_TALLY.FP])
          expect(b[g * counts.tallySize + field], `group ${g} field ${field}`).toBe(
            a[g * full.tallySize + field],
          );
        for (const name of COUNT_METRICS)
          expect(METRICS[name].fromTally("binary", b, g * counts.tallySize, 2)).toEqual(
            METRICS[name].fromTally("binary", a, g * full.tallySize, 2),
          );
        // What it does not compute is NaN, never a number that could be read as a metric.
        expect(b[g * counts.tallySize + BINARY_TALLY.AUC]).toBeNaN();
        expect(b[g * counts.tallySize + BINARY_TALLY.LOSS]).toBeNaN();
      }
    }
  });

  it("counts only the groups asked for, at the same values, the others NaN", () => {
    const r = rows(600);
    const all = new Float64Array(4 * 9);
    const some = new Float64Array(4 * 9);
    prepareCountPass(r, 0.5).run(null, all);
    prepareCountPass(r, 0.5, [2]).run(null, some);
    expect(some.subarray(18, 27)).toEqual(all.subarray(18, 27));
    for (const g of [0, 1, 3]) expect([...some.subarray(g * 9, g * 9 + 9)].every(Number.isNaN)).toBe(true);
  });

  it("is rebuilt from its shared arrays (what a worker runs) with the same tallies", () => {
    const r = rows(900);
    const pass = prepareCountPass(r, 0.5, [1, 3]);
    const data = pass.data as CountPassData;
    expect(data.kind).toBe("count");
    for (const list of data.lists) expect(list.row.buffer).toBeInstanceOf(SharedArrayBuffer);
    const hashes = Uint32Array.from({ length: 900 }, (_, i) => rowIdHash(`c-${i}`));
    const weights = new Uint8Array(900);
    fillPoissonWeights(hashes, 4, 1, weights);
    const a = new Float64Array(4 * 9);
    const b = new Float64Array(4 * 9);
    pass.run(weights, a);
    rowPassFrom(data).run(weights, b);
    expect(b).toEqual(a);
    expect(countPassFrom(data).rows).toBe(900);
  });

  it("counts a score equal to the threshold as predicted positive, as the binary pass does", () => {
    const pass = prepareCountPass(
      { labels: [1, 0, 1], scores: [0.5, 0.5, 0.4999], groupIds: [new Uint8Array(3)], groups: 1 },
      0.5,
    );
    const out = new Float64Array(pass.tallySize);
    pass.run(null, out);
    expect([
      out[BINARY_TALLY.POS],
      out[BINARY_TALLY.NEG],
      out[BINARY_TALLY.TP],
      out[BINARY_TALLY.FP],
    ]).toEqual([2, 1, 1, 1]);
  });
});
