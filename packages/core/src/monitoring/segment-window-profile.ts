import { UserError } from "../errors/user-error.js";
import {
  type Accumulator,
  type AccumulatorSettings,
  finishAccumulator,
} from "../profile/column-accumulator.js";
import { createProfileBuilder, type ProfileBuilder } from "../profile/create-profile-builder.js";
import type { ColumnProfile, Profile } from "../profile/profile.js";
import type { PresortBlock } from "../profile/sketch-blocks.js";
import type { Batch, Column, ColumnKind } from "../table/column.js";

/**
 * Values per sorted block on their way into a segment window's quantile sketches
 * (`sketchBlock`): updating a sketch value by value was most of the segments' cost.
 */
const SKETCH_BLOCK = 16_384;

/**
 * Distinct values a profile builder keeps per categorical column (its default, which segment
 * windows use); it caps its counts only once a column has more than twice as many.
 */
const MAX_CATEGORIES = 1000;

type CategoryKind = "category" | "boolean";
type CategoryCounts = Extract<Accumulator, { kind: CategoryKind }>;

/** A log batch's profiled columns for segment windows: numbers as they are, categories as codes. */
export interface CodedBatch {
  /** The profiled columns under the reference's names (`logNames`). */
  named: Batch;
  /** Its number and timestamp columns. */
  numbers: Batch;
  /** Each categorical column's value per row as a code (`values[code]`), −1 when missing. */
  codes: Map<string, { kind: CategoryKind; codes: Int32Array; values: readonly string[] }>;
  /** Categorical columns with too many distinct values to count by code: profiled as they are. */
  uncoded: ReadonlySet<string>;
}

/**
 * Numbers each categorical column's values in order of first appearance, over every batch, so
 * each segment window counts a batch's categories by code (one array increment per row) instead
 * of a lookup per row and segment. A column with more than twice the builder's cap of distinct
 * values is no longer coded: from then on windows profile it as the builder does.
 *
 * @example
 * const coder = createCategoryCoder();
 * coder.code(named).codes.get("region"); // { kind: "category", codes: Int32Array [0, 1, 0], values: ["EG", "SA"] }
 */
export function createCategoryCoder(): { code(named: Batch): CodedBatch } {
  const dictionaries = new Map<string, { index: Map<string, number>; values: string[] }>();
  const uncoded = new Set<string>();
  return {
    code(named) {
      const numbers = new Map<string, Column>();
      const codes: CodedBatch["codes"] = new Map();
      for (const [name, column] of named.columns) {
        if (column.kind === "number" || column.kind === "timestamp") {
          numbers.set(name, column);
          continue;
        }
        if (uncoded.has(name)) continue;
        let dictionary = dictionaries.get(name);
        if (!dictionary) {
          dictionary = { index: new Map(), values: [] };
          dictionaries.set(name, dictionary);
        }
        const { index, values } = dictionary;
        const out = new Int32Array(named.length);
        for (let i = 0; i < named.length; i++) {
          if (column.nulls[i] === 1) {
            out[i] = -1;
            continue;
          }
          const value =
            column.kind === "boolean" ? (column.values[i] === 1 ? "true" : "false") : column.values[i]!;
          let code = index.get(value);
          if (code === undefined) {
            code = values.length;
            index.set(value, code);
            values.push(value);
          }
          out[i] = code;
        }
        // Past twice the cap a window's counts could be capped mid-stream, in an order codes
        // would not keep: the builder's own counting takes over.
        if (values.length > 2 * MAX_CATEGORIES) {
          uncoded.add(name);
          dictionaries.delete(name);
          continue;
        }
        codes.set(name, { kind: column.kind, codes: out, values });
      }
      return { named, numbers: { ...named, columns: numbers }, codes, uncoded };
    },
  };
}

/** One segment window's profile, fed coded batches. */
export interface SegmentWindowProfile {
  /** The rows `rows` (ascending indices) of a coded batch. */
  add(coded: CodedBatch, rows: Uint32Array): void;
  finish(): Profile;
}

/**
 * A segment window's drift profile (sketch-based: no kept values, no chunks; bin edges from
 * `reference`), the same profile a {@link createProfileBuilder} gives for the same rows: numbers
 * go through a builder (its full sketch blocks by `presortBlock`, when given), categories are
 * counted by code and finished as the builder finishes them.
 * A column no longer coded ({@link createCategoryCoder}) gets its own builder, which first takes
 * the window's rows so far (its counts, as rows of each value) and then every batch.
 *
 * @example
 * const window = createSegmentWindowProfile(reference);
 * window.add(coder.code(named), Uint32Array.of(0, 2));
 * window.finish().columns.region; // { kind: "category", rows: 2, count: 2, nulls: 0, counts: { EG: 2 }, other: 0, chunks: [] }
 */
