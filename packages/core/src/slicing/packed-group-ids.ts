import { type GroupIds, groupIdArray } from "./group-ids.js";

/** Rows of the first block; each next block doubles, up to {@link MAX_BLOCK_ROWS}. */
const FIRST_BLOCK_ROWS = 1 << 12;
/** Largest block: 1M rows (11 MB at one byte and 11 groupings), mapped on its own and so given back when freed. */
const MAX_BLOCK_ROWS = 1 << 20;

/**
 * Row-major group ids appended batch by batch: row i's group in grouping j is at `i · stride + j`,
 * grouping 0 being every row (always group 0). Stored in blocks as narrow as the largest id yet
 * seen allows (widened, rarely, when a batch brings more groups), so 10M rows of 11 groupings of
 * at most 256 groups take 110 MB, and joined once at the end through a mapping of the ids — the
 * same layout `packedRankingSums` reads.
 *
 * @example
 * const ids = new PackedGroupIds(2);
 * ids.add([Uint8Array.of(3, 1)], 2);
 * ids.finish(Int32Array.of(0, 1, 1, 2), 3); // Uint8Array [0, 1, 0, 2]
 */
export class PackedGroupIds {
  /** Rows added so far. */
  rows = 0;
  private blocks: GroupIds[] = [];
  /** Rows used in the last block. */
  private used = 0;
  private width = 1;

  constructor(readonly stride: number) {}

  /** Appends `rows` rows; `ids[j - 1][i]` is row i's group in grouping j ≥ 1. */
  add(ids: readonly GroupIds[], rows: number): void {
    const wanted = Math.max(1, ...ids.map((a) => a.BYTES_PER_ELEMENT));
    if (wanted > this.width) this.widen(wanted);
    const G = this.stride;
    let from = 0;
    while (from < rows) {
      const block = this.room();
      const n = Math.min(block.length / G - this.used, rows - from);
      const base = this.used * G;
      ids.forEach((column, j) => {
        for (let i = 0; i < n; i++) block[base + i * G + j + 1] = column[from + i]!;
      });
      this.used += n;
      from += n;
    }
    this.rows += rows;
  }

  /**
   * Every row in one array, each id replaced by `map[id]` and stored as narrow as `groups` allows;
   * the blocks are released as they are copied, and this buffer is empty after.
   */
  finish(map: Int32Array, groups: number): GroupIds {
    const out = groupIdArray(this.rows * this.stride, groups);
    let at = 0;
    const total = out.length;
    for (let b = 0; b < this.blocks.length; b++) {
      const block = this.blocks[b]!;
      const n = Math.min(block.length, total - at);
      for (let k = 0; k < n; k++) out[at + k] = map[block[k]!]!;
      at += n;
      this.blocks[b] = block.subarray(0, 0);
    }
    this.blocks = [];
    this.rows = 0;
    this.used = 0;
    return out;
  }

  private room(): GroupIds {
    const last = this.blocks[this.blocks.length - 1];
    if (last && this.used < last.length / this.stride) return last;
    const rows = last ? Math.min(MAX_BLOCK_ROWS, (last.length / this.stride) * 2) : FIRST_BLOCK_ROWS;
    const block = groupIdArray(rows * this.stride, 2 ** (8 * this.width));
    this.blocks.push(block);
    this.used = 0;
    return block;
  }

  /** Copies every block into `bytes`-byte ids. */
  private widen(bytes: number): void {
    this.width = bytes;
    this.blocks = this.blocks.map((block) => {
      const wider = groupIdArray(block.length, 2 ** (8 * bytes));
      wider.set(block);
      return wider;
    });
  }
}
