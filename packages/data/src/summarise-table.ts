import type { DuckDBConnection } from "@duckdb/node-api";
import {
  type ColumnSummary,
  type DataContract,
  DISTINCT_CAP,
  type RowRef,
  type TableSummary,
  type Tally,
} from "@gauntlet/core";
import { translateDuckDbError } from "./duckdb-errors.js";
import type { Plan } from "./duckdb-plans.js";
import { firstMatches, firstUnseen, invalidCells } from "./first-offending-rows.js";
import { planRead, type ReadOptions } from "./read-table.js";
import { absent, none, nullsListed } from "./summary-columns.js";
import {
  double,
  leftover,
  misread,
  missing,
  numeric,
  ofFirstRows,
  one,
  type Part,
  partsOf,
  unseen,
} from "./summary-sql.js";
import type { FileContext, SqlView } from "./table-file.js";

/**
 * Rows whose distinct values are counted first, to find the columns over the distinct cap. A
 * column of many values shows more than the cap within a few thousand rows; one that does not is
 * counted in full, cheaply, as its values are few. (20,000 rows cost 40-60 ms more.)
 */
const DISTINCT_SAMPLE = 4096;

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
  const context = { ...contexts[0]!, sqlAhead: true };
  const opened = await open(context);
  try {
    const view = opened.sql;
    if (view === undefined) return undefined;
    const of = (v: SqlView) => summariseView(v, contract, context, limits);
    if (view.settled === undefined) return await of(view);
    // Summarised while the scan for long lines and underscores runs (about 0.2 s of the 1M-row
    // bench CSV), and kept when the scan allows that same view: a number column with an
    // underscore in a cell (refused as invalid) is summarised again from its text.
    const ahead = of(view).then(
      (summary) => ({ summary }),
      (error: unknown) => ({ error }),
    );
    const settled = await view.settled.catch(async (error: unknown) => {
      view.connection.interrupt();
      await ahead;
      throw error;
    });
    if (!sameView(view, settled)) {
      await ahead;
      return await of(settled);
    }
    const early = await ahead;
    if ("error" in early) throw early.error;
    return early.summary;
  } catch (error) {
    throw await translateDuckDbError(error, context, format);
  } finally {
    await opened.close();
  }
}

/** The summary of one view of the file: its typed read when that stands, else its text read. */
async function summariseView(
  view: SqlView,
  contract: DataContract,
  context: FileContext,
  limits: SummaryLimits,
): Promise<TableSummary | undefined> {
  const { connection, source, columns, typed } = view;
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
}

/** Whether two views of a file read and convert every column alike. */
function sameView(a: SqlView, b: SqlView): boolean {
  return a.typed?.source === b.typed?.source && JSON.stringify(a.columns) === JSON.stringify(b.columns);
}

/**
 * What a summary of a typed read (see `TypedRead`) gives when it cannot be the text read's: a
 * typed column held a NaN or infinity, whose text may be one parseNumber refuses.
 */
const asText: unique symbol = Symbol("as text");

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

  // A column over the distinct cap in the first rows is capped: the pass need not count it.
  const prefix = await ofFirstRows(
    connection,
    source,
    (from) =>
      `SELECT ${parts.map((p) => `count(DISTINCT ${distinctOf(p)})`).join(", ")} FROM ` +
      finite(`(SELECT ${inner.join(", ")} FROM ${from} LIMIT ${DISTINCT_SAMPLE})`),
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
  // A NaN sorts above every number and an infinity is an extreme: finite extremes, finite values.
  const extremesFinite = (j: number) =>
    [get(`min${j}`), get(`max${j}`)].every((x) => x === null || Number.isFinite(x));
  if (parts.some((p, j) => p.typed && !extremesFinite(j))) return asText;
  // DuckDB's cast also reads "nan", "inf" and the like, which parseNumber refuses: such cells
  // are invalid, and the streaming validator lists them.
  if (parts.some((_, j) => (get(`misread${j}`) ?? 0) > 0)) return undefined;

  const display = context.display;
  const refs = (numbers: readonly unknown[]): RowRef[] =>
    numbers.map((rn) => ({ source: display, row: Number(rn) }));

  // Cells DuckDB did not parse: invalid, unless a parser reads them (then the caller streams).
  const invalid = await invalidCells(
    connection,
    numbered,
    parts,
    (j) => get(`lo${j}`) ?? 0,
    display,
    limits.maxListedRows,
  );
  if (invalid === undefined) return undefined;

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
