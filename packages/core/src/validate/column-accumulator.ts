import type { ColumnContract } from "../manifest/schema.js";
import type { Batch, Column, ColumnKind } from "../table/column.js";
import { HashSet52 } from "./hash-set52.js";
import { Hasher52 } from "./hash52.js";
import { type ColumnSummary, DISTINCT_CAP, type RowRef, type Tally } from "./table-summary.js";

/** Offending rows of one kind: how many, and the first few. */
export class RowTally implements Tally {
  count = 0;
  readonly rows: RowRef[] = [];
  constructor(private readonly maxListed: number) {}

  add(source: string, row: number): void {
    this.count++;
    if (this.rows.length < this.maxListed) this.rows.push({ source, row });
  }
}

/**
 * Everything the contract checks and the profile need to know about one column, accumulated
 * batch by batch in constant memory: counts, extremes, the first offending rows, a capped set of
 * unseen category values and a capped distinct count.
 *
 * @example
 * const acc = new ColumnAccumulator("age", { type: "number", min: 0, nullable: false }, options);
 * acc.add(batch, batch.columns.get("age")!);
 * acc.belowMin.count; // rows with age < 0
 */
export class ColumnAccumulator implements ColumnSummary {
  kind: ColumnKind | undefined;
  rows = 0;
  nulls: RowTally;
  invalid: RowTally;
  invalidExample: string | undefined;
  mismatched: RowTally;
  mismatchedKind: ColumnKind | undefined;
  nonFinite: RowTally;
  belowMin: RowTally;
  aboveMax: RowTally;
  unseen: RowTally;
  readonly unseenValues = new Set<string>();
  unseenValuesCapped = false;
  readonly filesMissing: string[] = [];
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  sum = 0;
  count = 0;
  private readonly distinctSet = new HashSet52(64, DISTINCT_CAP);
  private readonly hasher = new Hasher52();
  private readonly allowed: Set<string> | undefined;

  constructor(
    readonly name: string,
    readonly contract: ColumnContract | undefined,
    private readonly options: { maxListedRows: number; maxListedValues: number },
  ) {
    const listed = options.maxListedRows;
    this.nulls = new RowTally(listed);
    this.invalid = new RowTally(listed);
    this.mismatched = new RowTally(listed);
    this.nonFinite = new RowTally(listed);
    this.belowMin = new RowTally(listed);
    this.aboveMax = new RowTally(listed);
    this.unseen = new RowTally(listed);
    this.kind = contract?.type;
    if (contract?.type === "category" && contract.values) this.allowed = new Set(contract.values.map(String));
  }

  /** Records that `source` has no such column. */
  missingFrom(source: string): void {
    if (!this.filesMissing.includes(source)) this.filesMissing.push(source);
  }

  /** Accumulates this column of one batch. */
  add(batch: Batch, column: Column): void {
    this.kind ??= column.kind;
    this.rows += batch.length;
    const invalidCells = batch.invalid.get(this.name) ?? [];
    const invalidAt = new Uint8Array(invalidCells.length > 0 ? batch.length : 0);
    for (const cell of invalidCells) {
      this.invalid.add(batch.source, cell.row);
      this.invalidExample ??= cell.raw;
      const index = cell.row - batch.firstRow;
      if (index >= 0 && index < batch.length) invalidAt[index] = 1;
    }
    const { nulls } = column;
    const matches = column.kind === this.kind;
    for (let i = 0; i < batch.length; i++) {
      if (nulls[i] === 1) {
        if (invalidAt.length === 0 || invalidAt[i] === 0) this.nulls.add(batch.source, batch.firstRow + i);
      } else if (!matches) {
        this.mismatched.add(batch.source, batch.firstRow + i);
      }
    }
    if (!matches) {
      this.mismatchedKind ??= column.kind;
      return;
    }
    if (column.kind === "category") this.addCategories(batch, column.values, nulls);
    else this.addNumbers(batch, column.values, nulls, column.kind);
  }

  private addNumbers(
    batch: Batch,
    values: Float64Array | Uint8Array,
    nulls: Uint8Array,
    kind: ColumnKind,
  ): void {
    const limits = this.contract?.type === "number" ? this.contract : undefined;
    const low = limits?.min ?? Number.NEGATIVE_INFINITY;
    const high = limits?.max ?? Number.POSITIVE_INFINITY;
    for (let i = 0; i < batch.length; i++) {
      if (nulls[i] === 1) continue;
      const value = values[i]!;
      if (!Number.isFinite(value)) {
        if (kind === "number") this.nonFinite.add(batch.source, batch.firstRow + i);
        continue;
      }
      if (value < low) this.belowMin.add(batch.source, batch.firstRow + i);
      if (value > high) this.aboveMax.add(batch.source, batch.firstRow + i);
      if (value < this.min) this.min = value;
      if (value > this.max) this.max = value;
      this.sum += value;
      this.count++;
      if (!this.distinctSet.full) {
        this.hasher.reset();
        this.hasher.addNumber(value);
        this.distinctSet.add(this.hasher.digest());
      }
    }
  }

  private addCategories(batch: Batch, values: string[], nulls: Uint8Array): void {
    const allowed = this.allowed;
    for (let i = 0; i < batch.length; i++) {
      if (nulls[i] === 1) continue;
      const value = values[i]!;
      if (allowed && !allowed.has(value)) {
        this.unseen.add(batch.source, batch.firstRow + i);
        if (this.unseenValues.size < this.options.maxListedValues) this.unseenValues.add(value);
        else if (!this.unseenValues.has(value)) this.unseenValuesCapped = true;
      }
      if (!this.distinctSet.full) {
        this.hasher.reset();
        this.hasher.addString(value);
        this.distinctSet.add(this.hasher.digest());
      }
    }
  }

  get distinct(): number {
    return this.distinctSet.size;
  }

  get distinctCapped(): boolean {
    return this.distinctSet.full;
  }
}
