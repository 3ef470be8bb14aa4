import type { DuckDBConnection, DuckDBDataChunk } from "@duckdb/node-api";
import type { Batch } from "@gauntlet/core";
import type { DataFormat } from "./detect-format.js";
import { BatchBuilder } from "./duckdb-batches.js";
import { sqlName, sqlString } from "./duckdb-engine.js";
import { translateDuckDbError } from "./duckdb-errors.js";
import type { Plan, Streamed } from "./duckdb-plans.js";
import { ChunkColumns, isValid, loadChunkBindings } from "./duckdb-vectors.js";
import type { FileContext } from "./table-file.js";

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
export function typedRead(
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

/**
 * `plans` with the typed read's columns taken as DuckDB's CSV (or JSON) reader gives them: the
 * text expression (`raw`), which in the typed source is the DOUBLE.
 */
function typedPlans(plans: readonly Streamed[], typed: TypedRead): Streamed[] {
  return plans.map((plan) =>
    plan.how === "double" && typed.columns.has(plan.name)
      ? { ...plan, value: plan.raw ?? sqlName(plan.name), raw: undefined }
      : plan,
  );
}

/** Whether every valid value of a typed read's DOUBLE vectors (at `indices`) is finite. */
function allFinite(chunk: ChunkColumns, indices: readonly number[]): boolean {
  // The chunk that ends a result has no vectors.
  const rows = chunk.rows;
  if (rows === 0) return true;
  for (const index of indices) {
    const { items, valid } = chunk.doubles(index);
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

/** A fetched chunk's columns; null at the end of a result. */
function columnsOf(chunk: DuckDBDataChunk | null): ChunkColumns | null {
  return chunk === null ? null : new ChunkColumns(chunk);
}

export async function* streamBatches(
  connection: DuckDBConnection,
  source: string,
  columns: Plan[],
  context: FileContext,
  format: DataFormat,
  typed: TypedRead | undefined,
): AsyncGenerator<Batch> {
  let next: Promise<DuckDBDataChunk | null> | undefined;
  try {
    await loadChunkBindings();
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
      let chunk: ChunkColumns | null;
      if (current === plans) {
        chunk = columnsOf(await next);
      } else {
        // The typed read ends at its first error or non-finite value: the text plan reads on.
        const typedChunk = await next.then(
          (c) => ({ c: columnsOf(c) }),
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
      if (chunk === null || chunk.rows === 0) break;
      next = result.fetchChunk();
      next.catch(() => {});
      read += chunk.rows;
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
