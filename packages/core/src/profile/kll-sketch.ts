/**
 * A KLL quantile sketch: a mergeable summary of a stream of numbers from which any quantile or
 * rank can be estimated, in memory that grows only with the logarithm of the stream's length.
 * Plain JSON, so it can live in `profile.json` and be merged later.
 *
 * Items at level `h` stand for `2^h` original values. When the sketch is over capacity, the lowest
 * full level is sorted and every other item (odd or even positions, by a seeded coin) is promoted
 * one level up. The coin is a xorshift32 state kept in the sketch, so the same stream always gives
 * the same sketch (core code has no ambient randomness). Capacity of level h of H is
 * `max(8, ⌊k · (2/3)^(H-1-h)⌋)`; the sketch holds at most about `3k` numbers.
 *
 * Accuracy: the normalised rank error `|rank̂(x) - rank(x)| / n` is O(1/k) with high probability
 * (Karnin, Lang & Liberty 2016); the tests check it stays below `2/k` for every query across
 * inserts and merges (with the default k = 200: 1% of the rows). Counts, minimum and maximum are exact.
 *
 * https://arxiv.org/abs/1603.05346 · https://datasketches.apache.org/docs/KLL/KLLSketch.html
 *
 * @example
 * const s = createKllSketch(200);
 * for (let i = 1; i <= 1000; i++) kllUpdate(s, i);
 * kllQuantile(s, 0.5); // ≈ 500 (within 1000 · 2/200 = 10)
 */
export interface KllSketch {
  /** Accuracy parameter: larger is more accurate and larger. */
  k: number;
  /** Number of values summarised (exact). */
  n: number;
  /** Smallest and largest value seen (exact), `null` while empty. */
  min: number | null;
  max: number | null;
  /** Items per level; an item at level h weighs 2^h. */
  levels: number[][];
  /** xorshift32 state of the compaction coin. */
  seed: number;
}

/**
 * An empty {@link KllSketch}.
 *
 * @example
 * createKllSketch(200); // { k: 200, n: 0, min: null, max: null, levels: [[]], seed: 2463534242 }
 */
export function createKllSketch(k = 200, seed = 2463534242): KllSketch {
  if (!(Number.isInteger(k) && k >= 8))
    throw new RangeError(`createKllSketch: k must be an integer >= 8, got ${k}`);
  return { k, n: 0, min: null, max: null, levels: [[]], seed: seed >>> 0 || 1 };
}

/**
 * Add one value to a sketch (in place). `NaN` is ignored: missing values are counted elsewhere.
 *
 * @example
 * const s = createKllSketch();
 * kllUpdate(s, 3); // s.n === 1
 */
export function kllUpdate(sketch: KllSketch, value: number): void {
  if (Number.isNaN(value)) return;
  sketch.n += 1;
  if (sketch.min === null || value < sketch.min) sketch.min = value;
  if (sketch.max === null || value > sketch.max) sketch.max = value;
  sketch.levels[0]!.push(value);
  if (sketch.levels[0]!.length >= capacity(sketch.k, 0, sketch.levels.length)) compress(sketch);
}

/**
 * Add a block of values, sorted ascending and without `NaN`, to a sketch (in place), for the
 * cost of reading them once: the block is summarised as {@link kllFromSorted} does at four times
 * the sketch's `k` (every rank within `1 / (4k)` of the block's rows), its items join the
 * sketch's levels, and the sketch is compressed as a merge would. Blocks add at most `1 / (4k)`
 * to the `2 / k` rank error of a sketch updated value by value (the tests check the whole).
 *
 * @example
 * const s = createKllSketch(200);
 * kllAddSorted(s, Float64Array.of(1, 2, 3)); // s.n === 3, s.levels[0] = [1, 2, 3]
 */
