import type { DuckDBConnection } from "@duckdb/node-api";
import {
  type ColumnKind,
  type ColumnSummary,
  type DataContract,
  DISTINCT_CAP,
  type RowRef,
  type TableSummary,
  type Tally,
} from "@gauntlet/core";
import { sqlName, sqlString } from "./duckdb-engine.js";
import { translateDuckDbError } from "./duckdb-errors.js";
import type { Plan } from "./duckdb-plans.js";
import { parseBoolean } from "./parse-boolean.js";
import { parseNumber } from "./parse-number.js";
import { parseTimestamp } from "./parse-timestamp.js";
import { planRead, type ReadOptions } from "./read-table.js";
import type { FileContext } from "./table-file.js";

/** Rows whose distinct values are counted first, to find the columns over the distinct cap. */
const DISTINCT_SAMPLE = 20_000;

/** Longest raw text kept for an invalid cell, as the streaming reader keeps it. */
const maxRawLength = 100;

/** How many rows and unseen values each check lists; the streaming validator's defaults. */
export interface SummaryLimits {
  maxListedRows: number;
  maxListedValues: number;
}

/**
 * Summarises one data file for its contract inside DuckDB: one aggregate query computes the row
 * count, every column's nulls, extremes, sum, distinct count, range and allowed-value violations,
 * and the uniqueness of keys and whole rows; further queries, run only when a check finds
 * something, list the first offending rows (in file order, numbered as batches number them), the
 * first unseen values and the cells that did not parse. Values are converted by the SQL the
 * streaming reader uses, so the summary is the one a streaming validator accumulates from
 * `readTable`'s batches (the mean's sum is compensated: equal to 1e-12 relative).
 *
 * Returns `undefined` when the SQL cannot give that same summary, and the caller streams instead:
 * a glob of several files, a file with no rows, or a cell DuckDB did not parse that gauntlet's
 * parsers read as a value (`NaN`, `Infinity`, a time zone offset).
 *
 * @example
 * const summary = await summariseTable("data/eval.csv", manifest.data, { cwd }, { maxListedRows: 5, maxListedValues: 10 });
 * summary?.columns.get("age")?.belowMin.count; // 0
 */
export async function summariseTable(
  pathOrGlob: string,
  contract: DataContract,
  options: ReadOptions,
  limits: SummaryLimits,
): Promise<TableSummary | undefined> {
  const { open, contexts, format } = await planRead(pathOrGlob, options);
  if (contexts.length !== 1) return undefined;
  const context = contexts[0]!;
  const opened = await open(context);
  try {
    if (opened.sql === undefined) return undefined;
    const { connection, source, columns, typed } = opened.sql;
    if (typed !== undefined) {
      // Any error of the typed read (a cell it refuses) is the text read's to report or list.
      const summary = await summarise(
        connection,
        typed.source,
        columns,
        contract,
        context,
        limits,
        typed.columns,
      ).catch((): typeof asText => asText);
      if (summary !== asText) return summary;
    }
    const summary = await summarise(connection, source, columns, contract, context, limits, new Set());
    return summary === asText ? undefined : summary;
  } catch (error) {
    throw await translateDuckDbError(error, context, format);
  } finally {
    await opened.close();
  }
}

/**
 * What a summary of a typed read (see `TypedRead`) gives when it cannot be the text read's: a
 * typed column held a NaN or infinity, whose text may be one parseNumber refuses.
 */
const asText: unique symbol = Symbol("as text");

