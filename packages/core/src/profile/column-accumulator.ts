import { sortFloat64 } from "../stats/sort-float64.js";
import type { Column } from "../table/column.js";
import { addKept } from "./add-kept.js";
import { binIndex, countsFromSketch, quantileEdges, sortedBinCounts } from "./bins.js";
import { createKllSketch, type KllSketch, kllFromSorted, kllUpdate } from "./kll-sketch.js";
import type {
  CategoricalColumnProfile,
  ColumnProfile,
  NumericColumnProfile,
  TimestampColumnProfile,
} from "./profile.js";
import { addBlock, type PresortBlock, passBlock, settleBlock } from "./sketch-blocks.js";
import { capCounts, sortedRecord } from "./top-counts.js";

// One column's running summary inside a profile builder: created on the column's first batch,
// fed row ranges (and missing rows when a batch lacks the column), finished into its profile.

export interface AccumulatorSettings {
  bins: number;
  sketchK: number;
  chunkSketchK: number;
  maxCategories: number;
  maxChunkCategories: number;
  exactValues: number;
  chunks: boolean;
  deferSketch: boolean;
  sketchBlock: number;
  /** Full sketch blocks go by this on their way to the sketch ({@link PresortBlock}). */
  presortBlock?: PresortBlock | undefined;
}

export type Accumulator = NumericAccumulator | CategoricalAccumulator | TimestampAccumulator;

interface NumericAccumulator {
  kind: "number";
  profile: NumericColumnProfile;
  chunks: KllSketch[];
  /** The values so far (the first `profile.count` entries), `null` once over `exactValues`. */
  kept: Float64Array | null;
  /** `finish` handed out `kept` (sorted in place): copy it before writing again. */
  shared: boolean;
  /** Values waiting for the sketch (`sketchBlock`): the first `blocked` entries. */
  block: Float64Array | null;
  blocked: number;
  /** A full block handed to `presortBlock`, not yet in the sketch. */
  waiting: Float64Array | null;
}

interface CategoricalAccumulator {
  kind: "category" | "boolean";
  rows: number;
  nulls: number;
  counts: Map<string, number>;
  other: number;
  chunks: { counts: Map<string, number>; other: number }[];
}

interface TimestampAccumulator {
  kind: "timestamp";
  profile: TimestampColumnProfile;
}

export function createAccumulator(
  kind: Column["kind"],
  rowsBefore: number,
  settings: AccumulatorSettings,
  reference: ColumnProfile | undefined,
): Accumulator {
  if (kind === "number") {
    const edges = reference?.kind === "number" ? [...reference.bins.edges] : null;
    return {
      kind,
      chunks: [],
      kept: settings.exactValues > 0 ? new Float64Array(Math.min(1024, settings.exactValues)) : null,
      shared: false,
      block: settings.sketchBlock > 0 ? new Float64Array(Math.min(1024, settings.sketchBlock)) : null,
      blocked: 0,
      waiting: null,
      profile: emptyNumericProfile(
        rowsBefore,
        createKllSketch(settings.sketchK),
        edges
          ? { edges, counts: new Array(edges.length + 1).fill(0), exact: true }
          : { edges: [], counts: [], exact: false },
      ),
    };
  }
  if (kind === "timestamp") {
    return { kind, profile: { kind, rows: rowsBefore, count: 0, nulls: rowsBefore, min: null, max: null } };
  }
  return { kind, rows: rowsBefore, nulls: rowsBefore, counts: new Map(), other: 0, chunks: [] };
}

/**
 * Adds rows `start..end` of `column` to `acc`; with `subset`, the rows `subset[start..end)`.
 */
