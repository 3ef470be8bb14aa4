import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import type { DuckDBConnection } from "@duckdb/node-api";
import type { TableSchema } from "@gauntlet/core";
import { UserError } from "@gauntlet/core";
import { leavesWithBooleans } from "./boolean-keys.js";
import { checkCsvHeader, csvHeader, emptyCsv } from "./csv-header.js";
import { compressionOf, type DataFormat } from "./detect-format.js";
import { connectDuckDb, JSON_STREAMING_BUFFER, sqlString } from "./duckdb-engine.js";
import { translateDuckDbError } from "./duckdb-errors.js";
import { jsonSource } from "./duckdb-json-source.js";
import { kindsOf, leavesOf, planOf } from "./duckdb-plans.js";
import { streamBatches, typedRead } from "./duckdb-rows.js";
import { lineTooLong, MAX_LINE_CHARS } from "./line-limit.js";
import { binaryFile, sniffEncoding } from "./sniff-encoding.js";
import type { FileContext, OpenedFile } from "./table-file.js";
import { fileError } from "./text-chunks.js";
import { scanText, type TextScan } from "./text-scan.js";
import { columnsWithUnderscores } from "./underscore-fields.js";

/** How much of a text file is checked for signatures and NUL bytes before DuckDB reads it. */
const sniffBytes = 64 * 1024;

/**
 * Opens a CSV/TSV, JSON Lines or Parquet file, plain or `.gz`/`.zst` compressed, through DuckDB.
 * The schema comes from the CSV header (checked for names, duplicates and a wrong separator),
 * JSON keys (nested objects flattened to dotted names) or the Parquet footer; kinds not given in
 * `context.kinds` are inferred from the first `inferRows` rows with {@link inferKind} (Parquet
 * and JSON numbers, booleans and timestamps keep their own type). Only the projected columns are
 * selected, so DuckDB reads no others. Rows stream chunk by chunk into batches of
 * `context.batchSize`; memory is bounded by the batch, not the file. CSV is read as text and
 * converted with the same rules as everywhere (a cell that does not parse is a null listed as
 * invalid, never coerced); number columns are parsed by DuckDB's CSV reader for as long as that
 * gives the same values (see {@link TypedRead}). DuckDB errors become a {@link UserError} naming file, line and fix.
 *
 * @example
 * const file = await openDuckDbFile(context, "csv");
 * file.schema; // [{ name: "customer_id", kind: "category" }, { name: "age", kind: "number" }, ...]
 */
