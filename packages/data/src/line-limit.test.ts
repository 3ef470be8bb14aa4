import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_LINE_CHARS } from "./line-limit.js";
import { readError } from "./read-error.test-helper.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "gauntlet-lines-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes `text` to `name` and expects reading it to fail at `line` for its length. */
async function expectLongLine(name: string, text: string, line: number): Promise<void> {
  await writeFile(join(dir, name), text);
  const error = await readError(name, dir);
  expect(error.file).toBe(name);
  expect(error.line).toBe(line);
  expect(error.problem).toBe(`line ${line} is longer than 16 MiB (the limit for one row)`);
}

describe("readers stop at a line over 16 MiB", () => {
  it("CSV: a quoted field whose line breaks carry the record past the limit names the record's first line", async () => {
    const lines = "a\n".repeat(MAX_LINE_CHARS / 2 + 10);
    await expectLongLine("quoted.csv", `id,note\n1,ok\n2,"${lines}"\n3,ok\n`, 3);
  }, 30_000);

  it("CSV: names the file and line", async () => {
    await expectLongLine("wide.csv", `id,blob\n1,ok\n2,${"x".repeat(MAX_LINE_CHARS + 10)}\n3,ok\n`, 3);
  });

  it("CSV: a header over the limit names line 1, whatever DuckDB made of it while the scan ran", async () => {
    await expectLongLine("header.csv", `${"h".repeat(MAX_LINE_CHARS + 10)},y\n1,2\n`, 1);
  }, 30_000);

  it("CSV: a first record several times DuckDB's buffer is refused by the scan, whatever DuckDB read of it meanwhile (a 1 GB one as no rows)", async () => {
    await expectLongLine("first.csv", `id,blob\n1,${"x".repeat(3 * MAX_LINE_CHARS)}\n2,ok\n`, 2);
  }, 30_000);

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
