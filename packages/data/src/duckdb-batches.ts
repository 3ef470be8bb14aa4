import type { Column, InvalidCell } from "@gauntlet/core";
import { ColumnWriter } from "./column-writer.js";
import type { Streamed } from "./duckdb-plans.js";
import { type ChunkColumns, isValid, textReader } from "./duckdb-vectors.js";
import { RowKeyHasher } from "./row-key-hash.js";
import type { FileContext, ReadBatch } from "./table-file.js";

/** Fills batches of `context.batchSize` rows from DuckDB chunks. */
export class BatchBuilder {
  private writers: ColumnWriter[];
  private length = 0;
  private firstRow = 1;
  /** Hashes the row keys (see `FileContext.rowKey`) when every key column is a category. */
  private readonly hasher: RowKeyHasher | undefined;
  /** Plans read only to be hashed: no column is written for them. */
  private readonly skipped: boolean[];

  constructor(
    private readonly context: FileContext,
    private plans: Streamed[],
  ) {
    this.writers = this.newWriters();
    const rowKey = context.rowKey;
    const keys = rowKey?.names.map((name) => plans.findIndex((plan) => plan.name === name)) ?? [];
    this.hasher =
      rowKey && RowKeyHasher.fits(plans, keys) ? new RowKeyHasher(keys, context.batchSize) : undefined;
    this.skipped = plans.map((plan) => this.hasher !== undefined && rowKey!.hashOnly.has(plan.name));
  }

  /** Takes the chunks that follow as read by `plans`: the same columns, read another way. */
  replan(plans: Streamed[]): void {
    this.plans = plans;
  }

  private newWriters(): ColumnWriter[] {
    return this.plans.map((plan) => new ColumnWriter(plan.kind, this.context.batchSize, this.firstRow));
  }

  *add(columns: ChunkColumns): Generator<ReadBatch> {
    const rows = columns.rows;
    let start = 0;
    while (start < rows) {
      const take = Math.min(rows - start, this.context.batchSize - this.length);
      this.copy(columns, start, take);
      start += take;
      this.length += take;
      if (this.length === this.context.batchSize) yield this.flush();
    }
  }

  *finish(): Generator<ReadBatch> {
    if (this.length > 0) yield this.flush();
  }

  private copy(chunk: ChunkColumns, start: number, count: number): void {
    let vectorIndex = 0;
    const at = this.length;
    /** Each plan's first vector in the chunk. */
    const vectors: number[] = [];
    this.plans.forEach((plan, j) => {
      const writer = this.writers[j]!;
      vectors.push(vectorIndex);
      if (this.skipped[j]) {
        vectorIndex += plan.how === "text" || plan.raw === undefined ? 1 : 2;
        return;
      }
      const index = vectorIndex++;
      if (plan.how === "text") {
        const text = textReader(chunk.text(index));
        for (let i = 0; i < count; i++) writer.set(at + i, text(start + i));
        return;
      }
      if (plan.how === "codes") {
        const { items: codes, valid } = chunk.codes(index);
        const rawText = textReader(chunk.text(vectorIndex++));
        const { dictionary } = plan;
        for (let i = 0; i < count; i++) {
          const k = start + i;
          if (isValid(valid, k)) writer.setShared(at + i, dictionary[codes[k]! - 1]!);
          else writer.set(at + i, rawText(k));
        }
        return;
      }
      // The values are copied as one block; then the rows DuckDB left null, and those whose raw
      // text came back (its NaN and infinities), found eight at a time in the validity bytes,
      // become nulls or the raw text parsed here.
      const { items, valid } = chunk.doubles(index);
      writer.setNumbers(at, items.subarray(start, start + count));
      const rawIndex = plan.raw === undefined ? undefined : vectorIndex++;
      const rawVector = rawIndex === undefined ? undefined : chunk.text(rawIndex);
      const rawValid = rawVector?.valid;
      if (valid === undefined && rawVector === undefined) return;
      for (let i = 0; i < count; ) {
        const k = start + i;
        const none = rawVector === undefined || (rawValid !== undefined && rawValid[k >> 3] === 0);
        if ((k & 7) === 0 && i + 8 <= count && (valid === undefined || valid[k >> 3] === 0xff) && none) {
          i += 8;
          continue;
        }
        if (rawVector !== undefined && isValid(rawValid, k)) writer.set(at + i, rawVector.item(k) as string);
        else if (!isValid(valid, k)) writer.set(at + i, null);
        i++;
      }
    });
    this.hasher?.add(chunk, this.plans, vectors, start, count, at);
  }

  private flush(): ReadBatch {
    const columns = new Map<string, Column>();
    const invalid = new Map<string, InvalidCell[]>();
    this.plans.forEach((plan, j) => {
      if (this.skipped[j]) return;
      const writer = this.writers[j]!;
      columns.set(plan.name, writer.finish(this.length));
      if (writer.invalid.length > 0) invalid.set(plan.name, writer.invalid);
    });
    const batch: ReadBatch = {
      source: this.context.display,
      firstRow: this.firstRow,
      length: this.length,
      columns,
      invalid,
      ...(this.hasher ? { rowKeys: this.hasher.finish(this.length) } : {}),
    };
    this.firstRow += this.length;
    this.length = 0;
    this.writers = this.newWriters();
    return batch;
  }
}
