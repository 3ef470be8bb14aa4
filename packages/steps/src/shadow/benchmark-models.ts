import type { Batch, BatchTiming, BenchmarkBatch, Column } from "@gauntlet/core";
import { type ScoringModel, type SignatureMapping, timeScoring } from "@gauntlet/model";

/** A model to time. */
export interface TimedModel {
  model: ScoringModel;
  mapping: SignatureMapping;
}

/** Rows of the throughput batch (fewer when the log has fewer compared rows). */
export const BENCHMARK_ROWS = 1024;

/**
 * Rows scored per model and batch size beyond the one-row runs: a throughput batch is timed
 * `ROW_BUDGET / rows` times (at least {@link MIN_BATCH_REPEATS}, at most the one-row repeats), so
 * a 1,024-row batch is timed 50 times rather than 200 and a slow model does not stall the job.
 */
const ROW_BUDGET = 51_200;
const MIN_BATCH_REPEATS = 20;
const WARMUP = 5;

/** Options of {@link benchmarkBatches}. */
export interface BenchmarkOptions {
  /** Timed one-row calls per model; larger batches get fewer (see {@link ROW_BUDGET}). */
  repeats: number;
  /** Batch sizes to time, each capped at the sample's rows. Default `[1, BENCHMARK_ROWS]`. */
  sizes?: readonly number[] | undefined;
  /** Untimed calls per model and batch size first. Default 5. */
  warmup?: number | undefined;
  /** Milliseconds clock; tests pass a fake one. Default `performance.now`. */
  now?: (() => number) | undefined;
}

/** Timed calls of a batch of `rows` rows when one-row batches are timed `repeats` times. */
export function batchRepeats(rows: number, repeats: number): number {
  if (rows <= 1) return repeats;
  return Math.min(repeats, Math.max(MIN_BATCH_REPEATS, Math.ceil(ROW_BUDGET / rows)));
}

/**
 * Both models timed in this process on the same logged rows, at each batch size: one row (a
 * request as served) and a throughput batch of the sample's first rows (up to
 * {@link BENCHMARK_ROWS}, the whole sample when smaller). For each model and size: percentiles of
 * the time per call and rows per second at the median call, after a warm-up, input tensors and
 * output mapping included; network, request parsing and serialisation are not. Both models score
 * the identical batch objects, champion first. An absent model gives `null`; sizes are sorted,
 * deduplicated and capped at the sample, so a one-row sample gives only the one-row entry.
 *
 * @example
 * await benchmarkBatches({ champion, challenger: candidate }, sample, { repeats: 200 });
 * // [{ rows: 1, champion: { n: 200, p50Ms: 0.05, …, rowsPerSecond: 20000 }, challenger: { … } },
 * //  { rows: 1024, champion: { n: 50, p50Ms: 0.9, …, rowsPerSecond: 1137777 }, challenger: { … } }]
 */
export async function benchmarkBatches(
  models: { champion?: TimedModel | undefined; challenger?: TimedModel | undefined },
  sample: Batch,
  options: BenchmarkOptions,
): Promise<BenchmarkBatch[]> {
  if (sample.length === 0) return [];
  const sizes = [
    ...new Set((options.sizes ?? [1, BENCHMARK_ROWS]).map((s) => Math.max(1, Math.min(s, sample.length)))),
  ].sort((a, b) => a - b);
  const out: BenchmarkBatch[] = [];
  for (const rows of sizes) {
    const batch = rows === sample.length ? sample : headRows(sample, rows);
    const timing = { repeats: batchRepeats(rows, options.repeats), warmup: options.warmup ?? WARMUP };
    const time = async (timed: TimedModel | undefined): Promise<BatchTiming | null> => {
      if (!timed) return null;
      const t = await timeScoring(timed.model, timed.mapping, batch, {
        ...timing,
        ...(options.now ? { now: options.now } : {}),
      });
      return { n: t.repeats, p50Ms: t.p50Ms, p95Ms: t.p95Ms, p99Ms: t.p99Ms, rowsPerSecond: t.rowsPerSecond };
    };
    const champion = await time(models.champion);
    const challenger = await time(models.challenger);
    out.push({ rows, champion, challenger });
  }
  return out;
}

/** Collects the first rows of a stream of batches, as the benchmark's sample. */
export interface BenchmarkSample {
  /** Copies rows of `batch` until the sample is full; later batches are ignored. */
  add(batch: Batch): void;
  /** The collected rows as one batch, `undefined` when none arrived. */
  finish(): Batch | undefined;
}

/**
 * Keeps a copy of the first `limit` rows (default {@link BENCHMARK_ROWS}) of the batches it is
 * given, only the `columns` the models read, so the benchmark scores the log's own rows after the
 * log has been streamed. A batch lacking one of the columns, or holding it as another kind than
 * the rows already kept, is passed over.
 *
 * @example
 * const sample = createBenchmarkSample(["age", "plan"]);
 * for await (const part of parts) sample.add(part.batch);
 * sample.finish()?.length; // 1024
 */
export function createBenchmarkSample(columns: readonly string[], limit = BENCHMARK_ROWS): BenchmarkSample {
  const parts: Batch[] = [];
  let kept = 0;
  return {
    add(batch) {
      if (kept >= limit || batch.length === 0) return;
      const first = parts[0];
      for (const name of columns) {
        const column = batch.columns.get(name);
        if (!column || (first && first.columns.get(name)!.kind !== column.kind)) return;
      }
      const rows = Math.min(batch.length, limit - kept);
      const copy = new Map<string, Column>();
      for (const name of columns) copy.set(name, copyRows(batch.columns.get(name)!, 0, rows));
      parts.push({
        source: batch.source,
        firstRow: batch.firstRow,
        length: rows,
        columns: copy,
        invalid: new Map(),
      });
      kept += rows;
    },
    finish() {
      const first = parts[0];
      if (!first) return undefined;
      if (parts.length === 1) return first;
      const merged = new Map<string, Column>();
      for (const name of columns)
        merged.set(
          name,
          concatColumns(
            parts.map((p) => p.columns.get(name)!),
            kept,
          ),
        );
      return {
        source: first.source,
        firstRow: first.firstRow,
        length: kept,
        columns: merged,
        invalid: new Map(),
      };
    },
  };
}

/** The first `rows` rows of `batch`, as views of its columns. */
function headRows(batch: Batch, rows: number): Batch {
  const columns = new Map<string, Column>();
  for (const [name, c] of batch.columns) {
    const nulls = c.nulls.subarray(0, rows);
    columns.set(
      name,
      c.kind === "category"
        ? { kind: "category", values: c.values.slice(0, rows), nulls }
        : ({ kind: c.kind, values: c.values.subarray(0, rows), nulls } as Column),
    );
  }
  return { source: batch.source, firstRow: batch.firstRow, length: rows, columns, invalid: new Map() };
}

function copyRows(c: Column, start: number, end: number): Column {
  return { ...c, values: c.values.slice(start, end), nulls: c.nulls.slice(start, end) } as Column;
}

function concatColumns(columns: readonly Column[], length: number): Column {
  const nulls = new Uint8Array(length);
  let at = 0;
  for (const c of columns) {
    nulls.set(c.nulls, at);
    at += c.nulls.length;
  }
  const kind = columns[0]!.kind;
  if (kind === "category") {
    return { kind, values: columns.flatMap((c) => c.values as string[]), nulls };
  }
  const values = kind === "boolean" ? new Uint8Array(length) : new Float64Array(length);
  at = 0;
  for (const c of columns) {
    values.set(c.values as ArrayLike<number>, at);
    at += c.values.length;
  }
  return { kind, values, nulls } as Column;
}
