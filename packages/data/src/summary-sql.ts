import type { DuckDBConnection } from "@duckdb/node-api";
import type { ColumnKind, DataContract } from "@gauntlet/core";
import { sqlName, sqlString } from "./duckdb-engine.js";
import type { Plan } from "./duckdb-plans.js";
import { firstLinesRead, LINE_LIMIT_READ } from "./line-limit.js";

/** One column of the file in the queries: `v{j}` its value, `t{j}` its raw text if parsed. */
export interface Part {
  name: string;
  kind: ColumnKind;
  v: string;
  /** The raw text column, for cells whose text a parser reads (number, timestamp, boolean). */
  t: string | undefined;
  /** The value if finite. */
  f: string;
  /** Parsed by DuckDB's CSV reader (a number column of a typed read): no raw text. */
  typed: boolean;
  min: number | undefined;
  max: number | undefined;
  allowed: string[] | undefined;
}

/**
 * The columns' expressions: `inner` over the file (values and raw text), `outer` over those
 * (finite values), so that each cell is converted once.
 */
export function partsOf(
  columns: readonly Plan[],
  contract: DataContract,
  typed: ReadonlySet<string>,
): { inner: string[]; outer: string[]; parts: Part[] } {
  const inner: string[] = [];
  const outer: string[] = [];
  const parts = columns.map((plan, j): Part => {
    const declared = contract.columns[plan.name];
    const limits = declared?.type === "number" ? declared : undefined;
    const allowed =
      declared?.type === "category" && declared.values ? declared.values.map(String) : undefined;
    const part = {
      name: plan.name,
      kind: plan.kind,
      min: limits?.min,
      max: limits?.max,
      allowed,
      typed: typed.has(plan.name),
    };
    if (part.typed) {
      // A typed column holding a NaN or infinity is summarised from its text instead (see
      // `summarise`): here every value is finite, and needs no finite copy.
      inner.push(`${sqlName(plan.name)} AS v${j}`);
      return { ...part, v: `v${j}`, t: undefined, f: `v${j}` };
    }
    if (plan.how === "double") {
      inner.push(`${plan.value} AS v${j}`);
      const t = plan.raw === undefined ? undefined : `t${j}`;
      if (t !== undefined) inner.push(`${plan.raw} AS ${t}`);
      // DuckDB reads NaN and Infinity (from text too); timestamps are always finite.
      if (plan.kind !== "number") return { ...part, v: `v${j}`, t, f: `v${j}` };
      outer.push(`CASE WHEN isfinite(v${j}) THEN v${j} END AS f${j}`);
      return { ...part, v: `v${j}`, t, f: `f${j}` };
    }
    if (plan.kind === "boolean") {
      // parseBoolean's words, untrimmed: text it reads only trimmed comes back raw, and is
      // parsed there (then the file is streamed).
      const text = plan.value;
      inner.push(
        `CASE WHEN ${text} = '1' OR (length(${text}) = 4 AND lower(${text}) = 'true') THEN 1.0 ` +
          `WHEN ${text} = '0' OR (length(${text}) = 5 AND lower(${text}) = 'false') THEN 0.0 END AS v${j}`,
        `${text} AS t${j}`,
      );
      return { ...part, v: `v${j}`, t: `t${j}`, f: `v${j}` };
    }
    inner.push(`NULLIF(${plan.value}, '') AS v${j}`);
    return { ...part, v: `v${j}`, t: undefined, f: `v${j}` };
  });
  return { inner, outer, parts };
}

/** A number as a DuckDB DOUBLE literal. */
export const double = (value: number) => `CAST(${sqlString(String(value))} AS DOUBLE)`;
/** A cell DuckDB did not parse whose raw text is not empty. */
export const leftover = (p: Part) => `(${p.v} IS NULL AND ${p.t} <> '')`;
/** A missing cell: no value, and no raw text (or an empty one). */
export const missing = (p: Part) =>
  p.t === undefined ? `${p.v} IS NULL` : `(${p.v} IS NULL AND coalesce(${p.t}, '') = '')`;
/** A category cell outside the contract's allowed values. */
export const unseen = (p: Part) =>
  `(${p.v} IS NOT NULL AND NOT list_contains([${p.allowed!.map(sqlString).join(", ")}]::VARCHAR[], ${p.v}))`;
/** A column summarised as numbers (extremes, sum, finite count). */
export const numeric = (p: Part) => p.kind !== "category";
/** Cells DuckDB read as NaN or infinity from text parseNumber does not (its spaces aside). */
export const misread = (p: Part) =>
  `count(*) FILTER (WHERE NOT isfinite(${p.v}) AND trim(${p.t}) NOT IN ('NaN', 'Infinity', '+Infinity', '-Infinity'))`;

/**
 * The one row of `query(from)`, a query of the first rows of `source`, with `from` a CSV read as
 * {@link firstLinesRead} reads first lines, or `source` itself for any other read.
 *
 * @example
 * await ofFirstRows(connection, "read_csv('/d/a.csv', ..., max_line_size=16777216, buffer_size=17825792, ...)",
 *   (from) => `SELECT count(DISTINCT x) FROM (SELECT x FROM ${from} LIMIT 4096)`); // [1234n]
 */
export async function ofFirstRows(
  connection: DuckDBConnection,
  source: string,
  query: (from: string) => string,
): Promise<unknown[]> {
  if (!source.includes(LINE_LIMIT_READ)) return one(connection, query(source));
  return firstLinesRead((options) => one(connection, query(source.replace(LINE_LIMIT_READ, options))));
}

/** The one row of a query's result. */
export async function one(connection: DuckDBConnection, sql: string): Promise<unknown[]> {
  const result = await connection.runAndReadAll(sql);
  return result.getRows()[0]!;
}
