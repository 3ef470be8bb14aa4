import { UserError } from "@gauntlet/core";
import { BatchAssembler } from "./batch-assembler.js";
import { type CsvRecord, CsvTokenizer } from "./csv-tokenizer.js";
import { openTextFile, type TextParser } from "./open-text-file.js";
import type { FileContext, OpenedFile } from "./table-file.js";

/**
 * Opens a CSV (or, for a `.tsv` file, tab-separated) file: the first non-blank record is the
 * header, whose names are trimmed and must be non-empty and unique; every other record must have
 * as many fields. An empty field is a missing value. Row numbers count data records from 1. A
 * header of one column that holds `;`, a tab or `|` is refused, naming the separator it uses.
 *
 * @example
 * const file = await openCsvFile({ path: "/repo/data/eval.csv", display: "data/eval.csv", kinds: new Map(),
 *   columns: undefined, batchSize: 65_536, inferRows: 1_000 });
 * file.schema; // [{ name: "customer_id", kind: "category" }, { name: "age", kind: "number" }, ...]
 */
export async function openCsvFile(context: FileContext): Promise<OpenedFile> {
  const assembler = new BatchAssembler(context);
  return openTextFile(context, new CsvParser(context, assembler), assembler);
}

class CsvParser implements TextParser {
  private readonly tokenizer: CsvTokenizer;
  /** Assembler column of each field; -1 for a field outside the projection. */
  private targets: number[] | undefined;
  private headerLine = 1;
  private readonly delimiter: string;

  constructor(
    private readonly context: FileContext,
    private readonly assembler: BatchAssembler,
  ) {
    const delimiter = context.display.toLowerCase().endsWith(".tsv") ? "\t" : ",";
    this.delimiter = delimiter;
    this.tokenizer = new CsvTokenizer({
      delimiter,
      file: context.display,
      onRecord: (record) => this.record(record),
    });
  }

  push(text: string): void {
    this.tokenizer.push(text);
  }

  end(): void {
    this.tokenizer.end();
    if (this.targets === undefined) throw emptyFile(this.context.display);
  }

  private record(record: CsvRecord): void {
    const targets = this.targets;
    if (targets === undefined) {
      this.header(record.fields(), record.line);
      return;
    }
    if (record.count !== targets.length) {
      throw new UserError(
        `line ${record.line} has ${record.count} fields but the header (line ${this.headerLine}) has ${targets.length}`,
        {
          file: this.context.display,
          line: record.line,
          fix: `give every row ${targets.length} fields; quote any field that contains the delimiter, e.g. "Dubai, AE"`,
        },
      );
    }
    const { assembler } = this;
    const { input, starts, ends, unescaped } = record;
    for (let f = 0; f < targets.length; f++) {
      const text = unescaped[f];
      if (text === undefined) assembler.setText(targets[f]!, input, starts[f]!, ends[f]!);
      else assembler.set(targets[f]!, text);
    }
    assembler.endRow();
  }

  private header(fields: string[], line: number): void {
    const names = fields.map((name) => name.trim());
    if (names.every((name) => name === "")) throw emptyFile(this.context.display);
    if (names.length === 1) checkDelimiter(names[0]!, this.delimiter, this.context.display, line);
    const seen = new Set<string>();
    names.forEach((name, f) => {
      if (name === "") {
        throw new UserError(`header column ${f + 1} has no name`, {
          file: this.context.display,
          line,
          fix: "name every column in the header row (an unnamed first column is often a saved index: write with index=False)",
        });
      }
      if (seen.has(name)) {
        throw new UserError(`the header names column "${name}" twice`, {
          file: this.context.display,
          line,
          field: name,
          fix: "give every column a unique name",
        });
      }
      seen.add(name);
    });
    this.headerLine = line;
    this.targets = names.map((name) => this.assembler.column(name));
  }
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

function emptyFile(display: string): UserError {
  return new UserError("is empty: it has no header row", {
    file: display,
    fix: "write the column names on the first line, e.g. customer_id,age,region, and the rows below it",
  });
}