/** One column of the file in the queries: `v{j}` its value, `t{j}` its raw text if parsed. */
interface Part {
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
function partsOf(
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
      inner.push(`${sqlName(plan.name)} AS v${j}`);
      outer.push(`CASE WHEN isfinite(v${j}) THEN v${j} END AS f${j}`);
      return { ...part, v: `v${j}`, t: undefined, f: `f${j}` };
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

/** A cell whose text DuckDB did not parse but a parser reads: the summary would differ. */
function readsAsValue(kind: ColumnKind, text: string): boolean {
  if (kind === "number") return parseNumber(text) !== undefined;
  if (kind === "timestamp") return parseTimestamp(text) !== undefined;
  if (kind === "boolean") return parseBoolean(text, { numeric: true }) !== undefined;
  return false;
}

const double = (value: number) => `CAST(${sqlString(String(value))} AS DOUBLE)`;
const leftover = (p: Part) => `(${p.v} IS NULL AND ${p.t} <> '')`;
const missing = (p: Part) =>
  p.t === undefined ? `${p.v} IS NULL` : `(${p.v} IS NULL AND coalesce(${p.t}, '') = '')`;
const unseen = (p: Part) =>
  `(${p.v} IS NOT NULL AND NOT list_contains([${p.allowed!.map(sqlString).join(", ")}]::VARCHAR[], ${p.v}))`;
const numeric = (p: Part) => p.kind !== "category";
/** Cells DuckDB read as NaN or infinity from text parseNumber does not (its spaces aside). */
const misread = (p: Part) =>
  `count(*) FILTER (WHERE NOT isfinite(${p.v}) AND trim(${p.t}) NOT IN ('NaN', 'Infinity', '+Infinity', '-Infinity'))`;

/**
 * The summary of `source`, in which the `typed` columns are DOUBLE as DuckDB's CSV reader parsed
 * them; {@link asText} when one of those holds a NaN or infinity.
 */
async function summarise(
  connection: DuckDBConnection,
  source: string,
  columns: readonly Plan[],
  contract: DataContract,
  context: FileContext,
  limits: SummaryLimits,
  typed: ReadonlySet<string>,
): Promise<TableSummary | undefined | typeof asText> {
  const { inner, outer, parts } = partsOf(columns, contract, typed);
  const finite = (from: string) => `(SELECT *${outer.map((expr) => `, ${expr}`).join("")} FROM ${from})`;
  const values = finite(`(SELECT ${inner.join(", ")} FROM ${source})`);
  const numbered = finite(`(SELECT row_number() OVER () AS rn, ${inner.join(", ")} FROM ${source})`);
  const byName = new Map(parts.map((p) => [p.name, p]));
  const keyNames = contract.key === undefined ? [] : [contract.key].flat();
  const keyParts = keyNames.map((name) => byName.get(name));
  const keyMissing = keyParts.some((p) => p === undefined);
  const keys = keyMissing ? [] : (keyParts as Part[]);
  const keyNull = keys.map((p) => `${p.v} IS NULL`).join(" OR ");
  const distinctOf = (p: Part) => (numeric(p) ? p.f : p.v);

  // A column with more distinct values than the cap among the first rows has more in the file:
  // it is capped, and the pass over the file need not count its values (the costliest part).
  const prefix = await one(
    connection,
    `SELECT ${parts.map((p) => `count(DISTINCT ${distinctOf(p)})`).join(", ")} FROM ` +
      finite(`(SELECT ${inner.join(", ")} FROM ${source} LIMIT ${DISTINCT_SAMPLE})`),
  );
  const capped = new Set(parts.filter((_, j) => Number(prefix[j]) > DISTINCT_CAP).map((p) => p.name));

  // One pass: every count and extreme. Named aggregates, read back by name.
  const aggregates = new Map<string, string>([["rows", "count(*)"]]);
  parts.forEach((p, j) => {
    aggregates.set(`n${j}`, `count(${p.v})`);
    if (p.t !== undefined) aggregates.set(`lo${j}`, `count(*) FILTER (WHERE ${leftover(p)})`);
    if (p.kind === "number" && p.t !== undefined) aggregates.set(`misread${j}`, misread(p));
    if (numeric(p)) {
      const f = p.f;
      aggregates.set(`min${j}`, `min(${f})`);
      aggregates.set(`max${j}`, `max(${f})`);
      aggregates.set(`sum${j}`, `fsum(${f})`);
      aggregates.set(`count${j}`, `count(${f})`);
    } else if (p.allowed !== undefined) {
      aggregates.set(`unseen${j}`, `count(*) FILTER (WHERE ${unseen(p)})`);
    }
    if (!capped.has(p.name)) aggregates.set(`distinct${j}`, `count(DISTINCT ${distinctOf(p)})`);
  });
  // Equal keys and rows hash equal (DuckDB's hash is the same for 0 and -0, and for every NaN),
  // so distinct hashes bound the repeats from above: none here is none; otherwise they are
  // counted exactly below.
  if (keys.length > 0) {
    aggregates.set("nullKeys", `count(*) FILTER (WHERE ${keyNull})`);
    aggregates.set(
      "distinctKeys",
      `count(DISTINCT hash(${keys.map((p) => p.v).join(", ")})) FILTER (WHERE NOT (${keyNull}))`,
    );
  }
  // Rows with distinct keys are distinct rows: with a key, rows are compared only if keys repeat.
  const distinctRows = `count(DISTINCT hash(${parts.map((p) => p.v).join(", ")}))`;
  if (keys.length === 0) {
    aggregates.set("distinctRowHashes", distinctRows);
  }
  const totals = await one(connection, `SELECT ${[...aggregates.values()].join(", ")} FROM ${values}`);
  const names = [...aggregates.keys()];
  const get = (name: string): number | null => {
    const value = totals[names.indexOf(name)];
    return value === null || value === undefined ? null : Number(value);
  };
  const rows = get("rows")!;
  if (rows === 0) return undefined;
  if (parts.some((p, j) => p.typed && get(`n${j}`)! > get(`count${j}`)!)) return asText;
  // DuckDB's cast also reads "nan", "inf" and the like, which parseNumber refuses: such cells
  // are invalid, and the streaming validator lists them.
  if (parts.some((_, j) => (get(`misread${j}`) ?? 0) > 0)) return undefined;

  const display = context.display;
  const refs = (numbers: readonly unknown[]): RowRef[] =>
    numbers.map((rn) => ({ source: display, row: Number(rn) }));

  // Cells DuckDB did not parse: invalid, unless a parser reads them (then the caller streams).
  const invalid = new Map<number, { tally: Tally; example: string }>();
  for (const [j, p] of parts.entries()) {
    if ((get(`lo${j}`) ?? 0) === 0) continue;
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
        if (listed.length < limits.maxListedRows)
          listed.push({ source: display, row: Number(rn.getItem(i)) });
      }
    }
    invalid.set(j, { tally: { count, rows: listed }, example: example! });
  }

