import type { DuckDBConnection } from "@duckdb/node-api";
import { UserError } from "@gauntlet/core";
import { sqlString } from "./duckdb-engine.js";
import { firstLinesRead } from "./line-limit.js";

/** Blank lines looked past for the header. */
const maxLeadingLines = 1_000;

/**
 * The header of a CSV/TSV file (plain or compressed): the fields of its first non-blank line,
 * split at `delimiter` outside double quotes, and that line's 1-based number; `undefined` for a
 * file with no non-blank line. DuckDB reads the lines, so compressed files need no other code.
 *
 * @example
 * await csvHeader(connection, "/repo/data/eval.csv", "compression='none'", ",");
 * // { fields: ["customer_id", "age"], line: 1 }
 */
export async function csvHeader(
  connection: DuckDBConnection,
  path: string,
  compression: string,
  delimiter: string,
): Promise<{ fields: string[]; line: number } | undefined> {
  // DuckDB's buffer is by default 16 times the longest line, 256 MiB here: the whole of most
  // files would be read for a few lines (80-110 ms for the 104 MB bench CSV); a buffer at the
  // line limit, 17 MiB, takes 16-74 ms, and one for lines up to 1 MiB 6-28 ms.
  return firstLinesRead(async (options) => {
    const lines = await connection.run(
      `SELECT l FROM read_csv(${sqlString(path)}, header=false, auto_detect=false, columns={'l': 'VARCHAR'}, ` +
        `delim='\x1f', quote='', escape='', ${options}, ${compression}) LIMIT ${maxLeadingLines}`,
    );
    let line = 0;
    for (
      let chunk = await lines.fetchChunk();
      chunk !== null && chunk.rowCount > 0;
      chunk = await lines.fetchChunk()
    ) {
      const vector = chunk.getColumnVector(0);
      for (let i = 0; i < chunk.rowCount; i++) {
        line++;
        const text = ((vector.getItem(i) as string | null) ?? "").replace(/^\uFEFF/, "");
        if (text.trim() !== "") return { fields: splitLine(text, delimiter), line };
      }
    }
    return undefined;
  });
}

/** The fields of one CSV line: `delimiter` outside double quotes separates, `""` is a quote. */
function splitLine(text: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      fields.push(field);
      field = "";
    } else field += c;
  }
  fields.push(field);
  return fields;
}

/**
 * Checks a CSV header and returns its trimmed column names: every name non-empty and unique. A
 * header of one column that holds `;`, a tab or `|` is refused, naming the separator it uses.
 *
 * @example
 * checkCsvHeader(["id", " age "], ",", "data/eval.csv", 1); // ["id", "age"]
 * checkCsvHeader(["id;age"], ",", "data/eval.csv", 1); // throws: the file looks separated by semicolons
 */
export function checkCsvHeader(fields: string[], delimiter: string, display: string, line: number): string[] {
  const names = fields.map((name) => name.trim());
  if (names.every((name) => name === "")) throw emptyCsv(display);
  if (names.length === 1) checkDelimiter(names[0]!, delimiter, display, line);
  const seen = new Set<string>();
  names.forEach((name, f) => {
    if (name === "") {
      throw new UserError(`header column ${f + 1} has no name`, {
        file: display,
        line,
        fix: "name every column in the header row (an unnamed first column is often a saved index: write with index=False)",
      });
    }
    if (seen.has(name)) {
      throw new UserError(`the header names column "${name}" twice`, {
        file: display,
        line,
        field: name,
        fix: "give every column a unique name",
      });
    }
    seen.add(name);
  });
  return names;
}

const OTHER_DELIMITERS: [string, string, string][] = [
  [
    ";",
    "semicolons",
    'write it comma-separated (pandas: to_csv(sep=",")); a spreadsheet in a locale with decimal commas exports ";": choose comma as the separator',
  ],
  ["\t", "tabs", "name the file .tsv, or write it comma-separated"],
  ["|", "pipes", 'write it comma-separated (pandas: to_csv(sep=","))'],
  [",", "commas", "name the file .csv, or write it tab-separated"],
];

/** A header of one column that holds another delimiter: the file is separated by that one. */
function checkDelimiter(header: string, delimiter: string, display: string, line: number): void {
  const other = OTHER_DELIMITERS.find(([d]) => d !== delimiter && header.includes(d));
  if (!other) return;
  const [, name, fix] = other;
  const shown = header.length > 60 ? `${header.slice(0, 59)}…` : header;
  throw new UserError(
    `the header is one column, ${JSON.stringify(shown)}: the file looks separated by ${name}, not ${delimiter === "\t" ? "tabs" : "commas"}`,
    { file: display, line, fix },
  );
}

/**
 * The error for a CSV file without a header row.
 *
 * @example
 * emptyCsv("data/eval.csv").problem; // "is empty: it has no header row"
 */
export function emptyCsv(display: string): UserError {
  return new UserError("is empty: it has no header row", {
    file: display,
    fix: "write the column names on the first line, e.g. customer_id,age,region, and the rows below it",
  });
}
