import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Batch, type Column, parseManifest } from "@gauntlet/core";
import { readTable } from "@gauntlet/data";
import { afterAll, describe, expect, it } from "vitest";
import { createReferenceSample } from "./reference-sample.js";

const manifest = parseManifest(
  `name: churn
version: 1.3.0
task: binary
owner: octocat
artefact: { path: m.onnx, outputs: { probabilities: p }, classes: [0, 1], positive: 1 }
data: { key: customer_id, columns: {} }
evaluation: { data: data/eval.csv, label: churned, metrics: [roc_auc] }
monitoring: { predictions: logs/*.jsonl, id: request_id, timestamp: ts, score: score }
`,
  "models/churn/model.yml",
);

function batch(from: number, length: number): Batch {
  const numbers = (f: (i: number) => number): Column => ({
    kind: "number",
    values: Float64Array.from({ length }, (_, i) => f(from + i)),
    nulls: Uint8Array.from({ length }, (_, i) => ((from + i) % 17 === 0 ? 1 : 0)),
  });
  const texts = (f: (i: number) => string): Column => ({
    kind: "category",
    values: Array.from({ length }, (_, i) => f(from + i)),
    nulls: new Uint8Array(length),
  });
  return {
    source: "data/eval.csv",
    firstRow: from + 1,
    length,
    columns: new Map<string, Column>([
      ["customer_id", texts((i) => `c${i}`)],
      ["request_id", texts((i) => `r${i}`)],
      ["churned", numbers((i) => i % 2)],
      ["ts", { kind: "timestamp", values: new Float64Array(length), nulls: new Uint8Array(length) }],
      ["tenure", numbers((i) => i)],
      ["region", texts((i) => ["AE", "SA"][i % 2]!)],
      ["score", numbers((i) => (i % 100) / 100)],
    ]),
    invalid: new Map(),
  };
}

describe("createReferenceSample", () => {
  const dir = mkdtempSync(join(tmpdir(), "reference-sample-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const write = async (file: string, maxRows: number) => {
    const sample = createReferenceSample(manifest, maxRows);
    for (const [from, length] of [
      [0, 400],
      [400, 350],
      [750, 250],
    ] as const)
      sample.add(batch(from, length));
    return sample.write(join(dir, file));
  };

  it("keeps the features and the score, never the key, id, label or timestamp; a uniform sample of maxRows rows", async () => {
    expect(await write("a.parquet", 100)).toBe(100);
    const tenure: number[] = [];
    let names: string[] = [];
    for await (const b of readTable("a.parquet", { cwd: dir })) {
      names = [...b.columns.keys()].sort();
      const c = b.columns.get("tenure")!;
      for (let i = 0; i < b.length; i++) if (c.nulls[i] === 0) tenure.push(c.values[i] as number);
    }
    expect(names).toEqual(["region", "score", "tenure"]);
    expect(new Set(tenure).size).toBe(tenure.length);
    // Drawn from every batch, not the first 100 rows.
    expect(tenure.some((t) => t >= 750)).toBe(true);
    expect(tenure.every((t) => t % 17 !== 0)).toBe(true);
    // Seeded by the model and version: the same rows again.
    await write("b.parquet", 100);
    expect(readFileSync(join(dir, "b.parquet"))).toEqual(readFileSync(join(dir, "a.parquet")));
  });

  it("keeps every row while they fit", async () => {
    expect(await write("all.parquet", 5000)).toBe(1000);
  });
});
