import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isUserError, type UserError } from "@gauntlet/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CsvTokenizer } from "./csv-tokenizer.js";
import { MAX_LINE_CHARS } from "./line-limit.js";
import { readError } from "./read-error.test-helper.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "gauntlet-lines-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function caught(run: () => void): UserError {
  try {
    run();
  } catch (error) {
    if (isUserError(error)) return error;
    throw error;
  }
  throw new Error("expected a UserError");
}

/** Pushes `chunks` into a tokenizer holding records of at most `max` characters; returns the records. */
function tokenize(chunks: string[], max: number): string[][] {
  const records: string[][] = [];
  const tokenizer = new CsvTokenizer({
    file: "t.csv",
    maxRecordChars: max,
    onRecord: (record) => records.push(record.fields()),
  });
  for (const chunk of chunks) tokenizer.push(chunk);
  tokenizer.end();
  return records;
}

describe("CsvTokenizer record limit", () => {
  it("accepts records up to the limit, however they are cut", () => {
    expect(tokenize(["id,n\n1,", "23456789\n"], 10)).toEqual([
      ["id", "n"],
      ["1", "23456789"],
    ]);
  });

  it("stops as soon as an unfinished record outgrows the limit, naming its first line", () => {
    const error = caught(() => tokenize(["id,n\n1,2\n3,", "x".repeat(6), "x".repeat(6)], 10));
    expect(error.line).toBe(3);
    expect(error.message).toMatch(
      /^t\.csv:3: line 3 is longer than 10 characters \(the limit for one row\)\. Fix: /,
    );
  });

  it("counts a quoted field's line breaks as part of its record", () => {
    const error = caught(() => tokenize(['id,note\n1,"', "a\nb\nc\nd\ne\nf\n"], 10));
    expect(error.line).toBe(2);
  });

  it("refuses a complete record over the limit that arrives in one chunk", () => {
    const error = caught(() => tokenize([`id\n${"y".repeat(11)}\nz\n`], 10));
    expect(error.line).toBe(2);
  });
});

describe("readers stop at a line over 16 MiB", () => {
  it("CSV: names the file and line", async () => {
    await writeFile(join(dir, "wide.csv"), `id,blob\n1,ok\n2,${"x".repeat(MAX_LINE_CHARS + 10)}\n3,ok\n`);
    const error = await readError("wide.csv", dir);
    expect(error.file).toBe("wide.csv");
    expect(error.line).toBe(3);
    expect(error.problem).toBe("line 3 is longer than 16 MiB (the limit for one row)");
  });

  it("JSONL: a log torn by a crash (no line break for the rest of the file) names the torn line", async () => {
    const torn = `{"id":1}\n{"id":2}\n{"id":3,"blob":"${"x".repeat(MAX_LINE_CHARS)}`;
    await writeFile(join(dir, "torn.jsonl"), torn);
    const error = await readError("torn.jsonl", dir);
    expect(error.file).toBe("torn.jsonl");
    expect(error.line).toBe(3);
    expect(error.fix).toMatch(/torn write/);
  });

  it("JSONL: a complete line over the limit is refused too", async () => {
    await writeFile(
      join(dir, "long.jsonl"),
      `{"id":1}\n{"blob":"${"x".repeat(MAX_LINE_CHARS + 1)}"}\n{"id":3}\n`,
    );
    expect((await readError("long.jsonl", dir)).line).toBe(2);
  });
});
