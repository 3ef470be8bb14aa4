import type { Batch, Column, ColumnKind, InvalidCell, TableSchema } from "@gauntlet/core";
import { type Cell, isMissing } from "./cell.js";
import { buildColumn, ColumnWriter } from "./column-writer.js";
import { inferKind } from "./infer-kind.js";
import type { FileContext } from "./table-file.js";

/** Where a column's cells go: a typed writer once its kind is known, raw cells until then. */
type Sink = ColumnWriter | Cell[];

/**
 * Collects cells row by row and cuts them into {@link Batch}es of `batchSize` rows. The first
 * `inferRows` rows are held as raw cells until every column's kind is known; after that each cell
 * is converted as it arrives, and memory holds at most one batch. A column first seen later
 * (possible in JSONL) is held raw within its first batch and gets its kind from that batch.
 *
 * @example
 * const assembler = new BatchAssembler(context);
 * const age = assembler.column("age");
 * assembler.set(age, "42");
 * assembler.endRow();
 * assembler.finish();
 * assembler.ready; // [{ source, firstRow: 1, length: 1, columns: Map { "age" => number column }, invalid: Map {} }]
 */
export class BatchAssembler {
  /** Batches completed and not yet taken by the reader. */
  ready: Batch[] = [];
  private readonly names: string[] = [];
  private readonly index = new Map<string, number>();
  /** Raw cells per column while sampling; undefined once kinds are decided. */
  private sample: Cell[][] | undefined = [];
  private sinks: Sink[] = [];
  /** Per column, 1 + the row it was last set on, to find the cells a row left out. */
  private readonly touched: number[] = [];
  /** Kinds guessed from an all-missing sample: used for this file only. */
  private readonly own = new Map<string, ColumnKind>();
  private length = 0;
  private firstRow = 1;
  /** Columns whose kinds the sample decided (schema-only reads drop their later cells). */
  private decided = 0;

  constructor(private readonly context: FileContext) {}

  /**
   * Only the schema was wanted and the sample has decided it: later cells of the sampled columns
   * are dropped, and only a column first seen after the sample keeps its raw cells, to infer its
   * kind as a full read would.
   */
  private get schemaDone(): boolean {
    return this.context.schemaOnly === true && this.sample === undefined;
  }

  /** True once the sample is complete and every column seen so far has its kind. */
  get hasSchema(): boolean {
    return this.sample === undefined;
  }

  /**
   * Index of a column for {@link set}, adding it (missing in earlier rows) when new.
   * Returns -1 for a column outside the projection: its cells are dropped.
   */
  column(name: string): number {
    const known = this.index.get(name);
    if (known !== undefined) return known;
    if (this.context.columns !== undefined && !this.context.columns.has(name)) {
      this.index.set(name, -1);
      return -1;
    }
    this.names.push(name);
    this.touched.push(this.length);
    if (this.sample !== undefined) {
      this.sample.push(new Array<Cell>(this.length).fill(null));
    } else {
      const sink = this.sinkFor(name);
      for (let row = 0; row < this.length; row++) put(sink, row, null);
      this.sinks.push(sink);
    }
    this.index.set(name, this.names.length - 1);
    return this.names.length - 1;
  }

  /** Sets the current row's cell of a column (an index from {@link column}). */
  set(column: number, cell: Cell): void {
    if (column < 0 || (this.schemaDone && column < this.decided)) return;
    this.touched[column] = this.length + 1;
    if (this.sample !== undefined) this.sample[column]![this.length] = cell;
    else put(this.sinks[column]!, this.length, cell);
  }

  /** {@link set} with the text `input.slice(start, end)`, which typed columns parse in place. */
  setText(column: number, input: string, start: number, end: number): void {
    if (column < 0 || (this.schemaDone && column < this.decided)) return;
    const sink = this.sample === undefined ? this.sinks[column]! : undefined;
    if (sink === undefined || Array.isArray(sink)) {
      this.set(column, input.slice(start, end));
      return;
    }
    this.touched[column] = this.length + 1;
    sink.setText(this.length, input, start, end);
  }

