import { inflateRawSync } from "node:zlib";

/** One file of a zip archive, decompressed. */
export interface ZipEntry {
  name: string;
  data: Buffer;
}

/** Thrown for an archive that is not a readable zip, or that exceeds the limits. */
export class ZipError extends Error {}

/**
 * Reads every file of a zip archive (stored or deflated; the format artifact downloads use) from
 * its central directory. Bounded: at most `maxEntries` files and `maxBytes` decompressed bytes in
 * all, checked while inflating, so a "zip bomb" that lies about its sizes stops at the limit.
 * Folder entries are skipped; names are returned as written, for the caller to check.
 *
 * @example
 * readZip(bytes, { maxBytes: 50_000_000, maxEntries: 1000 });
 * // [{ name: "churn/evaluation.json", data: <Buffer 7b 0a …> }]
 */
export function readZip(zip: Buffer, limits: { maxBytes: number; maxEntries: number }): ZipEntry[] {
  const end = findEndOfCentralDirectory(zip);
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  if (count > limits.maxEntries) throw new ZipError(`it has ${count} entries; at most ${limits.maxEntries}`);
  const entries: ZipEntry[] = [];
  let total = 0;
  for (let i = 0; i < count; i += 1) {
    if (offset + 46 > zip.length || zip.readUInt32LE(offset) !== 0x02014b50) {
      throw new ZipError("its central directory is damaged");
    }
    const flags = zip.readUInt16LE(offset + 8);
    const method = zip.readUInt16LE(offset + 10);
    const compressed = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const local = zip.readUInt32LE(offset + 42);
    const name = zip.toString("utf8", offset + 46, offset + 46 + nameLength);
    offset += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith("/")) continue;
    if (flags & 0x1) throw new ZipError(`${name} is encrypted`);
    if (local + 30 > zip.length || zip.readUInt32LE(local) !== 0x04034b50) {
      throw new ZipError(`the entry of ${name} is damaged`);
    }
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    if (start + compressed > zip.length) throw new ZipError(`${name} is cut short`);
    const raw = zip.subarray(start, start + compressed);
    const room = limits.maxBytes - total;
    let data: Buffer;
    if (method === 0) data = Buffer.from(raw);
    else if (method === 8) {
      try {
        data = inflateRawSync(raw, { maxOutputLength: Math.max(room, 1) });
      } catch (error) {
        const tooBig = (error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE";
        throw new ZipError(
          tooBig ? `it unpacks to more than ${limits.maxBytes} bytes` : `${name} cannot be inflated`,
        );
      }
    } else throw new ZipError(`${name} uses compression method ${method}; expected stored or deflate`);
    total += data.length;
    if (total > limits.maxBytes) throw new ZipError(`it unpacks to more than ${limits.maxBytes} bytes`);
    entries.push({ name, data });
  }
  return entries;
}

function findEndOfCentralDirectory(zip: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65,535 bytes, at the very end.
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i -= 1) {
    if (zip.readUInt32LE(i) === 0x06054b50) return i;
  }
  throw new ZipError("it is not a zip archive");
}
