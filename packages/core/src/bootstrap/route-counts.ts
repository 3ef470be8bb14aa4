import { BINARY_TALLY, type BinaryPassData, type RowPass } from "../metrics/binary-pass.js";

/**
 * Per model, {@link intervalRoutes}' four counts of each group from the unweighted tallies: positives,
 * negatives, predicted positives, predicted negatives.
 *
 * @example
 * rowCounts([pass], [tally])[0]; // Float64Array [positives, negatives, predicted positives, predicted negatives, …] per group
 */
export function rowCounts(passes: readonly RowPass[], tallies: readonly Float64Array[]): Float64Array[] {
  return passes.map((pass, m) => {
    const t = tallies[m]!;
    const out = new Float64Array(pass.groups * 4);
    for (let g = 0; g < pass.groups; g++) {
      const o = g * pass.tallySize;
      const predicted = t[o + BINARY_TALLY.TP]! + t[o + BINARY_TALLY.FP]!;
      out.set(
        [
          t[o + BINARY_TALLY.POS]!,
          t[o + BINARY_TALLY.NEG]!,
          predicted,
          t[o + BINARY_TALLY.POS]! + t[o + BINARY_TALLY.NEG]! - predicted,
        ],
        g * 4,
      );
    }
    return out;
  });
}

/**
 * {@link intervalRoutes}' counts under sample weights: Kish's effective sample size (Σw)²/Σw² of each
 * of the four sets of rows (Kish 1965, "Survey Sampling", §11.7), not the weighted totals Σw. The
 * Gaussian approximation is as good as the number of rows the estimate effectively averages: the
 * weighted total is scale-dependent (weights of 1000 would put ten rows on the Gaussian route)
 * while the effective count is invariant to rescaling the weights, equals the row count when the
 * weights are equal (so weights of 1 switch exactly as no weights do), and shrinks when a few rows
 * carry most of the weight — the case where a Gaussian interval would be too narrow.
 *
 * @example
 * effectiveCounts([pass], weights)[0]; // Float64Array of Kish counts, four per group (equal weights: the row counts)
 */
export function effectiveCounts(passes: readonly RowPass[], weights: Float64Array): Float64Array[] {
  return passes.map((pass) => {
    const data = pass.data as BinaryPassData;
    const { order, label, p, group, stride, threshold } = data;
    // Σw and Σw² of positives, negatives, predicted positives, predicted negatives, per group.
    const sums = new Float64Array(data.groups * 8);
    for (let k = 0; k < order.length; k++) {
      const w = weights[order[k]!]!;
      if (w === 0) continue;
      const sets = [label[k] === 1 ? 0 : 1, p[k]! >= threshold ? 2 : 3];
      for (let j = 0; j < stride; j++) {
        const o = group[k * stride + j]! * 8;
        for (const set of sets) {
          sums[o + set]! += w;
          sums[o + 4 + set]! += w * w;
        }
      }
    }
    const out = new Float64Array(data.groups * 4);
    for (let g = 0; g < data.groups; g++) {
      for (let set = 0; set < 4; set++) {
        const total = sums[g * 8 + set]!;
        const squares = sums[g * 8 + 4 + set]!;
        out[g * 4 + set] = squares > 0 ? (total * total) / squares : 0;
      }
    }
    return out;
  });
}