export function addRange(
  acc: Accumulator,
  column: Column,
  start: number,
  end: number,
  chunk: number,
  settings: AccumulatorSettings,
  subset?: Uint32Array,
): void {
  if (acc.kind === "number" && column.kind === "number") {
    const p = acc.profile;
    while (settings.chunks && acc.chunks.length <= chunk)
      acc.chunks.push(createKllSketch(settings.chunkSketchK, 1 + acc.chunks.length));
    const chunkSketch = settings.chunks ? acc.chunks[chunk]! : null;
    // While a deferred sketch's values are kept, the exact bins are counted from them, sorted,
    // when the profile is finished (binIndex per value was a fifth of adding a number); values
    // going through a sketch block, from the block once sorted (`sketchBlock`).
    let bins = p.bins.exact && !(settings.deferSketch && acc.kept) && !acc.block ? p.bins : null;
    // While the whole range fits under the limit, room for it is made once and the loop stores
    // each value directly (the same buffer sizes and values as `keep` one by one).
    const direct =
      acc.kept && p.count + (end - start) <= settings.exactValues
        ? reserve(acc, p.count + (end - start), settings.exactValues)
        : null;
    if (direct && !chunkSketch && !bins && settings.deferSketch) {
      addKept(p, column, start, end, subset, direct);
      return;
    }
    let mean = p.mean ?? 0;
    for (let k = start; k < end; k++) {
      const i = subset === undefined ? k : subset[k]!;
      const v = column.values[i]!;
      if (column.nulls[i] === 1 || Number.isNaN(v)) {
        p.nulls += 1;
        continue;
      }
      if (!Number.isFinite(v)) {
        p.infinite += 1;
        continue;
      }
      p.count += 1;
      const delta = v - mean;
      mean += delta / p.count;
      p.m2 += delta * (v - mean);
      if (p.min === null || v < p.min) p.min = v;
      if (p.max === null || v > p.max) p.max = v;
      if (chunkSketch) kllUpdate(chunkSketch, v);
      if (direct) direct[p.count - 1] = v;
      else if (acc.kept) {
        if (acc.shared) {
          acc.kept = acc.kept.slice();
          acc.shared = false;
        }
        const kept = keep(acc.kept, p.count, v, settings.exactValues);
        // Values stop being kept: a deferred sketch, and the bins, take every value so far.
        if (kept === null && settings.deferSketch) {
          for (let j = 0; j < p.count - 1; j++) kllUpdate(p.sketch, acc.kept[j]!);
          if (p.bins.exact) {
            // The values so far go to the sketch directly; from this one on, through the block.
            for (let j = 0; j < p.count - 1; j++) p.bins.counts[binIndex(p.bins.edges, acc.kept[j]!)]! += 1;
            if (!acc.block) bins = p.bins;
          }
        }
        acc.kept = kept;
      }
      if (bins) bins.counts[binIndex(bins.edges, v)]! += 1;
      if (settings.deferSketch && acc.kept) continue;
      if (acc.block) {
        if (acc.blocked === acc.block.length) {
          // The block grows up to its size (small windows stay small), then goes to the sketch.
          if (acc.block.length < settings.sketchBlock) {
            const grown = new Float64Array(Math.min(settings.sketchBlock, 4 * acc.block.length));
            grown.set(acc.block);
            acc.block = grown;
          } else if (settings.presortBlock) {
            passBlock(acc, settings.presortBlock);
            acc.block = new Float64Array(settings.sketchBlock);
          } else {
            addBlock(acc.block, p);
            acc.blocked = 0;
          }
        }
        acc.block[acc.blocked++] = v;
      } else kllUpdate(p.sketch, v);
    }
    if (p.count > 0) p.mean = mean;
    p.rows += end - start;
    return;
  }
  if (acc.kind === "timestamp" && column.kind === "timestamp") {
    const p = acc.profile;
    for (let k = start; k < end; k++) {
      const i = subset === undefined ? k : subset[k]!;
      const v = column.values[i]!;
      if (column.nulls[i] === 1 || Number.isNaN(v)) {
        p.nulls += 1;
        continue;
      }
      p.count += 1;
      if (p.min === null || v < p.min) p.min = v;
      if (p.max === null || v > p.max) p.max = v;
    }
    p.rows += end - start;
    return;
  }
  if (
    (acc.kind === "category" && column.kind === "category") ||
    (acc.kind === "boolean" && column.kind === "boolean")
  ) {
    while (settings.chunks && acc.chunks.length <= chunk) acc.chunks.push({ counts: new Map(), other: 0 });
    const chunkCounts = settings.chunks ? acc.chunks[chunk]! : null;
    for (let k = start; k < end; k++) {
      const i = subset === undefined ? k : subset[k]!;
      if (column.nulls[i] === 1) {
        acc.nulls += 1;
        continue;
      }
      const value =
        column.kind === "boolean" ? (column.values[i] === 1 ? "true" : "false") : column.values[i]!;
      acc.counts.set(value, (acc.counts.get(value) ?? 0) + 1);
      chunkCounts?.counts.set(value, (chunkCounts.counts.get(value) ?? 0) + 1);
    }
    acc.rows += end - start;
    // Keep up to twice the cap while streaming so late heavy hitters are not lost to "other".
    if (acc.counts.size > 2 * settings.maxCategories) {
      const capped = capCounts(acc.counts, acc.other, settings.maxCategories);
      acc.counts = capped.counts;
      acc.other = capped.other;
    }
    if (chunkCounts && chunkCounts.counts.size > 2 * settings.maxChunkCategories) {
      const capped = capCounts(chunkCounts.counts, chunkCounts.other, settings.maxChunkCategories);
      chunkCounts.counts = capped.counts;
      chunkCounts.other = capped.other;
    }
    return;
  }
  throw new Error(`profile accumulator of kind ${acc.kind} fed a ${column.kind} column`);
}

