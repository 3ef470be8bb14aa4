import { UserError } from "../errors/user-error.js";
import { sortFloat64 } from "../stats/sort-float64.js";
import type { Batch, Column } from "../table/column.js";
import { binIndex, countsFromSketch, quantileEdges } from "./bins.js";
import {
  createKllSketch,
  type KllSketch,
  kllAddSorted,
  kllFromSorted,
  kllMerge,
  kllUpdate,
} from "./kll-sketch.js";
import {
  type CategoricalColumnProfile,
  type ColumnProfile,
  type NumericColumnProfile,
  PROFILE_SCHEMA,
  type Profile,
  type TimestampColumnProfile,
} from "./profile.js";
import { capCounts } from "./top-counts.js";

/** How a {@link ProfileBuilder} summarises; every field has a default. */
export interface ProfileBuilderOptions {
  model?: { name: string; version: string };
  /** Equal-frequency bins per numeric column (default 10). */
  bins?: number;
  /** Accuracy of the column quantile sketches (default 200: rank error below 1% of the rows). */
  sketchK?: number;
  /** Accuracy of the per-chunk sketches (default 64). */
  chunkSketchK?: number;
  /** Distinct values kept per categorical column (default 1,000); the rest are counted as other. */
  maxCategories?: number;
  /** Distinct values kept per categorical column and chunk (default 100). */
  maxChunkCategories?: number;
  /** Rows per chunk to start with (default 10,000); doubles whenever `maxChunks` would be exceeded. */
  chunkRows?: number;
  /** Most chunks kept (default 16). */
  maxChunks?: number;
  /**
   * A reference profile whose numeric bin edges are used, so every value is counted into its bin
   * exactly (`bins.exact: true`). Give it when profiling current data, and when profiling a
   * reference in a second pass over its file; without it the bins come from the sketch.
   */
  reference?: Profile;
  /**
   * Keep every value of a numeric column, up to this many per column (default 0: none), so drift
   * statistics can be computed exactly (`NumericColumnProfile.values`). A column with more
   * values keeps only its sketch.
   */
  exactValues?: number;
  /**
   * Keep per-chunk summaries (default true). The drift monitor's windows strip them, so it
   * builds them without and saves their cost (a second sketch update per value).
   */
  chunks?: boolean;
  /**
   * With `exactValues`: while a column keeps every value, its sketch is not updated value by
   * value but made from the sorted values when the profile is finished ({@link kllFromSorted});
   * when the column stops keeping values, the sketch takes every value so far and goes on as
   * usual. For profiles whose statistics come from the values (the drift monitor's windows),
   * where the sketch is only the fallback; it saves most of the cost of adding a number.
   */
  deferSketch?: boolean;
  /**
   * Values reach a numeric column's sketch in sorted blocks of this many ({@link kllAddSorted}),
   * not one by one (default 0: one by one). A different sketch of the same values, within the
   * same `2 / k` rank error; most of the cost of adding a number to a profile that keeps no
   * values (the drift check's segment windows). Per-chunk sketches are still updated per value.
   */
  sketchBlock?: number;
}

/** Streams batches into a {@link Profile}. Memory is bounded by columns × (sketch + capped counts). */
export interface ProfileBuilder {
  /** Add a batch of rows. A column whose kind differs from earlier batches is a {@link UserError}. */
  add(batch: Batch): void;
  /** The profile of every row added so far. The builder may keep being used afterwards. */
  finish(): Profile;
}

interface Settings {
  bins: number;
  sketchK: number;
  chunkSketchK: number;
  maxCategories: number;
  maxChunkCategories: number;
  exactValues: number;
  chunks: boolean;
  deferSketch: boolean;
  sketchBlock: number;
}

type Accumulator = NumericAccumulator | CategoricalAccumulator | TimestampAccumulator;

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

/**
 * Start a streaming profile of a table: `add` batches as a reader yields them, then `finish`.
 * Numbers get exact count/min/max/mean/std, a KLL sketch, per-chunk sketches and a histogram;
 * categories and booleans get capped value counts; timestamps their range. Pure: no clock, no I/O.
 *
 * https://en.wikipedia.org/wiki/Data_profiling
 *
 * @example
 * const builder = createProfileBuilder({ model: { name: "churn", version: "1.3.0" } });
 * for await (const batch of readBatches("data/eval.csv")) builder.add(batch);
 * const profile = builder.finish(); // { schema: "gauntlet/profile@1", rows: 5000, columns: { age: { kind: "number", ... } } }
 */
