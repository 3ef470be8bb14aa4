import type { DuckDBDataChunk } from "@duckdb/node-api";
import type { Batch, Column, InvalidCell } from "@gauntlet/core";
import { ColumnWriter } from "./column-writer.js";
import type { Streamed } from "./duckdb-plans.js";
import type { FileContext } from "./table-file.js";

/** The validity bit of row `i` (1 = a value); `bits` undefined means every row has a value. */
export function isValid(bits: Uint8Array | undefined, i: number): boolean {
  return bits === undefined || ((bits[i >> 3]! >> (i & 7)) & 1) === 1;
}

/** The validity mask of a DuckDB vector as bytes, or undefined when every row is valid. */
export function validityOf(vector: unknown): Uint8Array | undefined {
  const data = (vector as { validity?: { data?: BigUint64Array | null } }).validity?.data;
  return data ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : undefined;
}

const decoder = new TextDecoder();

/**
 * Row `i` of a VARCHAR vector as a string, or null. DuckDB keeps a string of at most 12 bytes
 * inside the vector's 16-byte slot: those (nearly every category, id and date) are decoded here
 * from their bytes, ASCII without a TextDecoder call; longer ones through the vector's own
 * `getItem`. This is most of the cost of reading text columns, which is why it is not `getItem`.
 */
function textReader(vector: unknown): (i: number) => string | null {
  const { dataView } = vector as { dataView: DataView };
  const bytes = new Uint8Array(dataView.buffer, dataView.byteOffset, dataView.byteLength);
  const valid = validityOf(vector);
  const item = (vector as { getItem(i: number): string | null }).getItem.bind(vector);
  return (i) => {
    if (!isValid(valid, i)) return null;
    const offset = i * 16;
    const length = dataView.getUint32(offset, true);
    if (length > 12) return item(i);
    // Built byte by byte: for these short strings, cheaper than fromCharCode over a subarray.
    const start = offset + 4;
    let text = "";
    for (let k = start; k < start + length; k++) {
      const byte = bytes[k]!;
      if (byte >= 0x80) return decoder.decode(bytes.subarray(start, start + length));
      text += String.fromCharCode(byte);
    }
    return text;
  };
}

/** Fills batches of `context.batchSize` rows from DuckDB chunks. */
export class BatchBuilder {
  private writers: ColumnWriter[];
  private length = 0;
  private firstRow = 1;

  constructor(
    private readonly context: FileContext,
    private plans: Streamed[],
  ) {
    this.writers = this.newWriters();
  }

  /** Takes the chunks that follow as read by `plans`: the same columns, read another way. */
  replan(plans: Streamed[]): void {
    this.plans = plans;
  }

  private newWriters(): ColumnWriter[] {
    return this.plans.map((plan) => new ColumnWriter(plan.kind, this.context.batchSize, this.firstRow));
  }

  *add(chunk: DuckDBDataChunk): Generator<Batch> {
    const rows = chunk.rowCount;
    let start = 0;
    while (start < rows) {
      const take = Math.min(rows - start, this.context.batchSize - this.length);
      this.copy(chunk, start, take);
      start += take;
      this.length += take;
      if (this.length === this.context.batchSize) yield this.flush();
    }
  }

  *finish(): Generator<Batch> {
    if (this.length > 0) yield this.flush();
  }

  private copy(chunk: DuckDBDataChunk, start: number, count: number): void {
    let vectorIndex = 0;
    const at = this.length;
    this.plans.forEach((plan, j) => {
      const writer = this.writers[j]!;
      const vector = chunk.getColumnVector(vectorIndex++);
      if (plan.how === "text") {
        const text = textReader(vector);
        for (let i = 0; i < count; i++) writer.set(at + i, text(start + i));
        return;
      }
      if (plan.how === "codes") {
        const codes = (vector as unknown as { items: Uint8Array }).items;
        const valid = validityOf(vector);
        const raw = chunk.getColumnVector(vectorIndex++);
        const rawText = textReader(raw);
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
      const items = (vector as unknown as { items: Float64Array }).items;
      writer.setNumbers(at, items.subarray(start, start + count));
      const rawIndex = plan.raw === undefined ? undefined : vectorIndex++;
      const valid = validityOf(vector);
      const rawVector = rawIndex === undefined ? undefined : chunk.getColumnVector(rawIndex);
      const rawValid = rawVector === undefined ? undefined : validityOf(rawVector);
      if (valid === undefined && rawVector === undefined) return;
      for (let i = 0; i < count; ) {
        const k = start + i;
        const none = rawVector === undefined || (rawValid !== undefined && rawValid[k >> 3] === 0);
        if ((k & 7) === 0 && i + 8 <= count && (valid === undefined || valid[k >> 3] === 0xff) && none) {
          i += 8;
          continue;
        }
        if (rawVector !== undefined && isValid(rawValid, k))
          writer.set(at + i, rawVector.getItem(k) as string);
        else if (!isValid(valid, k)) writer.set(at + i, null);
        i++;
      }
    });
  }

  private flush(): Batch {
    const columns = new Map<string, Column>();
    const invalid = new Map<string, InvalidCell[]>();
    this.plans.forEach((plan, j) => {
      const writer = this.writers[j]!;
      columns.set(plan.name, writer.finish(this.length));
      if (writer.invalid.length > 0) invalid.set(plan.name, writer.invalid);
    });
    const batch: Batch = {
      source: this.context.display,
      firstRow: this.firstRow,
      length: this.length,
      columns,
      invalid,
    };
    this.firstRow += this.length;
    this.length = 0;
    this.writers = this.newWriters();
    return batch;
  }
}
