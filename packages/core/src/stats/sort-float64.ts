import { fromSortableBits, toSortableBits } from "./sortable-bits.js";

/** Below this many values the built-in sort is as fast. */
const RADIX_MIN = 16_384;

/**
 * Below this many values the passes take 11-, 11- and 10-bit digits of each 32-bit half (six
 * passes of at most 2,048 counters, all counted in one read of the values) instead of 16-bit ones
 * (four passes of 65,536 counters each, cleared and summed every pass: on the 16,384-value blocks
 * of a segment window's sketch, most of the sort's time).
 */
const NARROW_BELOW = 32_768;

/**
 * Sorts `values` ascending in place and returns it: the order `Float64Array.prototype.sort` gives
 * (numeric, −0 before +0, NaN last), bit for bit, in about half its time on large arrays. An LSD
 * radix sort on the values' bit patterns, mapped by `toSortableBits` so that unsigned order is
 * numeric order: four 16-bit passes (six of 11, 11 and 10 bits below 32,768 values), each skipped
 * when every value shares its digit (integers stored as doubles need half of them). Arrays with a
 * NaN, or shorter than 16,384 values, take the built-in sort. Needs a scratch copy of the array:
 * `scratch` when it has room (2 words per value; a caller sorting many arrays reuses one), else a
 * new one.
 * An array already in this order is returned after one read (a drift check's window values may
 * have been sorted in another thread before its profile sorts them).
 *
 * https://en.wikipedia.org/wiki/Radix_sort
 *
 * @example
 * sortFloat64(Float64Array.of(2.5, -1, 0, -0)); // Float64Array [-1, -0, 0, 2.5]
 */
export function sortFloat64(values: Float64Array, scratch?: Uint32Array): Float64Array {
  const n = values.length;
  if (n < RADIX_MIN) return values.sort();
  if (inOrder(values)) return values;
  for (let i = 0; i < n; i++) if (Number.isNaN(values[i]!)) return values.sort();
  // Little-endian words: [2i] is the low half of value i, [2i + 1] the high half with the sign.
  const words = toSortableBits(new Uint32Array(values.buffer, values.byteOffset, 2 * n), n);
  if (n < NARROW_BELOW) {
    narrowPasses(words, n);
    fromSortableBits(words, n);
    return values;
  }
  let from: Uint32Array = words;
  let to: Uint32Array =
    scratch && scratch.length >= 2 * n ? scratch.subarray(0, 2 * n) : new Uint32Array(2 * n);
  const counts = new Uint32Array(65_536);
  for (let pass = 0; pass < 4; pass++) {
    const word = pass >> 1;
    const shift = (pass & 1) * 16;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(from[2 * i + word]! >>> shift) & 0xffff]! += 1;
    let at = 0;
    let shared = false;
    for (let d = 0; d < 65_536; d++) {
      const c = counts[d]!;
      if (c === n) shared = true;
      counts[d] = at;
      at += c;
    }
    if (shared) continue;
    scatter(from, to, n, { word, shift, mask: 0xffff, base: 0 }, counts);
    [from, to] = [to, from];
  }
  if (from !== words) words.set(from);
  fromSortableBits(words, n);
  return values;
}

/** Whether `values` holds no NaN and is ascending with −0 before +0: sorting would change nothing. */
function inOrder(values: Float64Array): boolean {
  for (let i = 1; i < values.length; i++) {
    const a = values[i - 1]!;
    const b = values[i]!;
    // Equal zeros are in order unless +0 comes before −0 (1 / ±0 is ±Infinity); NaN fails both.
    if (!(a < b) && !(a === b && (a !== 0 || 1 / a <= 1 / b))) return false;
  }
  return true;
}

/** The LSD passes on 11/11/10-bit digits, every digit's counts taken in one read first. */
function narrowPasses(words: Uint32Array, n: number): void {
  const counts = new Uint32Array(6 * 2048);
  for (let i = 0; i < n; i++) {
    const lo = words[2 * i]!;
    const hi = words[2 * i + 1]!;
    counts[lo & 0x7ff]! += 1;
    counts[2048 + ((lo >>> 11) & 0x7ff)]! += 1;
    counts[4096 + (lo >>> 22)]! += 1;
    counts[6144 + (hi & 0x7ff)]! += 1;
    counts[8192 + ((hi >>> 11) & 0x7ff)]! += 1;
    counts[10240 + (hi >>> 22)]! += 1;
  }
  let from: Uint32Array = words;
  let to: Uint32Array = new Uint32Array(2 * n);
  for (let pass = 0; pass < 6; pass++) {
    const word = pass < 3 ? 0 : 1;
    const shift = (pass % 3) * 11;
    const mask = pass % 3 === 2 ? 0x3ff : 0x7ff;
    const base = pass * 2048;
    let at = 0;
    let shared = false;
    for (let d = 0; d <= mask; d++) {
      const c = counts[base + d]!;
      if (c === n) {
        shared = true; // every value shares this digit
        break;
      }
      counts[base + d] = at;
      at += c;
    }
    if (shared) continue;
    scatter(from, to, n, { word, shift, mask, base }, counts);
    [from, to] = [to, from];
  }
  if (from !== words) words.set(from);
}

/**
 * One LSD pass: the value pairs of `from` into `to` by their digit (`word` half, `shift`, `mask`),
 * `counts[base + digit]` holding where each digit's run starts (advanced as it fills).
 */
function scatter(
  from: Uint32Array,
  to: Uint32Array,
  n: number,
  digit: { word: number; shift: number; mask: number; base: number },
  counts: Uint32Array,
): void {
  const { word, shift, mask, base } = digit;
  for (let i = 0; i < n; i++) {
    const lo = from[2 * i]!;
    const hi = from[2 * i + 1]!;
    const d = base + (((word === 0 ? lo : hi) >>> shift) & mask);
    const k = counts[d]!;
    counts[d] = k + 1;
    to[2 * k] = lo;
    to[2 * k + 1] = hi;
  }
}
