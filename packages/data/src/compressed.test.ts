import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { type Batch, isUserError } from "@gauntlet/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDuckDb, sqlString } from "./duckdb-engine.js";
import { readTable } from "./read-table.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "gauntlet-compressed-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function read(name: string): Promise<Batch[]> {
  const batches: Batch[] = [];
  for await (const batch of readTable(name, { cwd: dir })) batches.push(batch);
  return batches;
}

function values(batches: Batch[], name: string): unknown[] {
  return batches.flatMap((batch) => {
    const column = batch.columns.get(name)!;
    return Array.from(column.values as ArrayLike<unknown>, (value, i) => (column.nulls[i] ? null : value));
  });
}

describe("compressed data files, read by their names", () => {
  it("reads a gzip CSV and TSV with the CSV rules (invalid cells listed)", async () => {
    const rows = Array.from({ length: 10 }, (_, i) => `${i + 4},${i}`).join("\n");
    await writeFile(join(dir, "eval.csv.gz"), gzipSync(`id,score\n1,0.5\n2,oops\n3,\n${rows}\n`));
    const batches = await read("eval.csv.gz");
    expect(values(batches, "score")).toEqual([0.5, null, null, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(batches[0]!.invalid.get("score")).toEqual([{ row: 2, raw: "oops" }]);
    await writeFile(join(dir, "eval.tsv.gz"), gzipSync("id\tnote\n1\tx, y\n"));
    expect(values(await read("eval.tsv.gz"), "note")).toEqual(["x, y"]);
  });

  it("reads a zstd JSON Lines log with nested objects as dotted columns", async () => {
    const path = join(dir, "log.jsonl.zst");
    const connection = await connectDuckDb();
    try {
      await connection.run(
        `COPY (SELECT 'r' || i AS request_id, {'age': 20 + i} AS inputs FROM range(3) t(i)) TO ${sqlString(path)} (FORMAT json, COMPRESSION zstd)`,
      );
    } finally {
      connection.closeSync();
    }
    const batches = await read("log.jsonl.zst");
    expect(values(batches, "request_id")).toEqual(["r0", "r1", "r2"]);
    expect(values(batches, "inputs.age")).toEqual([20, 21, 22]);
  });

  it("names a damaged gzip file and the fix", async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `${i},${Math.sin(i)}`).join("\n");
    const whole = gzipSync(`id,score\n${rows}\n`);
    await writeFile(join(dir, "cut.csv.gz"), whole.subarray(0, whole.length >> 1));
    const error = await read("cut.csv.gz").catch((caught: unknown) => caught);
    expect(isUserError(error) && error.file).toBe("cut.csv.gz");
    expect(isUserError(error) && error.problem).toMatch(/^could not be decompressed \(/);
  });
});
