import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isUserError, type UserError } from "@gauntlet/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { emptyLogCounts, readShadowLog } from "./read-shadow-log.js";
import type { ShadowPlan } from "./shadow-plan.js";

let cwd: string;
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), "gauntlet-shadow-log-"));
});
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

const plan = (challenger?: string): ShadowPlan => ({
  fields: { id: "request_id", champion: "score", ...(challenger ? { challenger } : {}) },
  features: new Map(),
  kinds: new Map(),
  columns: ["request_id", "score", ...(challenger ? [challenger] : [])],
  specs: [],
});

async function read(rows: object[], challenger?: string) {
  writeFileSync(join(cwd, "shadow.jsonl"), `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`);
  const counts = emptyLogCounts();
  const parts = [];
  for await (const part of readShadowLog(
    plan(challenger),
    { log: "shadow.jsonl", cwd, positive: "1" },
    counts,
  ))
    parts.push(part);
  return { counts, parts };
}

async function failure(rows: object[], challenger?: string): Promise<UserError> {
  const error = await read(rows, challenger).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isUserError(error)) throw new Error(`expected a UserError, got ${String(error)}`);
  return error;
}

const scored = (n: number) => Array.from({ length: n }, (_, i) => ({ request_id: `r${i}`, score: i / n }));

describe("readShadowLog on scores that are not numbers", () => {
  it("counts a missing champion score and compares the rest", async () => {
    const { counts, parts } = await read([
      ...scored(5),
      { request_id: "x", score: null },
      { request_id: "y" },
    ]);
    expect(counts.missingChampionScore).toBe(2);
    expect(parts.flatMap((p) => [...p.champion])).toHaveLength(5);
  });

  it("refuses a champion score logged as text, naming the log, row and field", async () => {
    const error = await failure([...scored(50), { request_id: "x", score: "high" }]);
    expect(error.message).toBe(
      'shadow.jsonl: shadow.champion: row 51 has the champion score "high" in field "score", not a number. ' +
        "Fix: log the served score as a number (e.g. 0.73), or point shadow.champion at the field that holds it",
    );
    // Also when every score is text, so the column reads as text.
    const all = await failure([{ request_id: "a", score: "low" }]);
    expect(all.problem).toBe('row 1 has the champion score "low" in field "score", not a number');
  });

  it("refuses a logged challenger score that is not a number, and keeps numbers given as text", async () => {
    const rows = scored(3).map((r, i) => ({ ...r, shadow_score: i === 2 ? true : String(r.score) }));
    const error = await failure(rows, "shadow_score");
    expect(error.field).toBe("shadow.challenger");
    expect(error.problem).toBe('row 3 has the challenger score "true" in field "shadow_score", not a number');
    const { parts } = await read(
      scored(3).map((r) => ({ ...r, shadow_score: String(r.score) })),
      "shadow_score",
    );
    expect(parts.flatMap((p) => [...p.challenger!])).toEqual([0, 1 / 3, 2 / 3]);
  });
});

describe("readShadowLog for multiclass and regression models", () => {
  const classPlan: ShadowPlan = {
    fields: { id: "request_id", champion: "plan", challenger: "shadow_plan", outcome: "chosen" },
    features: new Map(),
    kinds: new Map(),
    columns: ["request_id", "plan", "shadow_plan", "chosen"],
    specs: [],
  };

  async function readClasses(rows: object[], task: "multiclass" | "regression" = "multiclass") {
    writeFileSync(join(cwd, "shadow.jsonl"), `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`);
    const counts = emptyLogCounts();
    const parts = [];
    for await (const part of readShadowLog(
      classPlan,
      { log: "shadow.jsonl", cwd, positive: "1", task, classes: ["basic", 2, "pro"].map(String) },
      counts,
    ))
      parts.push(part);
    return { counts, parts };
  }

  it("reads logged classes (text or numbers) as their indices, an outcome not yet arrived as NaN", async () => {
    const { counts, parts } = await readClasses([
      { request_id: "a", plan: "basic", shadow_plan: "pro", chosen: "pro" },
      { request_id: "b", plan: 2, shadow_plan: 2, chosen: null },
      { request_id: "c", plan: null, shadow_plan: "basic", chosen: "basic" },
      { request_id: "d", plan: "pro", shadow_plan: null, chosen: 2 },
    ]);
    expect(counts.missingChampionScore).toBe(1);
    const part = parts[0]!;
    expect([...part.champion]).toEqual([0, 1, 2]);
    expect([...part.challenger!]).toEqual([2, 1, Number.NaN]);
    expect([...part.outcome]).toEqual([2, Number.NaN, 1]);
  });

  it("refuses a logged class that is not one of artefact.classes, naming the field and the classes", async () => {
    const error = await readClasses([
      { request_id: "a", plan: "basic", shadow_plan: "pro", chosen: "pro" },
      { request_id: "b", plan: "premium", shadow_plan: "pro", chosen: "pro" },
    ]).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    if (!isUserError(error)) throw new Error(`expected a UserError, got ${String(error)}`);
    expect(error.field).toBe("shadow.champion");
    expect(error.problem).toBe(
      'row 2 has the champion class "premium" in field "plan", which is not one of artefact.classes (basic, 2, pro)',
    );
    const outcome = await readClasses([
      { request_id: "a", plan: "basic", shadow_plan: "pro", chosen: "gold" },
    ]).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(isUserError(outcome) && outcome.field).toBe("monitoring.outcome");
  });

  it("reads a regression model's logged outcome as a number", async () => {
    const { parts } = await readClasses(
      [
        { request_id: "a", plan: 10.5, shadow_plan: 11, chosen: 12.25 },
        { request_id: "b", plan: 3, shadow_plan: 2.5, chosen: null },
      ],
      "regression",
    );
    expect([...parts[0]!.champion]).toEqual([10.5, 3]);
    expect([...parts[0]!.outcome]).toEqual([12.25, Number.NaN]);
  });
});

