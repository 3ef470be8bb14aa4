import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Batch, isUserError } from "@gauntlet/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { detectFormat } from "./detect-format.js";
import { readTable, readTableSchema, readTableShape } from "./read-table.js";
import { resolveDataFiles } from "./resolve-data-files.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "gauntlet-table-"));
  await mkdir(join(dir, "logs"));
  await writeFile(join(dir, "logs", "b.csv"), "id,score\n3,0.5\n4,oops\n");
  await writeFile(join(dir, "logs", "a.csv"), "id,score,region\n1,0.1,AE\n2,0.2,SA\n");
  await writeFile(join(dir, "logs", "c.csv"), "id,region\n5,EG\n");
  await mkdir(join(dir, "mixed"));
  await writeFile(join(dir, "mixed", "a.csv"), "id\n1\n");
  await writeFile(join(dir, "mixed", "b.jsonl"), '{"id":2}\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function collect(pathOrGlob: string, options = {}): Promise<Batch[]> {
  const batches: Batch[] = [];
  for await (const batch of readTable(pathOrGlob, { cwd: dir, ...options })) batches.push(batch);
  return batches;
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe("readTable over a glob", () => {
  it("reads the matched files in sorted order, keeping each file's own row numbers", async () => {
    const batches = await collect("logs/*.csv");
    expect(batches.map((batch) => [batch.source, batch.firstRow, batch.length])).toEqual([
      ["logs/a.csv", 1, 2],
      ["logs/b.csv", 1, 2],
      ["logs/c.csv", 1, 1],
    ]);
  });

  it("keeps a column's kind from the first file and lets a file lack columns", async () => {
    const batches = await collect("logs/*.csv");
    expect(batches[1]!.columns.get("score")!.kind).toBe("number");
    expect(batches[1]!.invalid.get("score")).toEqual([{ row: 2, raw: "oops" }]);
    expect([...batches[1]!.columns.keys()]).toEqual(["id", "score"]);
    expect([...batches[2]!.columns.keys()]).toEqual(["id", "region"]);
  });

  it("gives the union of the files' columns as the schema", async () => {
    expect(await readTableSchema("logs/*.csv", { cwd: dir })).toEqual([
      { name: "id", kind: "number" },
      { name: "score", kind: "number" },
      { name: "region", kind: "category" },
    ]);
  });

  it("rejects a glob that mixes formats", async () => {
    const error = await caught(collect("mixed/*"));
    expect(isUserError(error) && error.message).toMatch(
      /different formats: mixed\/a.csv is csv, mixed\/b.jsonl is jsonl/,
    );
  });

  it("stops reading when the consumer stops", async () => {
    for await (const batch of readTable("logs/*.csv", { cwd: dir })) {
      expect(batch.source).toBe("logs/a.csv");
      break;
    }
  });

  it("gives each batch's category columns exactly its rows, the last (shorter) batch too", async () => {
    // region is read as dictionary codes (one value), name as text (every value distinct).
    await writeFile(join(dir, "categories.csv"), "region,name\nAE,a\nAE,b\nAE,c\nAE,d\n,\n");
    const batches = await collect("categories.csv", { batchSize: 2 });
    const values = (batch: Batch, name: string) => {
      const column = batch.columns.get(name)!;
      // No holes: every row of the batch holds a string, and nothing follows the last row.
      expect(Object.keys(column.values)).toHaveLength(batch.length);
      return [...column.values];
    };
    expect(batches.map((b) => b.length)).toEqual([2, 2, 1]);
    expect(batches.map((b) => values(b, "region"))).toEqual([["AE", "AE"], ["AE", "AE"], [""]]);
    expect(batches.map((b) => values(b, "name"))).toEqual([["a", "b"], ["c", "d"], [""]]);
    expect(batches.map((b) => [...b.columns.get("name")!.nulls])).toEqual([[0, 0], [0, 0], [1]]);
  });

  it("rejects bad batch sizes as a programming error", async () => {
    await expect(collect("logs/a.csv", { batchSize: 0 })).rejects.toThrow(RangeError);
  });
});

describe("readTableShape", () => {
  it("gives readTableSchema's columns and whether any file of a glob has a row", async () => {
    await mkdir(join(dir, "shape"));
    await writeFile(join(dir, "shape", "a.csv"), "id,score\n");
    await writeFile(join(dir, "shape", "b.csv"), "id,score\n1,0.5\n");
    const glob = await readTableShape("shape/*.csv", { cwd: dir });
    expect(glob).toEqual({ schema: await readTableSchema("shape/*.csv", { cwd: dir }), empty: false });
    expect(await readTableShape("shape/a.csv", { cwd: dir, columns: ["score"] })).toEqual({
      schema: [{ name: "score", kind: "category" }],
      empty: true,
    });
  });

  it("names the file and line of a malformed first row", async () => {
    await writeFile(join(dir, "bad-first.csv"), "id,score\n1,0.5,7\n");
    const error = await caught(readTableShape("bad-first.csv", { cwd: dir }));
    expect(isUserError(error) && `${error.file} ${error.problem}`).toMatch(/bad-first\.csv .*line 2/);
  });
});

describe("resolveDataFiles", () => {
  it("returns a plain path as given and a glob's matches sorted", async () => {
    expect(await resolveDataFiles("logs/b.csv", dir)).toEqual(["logs/b.csv"]);
    expect(await resolveDataFiles("logs/{c,a}.csv", dir)).toEqual(["logs/a.csv", "logs/c.csv"]);
  });

  it("names the path when nothing is there", async () => {
    const missing = await caught(resolveDataFiles("data/nope.csv", dir));
    expect(isUserError(missing) && missing.file).toBe("data/nope.csv");
    const empty = await caught(resolveDataFiles("logs/*.parquet", dir));
    expect(isUserError(empty) && empty.message).toMatch(/matches no files/);
    const folder = await caught(resolveDataFiles("logs", dir));
    expect(isUserError(folder) && folder.fix).toMatch(/logs\/\*\.csv/);
  });
});

describe("detectFormat", () => {
  it("maps extensions to formats, ignoring case", () => {
    expect(
      [
        "a.csv",
        "a.TSV",
        "a.jsonl",
        "a.ndjson",
        "a.jsonlines",
        "a.parquet",
        "dir.v1/a.pq",
        "a.csv.gz",
        "a.jsonl.ZST",
      ].map(detectFormat),
    ).toEqual(["csv", "csv", "jsonl", "jsonl", "jsonl", "parquet", "parquet", "csv", "jsonl"]);
  });

  it("explains unsupported extensions", () => {
    expect(() => detectFormat("data.json")).toThrow(/rename it to \.jsonl/);
    expect(() => detectFormat("data.gz")).toThrow(/name it after its content, e\.g\. eval\.csv\.gz/);
    expect(() => detectFormat("data.parquet.gz")).toThrow(/compressed inside/);
    expect(() => detectFormat("dir.d/data")).toThrow(/\(none\)/);
  });
});
