import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import type { DuckDBConnection, DuckDBDataChunk, DuckDBType } from "@duckdb/node-api";
import type { Batch, Column, ColumnKind, InvalidCell, TableSchema } from "@gauntlet/core";
import { UserError } from "@gauntlet/core";
import { ColumnWriter } from "./column-writer.js";
import { checkCsvHeader, csvHeader, emptyCsv } from "./csv-header.js";
import { compressionOf, type DataFormat } from "./detect-format.js";
import { connectDuckDb, sqlName, sqlString } from "./duckdb-engine.js";
import { translateDuckDbError } from "./duckdb-errors.js";
import { inferKind } from "./infer-kind.js";
import { lineTooLong, MAX_LINE_CHARS } from "./line-limit.js";
import { binaryFile, sniffEncoding } from "./sniff-encoding.js";
import type { FileContext, OpenedFile } from "./table-file.js";
import { fileError } from "./text-chunks.js";
import { scanText } from "./text-scan.js";
import { columnsWithUnderscores } from "./underscore-fields.js";

/** How much of a text file is checked for signatures and NUL bytes before DuckDB reads it. */
const sniffBytes = 64 * 1024;

/**
 * A leaf column of the file as DuckDB gives it: nested objects (JSON, Parquet STRUCTs) are
 * flattened to dotted names such as `inputs.age`, each with the SQL expression that extracts it.
 */
interface Leaf {
  name: string;
  expr: string;
  type: DuckDBType;
}

/**
 * How one column's values travel from DuckDB: `double` as a zero-copy Float64Array that DuckDB
 * filled (numbers it parsed, plus, for text, the raw text of the cells it could not parse, which
 * are then parsed here so that `NaN` and `Infinity` keep their meaning and anything else is
 * listed as invalid); `text` as strings that {@link ColumnWriter} converts.
 */
export type Plan =
  | {
      name: string;
      kind: ColumnKind;
      how: "double";
      value: string;
      /** The text DuckDB parsed into `value`, whose cells come back where `value` is null. */
      raw: string | undefined;
    }
  | { name: string; kind: ColumnKind; how: "text"; value: string };

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
  // Fields holding an underscore, counted while a plain CSV is scanned (see planOf).
  let underscores: Map<number, number> | undefined;
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
    // physical line over the limit is a record over it, so the scan refuses no valid CSV.
    if (format === "jsonl" || format === "csv") {
      const delimiter = format === "csv" ? (isTsv(context.display) ? "\t" : ",") : undefined;
      const scan = await scanText(context.path, context.display, head, MAX_LINE_CHARS, delimiter);
      if (scan.long !== undefined) throw lineTooLong(context.display, scan.long, MAX_LINE_CHARS);
      underscores = scan.underscores;
    }
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
  const connection = await connectDuckDb();
  const close = async () => connection.closeSync();
  try {
    const { source: detected, csv } = await sourceOf(connection, context, format, compression);
    const source = format === "jsonl" ? await jsonSource(connection, detected, context) : detected;
    const leaves = await leavesOf(connection, source, context);
    const projected = leaves.filter(
      (leaf) => context.columns === undefined || context.columns.has(leaf.name),
    );
    const kinds = await kindsOf(connection, source, projected, context, format);
    const schema: TableSchema = projected.map((leaf, j) => ({ name: leaf.name, kind: kinds[j]! }));
    // A CSV's leaves are its header's fields, in order.
    const withUnderscores = columnsWithUnderscores(
      leaves.map((leaf) => leaf.name),
      underscores,
    );
    const plans = projected.map((leaf, j) => planOf(leaf, kinds[j]!, withUnderscores));
    const typed = csv && withUnderscores ? typedRead(plans, withUnderscores, csv) : undefined;
    return {
      schema,
      sql: { connection, source, columns: plans, typed },
      batches: () => streamBatches(connection, source, plans, context, format, typed),
      close,
    };
  } catch (error) {
    await close();
    throw await translateDuckDbError(error, context, format);
  }
}