export function createSegmentWindowProfile(
  reference: Profile,
  presortBlock?: PresortBlock,
): SegmentWindowProfile {
  const builderOf = () =>
    createProfileBuilder({ reference, chunks: false, sketchBlock: SKETCH_BLOCK, presortBlock });
  const numbers = builderOf();
  const kinds = new Map<string, ColumnKind>();
  const counted = new Map<
    string,
    { tally: CategoryCounts; byCode: Float64Array; values: readonly string[] }
  >();
  const uncoded = new Map<string, ProfileBuilder>();
  let rows = 0;
  return {
    add(coded, subset) {
      const n = subset.length;
      for (const [name, column] of coded.named.columns) {
        const kind = kinds.get(name);
        if (kind === undefined) kinds.set(name, column.kind);
        else if (kind !== column.kind) {
          throw new UserError(`column is ${column.kind} here but ${kind} in earlier rows`, {
            file: coded.named.source,
            field: name,
            fix: "give the column one type in every file (declare it in the manifest's data.columns)",
          });
        }
      }
      numbers.add(coded.numbers, subset);
      for (const [name, { kind, codes, values }] of coded.codes) {
        let own = counted.get(name);
        if (!own) {
          own = { tally: countsBefore(kind, rows), byCode: new Float64Array(values.length), values };
          counted.set(name, own);
        }
        if (own.byCode.length < values.length) {
          const grown = new Float64Array(Math.max(values.length, 2 * own.byCode.length));
          grown.set(own.byCode);
          own.byCode = grown;
        }
        const byCode = own.byCode;
        let nulls = 0;
        for (let k = 0; k < n; k++) {
          const code = codes[subset[k]!]!;
          if (code < 0) nulls++;
          else byCode[code]! += 1;
        }
        own.tally.rows += n;
        own.tally.nulls += nulls;
      }
      for (const name of coded.uncoded) {
        const column = coded.named.columns.get(name);
        if (column && !uncoded.has(name)) uncoded.set(name, seeded(name, column.kind));
      }
      for (const [name, own] of counted) {
        if (coded.codes.has(name) || uncoded.has(name)) continue;
        own.tally.rows += n;
        own.tally.nulls += n;
      }
      for (const [name, builder] of uncoded) {
        const column = coded.named.columns.get(name);
        builder.add({ ...coded.named, columns: new Map(column ? [[name, column]] : []) }, subset);
      }
      rows += n;
    },
    finish() {
      const profile = numbers.finish();
      const columns: Record<string, ColumnProfile> = {};
      for (const name of kinds.keys()) {
        const builder = uncoded.get(name);
        const own = counted.get(name);
        const column = builder
          ? builder.finish().columns[name]
          : own
            ? finishAccumulator(countsOf(own), CATEGORY_SETTINGS)
            : profile.columns[name];
        if (column) columns[name] = column;
      }
      return { ...profile, columns };
    },
  };

  /**
   * A builder for a column no longer coded, holding the window's rows so far: the column's counts
   * as rows of each value (missing ones first), or, before the column's first row here, only rows.
   */
  function seeded(name: string, kind: ColumnKind): ProfileBuilder {
    const builder = builderOf();
    const own = counted.get(name);
    counted.delete(name);
    if (!own) {
      builder.add({ source: "", firstRow: 1, length: rows, columns: new Map(), invalid: new Map() });
      return builder;
    }
    const values: string[] = new Array(own.tally.nulls).fill("");
    const nulls = new Uint8Array(rows).fill(1, 0, own.tally.nulls);
    for (let code = 0; code < own.byCode.length; code++)
      for (let c = 0; c < own.byCode[code]!; c++) values.push(own.values[code]!);
    const column: Column =
      kind === "boolean"
        ? { kind, values: Uint8Array.from(values, (v) => (v === "true" ? 1 : 0)), nulls }
        : { kind: "category", values, nulls };
    builder.add({
      source: "",
      firstRow: 1,
      length: rows,
      columns: new Map([[name, column]]),
      invalid: new Map(),
    });
    return builder;
  }
}

/** The profile builder's settings that finish a categorical column (its defaults). */
const CATEGORY_SETTINGS: AccumulatorSettings = {
  bins: 10,
  sketchK: 200,
  chunkSketchK: 64,
  maxCategories: MAX_CATEGORIES,
  maxChunkCategories: 100,
  exactValues: 0,
  chunks: false,
  deferSketch: false,
  sketchBlock: SKETCH_BLOCK,
};

/** A categorical column first seen after `rows` rows: missing in each of them, as the builder counts it. */
function countsBefore(kind: CategoryKind, rows: number): CategoryCounts {
  return { kind, rows, nulls: rows, counts: new Map(), other: 0, chunks: [] };
}

/** A window's counts by code as the builder's count table (only values seen: it has no zeros). */
function countsOf(own: {
  tally: CategoryCounts;
  byCode: Float64Array;
  values: readonly string[];
}): CategoryCounts {
  const counts = new Map<string, number>();
  for (let code = 0; code < own.byCode.length; code++)
    if (own.byCode[code]! > 0) counts.set(own.values[code]!, own.byCode[code]!);
  return { ...own.tally, counts };
}
