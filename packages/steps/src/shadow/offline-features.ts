import {
  type Batch,
  type Column,
  type ColumnKind,
  createValueSkew,
  type SkewSummary,
  type SkewValue,
  UserError,
  type ValueSkew,
} from "@gauntlet/core";
import { readTable, readTableSchema } from "@gauntlet/data";
import { collectColumn } from "../evaluate/column-collector.js";

/** Compares served features with the training pipeline's, request by request. */
export interface OfflineFeatures {
  /** Compares row `row` of a log batch (plain feature names) with the offline row of `id`. */
  compare(id: string, batch: Batch, row: number): void;
  finish(): NonNullable<SkewSummary["features"]>;
}

/** Numbers closer than this, relative to their size, are the same value written twice. */
const FEATURE_TOLERANCE = 1e-6;

/**
 * Loads `offline-features` — the same requests' features as the training pipeline computes them,
 * keyed by the shadow id column — and returns a comparer for the streamed log. The offline table
 * is held in memory (column arrays plus an id index): it is the expensive side to recompute, so
 * teams export it for a sample of requests. The id column missing from it is a {@link UserError}.
 *
 * @example
 * const offline = await loadOfflineFeatures("data/offline.parquet", { cwd, id: "request_id", columns: ["age"], manifestFile });
 * offline.compare("req-1", batch, 0);
 * offline.finish().share; // 0.002
 */
export async function loadOfflineFeatures(
  path: string,
  options: {
    cwd: string;
    id: string;
    columns: readonly string[];
    /** The served columns' kinds: offline columns are read as the same kind, so `7` and `"7"` agree. */
    kinds: ReadonlyMap<string, ColumnKind>;
    manifestFile: string;
  },
): Promise<OfflineFeatures> {
  const origin = { file: options.manifestFile, field: "shadow.offline-features" };
  const schema = new Map(
    (await readTableSchema(path, { cwd: options.cwd, origin })).map((c) => [c.name, c.kind]),
  );
  if (!schema.has(options.id)) {
    throw new UserError(`the offline features ${path} have no id column ${JSON.stringify(options.id)}`, {
      file: options.manifestFile,
      field: "shadow.offline-features",
      fix: `export the offline features with the request id in a column named ${options.id} (as shadow.id names it)`,
    });
  }
  const shared = options.columns.filter((c) => schema.has(c));
  const missingOffline = options.columns.filter((c) => !schema.has(c));
  const missingServed = [...schema.keys()].filter((c) => c !== options.id && !options.columns.includes(c));
  const collectors = new Map(shared.map((c) => [c, collectColumn()]));
  const index = new Map<string, number>();
  let rows = 0;
  const kinds = {
    [options.id]: "category" as const,
    ...Object.fromEntries(shared.map((c) => [c, options.kinds.get(c) ?? schema.get(c)!])),
  };
  for await (const batch of readTable(path, { cwd: options.cwd, columns: [options.id, ...shared], kinds })) {
    const ids = batch.columns.get(options.id);
    for (let i = 0; i < batch.length; i++) {
      const id = ids && !ids.nulls[i] ? (ids.values[i] as string) : "";
      // The first row of an id wins, as in the log.
      if (id !== "" && !index.has(id)) index.set(id, rows + i);
    }
    for (const [name, collector] of collectors) collector.add(batch.columns.get(name), batch.length);
    rows += batch.length;
  }
  const columns = new Map([...collectors].map(([name, c]) => [name, c.finish()]));
  const skews = new Map<string, ValueSkew>(shared.map((c) => [c, createValueSkew(FEATURE_TOLERANCE)]));
  let matched = 0;
  let unmatched = 0;
  let mismatchedRows = 0;
  return {
    compare(id, batch, row) {
      const at = index.get(id);
      if (at === undefined) {
        unmatched++;
        return;
      }
      matched++;
      let differs = false;
      for (const [name, skew] of skews) {
        const served = batch.columns.get(name);
        if (skew.add(id, served ? valueAt(served, row) : null, valueAt(columns.get(name)!, at)))
          differs = true;
      }
      if (differs) mismatchedRows++;
    },
    finish() {
      const perColumn = [...skews].map(([column, skew]) => {
        const s = skew.finish();
        return {
          column,
          mismatched: s.mismatched,
          share: s.share,
          maxAbsDiff: s.maxAbsDiff,
          largest: s.largest,
        };
      });
      perColumn.sort((a, b) => b.mismatched - a.mismatched || a.column.localeCompare(b.column));
      return {
        source: path,
        matched,
        unmatched,
        mismatchedRows,
        share: matched > 0 ? mismatchedRows / matched : null,
        missingOffline,
        missingServed,
        columns: perColumn,
      };
    },
  };
}

function valueAt(column: Column, i: number): SkewValue {
  if (column.nulls[i]) return null;
  return column.values[i]!;
}
