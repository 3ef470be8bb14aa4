import { type Batch, type ColumnKind, createRng, selectRows, type UserErrorLocation } from "@gauntlet/core";
import { readTable, readTableSchema } from "@gauntlet/data";
import { createBenchmarkSample } from "../shadow/benchmark-models.js";

/** Rows read before sampling: enough for any `behaviour.sample`, bounded in memory. */
export const MAX_READ_ROWS = 200_000;

/**
 * Reads the named columns of a table (every column when `columns` is omitted) into one batch of
 * at most {@link MAX_READ_ROWS} rows; `undefined` when the table has no rows.
 *
 * @example
 * const cases = await readRows("models/churn/cases.csv", { cwd, origin: { file, field: "behaviour.cases" } });
 */
export async function readRows(
  path: string,
  options: { cwd: string; origin: UserErrorLocation; kinds?: Record<string, ColumnKind>; columns?: string[] },
): Promise<Batch | undefined> {
  const read = { cwd: options.cwd, origin: options.origin, kinds: options.kinds ?? {} };
  const columns = options.columns ?? (await readTableSchema(path, read)).map((c) => c.name);
  const rows = createBenchmarkSample(columns, MAX_READ_ROWS);
  for await (const batch of readTable(path, { ...read, columns })) rows.add(batch);
  return rows.finish();
}

/**
 * A seeded uniform sample of `count` rows of `batch` (all of them when it is smaller), in their
 * original order.
 *
 * @example
 * sampleRows(batch, 500, 7).length; // 500
 */
export function sampleRows(batch: Batch, count: number, seed: number): Batch {
  if (batch.length <= count) return batch;
  const rng = createRng(`${seed}/behaviour`);
  const order = Uint32Array.from({ length: batch.length }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + rng.int(batch.length - i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const rows = order.slice(0, count).sort();
  return selectRows(batch, rows, new Map([...batch.columns.keys()].map((n) => [n, n])));
}
