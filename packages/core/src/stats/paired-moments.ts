/** Streams pairs `(a, b)` into the moments a paired comparison needs. */
export interface PairedMoments {
  add(a: number, b: number): void;
  finish(): {
    n: number;
    /** Pearson's correlation; `null` with fewer than two pairs or a constant side. */
    correlation: number | null;
    /** Mean of `b − a`; `null` with no pairs. */
    meanDifference: number | null;
    /** Sample variance (n − 1) of `b − a`; `null` with fewer than two pairs. */
    differenceVariance: number | null;
  };
}

/**
 * Pearson's correlation of two paired series and the mean and sample variance of their difference,
 * in one pass. Sums are accumulated around the first pair seen (shifted data), so the results stay
 * accurate on millions of large values close to each other.
 *
 * https://en.wikipedia.org/wiki/Algorithms_for_calculating_variance#Computing_shifted_data
 *
 * @example
 * const m = createPairedMoments();
 * m.add(10, 10.2); m.add(12, 13); m.add(8, 8.1); m.add(11, 10.5);
 * m.finish(); // { n: 4, correlation: 0.9576…, meanDifference: 0.2, differenceVariance: 0.38 }
 */
export function createPairedMoments(): PairedMoments {
  let n = 0;
  let shiftA = 0;
  let shiftB = 0;
  let sa = 0;
  let sb = 0;
  let saa = 0;
  let sbb = 0;
  let sab = 0;
  return {
    add(a, b) {
      if (n === 0) {
        shiftA = a;
        shiftB = b;
      }
      n++;
      const da = a - shiftA;
      const db = b - shiftB;
      sa += da;
      sb += db;
      saa += da * da;
      sbb += db * db;
      sab += da * db;
    },
    finish() {
      const varA = saa - (sa * sa) / n;
      const varB = sbb - (sb * sb) / n;
      const cov = sab - (sa * sb) / n;
      const correlation =
        n >= 2 && varA > 0 && varB > 0 ? Math.max(-1, Math.min(1, cov / Math.sqrt(varA * varB))) : null;
      return {
        n,
        correlation,
        meanDifference: n > 0 ? shiftB - shiftA + (sb - sa) / n : null,
        // Σ((b − a) − mean)² = varB + varA − 2·cov, from the same shifted sums.
        differenceVariance: n >= 2 ? Math.max(0, varA + varB - 2 * cov) / (n - 1) : null,
      };
    },
  };
}
