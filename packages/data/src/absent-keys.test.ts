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

  it("finds a key cut by the 1 MiB reads", async () => {
    const pad = "x".repeat(1024 * 1024 - 10);
    const log = `{"pad":"${pad}","latency_ms":4}\n`;
    expect(await absent(log, ["latency_ms", "error"])).toEqual(["error"]);
  });

  it("gives no answer when a key may be spelt with escapes, or a name holds a slash", async () => {
    expect(await absent('{"\\u0061ge":1}\n', ["age", "error"])).toEqual([]);
    expect(await absent('{"id":1}\n', ["a/b", 'say"'])).toEqual([]);
  });
});