  /** Marks the cells the current row did not set as missing; needed when rows may omit columns. */
  fillMissing(): void {
    for (let j = 0; j < this.touched.length; j++) if (this.touched[j] !== this.length + 1) this.set(j, null);
  }

  /** Completes the current row. */
  endRow(): void {
    this.length++;
    if (this.schemaDone) return;
    if (this.sample !== undefined) {
      if (this.length >= this.context.inferRows) this.decide();
    } else if (this.length >= this.context.batchSize) {
      this.flush();
    }
  }

  /** Completes the file: decides kinds if the sample was short and emits the last rows. */
  finish(): void {
    if (this.sample !== undefined) this.decide();
    if (this.length > 0 && !this.schemaDone) this.flush();
  }

  /** Columns of this file (projected) with their kinds; complete once {@link hasSchema}. */
  schema(): TableSchema {
    return this.names.map((name, j) => {
      const kind = this.context.kinds.get(name) ?? this.own.get(name);
      if (kind !== undefined) return { name, kind };
      // A column that appeared after the sample, still raw: report its likely kind, decide later.
      const sink = this.sinks[j];
      return { name, kind: inferKind(Array.isArray(sink) ? sink.slice(0, this.context.inferRows) : []) };
    });
  }

  private decide(): void {
    const sample = this.sample!;
    const rows = this.length;
    for (const [j, name] of this.names.entries()) this.kindOf(name, sample[j]!);
    this.sample = undefined;
    this.length = 0;
    if (this.context.schemaOnly) {
      this.decided = this.names.length;
      this.sinks = this.names.map(() => []);
      return;
    }
    this.sinks = this.names.map((name) => this.sinkFor(name));
    // Replay the sample through the typed writers; it may span several batches.
    for (let row = 0; row < rows; row++) {
      for (let j = 0; j < sample.length; j++) put(this.sinks[j]!, this.length, sample[j]![row]);
      this.length++;
      if (this.length >= this.context.batchSize) this.flush();
    }
  }

  private sinkFor(name: string): Sink {
    const kind = this.context.kinds.get(name) ?? this.own.get(name);
    return kind === undefined ? [] : new ColumnWriter(kind, this.context.batchSize, this.firstRow);
  }

  /** The kind of a column, inferred from `sample` when not yet known. */
  private kindOf(name: string, sample: readonly Cell[]): ColumnKind {
    const kind = this.context.kinds.get(name) ?? this.own.get(name);
    if (kind !== undefined) return kind;
    const values = sample.length > this.context.inferRows ? sample.slice(0, this.context.inferRows) : sample;
    const inferred = inferKind(values);
    // An all-missing sample says nothing: keep the guess for this file, let later files decide.
    if (values.some((cell) => !isMissing(cell))) this.context.kinds.set(name, inferred);
    else this.own.set(name, inferred);
    return inferred;
  }

  private flush(): void {
    const columns = new Map<string, Column>();
    const invalid = new Map<string, InvalidCell[]>();
    const length = this.length;
    for (const [j, name] of this.names.entries()) {
      const sink = this.sinks[j]!;
      let bad: InvalidCell[] = [];
      if (Array.isArray(sink)) {
        columns.set(name, buildColumn(this.kindOf(name, sink), sink, 0, length, this.firstRow, bad));
      } else {
        columns.set(name, sink.finish(length));
        bad = sink.invalid;
      }
      if (bad.length > 0) invalid.set(name, bad);
    }
    this.ready.push({ source: this.context.display, firstRow: this.firstRow, length, columns, invalid });
    this.firstRow += length;
    this.length = 0;
    this.touched.fill(0);
    this.sinks = this.names.map((name) => this.sinkFor(name));
  }
}

function put(sink: Sink, row: number, cell: Cell): void {
  if (Array.isArray(sink)) sink[row] = cell;
  else sink.set(row, cell);
}
