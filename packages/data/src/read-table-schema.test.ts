import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { peakMemoryDuring } from "@gauntlet/fixtures";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readTable, readTableSchema } from "./read-table.js";

let dir: string;
const COLUMNS = 3_000;
const ROWS = 1_100;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "gauntlet-schema-"));
  const header = ["id", "region", ...Array.from({ length: COLUMNS - 2 }, (_, j) => `f${j}`)];
  const lines = [header.join(",")];
  for (let i = 0; i < ROWS; i++) {
    const features = Array.from({ length: COLUMNS - 2 }, (_, j) =>
      j % 100 === 0 && i === 1_050 ? "n/a" : (i + j) % 10,
    );
    lines.push([`c${i}`, i % 2 ? "AE" : "SA", ...features].join(","));
  }
  await writeFile(join(dir, "wide.csv"), `${lines.join("\n")}\n`);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("readTableSchema on a table of 3,000 columns", () => {
  it("gives the kinds readTable decides, without making a batch per column", async () => {
    const { value: schema, bytes } = await peakMemoryDuring(() => readTableSchema("wide.csv", { cwd: dir }));
    expect(schema).toHaveLength(COLUMNS);
    // A batch buffer per column would take 3,000 x 65,536 x 9 bytes = 1.7 GB; the sample of
    // 1,000 rows takes a few hundred MB at most (measured ~170 MB).
    expect(bytes).toBeLessThan(600 * 1024 * 1024);
    const read = readTable("wide.csv", { cwd: dir, columns: ["id", "f0", "f1"] });
    const first = await read.next();
    await read.return(undefined);
    const kinds = new Map(schema.map((c) => [c.name, c.kind]));
    for (const [name, column] of first.value!.columns) expect(kinds.get(name)).toBe(column.kind);
  }, 60_000);

  it("with a projection, learns only those columns", async () => {
    expect(await readTableSchema("wide.csv", { cwd: dir, columns: ["f1", "region", "absent"] })).toEqual([
      { name: "region", kind: "category" },
      { name: "f1", kind: "number" },
    ]);
  });

  it("still infers a JSONL column first seen after the sample, as a full read does", async () => {
    const lines = Array.from({ length: 1_500 }, (_, i) =>
      JSON.stringify(i < 1_200 ? { id: `r${i}`, score: i / 1_500 } : { id: `r${i}`, score: 0.5, late: i }),
    );
    await writeFile(join(dir, "late.jsonl"), `${lines.join("\n")}\n`);
    const schema = await readTableSchema("late.jsonl", { cwd: dir });
    const kinds = new Map<string, string>();
    for await (const batch of readTable("late.jsonl", { cwd: dir })) {
      for (const [name, column] of batch.columns) kinds.set(name, column.kind);
    }
    expect(schema).toEqual([
      { name: "id", kind: "category" },
      { name: "score", kind: "number" },
      { name: "late", kind: "number" },
    ]);
    expect(Object.fromEntries(kinds)).toEqual({ id: "category", score: "number", late: "number" });
  });
});
