import type { DuckDBDataChunk } from "@duckdb/node-api";
import type * as DuckDbBindings from "@duckdb/node-bindings";

/** The validity bit of row `i` (1 = a value); `bits` undefined means every row has a value. */
export function isValid(bits: Uint8Array | undefined, i: number): boolean {
  return bits === undefined || ((bits[i >> 3]! >> (i & 7)) & 1) === 1;
}

export const decoder = new TextDecoder();

type Bindings = typeof DuckDbBindings;
let bindings: Bindings | undefined;

/**
 * Loads DuckDB's native bindings for {@link ChunkColumns}: already loaded by `@duckdb/node-api`
 * once a connection is open, so this only finds them.
 */
export async function loadChunkBindings(): Promise<void> {
  if (bindings !== undefined) return;
  const loaded = (await import("@duckdb/node-bindings")) as Bindings & { default?: Bindings };
  bindings = loaded.default ?? loaded;
}

/** A vector of fixed-width values: `items[i]` is row `i`'s value when `valid` says it has one. */
export interface ItemVector<T> {
  items: T;
  /** Validity bytes (bit `i & 7` of byte `i >> 3`); undefined when every row is valid. */
  valid: Uint8Array | undefined;
}

/**
 * A VARCHAR vector's 16-byte slots: row `i`'s byte length is the little-endian uint32 at `i * 16`,
 * and a string of at most {@link INLINE_BYTES} bytes is stored right after it (longer ones only
 * through `item`).
 */
export interface TextSlots {
  view: DataView;
  bytes: Uint8Array;
  valid: Uint8Array | undefined;
  item: (i: number) => string | null;
}

/** Longest string DuckDB keeps inside a vector's slot. */
export const INLINE_BYTES = 12;

/**
 * The columns of one DuckDB chunk, read straight through the native bindings. The bindings copy
 * each vector's data out of DuckDB (node-api's `getColumnVector` does the same, and also builds
 * a logical type and a typed vector object, which the readers, knowing each vector's type from
 * their query, do not need). A vector with no value in any row of the chunk is not copied: such
 * are nearly all the raw-text vectors beside coded categories and parsed numbers (the evaluate
 * bench's read: 4 of its 26 vectors in every one of its 490 chunks, 32 KB each). Each vector is
 * read once per chunk and kept for its other uses (a chunk split between two batches, the row
 * keys' hash).
 *
 * @example
 * await loadChunkBindings();
 * const columns = new ChunkColumns(chunk);
 * columns.doubles(0).items; // Float64Array of the chunk's rows
 */
export class ChunkColumns {
  readonly rows: number;
  private readonly raw: DuckDbBindings.DataChunk;
  private readonly read: (ItemVector<Uint8Array> | undefined)[] = [];

  constructor(chunk: DuckDBDataChunk) {
    this.raw = (chunk as unknown as { chunk: DuckDbBindings.DataChunk }).chunk;
    this.rows = chunk.rowCount;
  }

  /** A DOUBLE vector's values. */
  doubles(index: number): ItemVector<Float64Array> {
    const { items, valid } = this.vector(index, Float64Array.BYTES_PER_ELEMENT);
    return { items: new Float64Array(items.buffer, items.byteOffset, this.rows), valid };
  }

  /** A UTINYINT vector's values. */
  codes(index: number): ItemVector<Uint8Array> {
    return this.vector(index, 1);
  }

  /** A VARCHAR vector's slots (see {@link TextSlots}). */
  text(index: number): TextSlots {
    const { items: bytes, valid } = this.vector(index, 16);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const native = bindings!;
    return {
      view,
      bytes,
      valid,
      // As node-api's getItem: the bytes a longer string's pointer (slot bytes 8-15) points to.
      item: (i) => {
        if (!isValid(valid, i)) return null;
        const length = view.getUint32(i * 16, true);
        if (length <= INLINE_BYTES) return decoder.decode(bytes.subarray(i * 16 + 4, i * 16 + 4 + length));
        return decoder.decode(
          native.get_data_from_pointer(bytes.buffer as ArrayBuffer, bytes.byteOffset + i * 16 + 8, length),
        );
      },
    };
  }

  private vector(index: number, width: number): ItemVector<Uint8Array> {
    const known = this.read[index];
    if (known !== undefined) return known;
    const native = bindings!;
    const vector = native.data_chunk_get_vector(this.raw, index);
    // Whole 64-bit words, as DuckDB keeps them; null when every row is valid.
    const valid =
      (native.vector_get_validity(vector, Math.ceil(this.rows / 64) * 8) as Uint8Array | null) ?? undefined;
    // A vector with no value in any row (the raw text beside a coded or parsed column, nearly
    // always) is not copied: no row's data is read.
    const items = noneValid(valid, this.rows)
      ? zeros(this.rows * width)
      : native.vector_get_data(vector, this.rows * width);
    const read = { items, valid };
    this.read[index] = read;
    return read;
  }
}

/** Whether validity bytes `valid` give no value to any of the first `rows` rows. */
function noneValid(valid: Uint8Array | undefined, rows: number): boolean {
  if (valid === undefined) return false;
  const whole = rows >> 3;
  for (let b = 0; b < whole; b++) if (valid[b] !== 0) return false;
  return (rows & 7) === 0 || (valid[whole]! & ((1 << (rows & 7)) - 1)) === 0;
}

/** Shared zero bytes standing for the data of a vector with no value (never written). */
let zeroBytes = new Uint8Array(0);

function zeros(length: number): Uint8Array {
  if (zeroBytes.length < length) zeroBytes = new Uint8Array(length);
  return zeroBytes.subarray(0, length);
}

/**
 * Row `i` of a VARCHAR vector as a string, or null. DuckDB keeps a string of at most 12 bytes
 * inside the vector's 16-byte slot: those (nearly every category, id and date) are decoded here
 * from their bytes, ASCII without a TextDecoder call; longer ones through the slots' `item`.
 * This is most of the cost of reading text columns.
 */
export function textReader(slots: TextSlots): (i: number) => string | null {
  const { view, bytes, valid, item } = slots;
  return (i) => {
    if (!isValid(valid, i)) return null;
    const offset = i * 16;
    const length = view.getUint32(offset, true);
    if (length > INLINE_BYTES) return item(i);
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
