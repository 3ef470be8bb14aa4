import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { absentLeaves } from "./absent-keys.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "gauntlet-absent-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function absent(text: string, names: string[]): Promise<string[]> {
  const path = join(dir, `log-${Math.random().toString(36).slice(2)}.jsonl`);
  await writeFile(path, text);
  return [...(await absentLeaves(path, names))].sort();
}

describe("absentLeaves", () => {
  it("lists the names whose keys occur nowhere in the file", async () => {
    const log = '{"id":1,"inputs":{"age":3}}\n{"id":2,"late":true}\n';
    expect(await absent(log, ["id", "inputs.age", "late", "latency_ms", "inputs.region"])).toEqual([
      "inputs.region",
      "latency_ms",
    ]);
  });

  it("counts a key holding a dot, and a quoted value, as present", async () => {
    const log = '{"a.b":1,"note":"c"}\n';
    expect(await absent(log, ["x.a.b", "inputs.c", "inputs.d"])).toEqual(["inputs.d"]);
  });

  it("finds a key wherever the 1 MiB reads cut it", async () => {
    // The opening quote of "latency_ms" at byte 1,048,575 + shift: the last byte of the first read
    // (shift 0), inside the key, at the second read's first byte, or away from the cut.
    for (const shift of [-12, -5, -1, 0, 1, 2, 10]) {
      const pad = "x".repeat(1024 * 1024 - 11 + shift);
      const log = `{"pad":"${pad}","latency_ms":4}\n`;
      expect(log.indexOf('"latency_ms"')).toBe(1024 * 1024 - 1 + shift);
      expect(await absent(log, ["latency_ms", "error"])).toEqual(["error"]);
    }
  });

  it("needs the opening quote: a word ending a longer key is not the key", async () => {
    const pad = "x".repeat(1024 * 1024);
    expect(await absent(`{"no_error":1,"pad":"${pad}","xlatency_ms":2}\n`, ["error", "latency_ms"])).toEqual([
      "error",
      "latency_ms",
    ]);
  });

  it("gives no answer when a key may be spelt with escapes, or a name holds a slash", async () => {
    expect(await absent('{"\\u0061ge":1}\n', ["age", "error"])).toEqual([]);
    expect(await absent('{"id":1}\n', ["a/b", 'say"'])).toEqual([]);
  });
});
