import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planRead } from "./read-table.js";
import { ofFirstRows } from "./summary-sql.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "gauntlet-summary-sql-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The reads `ofFirstRows` queried on `name` (as the reader opens it), and the row it gave. */
async function firstRowsOf(name: string): Promise<{ froms: string[]; row: unknown[] }> {
  const { open, contexts } = await planRead(name, { cwd: dir });
  const opened = await open({ ...contexts[0]!, sqlAhead: true });
  try {
    const { connection, source } = opened.sql!;
    const froms: string[] = [];
    const row = await ofFirstRows(connection, source, (from) => {
      froms.push(from);
      return `SELECT count(DISTINCT x), count(*) FROM (SELECT x FROM ${from} LIMIT 3)`;
    });
    return { froms, row: row.map(Number) };
  } finally {
    await opened.close();
  }
}

describe("ofFirstRows", () => {
  it("reads a CSV's first rows with a 2 MiB buffer, not the 17 MiB one of the whole file", async () => {
    await writeFile(join(dir, "a.csv"), "x,y\n1,2\n1,3\n2,4\n5,6\n");
    const { froms, row } = await firstRowsOf("a.csv");
    expect(froms).toHaveLength(1);
    expect(froms[0]).toContain("max_line_size=1048576, buffer_size=2097152");
    expect(row).toEqual([2, 3]);
  });

  it("reads them again from the file's own read when a line is longer than that buffer's limit", async () => {
    await writeFile(join(dir, "long.csv"), `x,y\n1,2\n3,${"9".repeat(1536 * 1024)}\n3,4\n`);
    const { froms, row } = await firstRowsOf("long.csv");
    expect(froms).toHaveLength(2);
    expect(froms[1]).toContain(`max_line_size=${16 * 1024 * 1024}`);
    expect(row).toEqual([2, 3]);
  });

  it("reads a file that is not a CSV as it is", async () => {
    await writeFile(join(dir, "a.jsonl"), '{"x": 1}\n{"x": 1}\n{"x": 2}\n');
    const { froms, row } = await firstRowsOf("a.jsonl");
    expect(froms).toHaveLength(1);
    expect(froms[0]).not.toContain("buffer_size=2097152");
    expect(row).toEqual([2, 3]);
  });
});
