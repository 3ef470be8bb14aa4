import type { Batch, Column, ColumnKind, InvalidCell } from "@gauntlet/core";
import { UserError } from "@gauntlet/core";
import {
  type AsyncBuffer,
  asyncBufferFromFile,
  type FileMetaData,
  parquetMetadataAsync,
  parquetRead,
  parquetSchema,
} from "hyparquet";
import { compressors } from "hyparquet-compressors";
import type { Cell } from "./cell.js";
import { buildColumn } from "./column-writer.js";
import { type ParquetColumn, parquetColumns } from "./parquet-columns.js";
import { pageHeaderProblem } from "./parquet-pages.js";
import type { FileContext, OpenedFile } from "./table-file.js";

/**
 * Opens a Parquet file: the schema comes from its footer (see {@link parquetColumns}), and rows
 * are read one row group at a time, only for the projected columns, then cut into batches. Each
 * row group's page headers are checked first (see {@link pageHeaderProblem}), so a file with
 * corrupted pages ends with an error instead of a decoder that never returns. Memory
 * is therefore bounded by the largest row group, which writers keep to a few hundred MB at most.
 * Kinds given in `context.kinds` override the file's own; text columns declared as numbers are
 * parsed, with unparseable cells reported as invalid.
 *
 * @example
 * const file = await openParquetFile({ path: "/repo/data/train.parquet", display: "data/train.parquet",
 *   kinds: new Map(), columns: undefined, batchSize: 65_536, inferRows: 1_000 });
 * file.schema; // [{ name: "age", kind: "number" }, { name: "signup", kind: "timestamp" }, ...]
 */
export async function openParquetFile(context: FileContext): Promise<OpenedFile> {
  const { file, metadata } = await openFooter(context);
  const columns = parquetColumns(parquetSchema(metadata)).filter(
    (column) => context.columns === undefined || context.columns.has(column.name),
  );
  const kinds = columns.map((column) => {
    const kind = context.kinds.get(column.name) ?? column.kind;
    context.kinds.set(column.name, kind);
    return kind;
  });
  return {
    schema: columns.map((column, j) => ({ name: column.name, kind: kinds[j]! })),
    batches: () => readBatches(context, file, metadata, columns, kinds),
    close: async () => {},
  };
}

async function openFooter(context: FileContext): Promise<{ file: AsyncBuffer; metadata: FileMetaData }> {
  let file: AsyncBuffer;
  try {
    file = await asyncBufferFromFile(context.path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new UserError("file not found", { file: context.display, fix: "check the path" });
    }
    throw error;
  }
  try {
    return { file, metadata: await parquetMetadataAsync(file) };
  } catch (error) {
    throw new UserError(`is not a readable Parquet file (${(error as Error).message})`, {
      file: context.display,
      fix: "write the file with a Parquet writer (pandas.to_parquet, pyarrow), or use the extension that matches its format",
    });
  }
}

async function* readBatches(
  context: FileContext,
  file: AsyncBuffer,
  metadata: FileMetaData,
  columns: ParquetColumn[],
  kinds: ColumnKind[],
): AsyncGenerator<Batch> {
  const tops = [...new Set(columns.map((column) => column.top))];
  let groupStart = 0;
  for (const group of metadata.row_groups) {
    const groupRows = Number(group.num_rows);
    const problem = await pageHeaderProblem(file, group, new Set(tops));
    if (problem !== undefined) throw corrupt(context, problem);
    const decoded = await readRowGroup(context, file, metadata, tops, groupStart, groupRows);
    const cells = columns.map((column) => cellsOf(column, decoded.get(column.top), groupRows));
    for (let start = 0; start < groupRows; start += context.batchSize) {
      const end = Math.min(groupRows, start + context.batchSize);
      const firstRow = groupStart + start + 1;
      const batchColumns = new Map<string, Column>();
      const invalid = new Map<string, InvalidCell[]>();
      columns.forEach((column, j) => {
        const bad: InvalidCell[] = [];
        batchColumns.set(column.name, buildColumn(kinds[j]!, cells[j]!, start, end, firstRow, bad));
        if (bad.length > 0) invalid.set(column.name, bad);
      });
      yield { source: context.display, firstRow, length: end - start, columns: batchColumns, invalid };
    }
    groupStart += groupRows;
  }
}

/** Decoded values of each top-level column over one row group. */
async function readRowGroup(
  context: FileContext,
  file: AsyncBuffer,
  metadata: FileMetaData,
  tops: string[],
  rowStart: number,
  rows: number,
): Promise<Map<string, ArrayLike<unknown>>> {
  const pieces = new Map<string, { rowStart: number; data: ArrayLike<unknown> }[]>();
  try {
    await parquetRead({
      file,
      metadata,
      columns: tops,
      rowStart,
      rowEnd: rowStart + rows,
      compressors,
      onChunk: (chunk) => {
        const list = pieces.get(chunk.columnName) ?? [];
        list.push({ rowStart: chunk.rowStart, data: chunk.columnData });
        pieces.set(chunk.columnName, list);
      },
    });
  } catch (error) {
    throw corrupt(context, (error as Error).message);
  }
  const decoded = new Map<string, ArrayLike<unknown>>();
  for (const [top, list] of pieces) {
    if (list.length === 1 && list[0]!.rowStart === rowStart && list[0]!.data.length === rows) {
      decoded.set(top, list[0]!.data);
      continue;
    }
    // Chunks may arrive page by page and may overhang the range: place each at its row.
    const joined = new Array<unknown>(rows).fill(null);
    for (const piece of list) {
      for (let i = 0; i < piece.data.length; i++) {
        const row = piece.rowStart + i - rowStart;
        if (row >= 0 && row < rows) joined[row] = piece.data[i];
      }
    }
    decoded.set(top, joined);
  }
  return decoded;
}

function cellsOf(
  column: ParquetColumn,
  values: ArrayLike<unknown> | undefined,
  rows: number,
): ArrayLike<Cell> {
  if (values === undefined) return new Array<Cell>(rows).fill(null);
  if (column.path.length === 0 && column.convert === undefined) return values as ArrayLike<Cell>;
  const cells = new Array<Cell>(rows);
  for (let i = 0; i < rows; i++) {
    let value: unknown = values[i];
    for (const key of column.path)
      value = value === null || value === undefined ? null : (value as Record<string, unknown>)[key];
    cells[i] = column.convert === undefined ? (value as Cell) : column.convert(value);
  }
  return cells;
}

function corrupt(context: FileContext, problem: string): UserError {
  return new UserError(`could not be decoded (${problem})`, {
    file: context.display,
    fix: "the file is damaged or was cut short: write it again with a current Parquet writer (pandas.to_parquet, pyarrow); gauntlet reads the standard types and codecs",
  });
}