async function readHead(context: FileContext): Promise<Buffer> {
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

function isBlank(head: Uint8Array): boolean {
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

/**
 * `read_json` with its columns given, so that the queries that follow (sample, rows) do not
 * detect them again. With a projection, when DuckDB's detection on its default sample (the first
 * 20,480 lines) already finds every projected column, only those are declared and each as
 * VARCHAR, which holds any JSON value (numbers as written, objects as JSON text) and is converted
 * by the plans below with the same rules as a column of mixed values: the file is parsed once, not
 * twice (the full-file detection costs as much as reading, 2.4 s for the 284 MB drift bench log),
 * and keys that are not projected are not materialised. A projected column the sample lacks,
 * or no projection, takes the full-file detection: every key of every line is a column, whatever
 * line it first appears on, with the types DuckDB prints (mixed values become VARCHAR).
 */
async function jsonSource(
  connection: DuckDBConnection,
  detected: string,
  context: FileContext,
): Promise<string> {
  if (context.columns !== undefined && !context.schemaOnly) {
    const sampled = detected.replace("sample_size=-1, ", "");
    const probe = await connection.run(`SELECT * FROM ${sampled} LIMIT 0`);
    const declared = projectedColumns(probe.columnNames(), probe.columnTypes(), context.columns);
    if (declared !== undefined) return detected.replace("sample_size=-1", `columns={${declared}}`);
  }
  const probe = await connection.run(`SELECT * FROM ${detected} LIMIT 0`);
  const types = probe.columnTypes();
  const columns = probe
    .columnNames()
    .map((name, j) => `${sqlString(name)}: ${sqlString(types[j]!.toString())}`)
    .join(", ");
  return detected.replace("sample_size=-1", `columns={${columns}}`);
}

/**
 * The `columns={…}` of a JSON read that materialises only the `projected` leaves (flattened names
 * as {@link leavesOf} gives them), each as VARCHAR inside the STRUCTs that hold it; undefined when
 * a projected name is not among the leaves of `names`/`types`.
 */
function projectedColumns(
  names: readonly string[],
  types: readonly DuckDBType[],
  projected: ReadonlySet<string>,
): string | undefined {
  const found = new Set<string>();
  const typeOf = (name: string, type: DuckDBType): string | undefined => {
    if (type.typeId !== STRUCT || !("entryNames" in type)) {
      if (!projected.has(name)) return undefined;
      found.add(name);
      return "VARCHAR";
    }
    const { entryNames, entryTypes } = type as unknown as {
      entryNames: readonly string[];
      entryTypes: readonly DuckDBType[];
    };
    const entries = entryNames.flatMap((key, k) => {
      const inner = typeOf(`${name}.${key}`, entryTypes[k]!);
      return inner === undefined ? [] : [`${sqlName(key)} ${inner}`];
    });
    return entries.length === 0 ? undefined : `STRUCT(${entries.join(", ")})`;
  };
  const columns = names.flatMap((name, j) => {
    const type = typeOf(name, types[j]!);
    return type === undefined ? [] : [`${sqlString(name)}: ${sqlString(type)}`];
  });
  if ([...projected].some((name) => !found.has(name))) return undefined;
  // A file with no projected column still has rows: one declared column counts them.
  if (columns.length === 0) return undefined;
  return columns.join(", ");
}

function isTsv(display: string): boolean {
  return /\.tsv(\.gz|\.zst)?$/i.test(display);
}

/** The file's leaf columns, nested STRUCTs flattened to dotted names. */
async function leavesOf(connection: DuckDBConnection, source: string, context: FileContext): Promise<Leaf[]> {
  const probe = await connection.run(`SELECT * FROM ${source} LIMIT 0`);
  const names = probe.columnNames();
  const types = probe.columnTypes();
  const leaves: Leaf[] = [];
  const walk = (name: string, expr: string, type: DuckDBType): void => {
    if (type.typeId === STRUCT && "entryNames" in type) {
      const { entryNames, entryTypes } = type as unknown as {
        entryNames: readonly string[];
        entryTypes: readonly DuckDBType[];
      };
      entryNames.forEach((key, k) => {
        walk(`${name}.${key}`, `struct_extract(${expr}, ${sqlString(key)})`, entryTypes[k]!);
      });
      return;
    }
    leaves.push({ name, expr, type });
  };
  names.forEach((name, j) => {
    walk(name, sqlName(name), types[j]!);
  });
  const seen = new Set<string>();
  for (const leaf of leaves) {
    if (seen.has(leaf.name)) {
      throw new UserError(`gives column "${leaf.name}" twice (after flattening nested objects)`, {
        file: context.display,
        field: leaf.name,
        fix: `rename either the key "${leaf.name}" or the nested object that also flattens to it`,
      });
    }
    seen.add(leaf.name);
  }
  return leaves;
}

// DuckDB type ids (DuckDBTypeId in duckdb.h); numbers keep @duckdb/node-api out of the module
// graph until a file is read.
const BOOLEAN = 1;
/** TINYINT … DOUBLE, HUGEINT, DECIMAL, UHUGEINT. */
const NUMERIC = new Set([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 16, 19, 32]);
/** TIMESTAMP, DATE, TIMESTAMP_S/MS/NS, TIMESTAMP_TZ. */
const TIMESTAMP_LIKE = new Set([12, 13, 20, 21, 22, 31]);
const TIMESTAMP_TZ = 31;
const STRUCT = 25;
const VARCHAR = 17;
/** LIST, MAP, ARRAY: written as their JSON text. */
const NESTED = new Set([24, 26, 33]);

function isNumeric(type: DuckDBType): boolean {
  return NUMERIC.has(type.typeId);
}

/** The expression giving a leaf as text, the way the user wrote it. */
function textOf(leaf: Leaf): string {
  if (leaf.type.alias === "JSON") return `(${leaf.expr} ->> '$')`;
  if (leaf.type.typeId === VARCHAR) return leaf.expr;
  if (NESTED.has(leaf.type.typeId)) return `CAST(to_json(${leaf.expr}) AS VARCHAR)`;
  return `CAST(${leaf.expr} AS VARCHAR)`;
}

/** The kind of each projected leaf: given, the file's own type, or inferred from a sample. */
async function kindsOf(
  connection: DuckDBConnection,
  source: string,
  leaves: Leaf[],
  context: FileContext,
  format: DataFormat,
): Promise<ColumnKind[]> {
  const kinds: (ColumnKind | undefined)[] = leaves.map((leaf) => {
    const given = context.kinds.get(leaf.name);
    if (given !== undefined) return given;
    const own = ownKind(leaf.type, format);
    if (own !== undefined) context.kinds.set(leaf.name, own);
    return own;
  });
  const unknown = leaves.filter((_, j) => kinds[j] === undefined);
  if (unknown.length === 0) return kinds as ColumnKind[];
  const sample = await connection.run(
    `SELECT ${unknown.map(textOf).join(", ")} FROM ${source} LIMIT ${context.inferRows}`,
  );
  const columns: (string | null)[][] = unknown.map(() => []);
  for (
    let chunk = await sample.fetchChunk();
    chunk !== null && chunk.rowCount > 0;
    chunk = await sample.fetchChunk()
  ) {
    for (let j = 0; j < unknown.length; j++) {
      const vector = chunk.getColumnVector(j);
      for (let i = 0; i < chunk.rowCount; i++) columns[j]!.push(vector.getItem(i) as string | null);
    }
  }
  let u = 0;
  return kinds.map((kind, j) => {
    if (kind !== undefined) return kind;
    const values = columns[u++]!;
    const inferred = inferKind(values);
    // An all-missing sample says nothing: the next file of a glob may decide.
    if (values.some((value) => value !== null && value !== "")) context.kinds.set(leaves[j]!.name, inferred);
    return inferred;
  });
}

/** The kind a typed format (JSON, Parquet) gives a column itself; text columns are inferred. */
function ownKind(type: DuckDBType, format: DataFormat): ColumnKind | undefined {
  if (format === "csv") return undefined;
  if (type.typeId === BOOLEAN) return "boolean";
  if (TIMESTAMP_LIKE.has(type.typeId)) return "timestamp";
  if (isNumeric(type)) return "number";
  if (format === "parquet") return "category";
  if (NESTED.has(type.typeId)) return "category";
  return undefined;
}

/** The UTC date-times DuckDB's TIMESTAMP cast reads exactly as parseTimestamp does. */
const UTC_DATE_TIME = String.raw`\d{4}-\d{2}-\d{2}[T ]([01]\d|2[0-3]):\d{2}:\d{2}(\.\d{3})?Z?`;

/**
 * How a leaf's values are read. `withUnderscores` are the columns that may hold an underscore in
 * some cell (undefined: any may); only their number cells are checked for one.
 */
function planOf(leaf: Leaf, kind: ColumnKind, withUnderscores: ReadonlySet<string> | undefined): Plan {
  if (kind === "number" && isNumeric(leaf.type)) {
    return { name: leaf.name, kind, how: "double", value: `CAST(${leaf.expr} AS DOUBLE)`, raw: undefined };
  }
  if (kind === "number") {
    // DuckDB reads "1_000" as 1000, and "nan" or "inf" as NaN or infinity: the first is kept
    // from its cast here, the others come back as raw text where the rows are streamed (a NaN
    // or infinity from the cast), and each is parsed like every other number cell, or listed
    // as invalid.
    const text = textOf(leaf);
    const cast = `TRY_CAST(${text} AS DOUBLE)`;
    const parsed =
      withUnderscores === undefined || withUnderscores.has(leaf.name)
        ? `CASE WHEN contains(${text}, '_') THEN NULL ELSE ${cast} END`
        : cast;
    return {
      name: leaf.name,
      kind,
      how: "double",
      value: parsed,
      raw: text,
    };
  }
  if (kind === "timestamp" && TIMESTAMP_LIKE.has(leaf.type.typeId)) {
    const instant = leaf.type.typeId === TIMESTAMP_TZ ? leaf.expr : `CAST(${leaf.expr} AS TIMESTAMP)`;
    const value = `CAST(epoch_ms(${instant}) AS DOUBLE)`;
    return { name: leaf.name, kind, how: "double", value, raw: undefined };
  }
  if (kind === "timestamp") {
    // Plain dates (2024-03-01, UTC midnight) and UTC date-times (2024-03-01T12:30:00.250Z, with
    // a space or without the Z) are parsed by DuckDB, which reads these forms as parseTimestamp
    // does (hour 24 it would take as the next day: excluded); any other text comes back raw and
    // is parsed by parseTimestamp, as before.
    const text = textOf(leaf);
    const parsed =
      `CASE WHEN ${text} LIKE '____-__-__' THEN CAST(epoch_ms(CAST(TRY_CAST(${text} AS DATE) AS TIMESTAMP)) AS DOUBLE) ` +
      `WHEN regexp_full_match(${text}, '${UTC_DATE_TIME}') THEN CAST(epoch_ms(TRY_CAST(${text} AS TIMESTAMP)) AS DOUBLE) END`;
    return { name: leaf.name, kind, how: "double", value: parsed, raw: text };
  }
  return { name: leaf.name, kind, how: "text", value: textOf(leaf) };
}

/**
 * A category column read as one-byte codes into `dictionary` (code `c` is `dictionary[c - 1]`),
 * the distinct values of the file's first {@link CODE_SAMPLE_ROWS} rows: DuckDB matches each
 * cell against them, so no string crosses into JavaScript for those; a cell with another value
 * comes back as its `raw` text.
 */
interface CodesPlan {
  name: string;
  kind: "category";
  how: "codes";
  value: string;
  raw: string;
  dictionary: string[];
}

/** A plan as the rows query carries it out. */
type Streamed = Plan | CodesPlan;

/** Rows sampled for a category column's dictionary. */
const CODE_SAMPLE_ROWS = 2048;
/** Most values a dictionary holds (codes are one byte, 0 meaning none). */
const MAX_CODES = 255;

/**
 * `plans` with each category column of few distinct values (at most {@link MAX_CODES}, and at
 * most a quarter of the sampled rows) read as codes: strings are the cost of reading text
 * columns, and nearly every cell of a category column is one of a few values.
 */
async function withCodes(connection: DuckDBConnection, source: string, plans: Plan[]): Promise<Streamed[]> {
  const texts = plans.flatMap((plan, j) => (plan.how === "text" && plan.kind === "category" ? [j] : []));
  if (texts.length === 0) return plans;
  const sample = await connection.run(
    `SELECT count(*), ${texts.map((j) => `list(DISTINCT c${j}) FILTER (WHERE c${j} IS NOT NULL)`).join(", ")} ` +
      `FROM (SELECT ${texts.map((j) => `${plans[j]!.value} AS c${j}`).join(", ")} FROM ${source} LIMIT ${CODE_SAMPLE_ROWS})`,
  );
  const [row] = await sample.getRowsJS();
  const rows = Number(row![0]);
  const out: Streamed[] = [...plans];
  texts.forEach((j, k) => {
    const dictionary = (row![k + 1] as string[] | null) ?? [];
    if (dictionary.length === 0 || dictionary.length > MAX_CODES || dictionary.length * 4 > rows) return;
    const text = plans[j]!.value;
    const list = `[${dictionary.map(sqlString).join(", ")}]::VARCHAR[]`;
    out[j] = {
      name: plans[j]!.name,
      kind: "category",
      how: "codes",
      value: `CAST(nullif(list_position(${list}, ${text}), 0) AS UTINYINT)`,
      raw: text,
      dictionary,
    };
  });
  return out;
}

/**
 * A CSV read in which DuckDB's CSV reader parses the number `columns` itself (declared DOUBLE in
 * `source`) instead of handing their text to a cast: less of DuckDB's work, and no raw text
 * column per number column to carry. Its values are the text plan's (the same DuckDB parse) for
 * as long as every cell parses and is finite, and no other is used: DuckDB stops with an error at
 * a cell it cannot parse, and reads "nan" or "inf" as NaN or infinity, which parseNumber may
 * refuse. At the first such chunk the rows read so far stand and the text plan reads the rest,
 * listing or parsing each such cell as always. A column that may hold an underscore (which
 * DuckDB reads as a digit separator) is never typed.
 */
export interface TypedRead {
  source: string;
  columns: ReadonlySet<string>;
}

/** The typed read of `plans`' number columns that hold no underscore, if there are any. */
function typedRead(
  plans: readonly Plan[],
  withUnderscores: ReadonlySet<string>,
  csv: (doubles: ReadonlySet<string>) => string,
): TypedRead | undefined {
  const columns = new Set(
    plans
      .filter((p) => p.kind === "number" && p.how === "double" && p.raw !== undefined)
      .filter((p) => !withUnderscores.has(p.name))
      .map((p) => p.name),
  );
  return columns.size === 0 ? undefined : { source: csv(columns), columns };
}

/** Whether a plan's rows query also gives the raw text of the cells its value leaves out. */
function withRaw(plan: Streamed): plan is Streamed & { raw: string } {
  return plan.how !== "text" && plan.raw !== undefined;
}

/** The query giving `plans`' vectors, in order, from row `offset` (0-based) of `source` on. */
function rowsQuery(source: string, plans: readonly Streamed[], offset: number): string {
  const from = offset === 0 ? "" : ` OFFSET ${offset}`;
  // A file with no projected column still has rows: count them through a constant.
  if (plans.length === 0) return `SELECT 1 FROM ${source}${from}`;
  // Each value is computed once, in the inner query; the outer one adds, for text parsed by
  // DuckDB or matched against a dictionary, the raw text of the cells it could not, and of
  // those it read as NaN or infinity: its cast also takes "nan", "inf", "-INFINITY" and the
  // like, which parseNumber refuses, so those cells are parsed again from their text.
  const inner = plans.flatMap((plan, j) =>
    withRaw(plan) ? [`${plan.value} AS v${j}`, `${plan.raw} AS t${j}`] : [`${plan.value} AS v${j}`],
  );
  const unread = (plan: Streamed, j: number) =>
    plan.kind === "number" ? `(v${j} IS NULL OR NOT isfinite(v${j}))` : `v${j} IS NULL`;
  const outer = plans.flatMap((plan, j) =>
    withRaw(plan)
      ? [`v${j}`, `CASE WHEN t${j} IS NOT NULL AND ${unread(plan, j)} THEN t${j} END`]
      : [`v${j}`],
  );
  return `SELECT ${outer.join(", ")} FROM (SELECT ${inner.join(", ")} FROM ${source})${from}`;
}

/** `plans` with the typed read's columns taken as DuckDB's CSV reader gives them. */
function typedPlans(plans: readonly Streamed[], typed: TypedRead): Streamed[] {
  return plans.map((plan) =>
    plan.how === "double" && typed.columns.has(plan.name)
      ? { ...plan, value: sqlName(plan.name), raw: undefined }
      : plan,
  );
}

/** Whether every valid value of a typed read's DOUBLE vectors (at `indices`) is finite. */
function allFinite(chunk: DuckDBDataChunk, indices: readonly number[]): boolean {
  // rowCount asks DuckDB each time it is read; the chunk that ends a result has no vectors.
  const rows = chunk.rowCount;
  if (rows === 0) return true;
  for (const index of indices) {
    const vector = chunk.getColumnVector(index);
    const items = (vector as unknown as { items: Float64Array }).items;
    const valid = validityOf(vector);
    for (let i = 0; i < rows; i++) {
      const value = items[i]!;
      // NaN and ±infinity are the values for which v - v is not 0.
      if (value - value !== 0 && isValid(valid, i)) return false;
    }
  }
  return true;
}

/** The vector index of each of `plans`' columns in `columns`, in the rows query's order. */
function vectorIndices(plans: readonly Streamed[], columns: ReadonlySet<string>): number[] {
  const indices: number[] = [];
  let index = 0;
  for (const plan of plans) {
    if (columns.has(plan.name)) indices.push(index);
    index += withRaw(plan) ? 2 : 1;
  }
  return indices;
}

async function* streamBatches(
  connection: DuckDBConnection,
  source: string,
  columns: Plan[],
  context: FileContext,
  format: DataFormat,
  typed: TypedRead | undefined,
): AsyncGenerator<Batch> {
  let next: Promise<DuckDBDataChunk | null> | undefined;
  try {
    const plans = await withCodes(connection, source, columns);
    const typedAs = typed === undefined ? undefined : typedPlans(plans, typed);
    const checked = typedAs === undefined ? [] : vectorIndices(typedAs, typed!.columns);
    let current = typedAs ?? plans;
    // A cell the typed read refuses may stop it before its first chunk.
    let result =
      typedAs === undefined
        ? await connection.stream(rowsQuery(source, plans, 0))
        : await connection.stream(rowsQuery(typed!.source, typedAs, 0)).catch(() => undefined);
    if (result === undefined) {
      current = plans;
      result = await connection.stream(rowsQuery(source, plans, 0));
    }
    next = result.fetchChunk();
    const batch = new BatchBuilder(context, current);
    /** Rows handed to the batches so far. */
    let read = 0;
    // DuckDB reads the next chunk while this one is converted (and its batches used): without
    // this, reading waits for each in turn. A read still under way when the caller stops early
    // is awaited before the connection closes; its error is then of no interest.
    for (;;) {
      let chunk: DuckDBDataChunk | null;
      if (current === plans) {
        chunk = await next;
      } else {
        // The typed read ends at its first error or non-finite value: the text plan reads on.
        const typedChunk = await next.then(
          (c) => ({ c }),
          () => undefined,
        );
        if (typedChunk === undefined || (typedChunk.c !== null && !allFinite(typedChunk.c, checked))) {
          current = plans;
          batch.replan(plans);
          result = await connection.stream(rowsQuery(source, plans, read));
          next = result.fetchChunk();
          continue;
        }
        chunk = typedChunk.c;
      }
      if (chunk === null || chunk.rowCount === 0) break;
      next = result.fetchChunk();
      next.catch(() => {});
      read += chunk.rowCount;
      yield* batch.add(chunk);
    }
    yield* batch.finish();
  } catch (error) {
    throw await translateDuckDbError(error, context, format);
  } finally {
    await next?.catch(() => null);
    connection.closeSync();
  }
}

/** The validity bit of row `i` (1 = a value); `bits` undefined means every row has a value. */
function isValid(bits: Uint8Array | undefined, i: number): boolean {
  return bits === undefined || ((bits[i >> 3]! >> (i & 7)) & 1) === 1;
}

/** The validity mask of a DuckDB vector as bytes, or undefined when every row is valid. */
function validityOf(vector: unknown): Uint8Array | undefined {
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
    let ascii = true;
    for (let k = 0; k < length; k++) if (bytes[offset + 4 + k]! >= 0x80) ascii = false;
    if (!ascii) return decoder.decode(bytes.subarray(offset + 4, offset + 4 + length));
    switch (length) {
      case 0:
        return "";
      case 1:
        return String.fromCharCode(bytes[offset + 4]!);
      case 2:
        return String.fromCharCode(bytes[offset + 4]!, bytes[offset + 5]!);
      default:
        return String.fromCharCode.apply(
          null,
          bytes.subarray(offset + 4, offset + 4 + length) as unknown as number[],
        );
    }
  };
}

/** Fills batches of `context.batchSize` rows from DuckDB chunks. */
class BatchBuilder {
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