export async function openDuckDbFile(context: FileContext, format: DataFormat): Promise<OpenedFile> {
  const compression = compressionOf(context.display);
  const head = await readHead(context);
  // Fields holding an underscore, counted while a plain CSV is scanned (see planOf); the keys
  // holding a boolean, found while a plain JSON Lines file is (see BooleanKeys).
  let underscores: Map<number, number> | undefined;
  let booleans: ReadonlySet<string> | undefined;
  /** The long-line scan of a plain CSV, running while DuckDB starts and reads its header. */
  let scanning: Promise<TextScan> | undefined;
  if (compression === undefined && format !== "parquet") {
    const known = sniffEncoding(head, context.display);
    if (known) throw known;
    const nul = head.indexOf(0);
    if (nul !== -1) throw binaryFile(nul, context.display);
    if (isBlank(head) && head.length < sniffBytes) {
      if (format === "csv") throw emptyCsv(context.display);
      return { schema: [], batches: async function* () {}, close: async () => {} };
    }
    // DuckDB reads a JSON line longer than its limit whole when its buffer holds it, and a CSV
    // whose first record is far longer than its buffer (1 GB) as no rows at all: check first. A
    // physical line over the limit is a record over it, so the scan refuses no valid CSV. A
    // CSV's header and first rows, or a JSON file's sampled keys and first rows, are read
    // meanwhile (in bounded buffers: DuckDB's JSON objects are capped at the limit; the rows
    // only once the scan has passed): DuckDB's start and queries that would wait for it.
    scanning = startScan(context, format, head);
  }
  if (format === "parquet" && !isParquet(head)) {
    throw new UserError(
      "is not a readable Parquet file (it does not start with the Parquet signature PAR1)",
      {
        file: context.display,
        fix: "write the file with a Parquet writer (pandas.to_parquet, pyarrow), or use the extension that matches its format",
      },
    );
  }
  // DuckDB reads a gzip file cut short as if it ended there: check the stream is whole first.
  if (compression === "gzip" && !context.schemaOnly) await checkGzip(context);
  const connection = await connectDuckDb(
    format === "jsonl" ? { streamingBuffer: JSON_STREAMING_BUFFER } : {},
  );
  const close = async () => connection.closeSync();
  try {
    const { source: detected, csv } = await sourceOf(connection, context, format, compression);
    const json = format === "jsonl" ? await jsonSource(connection, detected, context) : undefined;
    const source = json?.source ?? detected;
    const leaves = await leavesOf(connection, source, context);
    const projected = leaves.filter(
      (leaf) => context.columns === undefined || context.columns.has(leaf.name),
    );
    const kinds = await kindsOf(connection, source, projected, context, format);
    const schema: TableSchema = projected.map((leaf, j) => ({ name: leaf.name, kind: kinds[j]! }));
    // A CSV's leaves are its header's fields, in order.
    const viewOf = (found: Map<number, number> | undefined) => {
      const withUnderscores = columnsWithUnderscores(
        leaves.map((leaf) => leaf.name),
        found,
      );
      const plans = projected.map((leaf, j) => planOf(leaf, kinds[j]!, withUnderscores));
      const typed = csv && withUnderscores ? typedRead(plans, withUnderscores, csv) : undefined;
      return { connection, source, columns: plans, typed };
    };
    if (format === "csv" && scanning && context.sqlAhead) {
      // The caller may aggregate while the scan runs, as if no cell held an underscore (every
      // number column typed); rows stream only once the scan has passed, as it allows.
      const settled = passed(scanning, context.display).then((scan) => viewOf(scan.underscores));
      settled.catch(() => {});
      return {
        schema,
        sql: { ...viewOf(new Map()), settled },
        batches: async function* () {
          const { columns, typed } = await settled;
          yield* streamBatches(connection, source, columns, context, format, typed);
        },
        close,
      };
    }
    if (format === "csv" && scanning) ({ underscores } = await passed(scanning, context.display));
    if (format === "jsonl" && scanning) ({ booleans } = await passed(scanning, context.display));
    const { columns: plans, typed } = viewOf(underscores);
    // A JSON read's number leaves are parsed by DuckDB's JSON reader unless their key may hold
    // a boolean (which it would read as 1 or 0); only the streamed rows take it (the summary's
    // typed columns are a CSV's).
    const jsonTyped =
      json?.typed && booleans
        ? typedRead(
            plans,
            leavesWithBooleans(
              schema.map((c) => c.name),
              booleans,
            ),
            json.typed,
          )
        : undefined;
    return {
      schema,
      sql: { connection, source, columns: plans, typed },
      batches: () => streamBatches(connection, source, plans, context, format, typed ?? jsonTyped),
      close,
    };
  } catch (error) {
    await close();
    // A line over the limit is what DuckDB stumbled on (or read as no rows): say that instead.
    if (scanning) await passed(scanning, context.display);
    throw await translateDuckDbError(error, context, format);
  }
}

/** The scan of a file with no line over the limit; the error naming the first one otherwise. */
async function passed(scanning: Promise<TextScan>, display: string): Promise<TextScan> {
  const scan = await scanning;
  if (scan.long !== undefined) throw lineTooLong(display, scan.long, MAX_LINE_CHARS);
  return scan;
}

