import { describe, expect, it } from "vitest";
import { fillPoissonWeights } from "../bootstrap/poisson-weight.js";
import { rowIdHash } from "../bootstrap/row-hash.js";
import { createRng } from "../random/rng.js";
import { BINARY_TALLY, binaryPassFrom, rowBrier, rowLoss, rowLosses } from "./binary-pass.js";
import { meanAcceleration } from "./mean-acceleration.js";
import { prepareBinaryPass } from "./prepare-binary-pass.js";

/**
 * Awkward rows: scores on a coarse grid (long ties), exactly 0 and 1 (clipped log loss), just
 * outside [0, 1], and weights with zeros; two groupings.
 */
function rows(n: number) {
  const rng = createRng(11);
  const rnd = () => rng.next();
  const labels = Float64Array.from({ length: n }, () => (rnd() < 0.35 ? 1 : 0));
  const edges = [0, 1, -1e-9, 1 + 1e-7, 1e-300];
  const scores = labels.map((y, i) =>
    i % 17 === 0 ? edges[i % edges.length]! : Math.round((rnd() * 0.6 + 0.3 * y) * 40) / 40,
  );
  const weights = Float64Array.from({ length: n }, (_, i) => (i % 9 === 0 ? 0 : 0.5 + (i % 4)));
  const groupIds = [new Uint8Array(n), Uint8Array.from({ length: n }, (_, i) => 1 + (i % 3))];
  return { labels, scores, weights, groupIds, groups: 4 };
}

const sameBits = (a: Float64Array, b: Float64Array) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++)
    expect(Object.is(a[i], b[i]), `entry ${i}: ${a[i]} vs ${b[i]}`).toBe(true);
};

describe("rowLosses", () => {
  it("holds each position's rowLoss and rowBrier, in shared memory, built once", () => {
    const pass = prepareBinaryPass(rows(500), 0.5);
    expect(pass.data.losses).toBeUndefined();
    const built = rowLosses(pass.data);
    expect(built.loss.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(built.brier.buffer).toBeInstanceOf(SharedArrayBuffer);
    for (let k = 0; k < 500; k++) {
      expect(built.loss[k]).toBe(rowLoss(pass.data.label[k]!, pass.data.p[k]!));
      expect(built.brier[k]).toBe(rowBrier(pass.data.label[k]!, pass.data.p[k]!));
    }
    expect(rowLosses(pass.data)).toBe(built);
  });

  it("clips the log loss as scikit-learn does", () => {
    expect(rowLoss(1, 1)).toBe(-Math.log(1 - Number.EPSILON));
    expect(rowLoss(1, 0)).toBe(-Math.log(Number.EPSILON));
    expect(rowLoss(0, 0.25)).toBe(-Math.log(0.75));
    expect(rowBrier(0, 0.25)).toBe(0.0625);
  });
});

describe("a binary pass's per-row losses", () => {
  it("are not built by one run, and a run without them gives the tally of a run with them bit for bit", () => {
    const r = rows(4000);
    const hashes = Uint32Array.from({ length: 4000 }, (_, i) => rowIdHash(`r-${i}`));
    const poisson = new Uint8Array(4000);
    for (const weights of [null, r.weights, "poisson"] as const) {
      const once = prepareBinaryPass(r, 0.5, {});
      const built = prepareBinaryPass(r, 0.5, {});
      rowLosses(built.data);
      if (weights === "poisson") fillPoissonWeights(hashes, 5, 3, poisson);
      const w = weights === "poisson" ? poisson : weights;
      const a = new Float64Array(once.groups * once.tallySize);
      const b = new Float64Array(built.groups * built.tallySize);
      once.run(w, a);
      expect(once.data.losses, "one run builds nothing").toBeUndefined();
      built.run(w, b);
      sameBits(a, b);
      // The losses enter the tally: a pass with other losses gives other sums.
      expect(a[BINARY_TALLY.LOSS]).toBeGreaterThan(0);
      expect(a[BINARY_TALLY.BRIER]).toBeGreaterThan(0);
    }
  });

  it("are built by a pass's second run, which gives the first run's tally", () => {
    const pass = prepareBinaryPass(rows(2000), 0.5);
    const first = new Float64Array(pass.groups * pass.tallySize);
    const second = new Float64Array(pass.groups * pass.tallySize);
    pass.run(null, first);
    pass.run(null, second);
    expect(pass.data.losses).toBeDefined();
    sameBits(first, second);
    // A pass rebuilt from the data (a worker thread's) reads the same arrays.
    const copy = binaryPassFrom(pass.data);
    const third = new Float64Array(pass.groups * pass.tallySize);
    copy.run(null, third);
    expect(copy.data.losses).toBe(pass.data.losses);
    sameBits(first, third);
  });

  it("give the mean metrics' BCa accelerations, built on their first call", () => {
    const r = rows(3000);
    const pass = prepareBinaryPass(r, 0.5);
    const acceleration = meanAcceleration(pass.data);
    expect(pass.data.losses).toBeUndefined();
    const a = acceleration(1, "log_loss")!;
    expect(pass.data.losses).toBeDefined();
    // Group 1 (every third row from 0) by hand: Σu³ / (6 (Σu²)^{3/2}), u = w (loss − weighted mean).
    const own = [...r.labels.keys()].filter((i) => i % 3 === 0);
    const losses = own.map((i) => rowLoss(r.labels[i]!, r.scores[i]!));
    const w = own.map((i) => r.weights[i]!);
    const mean = losses.reduce((s, v, k) => s + w[k]! * v, 0) / w.reduce((s, v) => s + v, 0);
    const u = losses.map((v, k) => w[k]! * (v - mean));
    const u2 = u.reduce((s, v) => s + v * v, 0);
    const u3 = u.reduce((s, v) => s + v * v * v, 0);
    expect(a).toBeCloseTo(u3 / (6 * u2 ** 1.5), 10);
  });
});
