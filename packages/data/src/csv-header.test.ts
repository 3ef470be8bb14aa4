import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csvHeader } from "./csv-header.js";
import { connectDuckDb } from "./duckdb-engine.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "gauntlet-csv-header-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function headerOf(text: string): Promise<{ fields: string[]; line: number } | undefined> {
  const path = join(dir, "a.csv");
  await writeFile(path, text);
  const connection = await connectDuckDb();
  try {
    return await csvHeader(connection, path, "compression='uncompressed'", ",");
  } finally {
    connection.closeSync();
  }
}

describe("csvHeader", () => {
  it("reads the first non-blank line's fields, quotes undone, and its line number", async () => {
    expect(await headerOf('\n  \nid,"a,b",""""\n1,2,3\n')).toEqual({ fields: ["id", "a,b", '"'], line: 3 });
    expect(await headerOf("\n\n")).toBeUndefined();
  });

  it("reads a header or a first row over 1 MiB, the first lines' read, again at the 16 MiB limit", async () => {
    const names = Array.from({ length: 100_000 }, (_, i) => `column_${i}`);
    expect((await headerOf(`${names.join(",")}\n`))?.fields).toEqual(names);
    expect(await headerOf(`x,y\n1,${"9".repeat(1536 * 1024)}\n`)).toEqual({ fields: ["x", "y"], line: 1 });
  });
});
