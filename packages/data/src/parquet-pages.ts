import type { AsyncBuffer, PageHeader, RowGroup } from "hyparquet";
import { parquetHeader } from "hyparquet/src/column.js";

/**
 * The first problem with the page headers of a row group's column chunks (only the top-level
 * columns in `tops`), or `undefined` when every page header is whole. Each chunk is walked page by
 * page, as a decoder would walk it: every header must parse, name a known page type, give sizes
 * that are whole numbers and keep the page inside its chunk, and carry the counts its type needs.
 *
 * This runs before the Parquet decoder sees the chunk, because a header cut short by corruption
 * (a zeroed or overwritten stretch of the file) leaves the decoder reading levels at offset NaN,
 * where a run of length zero repeats forever: the read never ends rather than failing. Checking
 * headers costs one extra pass over the chunk's bytes, which are read from the OS cache.
 *
 * @example
 * await pageHeaderProblem(file, metadata.row_groups[0], new Set(["age"]));
 * // undefined, or e.g. 'column "age": the page header at byte 4123 has no repetition_levels_byte_length'
 */
export async function pageHeaderProblem(
  file: AsyncBuffer,
  group: RowGroup,
  tops: ReadonlySet<string>,
): Promise<string | undefined> {
  for (const chunk of group.columns) {
    const meta = chunk.meta_data;
    if (meta === undefined || !tops.has(meta.path_in_schema[0] ?? "")) continue;
    const name = meta.path_in_schema.join(".");
    const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
    const length = Number(meta.total_compressed_size);
    if (!isCount(start) || !isCount(length) || start + length > file.byteLength) {
      return `column "${name}": its pages lie outside the file (bytes ${start}–${start + length} of ${file.byteLength})`;
    }
    const bytes = await file.slice(start, start + length);
    const problem = chunkProblem(new DataView(bytes), start);
    if (problem !== undefined) return `column "${name}": ${problem}`;
  }
  return undefined;
}

/** The first bad page header of one column chunk, walking from its first page to its end. */
function chunkProblem(view: DataView, base: number): string | undefined {
  const reader = { view, offset: 0 };
  while (reader.offset < view.byteLength) {
    const at = base + reader.offset;
    let header: PageHeader;
    try {
      header = parquetHeader(reader);
    } catch {
      return `the page header at byte ${at} cannot be read`;
    }
    const problem = headerProblem(header);
    if (problem !== undefined) return `the page header at byte ${at} ${problem}`;
    if (reader.offset + header.compressed_page_size > view.byteLength) {
      return `the page at byte ${at} runs past the end of its column chunk`;
    }
    reader.offset += header.compressed_page_size;
  }
  return undefined;
}

function headerProblem(header: PageHeader): string | undefined {
  if (!isCount(header.compressed_page_size)) return "has no valid compressed_page_size";
  if (!isCount(header.uncompressed_page_size)) return "has no valid uncompressed_page_size";
  switch (header.type) {
    case "DATA_PAGE":
      return header.data_page_header && isCount(header.data_page_header.num_values)
        ? undefined
        : "has no valid data_page_header";
    case "DATA_PAGE_V2": {
      const v2 = header.data_page_header_v2;
      if (v2 === undefined) return "has no data_page_header_v2";
      for (const field of [
        "num_values",
        "num_nulls",
        "num_rows",
        "definition_levels_byte_length",
        "repetition_levels_byte_length",
      ] as const) {
        if (!isCount(v2[field])) return `has no valid ${field}`;
      }
      return v2.definition_levels_byte_length + v2.repetition_levels_byte_length > header.compressed_page_size
        ? "gives levels longer than its page"
        : undefined;
    }
    case "DICTIONARY_PAGE":
      return header.dictionary_page_header && isCount(header.dictionary_page_header.num_values)
        ? undefined
        : "has no valid dictionary_page_header";
    case "INDEX_PAGE":
      return undefined;
    default:
      return "names no known page type";
  }
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}