export function createProfileBuilder(options: ProfileBuilderOptions = {}): ProfileBuilder {
  const settings: Settings = {
    bins: options.bins ?? 10,
    sketchK: options.sketchK ?? 200,
    chunkSketchK: options.chunkSketchK ?? 64,
    maxCategories: options.maxCategories ?? 1000,
    maxChunkCategories: options.maxChunkCategories ?? 100,
    exactValues: options.exactValues ?? 0,
    chunks: options.chunks ?? true,
    deferSketch: options.deferSketch ?? false,
    sketchBlock: options.sketchBlock ?? 0,
  };
  const maxChunks = options.maxChunks ?? 16;
  let chunkRows = options.chunkRows ?? 10_000;
  if (!(settings.bins >= 2 && Number.isInteger(settings.bins)))
    throw new RangeError("bins must be an integer >= 2");
  if (!(maxChunks >= 2 && chunkRows >= 1)) throw new RangeError("maxChunks must be >= 2 and chunkRows >= 1");
  const columns = new Map<string, Accumulator>();
  let rows = 0;

  const halveChunks = (): void => {
    for (const acc of columns.values()) {
      if (acc.kind === "number") acc.chunks = pairwise(acc.chunks, kllMerge);
      else if (acc.kind !== "timestamp") {
        acc.chunks = pairwise(acc.chunks, (a, b) => mergeCounts(a, b, settings.maxChunkCategories));
      }
    }
    chunkRows *= 2;
  };

  return {
    add(batch: Batch): void {
      while (batch.length > 0 && Math.floor((rows + batch.length - 1) / chunkRows) >= maxChunks)
        halveChunks();
      for (const [name, column] of batch.columns) {
        let acc = columns.get(name);
        if (!acc) {
          acc = createAccumulator(column.kind, rows, settings, options.reference?.columns[name]);
          columns.set(name, acc);
        } else if (acc.kind !== column.kind) {
          throw new UserError(`column is ${column.kind} here but ${acc.kind} in earlier rows`, {
            file: batch.source,
            field: name,
            fix: "give the column one type in every file (declare it in the manifest's data.columns)",
          });
        }
        // Feed the batch in segments that do not straddle a chunk boundary.
        let start = 0;
        while (start < batch.length) {
          const chunk = Math.floor((rows + start) / chunkRows);
          const end = Math.min(batch.length, (chunk + 1) * chunkRows - rows);
          addRange(acc, column, start, end, chunk, settings);
          start = end;
        }
      }
      for (const [name, acc] of columns) {
        if (!batch.columns.has(name)) addMissing(acc, batch.length);
      }
      rows += batch.length;
    },
    finish(): Profile {
      const out: Profile = { schema: PROFILE_SCHEMA, rows, chunkRows, columns: {} };
      if (options.model) out.model = { ...options.model };
      for (const [name, acc] of columns) out.columns[name] = finishAccumulator(acc, settings);
      return out;
    },
  };
}

function createAccumulator(
  kind: Column["kind"],
  rowsBefore: number,
  settings: Settings,
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
      profile: {
        kind,
        rows: rowsBefore,
        count: 0,
        nulls: rowsBefore,
        infinite: 0,
        min: null,
        max: null,
        mean: null,
        m2: 0,
        std: null,
        sketch: createKllSketch(settings.sketchK),
        bins: edges
          ? { edges, counts: new Array(edges.length + 1).fill(0), exact: true }
          : { edges: [], counts: [], exact: false },
        chunks: [],
      },
    };
  }
  if (kind === "timestamp") {
    return { kind, profile: { kind, rows: rowsBefore, count: 0, nulls: rowsBefore, min: null, max: null } };
  }
  return { kind, rows: rowsBefore, nulls: rowsBefore, counts: new Map(), other: 0, chunks: [] };
}

