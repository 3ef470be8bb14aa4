import type { Column } from "../table/column.js";
import { binIndex, binLabels } from "./bin-label.js";
import { resolveSpec } from "./slice-columns.js";
import type { SliceSpec } from "./slice-spec.js";
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
  /** Per spec, row → index into `slices`. */
  rowSlice: Uint32Array[];
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
  const cap = options.maxSlicesPerSpec ?? 1000;
  const slices: Slice[] = [];
  const rowSlice = specs.map((spec, s) => {
    const { cols, bins } = resolveSpec(columns, spec, s, options.file);
    if (bins) return assignBins(cols[0]!.name, cols[0]!.column, rows, bins, s, slices);
    const declared = cols.length === 1 ? options.declared?.get(cols[0]!.name) : undefined;
    return assignValues(cols, rows, cap, s, slices, declared ?? []);
  });
  return { slices, rowSlice };
}

function assignBins(
  name: string,
  column: Column,
  rows: number,
  edges: readonly number[],
  spec: number,
  slices: Slice[],
): Uint32Array {
  const labels = binLabels(edges);
  const bin = new Uint32Array(rows);
  const counts = new Float64Array(labels.length);
  for (let i = 0; i < rows; i++) {
    const b = column.nulls[i] ? labels.length - 1 : binIndex((column.values as Float64Array)[i]!, edges);
    bin[i] = b;
    counts[b]! += 1;
  }
  const index = new Uint32Array(labels.length);
  labels.forEach((label, b) => {
    if (counts[b] === 0 && b === labels.length - 1) return;
    index[b] = slices.length;
    slices.push({ spec, key: { [name]: label }, n: counts[b]! });
  });
  for (let i = 0; i < rows; i++) bin[i] = index[bin[i]!]!;
  return bin;
}

function assignValues(
  cols: { name: string; column: Column }[],
  rows: number,
  cap: number,
  spec: number,
  slices: Slice[],
  declared: readonly string[],
): Uint32Array {
  const codes = new Map<string, number>();
  const parts: string[][] = [];
  const counts: number[] = [];
  const code = new Uint32Array(rows);
  for (let i = 0; i < rows; i++) {
    const values = cols.map(({ column }) => cellText(column, i));
    const joined = values.join("\u0000");
    let c = codes.get(joined);
    if (c === undefined) {
      c = parts.length;
      codes.set(joined, c);
      parts.push(values);
      counts.push(0);
    }
    counts[c]! += 1;
    code[i] = c;
  }
  const ranked = [...counts.keys()].sort(
    (a, b) => counts[b]! - counts[a]! || compareParts(parts[a]!, parts[b]!),
  );
  const index = new Uint32Array(parts.length);
  const keyOf = (values: string[]) => Object.fromEntries(cols.map(({ name }, j) => [name, values[j]!]));
  for (const c of ranked.slice(0, cap)) {
    index[c] = slices.length;
    slices.push({ spec, key: keyOf(parts[c]!), n: counts[c]! });
  }
  if (ranked.length > cap) {
    const pooled = ranked.slice(cap);
    const other = slices.length;
    slices.push({
      spec,
      key: keyOf(cols.map(() => OTHER)),
      n: pooled.reduce((sum, c) => sum + counts[c]!, 0),
      otherValues: pooled.length,
    });
    for (const c of pooled) index[c] = other;
  }
  for (const value of declared) {
    if (!codes.has(value)) slices.push({ spec, key: keyOf([value]), n: 0 });
  }
  for (let i = 0; i < rows; i++) code[i] = index[code[i]!]!;
  return code;
}
