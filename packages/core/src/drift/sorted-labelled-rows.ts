import { sortFloat64 } from "../stats/sort-float64.js";

/**
 * A binary classifier's labelled rows by score, then label: the bootstrap's row hashes follow
 * positions, so sorted rows give the same realised metrics whichever order they arrived in.
 *
 * The order is `(a, b) => scores[a] - scores[b] || labels[a] - labels[b]`'s (a stable sort),
 * row for row. With 0/1 labels and scores that are neither NaN nor −0 (the prediction tally's
 * rows: scores in [0, 1]), each class's scores are sorted on their own as numbers
 * ({@link sortFloat64}) and the two runs merged, the negative first on a tie: rows equal in
 * score and label are indistinguishable, so this is the same result without a comparator call
 * per comparison. Other rows take the comparator sort itself.
 *
 * @example
 * sortedLabelledRows({ scores: [0.9, 0.2, 0.2], labels: [1, 1, 0] });
 * // { scores: Float64Array [0.2, 0.2, 0.9], labels: Float64Array [0, 1, 1] }
 */
export function sortedLabelledRows(sample: { scores: ArrayLike<number>; labels: ArrayLike<number> }): {
  scores: Float64Array;
  labels: Float64Array;
} {
  const { scores, labels } = sample;
  const n = labels.length;
  let positives = 0;
  for (let i = 0; i < n; i++) {
    const s = scores[i]!;
    const y = labels[i]!;
    if (Number.isNaN(s) || Object.is(s, -0) || !(y === 0 || y === 1)) return comparatorSorted(sample);
    positives += y;
  }
  const negative = new Float64Array(n - positives);
  const positive = new Float64Array(positives);
  for (let i = 0, a = 0, b = 0; i < n; i++) {
    if (labels[i] === 1) positive[b++] = scores[i]!;
    else negative[a++] = scores[i]!;
  }
  sortFloat64(negative);
  sortFloat64(positive);
  const outScores = new Float64Array(n);
  const outLabels = new Float64Array(n);
  let a = 0;
  let b = 0;
  for (let k = 0; k < n; k++) {
    if (b === positive.length || (a < negative.length && negative[a]! <= positive[b]!)) {
      outScores[k] = negative[a++]!;
    } else {
      outScores[k] = positive[b++]!;
      outLabels[k] = 1;
    }
  }
  return { scores: outScores, labels: outLabels };
}

/** The plain definition: indices sorted by score, then label (stable), the rows read off in that order. */
function comparatorSorted(sample: { scores: ArrayLike<number>; labels: ArrayLike<number> }): {
  scores: Float64Array;
  labels: Float64Array;
} {
  const { scores, labels } = sample;
  const order = Array.from({ length: labels.length }, (_, i) => i);
  order.sort((a, b) => scores[a]! - scores[b]! || labels[a]! - labels[b]!);
  return {
    scores: Float64Array.from(order, (i) => scores[i]!),
    labels: Float64Array.from(order, (i) => labels[i]!),
  };
}
