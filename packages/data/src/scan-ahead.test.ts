import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_LINE_CHARS } from "./line-limit.js";
import { readTable } from "./read-table.js";
import { scanAhead } from "./scan-ahead.js";
import { scanText } from "./text-scan.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "gauntlet-scan-ahead-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** What the scan a read of `name` waits for found. */
async function scanOf(name: string, delimiter?: string) {
  const path = join(dir, name);
  return scanText(path, name, (await readFile(path)).subarray(0, 64 * 1024), MAX_LINE_CHARS, delimiter);
}

async function readError(name: string): Promise<string> {
  try {
    for await (const _ of readTable(name, { cwd: dir })) {
      // read to the end
    }
  } catch (error) {
    return (error as Error).message;
  }
  return "no error";
}

describe("scanAhead", () => {
  it("leaves a plain JSON Lines or CSV file's scan done for the read that follows", async () => {
    await writeFile(join(dir, "log.jsonl"), '{"a":1,"in":{"b":true}}\n{"a":2}\n');
    await writeFile(join(dir, "data.csv"), "plan_name,n\nx_1,1\n");
    const log = await scanAhead("log.jsonl", { cwd: dir });
    const data = await scanAhead("data.csv", { cwd: dir });
    expect(log?.booleans).toEqual(new Set(["b"]));
    expect(data?.underscores).toEqual(new Map([[0, 2]]));
    // The read gets the very scan begun ahead, not one of its own.
    expect(await scanOf("log.jsonl")).toBe(log);
    expect(await scanOf("data.csv", ",")).toBe(data);
    const rows = [];
    for await (const batch of readTable("log.jsonl", { cwd: dir })) rows.push(batch.length);
    expect(rows).toEqual([2]);
  });

  it("reports nothing itself: a wrong path, format or file is the read's error, unchanged", async () => {
    await writeFile(join(dir, "binary.jsonl"), Buffer.from([123, 0, 1, 2, 10]));
    await writeFile(join(dir, "notes.txt"), "hello\n");
    await writeFile(join(dir, "long.jsonl"), `{"a":1}\n{"a":"${"x".repeat(MAX_LINE_CHARS)}"}\n`);
    for (const name of [
      "missing.jsonl",
      "logs/*.jsonl",
      "binary.jsonl",
      "notes.txt",
      "long.jsonl",
      "../out.jsonl",
    ]) {
      const before = name === "long.jsonl" ? undefined : await readError(name);
      await expect(scanAhead(name, { cwd: dir })).resolves.toEqual(
        name === "long.jsonl" ? expect.objectContaining({ long: 2 }) : undefined,
      );
      if (before !== undefined) expect(await readError(name)).toBe(before);
    }
    expect(await readError("long.jsonl")).toMatch(/line 2/);
  });
});
