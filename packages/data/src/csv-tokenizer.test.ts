import { isUserError } from "@gauntlet/core";
import { describe, expect, it } from "vitest";
import { CsvTokenizer } from "./csv-tokenizer.js";

/** Tokenizes `text` pushed in pieces of `size` characters; returns fields and start lines. */
function tokenize(
  text: string,
  size = text.length || 1,
  delimiter = ",",
): { fields: string[][]; lines: number[] } {
  const fields: string[][] = [];
  const lines: number[] = [];
  const tokenizer = new CsvTokenizer({
    file: "t.csv",
    delimiter,
    onRecord: (record) => {
      fields.push(record.fields());
      lines.push(record.line);
    },
  });
  for (let i = 0; i < text.length; i += size) tokenizer.push(text.slice(i, i + size));
  tokenizer.end();
  return { fields, lines };
}

const tricky = 'id,note,n\r\n1,"a, b",2\r\n2,"say ""hi""",3\n3,"two\nlines",4\r5,"",\n\n6,plain "quote",7';
const expected = [
  ["id", "note", "n"],
  ["1", "a, b", "2"],
  ["2", 'say "hi"', "3"],
  ["3", "two\nlines", "4"],
  ["5", "", ""],
  ["6", 'plain "quote"', "7"],
];

describe("CsvTokenizer", () => {
  it("handles quoted delimiters, escaped quotes, newlines in quotes, CRLF/LF/CR and blank lines", () => {
    expect(tokenize(tricky).fields).toEqual(expected);
  });

  it("gives the same records whatever the chunk boundaries", () => {
    for (const size of [1, 2, 3, 5, 7, 11]) expect(tokenize(tricky, size).fields).toEqual(expected);
  });

  it("reports the line each record starts on, counting line breaks inside quotes and blank lines", () => {
    expect(tokenize(tricky, 4).lines).toEqual([1, 2, 3, 4, 6, 8]);
  });

  it("keeps a trailing empty field and needs no final line break", () => {
    expect(tokenize("a,b\n1,").fields).toEqual([
      ["a", "b"],
      ["1", ""],
    ]);
    expect(tokenize("a\r\n1\r\n").fields).toEqual([["a"], ["1"]]);
  });

  it("splits on tabs for TSV", () => {
    expect(tokenize("a\tb\n1,5\tx\n", 3, "\t").fields).toEqual([
      ["a", "b"],
      ["1,5", "x"],
    ]);
  });

  it("rejects a quoted field that is never closed, naming its line", () => {
    const error = catchError(() => tokenize('a,b\n1,2\n3,"open\nmore'));
    expect(isUserError(error) && error.line).toBe(3);
    expect(String(error)).toMatch(/never closed/);
  });

  it("rejects text after a closing quote", () => {
    const error = catchError(() => tokenize('a,b\n"x"y,2\n', 2));
    expect(isUserError(error) && error.line).toBe(2);
    expect(String(error)).toMatch(/after the closing quote/);
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}
