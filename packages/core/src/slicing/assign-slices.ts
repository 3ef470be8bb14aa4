import type { Column } from "../table/column.js";
import { binIndex, binLabels } from "./bin-label.js";
import { type GroupIds, groupIdArray } from "./group-ids.js";
import { resolveSpec } from "./slice-columns.js";
import { type SliceSpec, specColumns } from "./slice-spec.js";
import { cellText, compareParts } from "./slice-value.js";

/** The key value of the slice that pools the values beyond the cap. */
export const OTHER = "(other)";

/** One slice of the rows under one spec. */
export interface Slice {
  /** Index of its spec in the `specs` given. */
  spec: number;
  /** Column → value, e.g. `{ region: "AE", plan: "postpaid" }` or `{ tenure_months: "[6, 12)" }`. */
  key: Record<string, string>;
  /** Rows in the slice. */
  n: number;
  /** Only on the pooled `(other)` slice: how many distinct values it holds. */
  otherValues?: number;
}

/** Which slice each row is in, for every spec. */
export interface SliceAssignment {
  /** All slices: spec by spec; within a spec by bin order, or by descending size then value. */
  slices: Slice[];
  /** Per spec, row → index into `slices` (in the narrowest type that holds every index). */
  rowSlice: GroupIds[];
}

/** Options of {@link assignSlices}. */
export interface AssignOptions {
  /** Largest values tracked per spec; the rest pool into one `(other)` slice. Default 1,000. */
  maxSlicesPerSpec?: number;
  /** The manifest path, for error messages. */
  file?: string;
  /**
   * Values a column is declared to take (the data contract's `values:`): a one-column spec lists
   * those with no rows as slices of n = 0, so a value that vanished from the data is seen.
   */
  declared?: ReadonlyMap<string, readonly string[]>;
}

/**
 * Puts every row in one slice per spec. Values are text: a category as is, a number via
 * `String`, a boolean as `true`/`false`, a timestamp as ISO 8601; a null cell (or NaN) is
 * `(missing)`, its own slice. Bins label `< e0`, `[a, b)`, `≥ eLast`. A cross keys both columns.
 * Every slice is accounted for: every bin is a slice even with no rows (n = 0; `(missing)` only
 * when some value is missing), and so is every `declared` value of a one-column spec.
 *
 * Bounded: per spec only the `maxSlicesPerSpec` largest values (ties by value) become slices;
 * the others pool into one slice keyed `(other)` that records how many values it holds, so a
 * column with 100,000 distinct values yields at most 1,001 slices. Counting keeps one entry per
 * distinct value of the column (memory ≤ that of the column itself, which is in memory already).
 *
 * @example
 * const region: Column = { kind: "category", values: ["AE", "SA", "AE"], nulls: new Uint8Array(3) };
 * assignSlices(new Map([["region", region]]), 3, ["region"]).slices;
 * // [{ spec: 0, key: { region: "AE" }, n: 2 }, { spec: 0, key: { region: "SA" }, n: 1 }]
 */
export function assignSlices(
  columns: ReadonlyMap<string, Column>,
  rows: number,
  specs: readonly SliceSpec[],
  options: AssignOptions = {},
): SliceAssignment {
  const assigner = sliceAssigner(specs, options);
  assigner.add(columns, rows);
  return assigner.finish();
}

/** {@link assignSlices} batch by batch; see {@link sliceAssigner}. */
export interface SliceAssigner {
  /** Puts the next `rows` rows in their slices; `columns` holds (at least) their slice columns. */
  add(columns: ReadonlyMap<string, Column>, rows: number): void;
  /** The slices and row → slice of every row added, exactly as {@link assignSlices} on them in one piece. */
  finish(): SliceAssignment;
}

/**
 * {@link assignSlices} fed batch by batch, so that a reader's slice columns need never be held
 * whole: each batch's rows keep only a code per spec (one byte while a spec has at most 256
 * values), and the values are ranked and capped once every row is in. Each spec is checked
 * (`resolveSpec`) on every batch.
 *
 * @example
 * const assigner = sliceAssigner(["region"]);
 * for (const batch of batches) assigner.add(batch.columns, batch.length);
 * assigner.finish().slices; // [{ spec: 0, key: { region: "AE" }, n: 2 }, ...]
 */