  // The first rows of each tally that found something, in one numbered pass. Range violations
  // are counted there too, only when the column's extreme is beyond its limit.
  const wanted = new Map<string, { count: number | undefined; where: string }>();
  /** Tallies whose rows no check lists: counted only. */
  const counted = new Map<string, number>();
  const want = (name: string, count: number | undefined, where: string) => {
    if (count === undefined || count > 0) wanted.set(name, { count, where });
  };
  parts.forEach((p, j) => {
    const nulls = rows - get(`n${j}`)! - (get(`lo${j}`) ?? 0);
    if (nullsListed(p.name, nulls / rows, contract)) want(`nulls${j}`, nulls, missing(p));
    else counted.set(`nulls${j}`, nulls);
    if (p.kind === "number") want(`nonFinite${j}`, get(`n${j}`)! - get(`count${j}`)!, `NOT isfinite(${p.v})`);
    const low = get(`min${j}`);
    const high = get(`max${j}`);
    if (p.min !== undefined && low !== null && low < p.min)
      want(`below${j}`, undefined, `${p.f} < ${double(p.min)}`);
    if (p.max !== undefined && high !== null && high > p.max)
      want(`above${j}`, undefined, `${p.f} > ${double(p.max)}`);
    if (p.allowed !== undefined) want(`unseen${j}`, get(`unseen${j}`)!, unseen(p));
  });
  if (keys.length > 0) want("nullKeys", get("nullKeys")!, keyNull);
  const firstRows = new Map<string, Tally>();
  if ([...wanted.values()].some(({ count }) => count === undefined)) {
    const selects = [...wanted.values()].map(
      ({ where }) =>
        `count(*) FILTER (WHERE ${where}), min(rn, ${limits.maxListedRows}) FILTER (WHERE ${where})`,
    );
    const found = await one(connection, `SELECT ${selects.join(", ")} FROM ${numbered}`);
    [...wanted.keys()].forEach((name, k) => {
      const first = found[2 * k + 1] as { items: unknown[] } | null;
      firstRows.set(name, { count: Number(found[2 * k]), rows: first === null ? [] : refs(first.items) });
    });
  } else if (wanted.size > 0) {
    // Every count is known: only the first rows are wanted, read until each tally has its own.
    const counts = [...wanted.values()].map(({ count }) => count!);
    const first = await firstMatches(
      connection,
      values,
      [...wanted.values()].map(({ where }) => where),
      counts.map((count) => Math.min(count, limits.maxListedRows)),
    );
    [...wanted.keys()].forEach((name, k) => {
      firstRows.set(name, { count: counts[k]!, rows: refs(first[k]!) });
    });
  }
  const tally = (name: string): Tally => firstRows.get(name) ?? { count: counted.get(name) ?? 0, rows: [] };

