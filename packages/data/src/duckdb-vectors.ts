/** The validity bit of row `i` (1 = a value); `bits` undefined means every row has a value. */
export function isValid(bits: Uint8Array | undefined, i: number): boolean {
  return bits === undefined || ((bits[i >> 3]! >> (i & 7)) & 1) === 1;
}

/** The validity mask of a DuckDB vector as bytes, or undefined when every row is valid. */
export function validityOf(vector: unknown): Uint8Array | undefined {
  const data = (vector as { validity?: { data?: BigUint64Array | null } }).validity?.data;
  return data ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : undefined;
}

export const decoder = new TextDecoder();

/**
 * A VARCHAR vector's 16-byte slots: row `i`'s byte length is the little-endian uint32 at `i * 16`,
 * and a string of at most {@link INLINE_BYTES} bytes is stored right after it (longer ones only
 * through `getItem`).
 */
export interface TextSlots {
  view: DataView;
  bytes: Uint8Array;
  valid: Uint8Array | undefined;
  item: (i: number) => string | null;
}

/** Longest string DuckDB keeps inside a vector's slot. */
export const INLINE_BYTES = 12;

/** The slots of a VARCHAR vector (see {@link TextSlots}). */
export function textSlots(vector: unknown): TextSlots {
  const { dataView } = vector as { dataView: DataView };
  return {
    view: dataView,
    bytes: new Uint8Array(dataView.buffer, dataView.byteOffset, dataView.byteLength),
    valid: validityOf(vector),
    item: (vector as { getItem(i: number): string | null }).getItem.bind(vector),
  };
}

/**
 * Row `i` of a VARCHAR vector as a string, or null. DuckDB keeps a string of at most 12 bytes
 * inside the vector's 16-byte slot: those (nearly every category, id and date) are decoded here
 * from their bytes, ASCII without a TextDecoder call; longer ones through the vector's own
 * `getItem`. This is most of the cost of reading text columns, which is why it is not `getItem`.
 */
export function textReader(vector: unknown): (i: number) => string | null {
  const { view, bytes, valid, item } = textSlots(vector);
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