/**
 * The accumulator's kept buffer with room for `count` values (at most `limit`), grown as {@link keep}
 * grows it, and copied first if `finish` handed it out.
 */
function reserve(acc: NumericAccumulator, count: number, limit: number): Float64Array {
  let kept = acc.kept!;
  if (acc.shared) {
    kept = kept.slice();
    acc.shared = false;
  }
  if (count > kept.length) {
    let size = kept.length;
    while (size < count) size = Math.min(limit, Math.ceil(size * 1.5));
    const grown = new Float64Array(size);
    grown.set(kept);
    kept = grown;
  }
  acc.kept = kept;
  return kept;
}

/** Stores `v` as value number `count` (1-based), growing the buffer; `null` once past `limit`. */
function keep(kept: Float64Array, count: number, v: number, limit: number): Float64Array | null {
  if (count > limit) return null;
  let out = kept;
  if (count > kept.length) {
    // Growing by half, not doubling: the unused tail is at most a third of the buffer (kept
    // values are most of a drift check's memory: 6 columns × 9.8M rows on the 10M-row bench).
    out = new Float64Array(Math.min(limit, Math.ceil(kept.length * 1.5)));
    out.set(kept);
  }
  out[count - 1] = v;
  return out;
}

export function addMissing(acc: Accumulator, rows: number): void {
  if (acc.kind === "number" || acc.kind === "timestamp") {
    acc.profile.rows += rows;
    acc.profile.nulls += rows;
  } else {
    acc.rows += rows;
    acc.nulls += rows;
  }
}

export function finishAccumulator(acc: Accumulator, settings: AccumulatorSettings): ColumnProfile {
  if (acc.kind === "timestamp") return { ...acc.profile };
  if (acc.kind === "number") {
    settleBlock(acc);
    const p = structuredClone(acc.profile);
    p.std = p.count > 0 ? Math.sqrt(p.m2 / p.count) : null;
    p.chunks = structuredClone(acc.chunks);
    // The waiting values join the finished profile's sketch and bins, not the accumulator's: a
    // later `add` fills the same block (their order in it does not matter).
    if (acc.block && acc.blocked > 0) addBlock(acc.block.subarray(0, acc.blocked), p);
    // Sorted in place and handed out without a copy (the values are most of a window's memory);
    // a later `add` copies the buffer first, so this profile's values never change.
    if (acc.kept) {
      p.values = sortFloat64(acc.kept.subarray(0, p.count));
      acc.shared = true;
      if (settings.deferSketch) {
        p.sketch = kllFromSorted(p.values, settings.sketchK);
        if (p.bins.exact) p.bins.counts = sortedBinCounts(p.values, p.bins.edges);
      }
    }
    if (!p.bins.exact) {
      const edges = quantileEdges(p.sketch, settings.bins);
      p.bins = { edges, counts: countsFromSketch(p.sketch, edges), exact: false };
    }
    return p;
  }
  const capped = capCounts(new Map(acc.counts), acc.other, settings.maxCategories);
  let count = 0;
  for (const c of acc.counts.values()) count += c;
  const profile: CategoricalColumnProfile = {
    kind: acc.kind,
    rows: acc.rows,
    count: count + acc.other,
    nulls: acc.nulls,
    counts: sortedRecord(capped.counts),
    other: capped.other,
    chunks: acc.chunks.map((c) => {
      const cc = capCounts(new Map(c.counts), c.other, settings.maxChunkCategories);
      return { counts: sortedRecord(cc.counts), other: cc.other };
    }),
  };
  return profile;
}

/**
 * A numeric column's profile before its first value: `rows` rows, all null, with the sketch and
 * bins it will fill.
 *
 * @example
 * emptyNumericProfile(3, createKllSketch(200), { edges: [], counts: [], exact: false }).nulls; // 3
 */
export function emptyNumericProfile(
  rows: number,
  sketch: KllSketch,
  bins: NumericColumnProfile["bins"],
): NumericColumnProfile {
  return {
    kind: "number",
    rows,
    count: 0,
    nulls: rows,
    infinite: 0,
    min: null,
    max: null,
    mean: null,
    m2: 0,
    std: null,
    sketch,
    bins,
    chunks: [],
  };
}
