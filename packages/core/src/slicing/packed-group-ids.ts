import { type GroupIds, groupIdArray } from "./group-ids.js";

/**
 * Row-major group ids as bit fields, one or a few 32-bit words a row: row i's group in grouping j
 * is `((words[i · wordsPerRow + word[j]] >>> shift[j]) & mask[j]) + offset[j]`. Ten groupings of
 * a few groups each fit one word, so a walk in score order reads one word per row at random
 * instead of ten or more bytes — about a third of the cache lines and pages.
 */
export interface GroupFields {
  words: Uint32Array;
  wordsPerRow: number;
  word: Int32Array;
  shift: Int32Array;
  mask: Int32Array;
  offset: Int32Array;
}

/** Fields for groupings whose ids lie in `[low[j], high[j]]`, none straddling two words. */
function fieldLayout(low: ArrayLike<number>, high: ArrayLike<number>, rows: number): GroupFields {
  const G = low.length;
  const word = new Int32Array(G);
  const shift = new Int32Array(G);
  const mask = new Int32Array(G);
  const offset = new Int32Array(G);
  let at = 0;
  let used = 0;
  for (let j = 0; j < G; j++) {
    const span = high[j]! - low[j]!;
    const bits = span > 0 ? 32 - Math.clz32(span) : 0;
    if (used + bits > 32) {
      at += 1;
      used = 0;
    }
    word[j] = at;
    shift[j] = used;
    mask[j] = bits === 0 ? 0 : bits === 32 ? -1 : (1 << bits) - 1;
    offset[j] = low[j]!;
    used += bits;
  }
  const wordsPerRow = at + 1;
  return { words: new Uint32Array(rows * wordsPerRow), wordsPerRow, word, shift, mask, offset };
}

/**
 * {@link GroupFields} of per-grouping group ids (`groupIds[j][i]`: row i's group in grouping j).
 *
 * @example
 * const f = groupFields([new Uint8Array(2), Uint8Array.of(3, 4)], 2);
 * ((f.words[1] >>> f.shift[1]) & f.mask[1]) + f.offset[1]; // 4
 */
export function groupFields(groupIds: readonly ArrayLike<number>[], rows: number): GroupFields {
  const low = groupIds.map((ids) => {
    let m = rows > 0 ? ids[0]! : 0;
    for (let i = 1; i < rows; i++) if (ids[i]! < m) m = ids[i]!;
    return m;
  });
  const high = groupIds.map((ids) => {
    let m = rows > 0 ? ids[0]! : 0;
    for (let i = 1; i < rows; i++) if (ids[i]! > m) m = ids[i]!;
    return m;
  });
  const fields = fieldLayout(low, high, rows);
  const { words, wordsPerRow, word, shift } = fields;
  groupIds.forEach((ids, j) => {
    const o = word[j]!;
    const s = shift[j]!;
    const base = low[j]!;
    for (let i = 0; i < rows; i++) words[i * wordsPerRow + o]! |= (ids[i]! - base) << s;
  });
  return fields;
}

/** Rows of the first block; each next block doubles, up to {@link MAX_BLOCK_ROWS}. */
const FIRST_BLOCK_ROWS = 1 << 12;
/** Largest block: 1M rows (11 MB at one byte and 11 groupings), mapped on its own and so given back when freed. */
const MAX_BLOCK_ROWS = 1 << 20;

/**
 * Row-major group ids appended batch by batch: row i's group in grouping j is at `i · stride + j`,
 * grouping 0 being every row (always group 0). Stored in blocks as narrow as the largest id yet
 * seen allows (widened, rarely, when a batch brings more groups), so 10M rows of 11 groupings of
 * at most 256 groups take 110 MB, and joined once at the end through a mapping of the ids: into
 * one row-major array (`finish`), or into the bit fields `fieldRankingSums` reads (`finishFields`).
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

  /**
   * {@link finish} as {@link GroupFields}: `low[j]` and `high[j]` bound the mapped ids of
   * grouping j (`map[id]` of every id it holds).
   */
  finishFields(map: Int32Array, low: ArrayLike<number>, high: ArrayLike<number>): GroupFields {
    const fields = fieldLayout(low, high, this.rows);
    const { words, wordsPerRow, word, shift } = fields;
    const G = this.stride;
    let row = 0;
    for (let b = 0; b < this.blocks.length; b++) {
      const block = this.blocks[b]!;
      const n = Math.min(block.length / G, this.rows - row);
      for (let r = 0; r < n; r++) {
        const at = (row + r) * wordsPerRow;
        for (let j = 0; j < G; j++) {
          words[at + word[j]!]! |= (map[block[r * G + j]!]! - low[j]!) << shift[j]!;
        }
      }
      row += n;
      this.blocks[b] = block.subarray(0, 0);
    }
    this.blocks = [];
    this.rows = 0;
    this.used = 0;
    return fields;
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