/**
 * Starts (or finds kept) the long-line scan of a plain CSV or JSON Lines file whose first bytes
 * are `head` (see {@link scanText}); undefined for Parquet. Its failure is handled here: the
 * caller awaits the promise where the error belongs.
 */
export function startScan(
  file: { path: string; display: string },
  format: DataFormat,
  head: Buffer,
): Promise<TextScan> | undefined {
  if (format !== "jsonl" && format !== "csv") return undefined;
  const delimiter = format === "csv" ? (isTsv(file.display) ? "\t" : ",") : undefined;
  const scanning = scanText(file.path, file.display, head, MAX_LINE_CHARS, delimiter);
  scanning.catch(() => {});
  return scanning;
}

/** The first bytes of a file (up to 64 KiB), checked for signatures and NUL bytes. */
export async function readHead(context: { path: string; display: string }): Promise<Buffer> {
  try {
    const handle = await open(context.path, "r");
    try {
      const buffer = Buffer.alloc(sniffBytes);
      const { bytesRead } = await handle.read(buffer, 0, sniffBytes, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw fileError(error, context.display);
  }
}

/**
 * Decompresses a gzip file to nowhere, so that one cut short (which DuckDB would read as far as
 * it goes, silently) is an error. About a third of DuckDB's own reading time.
 */
async function checkGzip(context: FileContext): Promise<void> {
  try {
    await pipeline(
      createReadStream(context.path),
      createGunzip(),
      new Writable({ write: (_c, _e, done) => done() }),
    );
  } catch (error) {
    throw new UserError(`could not be decompressed (${(error as Error).message})`, {
      file: context.display,
      fix: "the file is cut short or not gzip: write it again (check it with gzip -t), or decompress it in an earlier step",
    });
  }
}

export function isBlank(head: Uint8Array): boolean {
  return head.every((byte) => byte === 32 || byte === 9 || byte === 10 || byte === 13);
}

function isParquet(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x41 && head[2] === 0x52 && head[3] === 0x31;
}

/**
 * The table function call that reads the file; for a CSV, also the same call with the columns
 * of `doubles` read as DOUBLE by DuckDB's CSV reader (see {@link TypedRead}).
 */
async function sourceOf(
  connection: DuckDBConnection,
  context: FileContext,
  format: DataFormat,
  compression: "gzip" | "zstd" | undefined,
): Promise<{ source: string; csv?: (doubles: ReadonlySet<string>) => string }> {
  const path = sqlString(context.path);
  const compressed = `compression=${sqlString(compression ?? "uncompressed")}`;
  if (format === "parquet") return { source: `read_parquet(${path})` };
  if (format === "jsonl") {
    // sample_size=-1: every key of every line becomes a column, whatever line it first appears on.
    return {
      source: `read_json(${path}, format='newline_delimited', records=true, sample_size=-1, maximum_object_size=${MAX_LINE_CHARS}, ${compressed})`,
    };
  }
  const delimiter = isTsv(context.display) ? "\t" : ",";
  const header = await csvHeader(connection, context.path, compressed, delimiter);
  if (header === undefined) throw emptyCsv(context.display);
  context.headerLine = header.line;
  const names = checkCsvHeader(header.fields, delimiter, context.display, header.line);
  const read = (doubles: ReadonlySet<string>) => {
    const columns = names
      .map((name) => `${sqlString(name)}: '${doubles.has(name) ? "DOUBLE" : "VARCHAR"}'`)
      .join(", ");
    return (
      `read_csv(${path}, header=true, auto_detect=false, skip=${header.line - 1}, columns={${columns}}, ` +
      `delim=${sqlString(delimiter)}, quote='"', escape='"', strict_mode=true, ` +
      `max_line_size=${MAX_LINE_CHARS}, buffer_size=${MAX_LINE_CHARS + 1024 * 1024}, ${compressed})`
    );
  };
  return { source: read(new Set()), csv: read };
}

export function isTsv(display: string): boolean {
  return /\.tsv(\.gz|\.zst)?$/i.test(display);
}
