import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Batch, isUserError } from "@gauntlet/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ReadOptions, readTable, readTableSchema } from "./read-table.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "gauntlet-jsonl-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function read(name: string, lines: string[], options: ReadOptions = {}): Promise<Batch[]> {
  await writeFile(join(dir, name), lines.join("\n"));
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

const log = [
  '{"request_id":"r1","ts":"2024-05-01T10:00:00Z","inputs":{"age":31,"region":"AE","tags":["a","b"]},"score":0.91,"ok":true}',
  "",
  '{"request_id":"r2","ts":"2024-05-01T12:00:00+02:00","inputs":{"age":null,"region":"SA","tags":[]},"score":0.12,"ok":false}',
  '{"request_id":"r3","inputs":{"age":45,"region":"EG","extra":{"deep":1}},"score":null}',
];

describe("JSONL files", () => {
  it("flattens nested objects to dotted columns and arrays to JSON text", async () => {
    const batches = await read("log.jsonl", log);
    const batch = batches[0]!;
    expect([...batch.columns.keys()]).toEqual([
      "request_id",
      "ts",
      "inputs.age",
      "inputs.region",
      "inputs.tags",
      "inputs.extra.deep",
      "score",
      "ok",
    ]);
    expect(values(batches, "inputs.age")).toEqual([31, null, 45]);
    expect(values(batches, "inputs.tags")).toEqual(['["a","b"]', "[]", null]);
    expect(values(batches, "ts")).toEqual([
      Date.parse("2024-05-01T10:00:00Z"),
      Date.parse("2024-05-01T10:00:00Z"),
      null,
    ]);
    expect(values(batches, "ok")).toEqual([1, 0, null]);
    expect(values(batches, "inputs.extra.deep")).toEqual([null, null, 1]);
    expect(batch.columns.get("score")!.kind).toBe("number");
  });

  it("gives a schema from the sample", async () => {
    await writeFile(join(dir, "schema.jsonl"), log.join("\n"));
    const schema = await readTableSchema("schema.jsonl", { cwd: dir, columns: ["score", "inputs.region"] });
    expect(schema).toEqual([
      { name: "inputs.region", kind: "category" },
      { name: "score", kind: "number" },
    ]);
  });

  it("names the line of invalid JSON, counting blank lines", async () => {
    const error = await read("bad.jsonl", ['{"a":1}', "", '{"a":2,,}']).catch((caught: unknown) => caught);
    expect(isUserError(error) && error.line).toBe(3);
    expect(String(error)).toMatch(/bad\.jsonl:3: line 3 is not valid JSON/);
  });

  it("rejects lines that are not objects", async () => {
    const error = await read("array.jsonl", ["[1,2]"]).catch((caught: unknown) => caught);
    expect(isUserError(error) && error.message).toMatch(/not a JSON object/);
  });

  it("rejects a key that collides with a flattened nested key", async () => {
    const error = await read("clash.jsonl", ['{"a.b":1,"a":{"b":2}}']).catch((caught: unknown) => caught);
    expect(isUserError(error) && error.field).toBe("a.b");
  });

  it("gives a column first seen after the sample its kind, missing in the rows before", async () => {
    const lines = Array.from({ length: 6 }, (_, i) =>
      JSON.stringify(i < 4 ? { id: i } : { id: i, late: i * 1.5 }),
    );
    const batches = await read("late.jsonl", lines, { inferRows: 2, batchSize: 3 });
    expect(batches[1]!.columns.get("late")!.kind).toBe("number");
    expect(values(batches, "late")).toEqual([null, null, null, null, 6, 7.5]);
    expect(batches.map((batch) => batch.firstRow)).toEqual([1, 4]);
  });

  it("reads string numbers as numbers and marks JSON numbers in a timestamp column invalid", async () => {
    const batches = await read("typed.jsonl", ['{"n":"12","t":1714557600}'], { kinds: { t: "timestamp" } });
    expect(values(batches, "n")).toEqual([12]);
    expect(batches[0]!.invalid.get("t")).toEqual([{ row: 1, raw: "1714557600" }]);
  });

  it("reads an empty log as no rows", async () => {
    expect(await read("empty.jsonl", [""])).toEqual([]);
  });
});
