import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBConnection } from "@duckdb/node-api";
import { type Batch, isUserError } from "@gauntlet/core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
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

/** What `read` returns, and the SQL each DuckDB connection's `method` was given meanwhile. */
async function withQueries<T>(
  method: "run" | "stream",
  read: () => Promise<T>,
): Promise<{ queries: string[]; result: T }> {
  const queries: string[] = [];
  const original = DuckDBConnection.prototype[method] as (
    this: DuckDBConnection,
    sql: string,
    ...rest: unknown[]
  ) => unknown;
  const spy = vi.spyOn(DuckDBConnection.prototype, method).mockImplementation(function (
    this: DuckDBConnection,
    sql: string,
    ...rest: unknown[]
  ) {
    queries.push(sql);
    return original.call(this, sql, ...rest);
  } as never);
  try {
    return { queries, result: await read() };
  } finally {
    spy.mockRestore();
  }
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

  describe("with a projection (only the projected keys are parsed)", () => {
    // DuckDB's detection samples the first 20,480 lines; what lies beyond must read the same.
    const many = (n: number, line: (i: number) => object) =>
      Array.from({ length: n }, (_, i) => JSON.stringify(line(i)));

    it("reads a value of another type beyond the sample as that type's text, listed when invalid", async () => {
      const lines = many(21_000, (i) => ({
        ts: "2024-05-01T10:00:00Z",
        inputs: { age: i === 20_999 ? "n/a" : i === 20_998 ? "7" : i, region: i === 20_997 ? 5 : "AE" },
      }));
      const batches = await read("beyond.jsonl", lines, {
        columns: ["inputs.age", "inputs.region"],
        kinds: { "inputs.age": "number" },
      });
      expect(values(batches, "inputs.age").slice(-3)).toEqual([20_997, 7, null]);
      expect(values(batches, "inputs.region").slice(-4)).toEqual(["AE", "5", "AE", "AE"]);
      expect(batches.flatMap((batch) => batch.invalid.get("inputs.age") ?? [])).toEqual([
        { row: 21_000, raw: "n/a" },
      ]);
      expect([...batches[0]!.columns.keys()]).toEqual(["inputs.age", "inputs.region"]);
    });

    it("has DuckDB parse number keys as DOUBLE, reading every cell as the text read does", async () => {
      // Beyond the sample: strings, NaN, an overflow, an object; and a boolean (1 to a typed
      // read) in a key that holds numbers in the sample.
      const odd = ["7", "n/a", "nan", "OVERFLOW", { a: 1 }, 0.1];
      const lines = many(21_000, (i) => ({
        inputs: { age: i >= 20_994 ? odd[i - 20_994] : i / 4, n: i },
        flag: i === 20_998 ? true : i % 3,
      })).map((line) => line.replace('"OVERFLOW"', "1e400"));
      const columns = ["inputs.age", "inputs.n", "flag"];
      const options: ReadOptions = {
        columns,
        kinds: { "inputs.age": "number", "inputs.n": "number", flag: "number" },
      };
      const { queries, result: typed } = await withQueries("stream", () =>
        read("numbers.jsonl", lines, options),
      );
      // Both number keys were declared DOUBLE, not the key holding a boolean.
      expect(queries[0]).toContain('"age" DOUBLE, "n" DOUBLE');
      expect(queries[0]).toContain("'flag': 'VARCHAR'");
      // An escaped key before a boolean leaves the scan unable to tell: no typed read.
      const asText = await read("numbers-text.jsonl", [...lines, '{"\\u0078":true}'], options);
      for (const name of columns) {
        expect(values(typed, name)).toEqual(values(asText, name).slice(0, -1));
        expect(typed.flatMap((b) => b.invalid.get(name) ?? [])).toEqual(
          asText.flatMap((b) => b.invalid.get(name) ?? []),
        );
      }
      expect(values(typed, "inputs.age").slice(-7)).toEqual([20_993 / 4, 7, null, null, Infinity, null, 0.1]);
      expect(typed.flatMap((b) => b.invalid.get("inputs.age") ?? []).map((c) => c.raw)).toEqual([
        "n/a",
        "nan",
        '{"a":1}',
      ]);
      expect(values(typed, "flag").slice(-3)).toEqual([20_997 % 3, null, 20_999 % 3]);
      expect(typed.flatMap((b) => b.invalid.get("flag") ?? [])).toEqual([{ row: 20_999, raw: "true" }]);
      expect(values(typed, "inputs.n")[20_999]).toBe(20_999);
    });

    it("finds a projected key first seen beyond the sample", async () => {
      const lines = many(20_600, (i) => (i < 20_500 ? { id: i } : { id: i, churned: i % 2 }));
      const batches = await read("late-key.jsonl", lines, { columns: ["id", "churned"] });
      expect(values(batches, "churned").filter((v) => v !== null)).toHaveLength(100);
    });

    it("reads a projected key no line holds as absent without detecting every key of the file", async () => {
      const lines = many(300, (i) => ({ id: i, inputs: { age: i, note: "latency_ms" } }));
      const { queries, result } = await withQueries(
        "run",
        async (): Promise<[Batch[], Batch[]]> => [
          await read("absent-key.jsonl", lines, { columns: ["id", "inputs.age", "error"] }),
          // "latency_ms" appears as a value, so it may be a key: every key is detected.
          await read("maybe-key.jsonl", lines, { columns: ["id", "latency_ms"] }),
        ],
      );
      const [batches, found] = result;
      const detections = queries.filter((query) => query.includes("sample_size=-1"));
      expect(detections).toHaveLength(1);
      expect([...batches[0]!.columns.keys()]).toEqual(["id", "inputs.age"]);
      expect(values(batches, "inputs.age")).toEqual(lines.map((_, i) => i));
      expect([...found[0]!.columns.keys()]).toEqual(["id"]);
    });

    it("reads a fallback column only from a file whose sample lacks the preferred one", async () => {
      const nested = many(300, (i) => ({ id: i, inputs: { market: i % 2 ? "EU" : "US" } }));
      const top = many(300, (i) => ({ id: i, market: i % 2 ? "EU" : "US", inputs: {} }));
      const options: ReadOptions = {
        columns: ["id", "inputs.market"],
        fallbacks: { "inputs.market": "market" },
      };
      const { queries, result } = await withQueries(
        "run",
        async (): Promise<Batch[][]> => [
          // `"market"` is in every line (nested): searched for, it would be detected in every line.
          await read("nested-market.jsonl", nested, options),
          await read("top-market.jsonl", top, options),
          await read(
            "no-market.jsonl",
            many(300, (i) => ({ id: i })),
            options,
          ),
          // Asked for as a column of its own, the fallback is read whatever the sample shows.
          await read("market-too.jsonl", nested, { ...options, columns: ["id", "inputs.market", "market"] }),
        ],
      );
      const [fromNested, fromTop, neither, both] = result;
      expect([...fromNested![0]!.columns.keys()]).toEqual(["id", "inputs.market"]);
      expect(values(fromNested!, "inputs.market")).toEqual(nested.map((_, i) => (i % 2 ? "EU" : "US")));
      expect([...fromTop![0]!.columns.keys()]).toEqual(["id", "market"]);
      expect(values(fromTop!, "market")).toEqual(top.map((_, i) => (i % 2 ? "EU" : "US")));
      expect([...neither![0]!.columns.keys()]).toEqual(["id"]);
      // Every key of every line is detected where a projected key may be beyond the sample: the
      // nested key in the top-level file, the top-level one where it is asked for as a column.
      const detected = queries
        .filter((query) => query.includes("sample_size=-1"))
        .map((query) => query.match(/[\w-]+\.jsonl/)?.[0]);
      expect(detected).toEqual(["top-market.jsonl", "market-too.jsonl"]);
      expect([...both![0]!.columns.keys()]).toEqual(["id", "inputs.market"]);
    });

    it("reads timestamps as parseTimestamp does, the UTC forms in DuckDB and the rest in JavaScript", async () => {
      const stamps = [
        "2024-05-01T10:00:00Z",
        "2024-05-01T10:00:00.250Z",
        "2024-05-01 10:00:00",
        "2024-05-01T12:00:00+02:00",
        "2024-05-01",
        "2024-05-01T24:00:00Z",
        "2023-02-29T10:00:00Z",
        "2024-05-01T10:00:60Z",
        "2024-5-01T10:00:00Z",
      ];
      const batches = await read(
        "stamps.jsonl",
        stamps.map((ts) => JSON.stringify({ ts })),
        { columns: ["ts"], kinds: { ts: "timestamp" } },
      );
      const at = Date.parse("2024-05-01T10:00:00Z");
      expect(values(batches, "ts")).toEqual([
        at,
        at + 250,
        at,
        at,
        Date.parse("2024-05-01T00:00:00Z"),
        null,
        null,
        null,
        null,
      ]);
      expect(batches[0]!.invalid.get("ts")!.map((cell) => cell.raw)).toEqual(stamps.slice(5));
    });
  });

  it("reads an empty log as no rows", async () => {
    expect(await read("empty.jsonl", [""])).toEqual([]);
  });
});
