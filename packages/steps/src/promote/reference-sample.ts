import { type Batch, type Column, createRng, type Manifest } from "@gauntlet/core";
import { writeParquet } from "@gauntlet/data";
import { isFeature } from "../drift/drift-fields.js";

/** A seeded uniform sample of the evaluation data's feature and score columns, streamed. */
export interface ReferenceSample {
  /** Offer a batch of rows (the score column already added). */
  add(batch: Batch): void;
  /** Writes the kept rows as Parquet; returns how many. */
  write(path: string): Promise<number>;
}

type Kept =
  | { kind: "number" | "boolean"; values: number[]; nulls: number[] }
  | {
      kind: "category";
      values: string[];
      nulls: number[];
    };

/**
 * Starts the reference sample of a model version: the columns drift-check compares (the
 * features, `isFeature`) and the model's score (`monitoring.score`), never keys, ids, labels or
 * outcomes, nor timestamps. Every row is kept up to `maxRows`, beyond that a uniform sample
 * (reservoir sampling seeded by the model name and version, so a re-run writes the same rows).
 *
 * https://en.wikipedia.org/wiki/Reservoir_sampling
 *
 * @example
 * const sample = createReferenceSample(manifest, 100_000);
 * for await (const batch of scoredBatches) sample.add(batch);
 * await sample.write(".gauntlet/churn/reference-sample.parquet"); // 5000
 */
export function createReferenceSample(manifest: Manifest, maxRows: number): ReferenceSample {
  const feature = isFeature(manifest);
  const score = manifest.monitoring?.score;
  const wanted = (name: string, kind: Column["kind"]) =>
    kind !== "timestamp" && (name === score || feature(name));
  const rng = createRng(`reference-sample/${manifest.name}/${manifest.version}`);
  const columns = new Map<string, Kept>();
  let seen = 0;
  let kept = 0;
  return {
    add(batch) {
      for (const [name, c] of batch.columns) {
        if (columns.has(name) || !wanted(name, c.kind)) continue;
        const nulls = new Array<number>(kept).fill(1);
        columns.set(
          name,
          c.kind === "category"
            ? { kind: "category", values: new Array<string>(kept).fill(""), nulls }
            : { kind: c.kind as "number" | "boolean", values: new Array<number>(kept).fill(0), nulls },
        );
      }
      for (let i = 0; i < batch.length; i++, seen++) {
        const slot = seen < maxRows ? seen : rng.int(seen + 1);
        if (slot >= maxRows) continue;
        if (slot === kept) kept += 1;
        for (const [name, k] of columns) {
          const c = batch.columns.get(name);
          if (!c || c.nulls[i] === 1 || c.kind !== k.kind) {
            k.nulls[slot] = 1;
            k.values[slot] = k.kind === "category" ? "" : 0;
            continue;
          }
          k.nulls[slot] = 0;
          k.values[slot] = c.values[i]!;
        }
      }
    },
    async write(path) {
      const out = new Map<string, Exclude<Column, { kind: "timestamp" }>>();
      for (const [name, k] of columns) {
        const nulls = Uint8Array.from(k.nulls);
        out.set(
          name,
          k.kind === "category"
            ? { kind: "category", values: k.values, nulls }
            : k.kind === "number"
              ? { kind: "number", values: Float64Array.from(k.values), nulls }
              : { kind: "boolean", values: Uint8Array.from(k.values), nulls },
        );
      }
      await writeParquet(path, out, kept);
      return kept;
    },
  };
}
