import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readTable } from "./read-table.js";

const rows = 2_300_000; // about 210 MB
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "gauntlet-stream-"));
  const out = createWriteStream(join(dir, "big.csv"));
  out.write("id,amount,region,note,when\n");
  const regions = ["AE", "SA", "EG", "JO"];
  let chunk = "";
  for (let i = 0; i < rows; i++) {
    chunk += `${i},${(i % 1000) / 10},${regions[i % 4]},"row ${i}, padded to make the file large",2024-01-0${1 + (i % 9)}T10:00:00Z\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, "drain");
      chunk = "";
    }
  }
  out.end(chunk);
  await once(out, "finish");
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("streaming a file larger than the batches", () => {
  it("reads a ~200 MB CSV with memory bounded by the batch size", async () => {
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    let seen = 0;
    let sum = 0;
    for await (const batch of readTable("big.csv", { cwd: dir, batchSize: 16_384 })) {
      expect(batch.firstRow).toBe(seen + 1);
      seen += batch.length;
      const amount = batch.columns.get("amount")!;
      if (amount.kind === "number") sum += amount.values[0]!;
      peak = Math.max(peak, process.memoryUsage().rss);
    }
    expect(seen).toBe(rows);
    expect(sum).toBeGreaterThan(0);
    expect(peak - baseline).toBeLessThan(250 * 1024 * 1024);
  }, 180_000);
});