export function kllAddSorted(sketch: KllSketch, sorted: ArrayLike<number>): void {
  const n = sorted.length;
  if (n === 0) return;
  const block = kllFromSorted(sorted, 4 * sketch.k);
  sketch.n += n;
  if (sketch.min === null || block.min! < sketch.min) sketch.min = block.min;
  if (sketch.max === null || block.max! > sketch.max) sketch.max = block.max;
  block.levels.forEach((items, h) => {
    while (sketch.levels.length <= h) sketch.levels.push([]);
    const level = sketch.levels[h]!;
    for (const v of items) level.push(v);
  });
  compress(sketch);
}

/**
 * A sketch of values already sorted, made directly rather than by updating it with each value:
 * consecutive blocks of `2^h` values are each represented by their middle one at level `h`, the
 * smallest `h` that leaves fewer than `k` blocks, and the values left over by one item per level
 * below (the binary digits of their count). Total weight is `n`, minimum and maximum are exact,
 * and every rank is within `2^(h-1) ≤ n / k` of the truth, inside the sketch's `2 / k` bound. For
 * profiles that keep every value, where the sketch is only a fallback.
 *
 * @example
 * kllFromSorted(Float64Array.of(1, 2, 3, 4), 200).levels; // [[1, 2, 3, 4]]
 */
export function kllFromSorted(sorted: ArrayLike<number>, k = 200): KllSketch {
  const sketch = createKllSketch(k);
  const n = sorted.length;
  if (n === 0) return sketch;
  let h = 0;
  while (Math.floor(n / 2 ** h) >= k) h++;
  const levels: number[][] = Array.from({ length: h + 1 }, () => []);
  let at = 0;
  for (let level = h; level >= 0; level--) {
    const width = 2 ** level;
    const blocks = level === h ? Math.floor(n / width) : n - at >= width ? 1 : 0;
    for (let b = 0; b < blocks; b++) {
      levels[level]!.push(sorted[at + (width >> 1)]!);
      at += width;
    }
  }
  sketch.n = n;
  sketch.min = sorted[0]!;
  sketch.max = sorted[n - 1]!;
  sketch.levels = levels;
  return sketch;
}

/**
 * A new sketch summarising both inputs' streams (the inputs are not changed). The result has the
 * larger `k` of the two.
 *
 * @example
 * kllMerge(a, b).n === a.n + b.n; // true
 */
export function kllMerge(a: KllSketch, b: KllSketch): KllSketch {
  const height = Math.max(a.levels.length, b.levels.length);
  const levels: number[][] = [];
  for (let h = 0; h < height; h++) levels.push([...(a.levels[h] ?? []), ...(b.levels[h] ?? [])]);
  const merged: KllSketch = {
    k: Math.max(a.k, b.k),
    n: a.n + b.n,
    min: minOf(a.min, b.min),
    max: maxOf(a.max, b.max),
    levels,
    seed: (Math.imul(a.seed, 31) ^ b.seed) >>> 0 || 1,
  };
  compress(merged);
  return merged;
}

/**
 * The sketch's items with their weights, sorted by value and with equal values merged: an
 * approximate empirical distribution whose weights sum to `n`.
 *
 * @example
 * kllWeighted(s); // { values: [1, 2, ...], weights: [1, 2, ...] }
 */
export function kllWeighted(sketch: KllSketch): { values: number[]; weights: number[] } {
  const items: [number, number][] = [];
  sketch.levels.forEach((level, h) => {
    for (const v of level) items.push([v, 2 ** h]);
  });
  items.sort((x, y) => x[0] - y[0]);
  const values: number[] = [];
  const weights: number[] = [];
  for (const [v, w] of items) {
    if (values.length > 0 && values[values.length - 1] === v) weights[weights.length - 1]! += w;
    else {
      values.push(v);
      weights.push(w);
    }
  }
  return { values, weights };
}

/**
 * Estimated number of summarised values `≤ x`. Exact below the minimum (0) and at or above the
 * maximum (`n`).
 *
 * @example
 * kllRank(s, s.max!); // s.n
 */
