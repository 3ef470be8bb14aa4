import { UserError } from "../errors/user-error.js";
import { countsFromSketch, quantileEdges } from "./bins.js";
import { emptyNumericProfile } from "./column-accumulator.js";
import { pairwise } from "./create-profile-builder.js";
import { kllMerge } from "./kll-sketch.js";
import {
  type CategoricalColumnProfile,
  type ColumnProfile,
  type NumericColumnProfile,
  PROFILE_SCHEMA,
  type Profile,
} from "./profile.js";
import { mergeCounts, sortedRecord } from "./top-counts.js";

/** Limits applied while merging, as in `createProfileBuilder`. */
export interface MergeProfilesOptions {
  /** Distinct values kept per categorical column (default 1,000). */
  maxCategories?: number;
  /** Distinct values kept per categorical chunk (default 100). */
  maxChunkCategories?: number;
  /** Most chunks kept (default 16): neighbouring chunks are merged pairwise beyond it. */
  maxChunks?: number;
}

/**
 * The profile of two tables stacked (`a`'s rows, then `b`'s): for sharded runs and for profiles
 * built from several files. Counts, nulls, min, max and kept values (when both kept them) are exact; mean and standard deviation use
 * Chan's parallel update (equal to the single-pass values up to rounding); sketches merge within
 * their rank error; bins add up exactly when both profiles share edges, and are otherwise re-cut
 * from the merged sketch (`bins.exact: false`). Chunks are concatenated. A column missing from one
 * profile counts as null for that profile's rows.
 *
 * Throws a {@link UserError} when a column has different kinds in the two profiles.
 *
 * https://en.wikipedia.org/wiki/Algorithms_for_calculating_variance#Parallel_algorithm
 *
 * @example
 * mergeProfiles(profileOfJanuary, profileOfFebruary).rows; // january.rows + february.rows
 */
export function mergeProfiles(a: Profile, b: Profile, options: MergeProfilesOptions = {}): Profile {
  const maxCategories = options.maxCategories ?? 1000;
  const maxChunkCategories = options.maxChunkCategories ?? 100;
  const maxChunks = options.maxChunks ?? 16;
  const out: Profile = {
    schema: PROFILE_SCHEMA,
    rows: a.rows + b.rows,
    chunkRows: Math.max(a.chunkRows, b.chunkRows),
    columns: {},
  };
  const model = a.model ?? b.model;
  if (model) out.model = { ...model };
  let halvings = 0;
  const names = [...new Set([...Object.keys(a.columns), ...Object.keys(b.columns)])];
  for (const name of names) {
    const left = a.columns[name] ?? absent(b.columns[name]!, a.rows);
    const right = b.columns[name] ?? absent(a.columns[name]!, b.rows);
    if (left.kind !== right.kind) {
      throw new UserError(`column is ${left.kind} in one profile and ${right.kind} in the other`, {
        field: name,
        fix: "profile both tables with the same column types",
      });
    }
    const merged = mergeColumn(left, right, maxCategories);
    if (merged.kind !== "timestamp") {
      let h = 0;
      while (merged.chunks.length > maxChunks) {
        if (merged.kind === "number") merged.chunks = pairwise(merged.chunks, kllMerge);
        else {
          merged.chunks = pairwise(merged.chunks, (x, y) => mergeCountTables(x, y, maxChunkCategories));
        }
        h += 1;
      }
      halvings = Math.max(halvings, h);
    }
    out.columns[name] = merged;
  }
  out.chunkRows *= 2 ** halvings;
  return out;
}

/** An all-null column of `rows` rows with the kind of `like`. */
function absent(like: ColumnProfile, rows: number): ColumnProfile {
  if (like.kind === "number") {
    return {
      ...emptyNumericProfile(
        rows,
        { ...like.sketch, n: 0, min: null, max: null, levels: [[]] },
        { edges: [...like.bins.edges], counts: like.bins.counts.map(() => 0), exact: like.bins.exact },
      ),
      ...(like.values ? { values: new Float64Array(0) } : {}),
    };
  }
  if (like.kind === "timestamp")
    return { kind: "timestamp", rows, count: 0, nulls: rows, min: null, max: null };
  return { kind: like.kind, rows, count: 0, nulls: rows, counts: {}, other: 0, chunks: [] };
}

function mergeColumn(a: ColumnProfile, b: ColumnProfile, maxCategories: number): ColumnProfile {
  if (a.kind === "number" && b.kind === "number") return mergeNumeric(a, b);
  if (a.kind === "timestamp" && b.kind === "timestamp") {
    return {
      kind: "timestamp",
      rows: a.rows + b.rows,
      count: a.count + b.count,
      nulls: a.nulls + b.nulls,
      min: pick(a.min, b.min, Math.min),
      max: pick(a.max, b.max, Math.max),
    };
  }
  if ((a.kind === "category" || a.kind === "boolean") && (b.kind === "category" || b.kind === "boolean")) {
    const merged = mergeCountTables(a, b, maxCategories);
    const out: CategoricalColumnProfile = {
      kind: a.kind,
      rows: a.rows + b.rows,
      count: a.count + b.count,
      nulls: a.nulls + b.nulls,
      counts: merged.counts,
      other: merged.other,
      chunks: [...a.chunks, ...b.chunks].map((c) => ({ counts: { ...c.counts }, other: c.other })),
    };
    return out;
  }
  throw new Error(`cannot merge ${a.kind} with ${b.kind}`);
}