describe("readShadowLog for per-class probability fields", () => {
  const probabilityPlan: ShadowPlan = {
    fields: { id: "request_id", champion: "plan", challenger: ["p_basic", "p_plus", "p_pro"] },
    features: new Map(),
    kinds: new Map(),
    columns: ["request_id", "plan", "p_basic", "p_plus", "p_pro"],
    specs: [],
  };

  async function readProbabilities(rows: object[]) {
    writeFileSync(join(cwd, "shadow.jsonl"), `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`);
    const parts = [];
    for await (const part of readShadowLog(
      probabilityPlan,
      { log: "shadow.jsonl", cwd, positive: "1", task: "multiclass", classes: ["basic", "plus", "pro"] },
      emptyLogCounts(),
    ))
      parts.push(part);
    return parts;
  }

  it("takes the most probable class (the first on ties), and a request without them as not scored", async () => {
    const parts = await readProbabilities([
      { request_id: "a", plan: "basic", p_basic: 0.2, p_plus: 0.5, p_pro: 0.3 },
      { request_id: "b", plan: "pro", p_basic: 0.4, p_plus: 0.4, p_pro: 0.2 },
      { request_id: "c", plan: "plus", p_basic: 0.1, p_plus: null, p_pro: 0.9 },
      { request_id: "d", plan: "plus", p_basic: 0.001, p_plus: 0.001, p_pro: 0.997 },
    ]);
    expect([...parts[0]!.champion]).toEqual([0, 2, 1, 1]);
    expect([...parts[0]!.challenger!]).toEqual([1, 0, Number.NaN, 2]);
  });

  it("refuses probabilities that do not sum to 1, or are not numbers, naming the row and fields", async () => {
    const error = await readProbabilities([
      { request_id: "a", plan: "basic", p_basic: 0.2, p_plus: 0.5, p_pro: 0.3 },
      { request_id: "b", plan: "basic", p_basic: 0.5, p_plus: 0.5, p_pro: 0.5 },
    ]).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    if (!isUserError(error)) throw new Error(`expected a UserError, got ${String(error)}`);
    expect(error.field).toBe("shadow.challenger");
    expect(error.problem).toBe(
      "row 2 has challenger class probabilities (p_basic, p_plus, p_pro) that sum to 1.5000, not 1",
    );
    const text = await readProbabilities([
      { request_id: "a", plan: "basic", p_basic: 0.2, p_plus: "high", p_pro: 0.3 },
    ]).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(isUserError(text) && text.problem).toBe(
      'row 1 has the challenger score "high" in field "p_plus", not a number',
    );
  });
});

describe("readShadowLog with sample weights (shadow.weight)", () => {
  const weighted: ShadowPlan = {
    ...plan(),
    fields: { ...plan().fields, weight: "w" },
    columns: ["request_id", "score", "w"],
  };

  async function readWeighted(rows: object[]) {
    writeFileSync(join(cwd, "shadow.jsonl"), `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`);
    const parts = [];
    const options = { log: "shadow.jsonl", cwd, positive: "1", manifestFile: "models/churn/model.yml" };
    for await (const part of readShadowLog(weighted, options, emptyLogCounts())) parts.push(part);
    return parts;
  }

  it("keeps each kept request's weight beside its scores", async () => {
    const parts = await readWeighted([
      ...scored(4).map((r, i) => ({ ...r, w: i / 2 })),
      { request_id: "x", w: 9 },
    ]);
    expect(parts.flatMap((p) => [...p.weight!])).toEqual([0, 0.5, 1, 1.5]);
  });

  it("refuses a weight that is negative or not a number, naming the row and shadow.weight", async () => {
    for (const [bad, problem] of [
      [-1, "is negative at shadow.jsonl row 3 (-1)"],
      ["heavy", 'has a value that is not a number at shadow.jsonl row 3 ("heavy")'],
    ] as const) {
      const rows = scored(5).map((r, i) => ({ ...r, w: i === 2 ? bad : 1 }));
      const error = await readWeighted(rows).then(
        () => undefined,
        (caught: unknown) => caught as UserError,
      );
      expect(isUserError(error)).toBe(true);
      expect(error!.field).toBe("shadow.weight");
      expect(error!.file).toBe("models/churn/model.yml");
      expect(error!.problem).toContain(`the weight column "w" ${problem}`);
    }
  });
});
