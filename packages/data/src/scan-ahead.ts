import type { UserErrorLocation } from "@gauntlet/core";
import { compressionOf, detectFormat } from "./detect-format.js";
import { isBlank, readHead, startScan } from "./duckdb-file.js";
import { resolveDataPaths } from "./resolve-data-files.js";
import { sniffEncoding } from "./sniff-encoding.js";
import type { TextScan } from "./text-scan.js";

/**
 * Starts the one pass over a plain CSV or JSON Lines file (long lines, underscores, boolean keys:
 * see `scanText`) that reading it will wait for, so that it runs while the caller does other work
 * first (drift-check loads its reference meanwhile: the pass mostly waits on the disk, the
 * reference mostly computes). The read that opens the file then finds the scan kept, or running.
 * For a glob, its first file. Nothing is reported here: a path, format or content that is wrong
 * is met, with its error, when the file is read, in the order it would be anyway; a file that is
 * not plain text is not scanned. Settles, never rejecting, with what the scan found (the object
 * the read gets), or undefined.
 *
 * @example
 * void scanAhead("logs/predictions.jsonl", { cwd }); // settles when the scan has (never rejects)
 * // …load the reference…, then readTable("logs/predictions.jsonl", …) finds the scan begun
 */
export async function scanAhead(
  pathOrGlob: string,
  options: { cwd: string; origin?: UserErrorLocation },
): Promise<TextScan | undefined> {
  try {
    const [file] = await resolveDataPaths(pathOrGlob, options.cwd, options.origin);
    if (file === undefined || compressionOf(file.display) !== undefined) return undefined;
    const format = detectFormat(file.display);
    const head = await readHead(file);
    if (sniffEncoding(head, file.display) || head.indexOf(0) !== -1 || isBlank(head)) return undefined;
    return await startScan(file, format, head);
  } catch {
    return undefined; // reported by the read (see above)
  }
}
