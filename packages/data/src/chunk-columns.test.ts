import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readTable } from "./read-table.js";
import type { ReadBatch } from "./table-file.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "gauntlet-chunk-columns-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function read(name: string, text: string, options = {}): Promise<ReadBatch[]> {
  await writeFile(join(dir, name), text);
  const batches: ReadBatch[] = [];
  for await (const batch of readTable(name, { cwd: dir, batchSize: 3_000, ...options })) batches.push(batch);
  return batches;
}

/** A column's cells over every batch: numbers (NaN where null), text, or null. */
function cells(batches: ReadBatch[], name: string): unknown[] {
  return batches.flatMap((b) => {
    const column = b.columns.get(name)!;
    return Array.from({ length: b.length }, (_, i) => (column.nulls[i] ? null : column.values[i]));
  });
}

describe("ChunkColumns (DuckDB's vectors read through the bindings)", () => {
  // 6,000 rows: three DuckDB chunks (2,048 rows) with no value at all in `x`, `note` and
  // `region`, then values; `x` holds "nan" (which DuckDB parses and parseNumber refuses) and a word (raw text beside a parsed
  // column), `note` strings longer than 12 bytes and non-ASCII ones, `region` few values
  // (read as codes) and one beyond the codes' sample.
  const row = (i: number) => {
    if (i < 4_500) return ",,";
    const x = i === 5_000 ? "nan" : i === 5_001 ? "twelve" : String(i / 4);
    const note = i % 3 === 0 ? `a note longer than twelve bytes ${i}` : i % 3 === 1 ? `ü${i}` : `n${i}`;
    const region = i === 5_999 ? "ZZ" : ["AE", "SA"][i % 2]!;
    return `${x},${note},${region}`;
  };
  const csv = `x,note,region\n${Array.from({ length: 6_000 }, (_, i) => row(i)).join("\n")}\n`;

  it("reads chunks with no value in a column as nulls, and every value after them as written", async () => {
    const batches = await read("gaps.csv", csv, { kinds: { x: "number", region: "category" } });
    const expected = Array.from({ length: 6_000 }, (_, i) => row(i).split(","));
    const number = (text: string) =>
      text === "" || text === "nan" || text === "twelve" ? null : Number(text);
    expect(cells(batches, "x")).toEqual(expected.map(([x]) => number(x!)));
    expect(cells(batches, "note")).toEqual(expected.map(([, note]) => (note === "" ? null : note)));
    expect(cells(batches, "region")).toEqual(expected.map(([, , region]) => (region === "" ? null : region)));
    expect(batches.flatMap((b) => b.invalid.get("x") ?? [])).toEqual([
      { row: 5_001, raw: "nan" },
      { row: 5_002, raw: "twelve" },
    ]);
  });
});
