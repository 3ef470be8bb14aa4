import type { DuckDBConnection } from "@duckdb/node-api";
import type { ColumnKind, RowRef, Tally } from "@gauntlet/core";
import { parseBoolean } from "./parse-boolean.js";
import { parseNumber } from "./parse-number.js";
import { parseTimestamp } from "./parse-timestamp.js";
import { leftover, type Part, unseen } from "./summary-sql.js";

/** Longest raw text kept for an invalid cell, as the streaming reader keeps it. */
const maxRawLength = 100;

/**
 * The cells DuckDB did not parse, per column index: how many, the first `maxListedRows` rows and
 * the first cell's text. Undefined when a parser reads one of them as a value (then the summary
 * would differ from the streaming validator's, and the caller streams).
 */
export async function invalidCells(
  connection: DuckDBConnection,
  numbered: string,
  parts: readonly Part[],
  leftovers: (j: number) => number,
  display: string,
  maxListedRows: number,
): Promise<Map<number, { tally: Tally; example: string }> | undefined> {
  const invalid = new Map<number, { tally: Tally; example: string }>();
  for (const [j, p] of parts.entries()) {
    if (leftovers(j) === 0) continue;
    const result = await connection.stream(
      `SELECT rn, ${p.t} FROM ${numbered} WHERE ${leftover(p)} ORDER BY rn`,
    );
    const listed: RowRef[] = [];
    let count = 0;
    let example: string | undefined;
    for (
      let chunk = await result.fetchChunk();
      chunk !== null && chunk.rowCount > 0;
      chunk = await result.fetchChunk()
    ) {
      const rn = chunk.getColumnVector(0);
      const text = chunk.getColumnVector(1);
      for (let i = 0; i < chunk.rowCount; i++) {
        const raw = text.getItem(i) as string;
        if (readsAsValue(p.kind, raw)) return undefined;
        example ??= raw.slice(0, maxRawLength);
        count++;
        if (listed.length < maxListedRows) listed.push({ source: display, row: Number(rn.getItem(i)) });
      }
    }
    invalid.set(j, { tally: { count, rows: listed }, example: example! });
  }
  return invalid;
}

/** A cell whose text DuckDB did not parse but a parser reads: the summary would differ. */
function readsAsValue(kind: ColumnKind, text: string): boolean {
  if (kind === "number") return parseNumber(text) !== undefined;
  if (kind === "timestamp") return parseTimestamp(text) !== undefined;
  if (kind === "boolean") return parseBoolean(text, { numeric: true }) !== undefined;
  return false;
}

/** The distinct unseen values of a category column in order of first appearance, at most `limit`. */
export async function firstUnseen(
  connection: DuckDBConnection,
  numbered: string,
  p: Part,
  limit: number,
): Promise<string[]> {
  const result = await connection.runAndReadAll(
    `SELECT ${p.v} FROM ${numbered} WHERE ${unseen(p)} GROUP BY ${p.v} ORDER BY min(rn) LIMIT ${limit}`,
  );
  return result.getRows().map((row) => row[0] as string);
}

/**
 * The row numbers of the first rows (in file order, numbered from 1) matching each of
 * `conditions` in `values`, at most `wanted[k]` for condition k. Each row's matches stream as
 * bytes and rows are numbered here, so the read stops as soon as every condition has its rows
 * (usually early in the file) instead of numbering every row in DuckDB first.
 */
export async function firstMatches(
  connection: DuckDBConnection,
  values: string,
  conditions: readonly string[],
  wanted: readonly number[],
): Promise<number[][]> {
  const found = conditions.map((): number[] => []);
  const flags = conditions.map((where) => `CAST(coalesce(${where}, false) AS UTINYINT)`);
  const result = await connection.stream(`SELECT ${flags.join(", ")} FROM ${values}`);
  const done = () => found.every((rows, k) => rows.length >= wanted[k]!);
  let before = 0;
  while (!done()) {
    const chunk = await result.fetchChunk();
    if (chunk === null || chunk.rowCount === 0) break;
    const rows = chunk.rowCount;
    conditions.forEach((_, k) => {
      const match = (chunk.getColumnVector(k) as unknown as { items: Uint8Array }).items;
      const rowsOf = found[k]!;
      for (let i = 0; i < rows && rowsOf.length < wanted[k]!; i++)
        if (match[i] === 1) rowsOf.push(before + i + 1);
    });
    before += rows;
  }
  return found;
}