export function sliceAssigner(specs: readonly SliceSpec[], options: AssignOptions = {}): SliceAssigner {
  const cap = options.maxSlicesPerSpec ?? 1000;
  const states = specs.map(() => ({
    codes: [] as GroupIds[],
    rows: 0,
    values: undefined as ValueCodes | undefined,
    bins: undefined as BinCounts | undefined,
  }));
  return {
    add(columns, rows) {
      specs.forEach((spec, s) => {
        const { cols, bins } = resolveSpec(columns, spec, s, options.file);
        const state = states[s]!;
        if (bins) {
          state.bins ??= {
            name: cols[0]!.name,
            edges: bins,
            counts: new Float64Array(binLabels(bins).length),
          };
          state.codes.push(binCodes(cols[0]!.column, rows, state.bins));
        } else {
          state.values ??= { names: cols.map((c) => c.name), codes: new Map(), parts: [], counts: [] };
          state.codes.push(valueCodes(cols, rows, state.values));
        }
        state.rows += rows;
      });
    },
    finish() {
      const slices: Slice[] = [];
      // Each spec's code → slice index, then every spec's rows mapped in a type that holds them all.
      const indices = specs.map((_, s) => {
        const state = states[s]!;
        const spec = specs[s]!;
        // A spec no batch reached (no rows added) still lists its bins, as with zero rows.
        if (!state.bins && typeof spec === "object" && !Array.isArray(spec)) {
          const edges = (spec as { bins: number[] }).bins;
          state.bins = {
            name: specColumns(spec)[0]!,
            edges,
            counts: new Float64Array(binLabels(edges).length),
          };
        }
        if (state.bins) return binSlices(state.bins, s, slices);
        const values = state.values ?? { names: specColumns(spec), codes: new Map(), parts: [], counts: [] };
        const declared = values.names.length === 1 ? options.declared?.get(values.names[0]!) : undefined;
        return valueSlices(values, cap, s, slices, declared ?? []);
      });
      const rowSlice = states.map((state, s) => {
        const out = groupIdArray(state.rows, slices.length);
        const index = indices[s]!;
        let at = 0;
        // Each batch's codes are dropped once mapped.
        for (let b = 0; b < state.codes.length; b++) {
          const codes = state.codes[b]!;
          state.codes[b] = EMPTY;
          for (let i = 0; i < codes.length; i++) out[at + i] = index[codes[i]!]!;
          at += codes.length;
        }
        state.codes.length = 0;
        return out;
      });
      return { slices, rowSlice };
    },
  };
}

const EMPTY = new Uint8Array(0);

/** A binned spec's edges and rows per bin (the last bin is `(missing)`). */
interface BinCounts {
  name: string;
  edges: readonly number[];
  counts: Float64Array;
}

/** A spec by value: each distinct value's code (first seen first), its texts and its rows. */
interface ValueCodes {
  names: string[];
  codes: Map<string, number>;
  parts: string[][];
  counts: number[];
}

function binCodes(column: Column, rows: number, state: BinCounts): GroupIds {
  const { edges, counts } = state;
  const missing = counts.length - 1;
  const bin = groupIdArray(rows, counts.length);
  for (let i = 0; i < rows; i++) {
    const b = column.nulls[i] ? missing : binIndex((column.values as Float64Array)[i]!, edges);
    bin[i] = b;
    counts[b]! += 1;
  }
  return bin;
}

function binSlices(state: BinCounts, spec: number, slices: Slice[]): Uint32Array {
  const labels = binLabels(state.edges);
  const { counts } = state;
  const index = new Uint32Array(labels.length);
  labels.forEach((label, b) => {
    if (counts[b] === 0 && b === labels.length - 1) return;
    index[b] = slices.length;
    slices.push({ spec, key: { [state.name]: label }, n: counts[b]! });
  });
  return index;
}

function valueCodes(cols: { name: string; column: Column }[], rows: number, state: ValueCodes): GroupIds {
  const { codes, parts, counts } = state;
  const code = new Uint32Array(rows);
  // One column (most specs): its text is the key, without an array and a join per row.
  const single = cols.length === 1 ? cols[0]!.column : undefined;
  for (let i = 0; i < rows; i++) {
    const values = single ? undefined : cols.map(({ column }) => cellText(column, i));
    const joined = single ? cellText(single, i) : values!.join("\u0000");
    let c = codes.get(joined);
    if (c === undefined) {
      c = parts.length;
      codes.set(joined, c);
      parts.push(values ?? [joined]);
      counts.push(0);
    }
    counts[c]! += 1;
    code[i] = c;
  }
  // Kept in the narrowest type that holds this spec's codes so far.
  const narrow = groupIdArray(rows, parts.length);
  narrow.set(code);
  return narrow;
}

function valueSlices(
  state: ValueCodes,
  cap: number,
  spec: number,
  slices: Slice[],
  declared: readonly string[],
): Uint32Array {
  const { codes, parts, counts, names } = state;
  const ranked = [...counts.keys()].sort(
    (a, b) => counts[b]! - counts[a]! || compareParts(parts[a]!, parts[b]!),
  );
  const index = new Uint32Array(parts.length);
  const keyOf = (values: string[]) => Object.fromEntries(names.map((name, j) => [name, values[j]!]));
  for (const c of ranked.slice(0, cap)) {
    index[c] = slices.length;
    slices.push({ spec, key: keyOf(parts[c]!), n: counts[c]! });
  }
  if (ranked.length > cap) {
    const pooled = ranked.slice(cap);
    const other = slices.length;
    slices.push({
      spec,
      key: keyOf(names.map(() => OTHER)),
      n: pooled.reduce((sum, c) => sum + counts[c]!, 0),
      otherValues: pooled.length,
    });
    for (const c of pooled) index[c] = other;
  }
  for (const value of declared) {
    if (!codes.has(value)) slices.push({ spec, key: keyOf([value]), n: 0 });
  }
  return index;
}
