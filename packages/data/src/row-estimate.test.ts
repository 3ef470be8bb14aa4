import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { estimateRows } from "./row-estimate.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "gauntlet-estimate-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("estimateRows", () => {
  it("counts the lines of a file it samples whole, with or without a last newline", async () => {
    await writeFile(join(dir, "small.csv"), "id,x\n1,2\n3,4\n");
    await writeFile(join(dir, "open.csv"), "id,x\n1,2\n3,4");
    expect(await estimateRows("small.csv", { cwd: dir })).toBe(3);
    expect(await estimateRows("open.csv", { cwd: dir })).toBe(3);
  });

  it("scales a large file's size by its sampled lines, and sums a glob", async () => {
    const lines = Array.from({ length: 100_000 }, (_, i) => `${i % 10},${"x".repeat(i % 7)}`);
    await writeFile(join(dir, "large-a.csv"), `id,x\n${lines.join("\n")}\n`);
    await writeFile(join(dir, "large-b.csv"), `id,x\n${lines.join("\n")}\n`);
    const one = (await estimateRows("large-a.csv", { cwd: dir }))!;
    expect(Math.abs(one - 100_001) / 100_001).toBeLessThan(0.01);
    expect(await estimateRows("large-*.csv", { cwd: dir })).toBe(2 * one);
  });

  it("gives no estimate for compressed or Parquet files", async () => {
    await writeFile(join(dir, "a.csv.gz"), "");
    await writeFile(join(dir, "a.parquet"), "");
    expect(await estimateRows("a.csv.gz", { cwd: dir })).toBeUndefined();
    expect(await estimateRows("a.parquet", { cwd: dir })).toBeUndefined();
  });
});
