import type { DuckDBConnection, DuckDBType } from "@duckdb/node-api";
import type { ColumnKind } from "@gauntlet/core";
import { UserError } from "@gauntlet/core";
import type { DataFormat } from "./detect-format.js";
import { sqlName, sqlString } from "./duckdb-engine.js";
import { inferKind } from "./infer-kind.js";
import type { FileContext } from "./table-file.js";

/**
 * A leaf column of the file as DuckDB gives it: nested objects (JSON, Parquet STRUCTs) are
 * flattened to dotted names such as `inputs.age`, each with the SQL expression that extracts it.
 */
export interface Leaf {
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

/** The file's leaf columns, nested STRUCTs flattened to dotted names. */
export async function leavesOf(
  connection: DuckDBConnection,
  source: string,
  context: FileContext,
): Promise<Leaf[]> {
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
export const STRUCT = 25;
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
export async function kindsOf(
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
export function planOf(leaf: Leaf, kind: ColumnKind, withUnderscores: ReadonlySet<string> | undefined): Plan {
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
export interface CodesPlan {
  name: string;
  kind: "category";
  how: "codes";
  value: string;
  raw: string;
  dictionary: string[];
}

/** A plan as the rows query carries it out. */
export type Streamed = Plan | CodesPlan;