function mergeNumeric(a: NumericColumnProfile, b: NumericColumnProfile): NumericColumnProfile {
  const count = a.count + b.count;
  let mean: number | null = null;
  let m2 = 0;
  if (a.count === 0) {
    mean = b.mean;
    m2 = b.m2;
  } else if (b.count === 0) {
    mean = a.mean;
    m2 = a.m2;
  } else {
    const delta = b.mean! - a.mean!;
    mean = a.mean! + (delta * b.count) / count;
    m2 = a.m2 + b.m2 + (delta * delta * a.count * b.count) / count;
  }
  const sketch = kllMerge(a.sketch, b.sketch);
  const sameEdges =
    a.bins.edges.length === b.bins.edges.length && a.bins.edges.every((e, i) => e === b.bins.edges[i]);
  let bins: NumericColumnProfile["bins"];
  if (sameEdges) {
    bins = {
      edges: [...a.bins.edges],
      counts: a.bins.counts.map((c, i) => c + b.bins.counts[i]!),
      exact: a.bins.exact && b.bins.exact,
    };
  } else {
    const edges = quantileEdges(sketch, Math.max(a.bins.edges.length, b.bins.edges.length) + 1);
    bins = { edges, counts: countsFromSketch(sketch, edges), exact: false };
  }
  const values = mergeSorted(a, b);
  return {
    kind: "number",
    rows: a.rows + b.rows,
    count,
    nulls: a.nulls + b.nulls,
    infinite: a.infinite + b.infinite,
    min: pick(a.min, b.min, Math.min),
    max: pick(a.max, b.max, Math.max),
    mean,
    m2,
    std: count > 0 ? Math.sqrt(m2 / count) : null,
    sketch,
    bins,
    chunks: [...a.chunks, ...b.chunks].map((s) => structuredClone(s)),
    ...(values ? { values } : {}),
  };
}

/** Both columns' values in one ascending array, when both kept them (or one has none). */
function mergeSorted(a: NumericColumnProfile, b: NumericColumnProfile): Float64Array | undefined {
  if (a.count === 0 && b.values) return b.values;
  if (b.count === 0 && a.values) return a.values;
  if (!a.values || !b.values) return undefined;
  return mergeAscending(a.values, b.values);
}

/**
 * Any number of ascending arrays as one ascending array, in one pass that writes only the result
 * (a binary heap of the arrays' heads): merging a drift check's windows into its whole period
 * holds no intermediate arrays. One array is returned as it is.
 *
 * @example
 * mergeAscendingAll([Float64Array.of(1, 5), Float64Array.of(2), Float64Array.of(0, 3)]); // Float64Array [0, 1, 2, 3, 5]
 */
export function mergeAscendingAll(parts: readonly Float64Array[]): Float64Array {
  const runs = parts.filter((p) => p.length > 0);
  if (runs.length === 0) return new Float64Array(0);
  if (runs.length === 1) return runs[0]!;
  if (runs.length === 2) return mergeAscending(runs[0]!, runs[1]!);
  const out = new Float64Array(runs.reduce((n, p) => n + p.length, 0));
  // heap[i]: index of a run; heads[r]: its next value, at position at[r]. Ordered by head value,
  // then run index, so equal values come out in the order of their runs (as mergeAscending takes
  // x's first). Typed arrays and the sifted run held aside: half the time of swapping per level.
  const k = runs.length;
  const heads = new Float64Array(k);
  const at = new Uint32Array(k);
  const heap = new Int32Array(k);
  for (let r = 0; r < k; r++) {
    heads[r] = runs[r]![0]!;
    heap[r] = r;
  }
  const sift = (from: number, size: number): void => {
    let i = from;
    const run = heap[i]!;
    const head = heads[run]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= size) break;
      let c = l;
      let rc = heap[l]!;
      let vc = heads[rc]!;
      if (l + 1 < size) {
        const r2 = heap[l + 1]!;
        const v2 = heads[r2]!;
        if (v2 < vc || (v2 === vc && r2 < rc)) {
          c = l + 1;
          rc = r2;
          vc = v2;
        }
      }
      if (!(vc < head || (vc === head && rc < run))) break;
      heap[i] = rc;
      i = c;
    }
    heap[i] = run;
  };
  let size = k;
  for (let i = (size >> 1) - 1; i >= 0; i--) sift(i, size);
  for (let o = 0; o < out.length; o++) {
    const r = heap[0]!;
    out[o] = heads[r]!;
    const next = ++at[r]!;
    const run = runs[r]!;
    if (next < run.length) heads[r] = run[next]!;
    else heap[0] = heap[--size]!;
    if (size > 0) sift(0, size);
  }
  return out;
}

/**
 * Two ascending arrays as one ascending array, in one pass.
 *
 * @example
 * mergeAscending(Float64Array.of(1, 4), Float64Array.of(2, 3)); // Float64Array [1, 2, 3, 4]
 */
export function mergeAscending(x: Float64Array, y: Float64Array): Float64Array {
  const out = new Float64Array(x.length + y.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < x.length && j < y.length) out[k++] = x[i]! <= y[j]! ? x[i++]! : y[j++]!;
  while (i < x.length) out[k++] = x[i++]!;
  while (j < y.length) out[k++] = y[j++]!;
  return out;
}

function mergeCountTables(
  a: { counts: Record<string, number>; other: number },
  b: { counts: Record<string, number>; other: number },
  cap: number,
): { counts: Record<string, number>; other: number } {
  const table = (t: { counts: Record<string, number>; other: number }) => ({
    counts: new Map(Object.entries(t.counts)),
    other: t.other,
  });
  const merged = mergeCounts(table(a), table(b), cap);
  return { counts: sortedRecord(merged.counts), other: merged.other };
}

function pick(a: number | null, b: number | null, f: (x: number, y: number) => number): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return f(a, b);
}
