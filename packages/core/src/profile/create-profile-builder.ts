import { UserError } from "../errors/user-error.js";
import type { Batch } from "../table/column.js";
import {
  type Accumulator,
  type AccumulatorSettings,
  addMissing,
  addRange,
  createAccumulator,
  finishAccumulator,
} from "./column-accumulator.js";
import { kllMerge } from "./kll-sketch.js";
import { PROFILE_SCHEMA, type Profile } from "./profile.js";
import type { PresortBlock } from "./sketch-blocks.js";
import { mergeCounts } from "./top-counts.js";

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
  /** With `sketchBlock`: sorts full blocks in another thread on their way ({@link PresortBlock}). */
  presortBlock?: PresortBlock | undefined;
}

/** Streams batches into a {@link Profile}. Memory is bounded by columns × (sketch + capped counts). */
export interface ProfileBuilder {
  /**
   * Add a batch of rows; with `subset` (ascending row indices), only those rows, as if the batch
   * held only them (the drift monitor adds each window's rows of a log batch without copying
   * them). A column whose kind differs from earlier batches is a {@link UserError}.
   */
  add(batch: Batch, subset?: Uint32Array): void;
  /** The profile of every row added so far. The builder may keep being used afterwards. */
  finish(): Profile;
  /**
   * The kept values of every numeric column that keeps them (views into the builder's buffers).
   * After the last `add`, a caller may sort them in place (in `sortFloat64`'s order) before
   * `finish`, which then finds them sorted: the profile is the same.
   */
  values(): Float64Array[];
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
  const settings: AccumulatorSettings = {
    bins: options.bins ?? 10,
    sketchK: options.sketchK ?? 200,
    chunkSketchK: options.chunkSketchK ?? 64,
    maxCategories: options.maxCategories ?? 1000,
    maxChunkCategories: options.maxChunkCategories ?? 100,
    exactValues: options.exactValues ?? 0,
    chunks: options.chunks ?? true,
    deferSketch: options.deferSketch ?? false,
    sketchBlock: options.sketchBlock ?? 0,
    presortBlock: options.presortBlock,
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
    add(batch: Batch, subset?: Uint32Array): void {
      const length = subset ? subset.length : batch.length;
      while (length > 0 && Math.floor((rows + length - 1) / chunkRows) >= maxChunks) halveChunks();
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
        while (start < length) {
          const chunk = Math.floor((rows + start) / chunkRows);
          const end = Math.min(length, (chunk + 1) * chunkRows - rows);
          addRange(acc, column, start, end, chunk, settings, subset);
          start = end;
        }
      }
      for (const [name, acc] of columns) {
        if (!batch.columns.has(name)) addMissing(acc, length);
      }
      rows += length;
    },
    finish(): Profile {
      const out: Profile = { schema: PROFILE_SCHEMA, rows, chunkRows, columns: {} };
      if (options.model) out.model = { ...options.model };
      for (const [name, acc] of columns) out.columns[name] = finishAccumulator(acc, settings);
      return out;
    },
    values(): Float64Array[] {
      return [...columns.values()].flatMap((acc) =>
        acc.kind === "number" && acc.kept ? [acc.kept.subarray(0, acc.profile.count)] : [],
      );
    },
  };
}

/** Merge neighbours pairwise: [a, b, c, d, e] → [a+b, c+d, e]. */
export function pairwise<T>(items: T[], merge: (a: T, b: T) => T): T[] {
  const out: T[] = [];
  for (let i = 0; i < items.length; i += 2)
    out.push(i + 1 < items.length ? merge(items[i]!, items[i + 1]!) : items[i]!);
  return out;
}
