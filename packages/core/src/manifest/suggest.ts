/**
 * The candidate closest to `word` by edit distance, when it is close enough to be a likely typo
 * (at most a third of the word's length, and at least one edit allowed). `undefined` otherwise.
 *
 * @example
 * closestMatch("mni", ["min", "max", "slices"]); // "min"
 * closestMatch("colour", ["min", "max"]); // undefined
 */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  const allowed = Math.max(1, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    // Case and `_` vs `-` differences are the most common slip in YAML keys: treat them as one edit.
    const distance =
      normalise(candidate) === normalise(word)
        ? 1
        : editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= allowed ? best : undefined;
}

function normalise(key: string): string {
  return key.toLowerCase().replace(/[_\s]/g, "-");
}

/**
 * Optimal string alignment distance (Levenshtein plus adjacent transpositions), so `mni` is one
 * edit from `min`.
 *
 * @example
 * editDistance("mni", "min"); // 1
 * editDistance("kitten", "sitting"); // 3
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d = new Uint16Array(rows * cols);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(
        d[(i - 1) * cols + j]! + 1,
        d[i * cols + j - 1]! + 1,
        d[(i - 1) * cols + j - 1]! + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, d[(i - 2) * cols + j - 2]! + 1);
      }
      d[i * cols + j] = value;
    }
  }
  return d[rows * cols - 1]!;
}
