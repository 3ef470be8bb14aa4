import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Column } from "@gauntlet/core";
import { afterAll, describe, expect, it } from "vitest";
import { readTable } from "./read-table.js";
import { writeParquet } from "./write-parquet.js";

describe("writeParquet", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it("writes numbers bit for bit, categories, booleans and nulls, as readTable reads them back", async () => {
    const dir = await mkdtemp(join(tmpdir(), "parquet-"));
    dirs.push(dir);
    const numbers = Float64Array.of(0.1 + 0.2, -0, 1e-300, Number.NaN, 123456789.12345679, -2.5);
    const columns = new Map<string, Exclude<Column, { kind: "timestamp" }>>([
      ["x", { kind: "number", values: numbers, nulls: Uint8Array.of(0, 0, 0, 1, 0, 0) }],
      [
        "plan",
        {
          kind: "category",
          values: ['say "hi"', "b", "", "c", "ünï", "a,b"],
          nulls: Uint8Array.of(0, 0, 1, 0, 0, 0),
        },
      ],
      [
        "flag",
        { kind: "boolean", values: Uint8Array.of(1, 0, 1, 0, 0, 1), nulls: Uint8Array.of(0, 0, 0, 0, 1, 0) },
      ],
    ]);
    await writeParquet(join(dir, "sample.parquet"), columns, 6);
    const read: Record<string, (number | string | null)[]> = { x: [], plan: [], flag: [] };
    for await (const batch of readTable("sample.parquet", {
      cwd: dir,
      kinds: { x: "number", plan: "category", flag: "boolean" },
    })) {
      for (const name of ["x", "plan", "flag"]) {
        const c = batch.columns.get(name)!;
        for (let i = 0; i < batch.length; i++) read[name]!.push(c.nulls[i] === 1 ? null : c.values[i]!);
      }
    }
    expect(read.x).toEqual([0.1 + 0.2, -0, 1e-300, null, 123456789.12345679, -2.5]);
    expect(Object.is(read.x![1], -0)).toBe(true);
    expect(read.plan).toEqual(['say "hi"', "b", null, "c", "ünï", "a,b"]);
    expect(read.flag).toEqual([1, 0, 1, 0, null, 1]);
  });
});