  const repeats = async (partition: Part[], where: string | undefined): Promise<Tally> => {
    const sql =
      `SELECT count(*), min(rn, ${limits.maxListedRows}) FROM (SELECT rn, row_number() OVER ` +
      `(PARTITION BY ${partition.map((p) => p.v).join(", ")} ORDER BY rn) AS k FROM ${numbered}` +
      `${where === undefined ? "" : ` WHERE ${where}`}) WHERE k > 1`;
    const [count, first] = await one(connection, sql);
    return { count: Number(count), rows: first === null ? [] : refs((first as { items: unknown[] }).items) };
  };
  const distinctRowHashes =
    keys.length === 0
      ? get("distinctRowHashes")!
      : get("distinctKeys")! < rows
        ? Number((await one(connection, `SELECT ${distinctRows} FROM ${values}`))[0])
        : rows;
  const rowsMayRepeat = distinctRowHashes < rows;
  const duplicateRows = rowsMayRepeat ? await repeats(parts, undefined) : none();
  const duplicateKeys =
    keys.length > 0 && get("distinctKeys")! < rows - get("nullKeys")!
      ? await repeats(keys, `NOT (${keyNull})`)
      : none();

  const built = new Map<string, ColumnSummary>();
  for (const [j, p] of parts.entries()) {
    const bad = invalid.get(j);
    const unseenValues =
      p.allowed === undefined || get(`unseen${j}`) === 0
        ? []
        : await firstUnseen(connection, numbered, p, limits.maxListedValues + 1);
    const distinct = capped.has(p.name) ? DISTINCT_CAP + 1 : get(`distinct${j}`)!;
    built.set(p.name, {
      kind: p.kind,
      rows,
      filesMissing: [],
      nulls: tally(`nulls${j}`),
      invalid: bad?.tally ?? none(),
      invalidExample: bad?.example,
      mismatched: none(),
      mismatchedKind: undefined,
      nonFinite: tally(`nonFinite${j}`),
      belowMin: tally(`below${j}`),
      aboveMax: tally(`above${j}`),
      unseen: tally(`unseen${j}`),
      unseenValues: new Set(unseenValues.slice(0, limits.maxListedValues)),
      unseenValuesCapped: unseenValues.length > limits.maxListedValues,
      min: get(`min${j}`) ?? Number.POSITIVE_INFINITY,
      max: get(`max${j}`) ?? Number.NEGATIVE_INFINITY,
      sum: get(`sum${j}`) ?? 0,
      count: numeric(p) ? get(`count${j}`)! : 0,
      distinct: Math.min(distinct, DISTINCT_CAP),
      distinctCapped: distinct > DISTINCT_CAP,
    });
  }
  // Declared columns first, in the contract's order, then the others in file order: the order
  // in which the streaming validator meets them.
  const summaries = new Map<string, ColumnSummary>();
  for (const [name, declared] of Object.entries(contract.columns)) {
    summaries.set(name, built.get(name) ?? absent(declared.type, display));
  }
  for (const [name, summary] of built) if (!summaries.has(name)) summaries.set(name, summary);
  return {
    files: [display],
    rows,
    columns: summaries,
    keyColumns: keyNames,
    duplicateKeys,
    nullKeys: tally("nullKeys"),
    keyMissing,
    duplicateRows,
  };
}

/**
 * Whether the contract's checks list a column's null rows: when it is not nullable, or its null
 * fraction is over its limit. Otherwise only the count is shown, and the rows are not looked up.
 */
function nullsListed(name: string, fraction: number, contract: DataContract): boolean {
  const declared = contract.columns[name];
  if (declared !== undefined && !declared.nullable) return true;
  const limit = declared?.["max-null-fraction"] ?? contract["max-null-fraction"];
  return limit !== undefined && fraction > limit;
}

/** The distinct unseen values of a category column in order of first appearance, at most `limit`. */
async function firstUnseen(
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
async function firstMatches(
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

/** A tally of nothing. */
function none(): Tally {
  return { count: 0, rows: [] };
}

/** A declared column the file does not have. */
function absent(kind: ColumnKind, source: string): ColumnSummary {
  return {
    kind,
    rows: 0,
    filesMissing: [source],
    nulls: none(),
    invalid: none(),
    invalidExample: undefined,
    mismatched: none(),
    mismatchedKind: undefined,
    nonFinite: none(),
    belowMin: none(),
    aboveMax: none(),
    unseen: none(),
    unseenValues: new Set(),
    unseenValuesCapped: false,
    min: Number.POSITIVE_INFINITY,
    max: Number.NEGATIVE_INFINITY,
    sum: 0,
    count: 0,
    distinct: 0,
    distinctCapped: false,
  };
}

/** The one row of a query's result. */
async function one(connection: DuckDBConnection, sql: string): Promise<unknown[]> {
  const result = await connection.runAndReadAll(sql);
  return result.getRows()[0]!;
}