function addRange(
  acc: Accumulator,
  column: Column,
  start: number,
  end: number,
  chunk: number,
  settings: Settings,
): void {
  if (acc.kind === "number" && column.kind === "number") {
    const p = acc.profile;
    while (settings.chunks && acc.chunks.length <= chunk)
      acc.chunks.push(createKllSketch(settings.chunkSketchK, 1 + acc.chunks.length));
    const chunkSketch = settings.chunks ? acc.chunks[chunk]! : null;
    const bins = p.bins.exact ? p.bins : null;
    // While the whole range fits under the limit, room for it is made once and the loop stores
    // each value directly (the same buffer sizes and values as `keep` one by one).
    const direct =
      acc.kept && p.count + (end - start) <= settings.exactValues
        ? reserve(acc, p.count + (end - start), settings.exactValues)
        : null;
    let mean = p.mean ?? 0;
    for (let i = start; i < end; i++) {
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
      if (bins) bins.counts[binIndex(bins.edges, v)]! += 1;
      if (direct) direct[p.count - 1] = v;
      else if (acc.kept) {
        if (acc.shared) {
          acc.kept = acc.kept.slice();
          acc.shared = false;
        }
        const kept = keep(acc.kept, p.count, v, settings.exactValues);
        // Values stop being kept: a deferred sketch takes every value so far.
        if (kept === null && settings.deferSketch)
          for (let j = 0; j < p.count - 1; j++) kllUpdate(p.sketch, acc.kept[j]!);
        acc.kept = kept;
      }
      if (settings.deferSketch && acc.kept) continue;
      if (acc.block) {
        if (acc.blocked === acc.block.length) {
          // The block grows up to its size (small windows stay small), then goes to the sketch.
          if (acc.block.length < settings.sketchBlock) {
            const grown = new Float64Array(Math.min(settings.sketchBlock, 4 * acc.block.length));
            grown.set(acc.block);
            acc.block = grown;
          } else sketchBlock(acc, p.sketch);
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
    for (let i = start; i < end; i++) {
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
    for (let i = start; i < end; i++) {
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

/** The values waiting in `acc.block` go to `sketch`, sorted. */
function sketchBlock(acc: NumericAccumulator, sketch: KllSketch): void {
  kllAddSorted(sketch, sortFloat64(acc.block!.subarray(0, acc.blocked)));
  acc.blocked = 0;
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

function addMissing(acc: Accumulator, rows: number): void {
  if (acc.kind === "number" || acc.kind === "timestamp") {
    acc.profile.rows += rows;
    acc.profile.nulls += rows;
  } else {
    acc.rows += rows;
    acc.nulls += rows;
  }
}

function finishAccumulator(acc: Accumulator, settings: Settings): ColumnProfile {
  if (acc.kind === "timestamp") return { ...acc.profile };
  if (acc.kind === "number") {
    const p = structuredClone(acc.profile);
    p.std = p.count > 0 ? Math.sqrt(p.m2 / p.count) : null;
    p.chunks = structuredClone(acc.chunks);
    // The waiting values join the finished profile's sketch, not the accumulator's: a later `add`
    // fills the same block (their order in it does not matter).
    if (acc.block && acc.blocked > 0) {
      kllAddSorted(p.sketch, sortFloat64(acc.block.subarray(0, acc.blocked)));
    }
    // Sorted in place and handed out without a copy (the values are most of a window's memory);
    // a later `add` copies the buffer first, so this profile's values never change.
    if (acc.kept) {
      p.values = sortFloat64(acc.kept.subarray(0, p.count));
      acc.shared = true;
      if (settings.deferSketch) p.sketch = kllFromSorted(p.values, settings.sketchK);
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

/** Counts as a plain object, most frequent first (ties by value) so the JSON reads well and is stable. */
export function sortedRecord(counts: Map<string, number>): Record<string, number> {
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: Record<string, number> = Object.create(null);
  for (const [k, v] of sorted) out[k] = v;
  return out;
}

function mergeCounts(
  a: { counts: Map<string, number>; other: number },
  b: { counts: Map<string, number>; other: number },
  cap: number,
): { counts: Map<string, number>; other: number } {
  const counts = new Map(a.counts);
  for (const [k, v] of b.counts) counts.set(k, (counts.get(k) ?? 0) + v);
  return capCounts(counts, a.other + b.other, cap);
}

/** Merge neighbours pairwise: [a, b, c, d, e] → [a+b, c+d, e]. */
export function pairwise<T>(items: T[], merge: (a: T, b: T) => T): T[] {
  const out: T[] = [];
  for (let i = 0; i < items.length; i += 2)
    out.push(i + 1 < items.length ? merge(items[i]!, items[i + 1]!) : items[i]!);
  return out;
}
