import { FNV_OFFSET, FNV_PRIME, fmix32, fnvUnits } from "@gauntlet/core";
import type { Streamed } from "./duckdb-plans.js";
import {
  type ChunkColumns,
  decoder,
  INLINE_BYTES,
  isValid,
  type TextSlots,
  textReader,
} from "./duckdb-vectors.js";

/**
 * Each row's key hash, as a reader asked for `rowKey` gives it: `hashes[i]` is `rowIdHash` of the
 * row's `keyIdentity` (the key cells' text joined by NUL), or 0 where `missing[i]` is 1 because a
 * key cell is null, empty or absent (such a row is identified by its position instead).
 */
export interface RowKeys {
  hashes: Uint32Array;
  missing: Uint8Array;
}

/**
 * Hashes the row keys of category columns straight from DuckDB's vectors, into the very numbers
 * `rowIdHash(keyIdentity(...))` gives, without making a string per cell: a short ASCII cell (an
 * id such as `C0000042`) is folded into FNV-1a from the bytes in its vector slot; other cells
 * from their text, as the batch would hold it (a dictionary's value, the decoded bytes, the
 * vector's own item). Built for the `plans` of one file; `keys` are the key columns' indices in
 * them, in key order (-1: not in this file).
 *
 * @example
 * const hasher = new RowKeyHasher([0], 65_536);
 * hasher.add(new ChunkColumns(chunk), plans, [0], 0, chunk.rowCount, 0);
 * hasher.finish(chunk.rowCount); // { hashes: Uint32Array [rowIdHash("C0000001"), ...], missing }
 */
export class RowKeyHasher {
  private readonly states: Uint32Array;
  private missing: Uint8Array;

  constructor(
    private readonly keys: readonly number[],
    private readonly capacity: number,
  ) {
    this.states = new Uint32Array(capacity).fill(FNV_OFFSET);
    this.missing = new Uint8Array(capacity);
  }

  /** Whether `plans` allow it: every key column of the file is a category. */
  static fits(plans: readonly Streamed[], keys: readonly number[]): boolean {
    return keys.every((j) => j === -1 || plans[j]!.kind === "category");
  }

  /**
   * Folds rows `start…start+count` of `chunk` into batch rows `at…`; `vectors[j]` is the index of
   * plan `j`'s first vector in the chunk.
   */
  add(
    chunk: ChunkColumns,
    plans: readonly Streamed[],
    vectors: readonly number[],
    start: number,
    count: number,
    at: number,
  ): void {
    const { states, missing } = this;
    this.keys.forEach((j, k) => {
      if (k > 0) {
        // The NUL that joins key cells.
        for (let r = at; r < at + count; r++) states[r] = Math.imul(states[r]!, FNV_PRIME);
      }
      if (j === -1) {
        missing.fill(1, at, at + count);
        return;
      }
      const plan = plans[j]!;
      if (plan.how === "codes") {
        const { items: codes, valid } = chunk.codes(vectors[j]!);
        const raw = textReader(chunk.text(vectors[j]! + 1));
        for (let i = 0; i < count; i++) {
          const r = at + i;
          if (missing[r]) continue;
          const text = isValid(valid, start + i) ? plan.dictionary[codes[start + i]! - 1]! : raw(start + i);
          if (text === null || text === "") missing[r] = 1;
          else states[r] = fnvUnits(states[r]!, text);
        }
        return;
      }
      this.foldText(chunk.text(vectors[j]!), start, count, at);
    });
  }

  private foldText(slots: TextSlots, start: number, count: number, at: number): void {
    const { states, missing } = this;
    const { view, bytes, valid, item } = slots;
    for (let i = 0; i < count; i++) {
      const r = at + i;
      const row = start + i;
      if (missing[r]) continue;
      const length = isValid(valid, row) ? view.getUint32(row * 16, true) : 0;
      if (length === 0) {
        missing[r] = 1;
        continue;
      }
      let h = states[r]!;
      if (length > INLINE_BYTES) {
        h = fnvUnits(h, item(row)!);
      } else {
        // An ASCII byte is its UTF-16 code unit; any other byte means decoding, as the batch does.
        const from = row * 16 + 4;
        let b = from;
        for (; b < from + length && bytes[b]! < 0x80; b++) h = Math.imul(h ^ bytes[b]!, FNV_PRIME);
        if (b < from + length) h = fnvUnits(states[r]!, decoder.decode(bytes.subarray(from, from + length)));
      }
      states[r] = h;
    }
  }

  /** The first `length` rows' keys; the hasher starts again for the next batch. */
  finish(length: number): RowKeys {
    const hashes = new Uint32Array(length);
    const { states, missing } = this;
    for (let i = 0; i < length; i++) hashes[i] = missing[i] ? 0 : fmix32(states[i]!);
    states.fill(FNV_OFFSET);
    const keys = { hashes, missing: missing.length === length ? missing : missing.slice(0, length) };
    this.missing = new Uint8Array(this.capacity);
    return keys;
  }
}
