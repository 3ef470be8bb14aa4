import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { keyIdentity, rowIdHash } from "@gauntlet/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readTable } from "./read-table.js";
import type { ReadBatch } from "./table-file.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "gauntlet-row-keys-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function read(name: string, text: string, options = {}): Promise<ReadBatch[]> {
  await writeFile(join(dir, name), text);
  const batches: ReadBatch[] = [];
  for await (const batch of readTable(name, { cwd: dir, batchSize: 700, ...options })) batches.push(batch);
  return batches;
}

/** Every row's key hash as the reader gave it, -1 where a key cell is missing. */
const hashed = (batches: ReadBatch[]) =>
  batches.flatMap((b) => Array.from(b.rowKeys!.hashes, (h, i) => (b.rowKeys!.missing[i] ? -1 : h)));

/** The same from the key columns' text: rowIdHash of keyIdentity, -1 where it has none. */
const fromText = (batches: ReadBatch[], keys: string[]) =>
  batches.flatMap((b) =>
    Array.from({ length: b.length }, (_, i) => {
      const text = keyIdentity(
        keys.map((k) => b.columns.get(k)),
        i,
      );
      return text === undefined ? -1 : rowIdHash(text);
    }),
  );

describe("readTable's rowKey", () => {
  // Ids of every shape the reader stores differently: short ASCII (folded from the bytes), longer
  // than 12 bytes, non-ASCII, empty and null; a region of few values (read as codes), with one
  // value beyond the codes' sample and missing cells; 3,000 rows over several DuckDB chunks.
  const ids = (i: number) =>
    i % 97 === 0
      ? ""
      : i % 89 === 0
        ? `customer-with-a-long-id-${i}`
        : i % 83 === 0
          ? `ü${i}€`
          : i % 79 === 0
            ? `"${i}, quoted"`
            : `C${String(i).padStart(7, "0")}`;
  const regions = (i: number) => (i === 2_900 ? "ZZ" : i % 101 === 0 ? "" : ["AE", "SA", "EG"][i % 3]!);
  const csv = `id,region,score\n${Array.from({ length: 3_000 }, (_, i) => `${ids(i)},${regions(i)},${i / 10}`).join("\n")}\n`;

  it("hashes a category key exactly as rowIdHash(keyIdentity) of its text, and leaves it out of the columns", async () => {
    const both = await read("keys.csv", csv, { columns: ["id", "score"], rowKey: ["id"] });
    expect(hashed(both)).toEqual(fromText(both, ["id"]));
    expect(hashed(both).filter((h) => h === -1)).toHaveLength(31);
    const only = await read("keys.csv", csv, { columns: ["score"], rowKey: ["id"] });
    expect(only[0]!.columns.has("id")).toBe(false);
    expect(hashed(only)).toEqual(hashed(both));
  });

  it("joins several key columns with NUL, the coded ones included, in key order", async () => {
    const batches = await read("keys.csv", csv, { columns: ["id", "region"], rowKey: ["region", "id"] });
    expect(hashed(batches)).toEqual(fromText(batches, ["region", "id"]));
    expect(hashed(batches)).not.toEqual(fromText(batches, ["id", "region"]));
  });

  it("gives no hashes but the key column when a key is not a category", async () => {
    const batches = await read("keys.csv", csv, { columns: ["id"], rowKey: ["score"] });
    expect(batches[0]!.rowKeys).toBeUndefined();
    expect(batches[0]!.columns.get("score")?.kind).toBe("number");
  });

  it("counts a key column a file lacks as missing on all its rows", async () => {
    const batches = await read("no-key.csv", "score\n1\n2\n", { columns: ["score"], rowKey: ["id"] });
    expect([...batches[0]!.rowKeys!.missing]).toEqual([1, 1]);
  });
});