export function kllRank(sketch: KllSketch, x: number): number {
  if (sketch.n === 0 || sketch.min === null || sketch.max === null) return 0;
  if (x < sketch.min) return 0;
  if (x >= sketch.max) return sketch.n;
  let rank = 0;
  sketch.levels.forEach((level, h) => {
    const w = 2 ** h;
    for (const v of level) if (v <= x) rank += w;
  });
  return rank;
}

/**
 * Estimated `q`-quantile (0 ≤ q ≤ 1): the smallest item whose cumulative weight reaches `q · n`;
 * `q = 0` and `q = 1` give the exact minimum and maximum. `null` for an empty sketch.
 *
 * @example
 * kllQuantile(s, 0.5); // the estimated median
 */
export function kllQuantile(sketch: KllSketch, q: number): number | null {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`kllQuantile: q must lie in [0, 1], got ${q}`);
  if (sketch.n === 0) return null;
  if (q === 0) return sketch.min;
  if (q === 1) return sketch.max;
  const { values, weights } = kllWeighted(sketch);
  const target = q * sketch.n;
  let cumulative = 0;
  for (let i = 0; i < values.length; i++) {
    cumulative += weights[i]!;
    if (cumulative >= target) return values[i]!;
  }
  return sketch.max;
}

/** `capacities.get(k)[d]`: the capacity of a level `d` below the top, computed once per `k`. */
const capacities = new Map<number, number[]>();
let lastK = 0;
let lastTable: number[] = [];

/**
 * Level capacities of a sketch of accuracy `k` and `height` levels, by depth below the top. Every
 * update asks for level 0's: a power per call was most of the sketch's cost.
 */
function capacityTable(k: number, height: number): number[] {
  let table = k === lastK ? lastTable : capacities.get(k);
  if (table === undefined) {
    table = [];
    capacities.set(k, table);
  }
  for (let d = table.length; d < height; d++) table.push(Math.max(8, Math.floor(k * (2 / 3) ** d)));
  lastK = k;
  lastTable = table;
  return table;
}

function capacity(k: number, level: number, height: number): number {
  return capacityTable(k, height)[height - 1 - level]!;
}

function compress(sketch: KllSketch): void {
  for (;;) {
    const height = sketch.levels.length;
    const table = capacityTable(sketch.k, height);
    let size = 0;
    let room = 0;
    for (let h = 0; h < height; h++) {
      size += sketch.levels[h]!.length;
      room += table[height - 1 - h]!;
    }
    if (size < room) return;
    let level = 0;
    while (level < height && sketch.levels[level]!.length < table[height - 1 - level]!) level++;
    if (level === height) return;
    compact(sketch, level);
  }
}

function compact(sketch: KllSketch, level: number): void {
  if (level + 1 === sketch.levels.length) sketch.levels.push([]);
  const items = sortAscending(sketch.levels[level]!);
  // An odd item out stays at this level, so total weight is preserved exactly.
  const keep = items.length % 2 === 1 ? [items.pop()!] : [];
  let s = sketch.seed;
  s ^= s << 13;
  s ^= s >>> 17;
  s ^= s << 5;
  sketch.seed = s >>> 0 || 1;
  const offset = sketch.seed & 1;
  const up = sketch.levels[level + 1]!;
  for (let i = offset; i < items.length; i += 2) up.push(items[i]!);
  sketch.levels[level] = keep;
}

/**
 * `items` sorted ascending in place, as `sort((x, y) => x - y)` sorts them (stable, so equal
 * values keep their order); short levels, nearly all of them, by insertion sort, without the
 * comparator calls.
 */
function sortAscending(items: number[]): number[] {
  if (items.length > 64) return items.sort((x, y) => x - y);
  for (let i = 1; i < items.length; i++) {
    const v = items[i]!;
    let j = i - 1;
    while (j >= 0 && items[j]! > v) {
      items[j + 1] = items[j]!;
      j--;
    }
    items[j + 1] = v;
  }
  return items;
}

function minOf(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}

function maxOf(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}
