import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDuckDb, JSON_STREAMING_BUFFER } from "./duckdb-engine.js";
import { openDuckDbFile } from "./duckdb-file.js";
import type { FileContext } from "./table-file.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "gauntlet-engine-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function bufferOf(connection: DuckDBConnection): Promise<unknown> {
  const reader = await connection.runAndReadAll("SELECT current_setting('streaming_buffer_size')");
  return reader.getRows()[0]![0];
}

async function openedBuffer(name: string, text: string, format: "csv" | "jsonl"): Promise<unknown> {
  await writeFile(join(dir, name), text);
  const context: FileContext = {
    path: join(dir, name),
    display: name,
    kinds: new Map(),
    columns: undefined,
    batchSize: 1024,
    inferRows: 100,
  };
  const file = await openDuckDbFile(context, format);
  try {
    return await bufferOf(file.sql!.connection);
  } finally {
    await file.close();
  }
}

describe("connectDuckDb", () => {
  it("sets the streaming buffer on the connection that asks for it only", async () => {
    const plain = await connectDuckDb();
    const wide = await connectDuckDb({ streamingBuffer: "16MB" });
    try {
      const defaultBuffer = await bufferOf(plain);
      expect(await bufferOf(wide)).toBe("15.2 MiB");
      expect(await bufferOf(plain)).toBe(defaultBuffer);
      expect(defaultBuffer).not.toBe("15.2 MiB");
    } finally {
      plain.closeSync();
      wide.closeSync();
    }
  });

  it("gives a JSON Lines read the wider streaming buffer and a CSV read DuckDB's default", async () => {
    const plain = await connectDuckDb();
    const defaultBuffer = await bufferOf(plain);
    plain.closeSync();
    const json = await openedBuffer("log.jsonl", '{"a":1}\n{"a":2}\n', "jsonl");
    const csv = await openedBuffer("data.csv", "a\n1\n2\n", "csv");
    expect(JSON_STREAMING_BUFFER).toBe("16MB");
    expect(json).toBe("15.2 MiB");
    expect(csv).toBe(defaultBuffer);
  });
});
