import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Batch, isUserError } from "@gauntlet/core";
import { parquetWriteBuffer } from "hyparquet-writer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ReadOptions, readTable, readTableSchema } from "./read-table.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "gauntlet-parquet-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readAll(name: string, options: ReadOptions = {}): Promise<Batch[]> {
  const batches: Batch[] = [];
  for await (const batch of readTable(name, { cwd: dir, ...options })) batches.push(batch);
  return batches;
}

function values(batches: Batch[], name: string): unknown[] {
  return batches.flatMap((batch) => {
    const column = batch.columns.get(name);
    if (column === undefined) return [];
    return Array.from(column.values as ArrayLike<unknown>, (value, i) => (column.nulls[i] ? null : value));
  });
}

const t0 = Date.UTC(2024, 0, 1);

async function writeAllKinds(
  name: string,
  options: { rowGroupSize?: number; codec?: "SNAPPY" | "UNCOMPRESSED" },
) {
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: "id", data: [1, 2, 3, 4], type: "INT32" },
      { name: "big", data: [1n, null, 3n, 2n ** 40n], type: "INT64" },
      { name: "score", data: [0.5, null, Number.NaN, 1.25], type: "DOUBLE" },
      { name: "region", data: ["AE", null, "<b>|x|</b>", "@everyone"], type: "STRING" },
      { name: "active", data: [true, false, null, true], type: "BOOLEAN" },
      {
        name: "seen",
        data: [new Date(t0), null, new Date(t0 + 1000), new Date(t0 + 86_400_000)],
        type: "TIMESTAMP",
      },
    ],
    ...options,
  });
  await writeFile(join(dir, name), Buffer.from(buffer));
}

describe("Parquet files", () => {
  it("round-trips every kind with nulls", async () => {
    await writeAllKinds("all.parquet", { codec: "SNAPPY" });
    const batches = await readAll("all.parquet");
    expect(values(batches, "id")).toEqual([1, 2, 3, 4]);
    expect(values(batches, "big")).toEqual([1, null, 3, 2 ** 40]);
    expect(values(batches, "score")).toEqual([0.5, null, Number.NaN, 1.25]);
    expect(values(batches, "region")).toEqual(["AE", null, "<b>|x|</b>", "@everyone"]);
    expect(values(batches, "active")).toEqual([1, 0, null, 1]);
    expect(values(batches, "seen")).toEqual([t0, null, t0 + 1000, t0 + 86_400_000]);
    expect(await readTableSchema("all.parquet", { cwd: dir })).toEqual([
      { name: "id", kind: "number" },
      { name: "big", kind: "number" },
      { name: "score", kind: "number" },
      { name: "region", kind: "category" },
      { name: "active", kind: "boolean" },
      { name: "seen", kind: "timestamp" },
    ]);
  });

  it("reads a file of several row groups as batches of batchSize rows with continuing row numbers", async () => {
    await writeAllKinds("groups.parquet", { rowGroupSize: 3, codec: "UNCOMPRESSED" });
    const batches = await readAll("groups.parquet", { batchSize: 2, columns: ["id", "region"] });
    expect(batches.map((batch) => [batch.firstRow, batch.length])).toEqual([
      [1, 2],
      [3, 2],
    ]);
    expect([...batches[0]!.columns.keys()]).toEqual(["id", "region"]);
    expect(values(batches, "id")).toEqual([1, 2, 3, 4]);
  });

  it("parses a text column declared as number, listing the cells that are not", async () => {
    const buffer = parquetWriteBuffer({
      columnData: [{ name: "amount", data: ["1.5", "x", null], type: "STRING" }],
    });
    await writeFile(join(dir, "text.parquet"), Buffer.from(buffer));
    const batches = await readAll("text.parquet", { kinds: { amount: "number" } });
    expect(values(batches, "amount")).toEqual([1.5, null, null]);
    expect(batches[0]!.invalid.get("amount")).toEqual([{ row: 2, raw: "x" }]);
  });

  it("reports a file that is not Parquet", async () => {
    await writeFile(join(dir, "fake.parquet"), "id,age\n1,2\n");
    const error = await readAll("fake.parquet").catch((caught: unknown) => caught);
    expect(isUserError(error) && error.file).toBe("fake.parquet");
    expect(String(error)).toMatch(/not a readable Parquet file/);
  });
});
