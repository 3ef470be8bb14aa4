import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readTable } from "./read-table.js";
import { scanText } from "./text-scan.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "gauntlet-scan-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function scan(name: string, limit = 1_000) {
  const path = join(dir, name);
  return scanText(path, name, await readFile(path), limit, ",");
}

describe("scanText", () => {
  it("scans a file once while it is unchanged, and again once it is written again, even at the same size", async () => {
    await writeFile(join(dir, "a.csv"), "plan_name,n\nx_1,1000\ny,2\n");
    const first = await scan("a.csv");
    expect(first).toEqual({ long: undefined, underscores: new Map([[0, 2]]) });
    expect(await scan("a.csv")).toBe(first);
    // Same size, written at once: the modification time may not have moved, the bytes have.
    await writeFile(join(dir, "a.csv"), "plan_name,n\nx_1,1_00\ny,2\n");
    const again = await scan("a.csv");
    expect(again).not.toBe(first);
    expect(again.underscores).toEqual(
      new Map([
        [0, 2],
        [1, 1],
      ]),
    );
  });

  it("finds the first line over the limit, and then gives no underscore fields", async () => {
    await writeFile(join(dir, "long.csv"), `a_b,n\n1,2\n3,${"4".repeat(2_000)}\n`);
    expect(await scan("long.csv")).toEqual({ long: 3, underscores: undefined });
  });

  it("finds a long line that runs across reads when the limit exceeds a read (1 MiB)", async () => {
    const limit = 1_200_000;
    const short = Array.from({ length: 1000 }, (_, i) => `${i},x_${i}`).join("\n");
    // At the limit is not over it; one byte more is, on line 1,002 (the header is line 1).
    await writeFile(join(dir, "at.csv"), `a,b\n${short}\n1,${"y".repeat(limit - 2)}\n2,3\n`);
    expect((await scan("at.csv", limit)).long).toBeUndefined();
    await writeFile(join(dir, "over.csv"), `a,b\n${short}\n1,${"y".repeat(limit - 1)}\n2,3\n`);
    expect((await scan("over.csv", limit)).long).toBe(1002);
    // A last line without a newline, and a long first line.
    await writeFile(join(dir, "tail.csv"), `a,b\n${short}\n${"z".repeat(3 * 1024 * 1024)}`);
    expect((await scan("tail.csv", limit)).long).toBe(1002);
    await writeFile(join(dir, "first.csv"), `${"h".repeat(limit + 1)}\n1\n`);
    expect((await scan("first.csv", limit)).long).toBe(1);
  });

  it("a CSV written again with an underscored number at the same size is read with it listed", async () => {
    const rows = (cell: string) =>
      `n,m\n${[cell, ...Array.from({ length: 30 }, (_, i) => String(i))].map((c) => `${c},1`).join("\n")}\n`;
    const cells = async () => {
      const batches = [];
      for await (const batch of readTable("same.csv", { cwd: dir, kinds: { n: "number" } }))
        batches.push(batch);
      return batches[0]!;
    };
    await writeFile(join(dir, "same.csv"), rows("1000"));
    expect((await cells()).invalid.size).toBe(0);
    await writeFile(join(dir, "same.csv"), rows("1_00"));
    expect((await cells()).invalid.get("n")).toEqual([{ row: 1, raw: "1_00" }]);
  });
});
