import type { DataContract } from "../manifest/schema.js";
import { worstStatus } from "../results/check.js";
import type { Batch, Column } from "../table/column.js";
import { ColumnAccumulator, RowTally } from "./column-accumulator.js";
import { contractChecks } from "./contract-checks.js";
import { HashSet52 } from "./hash-set52.js";
import { Hasher52 } from "./hash52.js";
import type { ColumnSummary, TableSummary } from "./table-summary.js";
import { type ColumnProfile, VALIDATION_SCHEMA, type ValidationResult } from "./validation-result.js";

/** Options of {@link createContractValidator}. */
export interface ContractValidatorOptions {
  /** The current time, for `max-age` (passed in: core never reads the clock). */
  now: Date;
  /** Copied into the result; the caller knows which model the contract belongs to. */
  model?: { name: string; version: string };
  /** How many offending rows each check lists (default 5). */
  maxListedRows?: number;
  /** How many unseen category values a check lists (default 10). */
  maxListedValues?: number;
}

/**
 * How many offending rows and unseen values a check lists unless told otherwise.
 *
 * @example
 * LISTED.maxListedRows; // 5
 */
export const LISTED = { maxListedRows: 5, maxListedValues: 10 } as const;

/** A streaming validator: feed it batches, then ask for the result. */
export interface ContractValidator {
  add(batch: Batch): void;
  finish(): ValidationResult;
}

/**
 * Checks a stream of batches against a data contract (`data:` of a manifest). Memory is bounded
 * by the number of distinct keys and rows (8 bytes per hash, at most half-full tables), never by
 * rows × columns: per-column state is a handful of counters, the first offending rows, and capped
 * sets. Keys and duplicate rows are detected across batches and files.
 *
 * @example
 * const validator = createContractValidator(manifest.data, { now: new Date(), model: { name: "churn", version: "1.3.0" } });
 * for await (const batch of readTable("data/eval.csv")) validator.add(batch);
 * const result = validator.finish(); // the content of validation.json
 * result.checks.find((c) => c.id === "key-unique")?.status; // "pass"
 */
export function createContractValidator(
  contract: DataContract,
  options: ContractValidatorOptions,
): ContractValidator {
  const limits = {
    maxListedRows: options.maxListedRows ?? LISTED.maxListedRows,
    maxListedValues: options.maxListedValues ?? LISTED.maxListedValues,
  };
  const accumulators = new Map<string, ColumnAccumulator>();
  for (const [name, column] of Object.entries(contract.columns)) {
    accumulators.set(name, new ColumnAccumulator(name, column, limits));
  }
  const files: string[] = [];
  let rows = 0;
  const keyColumns = contract.key === undefined ? [] : [contract.key].flat();
  const uniqueness = {
    duplicateKeys: new RowTally(limits.maxListedRows),
    nullKeys: new RowTally(limits.maxListedRows),
    keyMissing: false,
    duplicateRows: new RowTally(limits.maxListedRows),
  };
  const keys = new HashSet52(1 << 16);
  const rowHashes = new HashSet52(1 << 16);
  const hasher = new Hasher52();

  function add(batch: Batch): void {
    if (!files.includes(batch.source)) files.push(batch.source);
    rows += batch.length;
    for (const [name, column] of batch.columns) {
      let acc = accumulators.get(name);
      if (!acc) {
        acc = new ColumnAccumulator(name, undefined, limits);
        accumulators.set(name, acc);
      }
      acc.add(batch, column);
    }
    for (const [name, acc] of accumulators) if (!batch.columns.has(name)) acc.missingFrom(batch.source);
    addKeys(batch);
    addRows(batch);
  }

  function addKeys(batch: Batch): void {
    if (keyColumns.length === 0) return;
    const columns = keyColumns.map((name) => batch.columns.get(name));
    if (columns.some((c) => c === undefined)) {
      uniqueness.keyMissing = true;
      return;
    }
    for (let i = 0; i < batch.length; i++) {
      hasher.reset();
      let missing = false;
      for (const column of columns as Column[]) {
        if (column.nulls[i] === 1) missing = true;
        else hashCell(hasher, column, i);
      }
      if (missing) uniqueness.nullKeys.add(batch.source, batch.firstRow + i);
      else if (!keys.add(hasher.digest())) uniqueness.duplicateKeys.add(batch.source, batch.firstRow + i);
    }
  }

  function addRows(batch: Batch): void {
    // Files may order columns differently: hash cells in name order, prefixed by the names.
    const names = [...batch.columns.keys()].sort();
    const columns = names.map((name) => batch.columns.get(name)!);
    hasher.reset();
    for (const name of names) hasher.addString(name);
    const prefix = hasher.snapshot();
    for (let i = 0; i < batch.length; i++) {
      hasher.reset(prefix);
      for (const column of columns) {
        if (column.nulls[i] === 1) hasher.addNull();
        else hashCell(hasher, column, i);
      }
      if (!rowHashes.add(hasher.digest())) uniqueness.duplicateRows.add(batch.source, batch.firstRow + i);
    }
  }

  function finish(): ValidationResult {
    return validateSummary(
      contract,
      { files, rows, columns: accumulators, keyColumns, ...uniqueness },
      options,
    );
  }

  return { add, finish };
}

/**
 * The result of checking a data contract on a {@link TableSummary}: what
 * {@link createContractValidator} returns after streaming, for a table a query engine summarised
 * in one pass (`summariseTable` in `@gauntlet/data`). The same checks, messages and profile.
 *
 * @example
 * const summary = await summariseTable("data/eval.csv", request);
 * validateSummary(manifest.data, summary, { now: new Date() }).status; // "pass"
 */
export function validateSummary(
  contract: DataContract,
  table: TableSummary,
  options: ContractValidatorOptions,
): ValidationResult {
  const checks = contractChecks(contract, table, options.now);
  const summary = { pass: 0, warn: 0, fail: 0, skip: 0 };
  for (const check of checks) summary[check.status]++;
  const columns: Record<string, ColumnProfile> = {};
  for (const [name, column] of table.columns) {
    const profile = profileOf(column);
    if (profile) columns[name] = profile;
  }
  return {
    schema: VALIDATION_SCHEMA,
    model: options.model ?? { name: "", version: "" },
    data: { files: [...table.files], rows: table.rows, columns: Object.keys(columns).length },
    status: worstStatus(checks.map((c) => c.status)),
    checks,
    summary,
    columns,
  };
}

/** A column's profile for `validation.json`, or `undefined` if it never appeared. */
function profileOf(column: ColumnSummary): ColumnProfile | undefined {
  if (column.kind === undefined || column.rows === 0) return undefined;
  const numeric = column.kind !== "category" && column.count > 0;
  return {
    kind: column.kind,
    rows: column.rows,
    nulls: column.nulls.count,
    invalid: column.invalid.count,
    min: numeric ? column.min : null,
    max: numeric ? column.max : null,
    mean: numeric ? column.sum / column.count : null,
    distinct: column.distinct,
    distinctCapped: column.distinctCapped,
  };
}

function hashCell(hasher: Hasher52, column: Column, i: number): void {
  if (column.kind === "category") hasher.addString(column.values[i]!);
  else hasher.addNumber(column.values[i]!);
}
