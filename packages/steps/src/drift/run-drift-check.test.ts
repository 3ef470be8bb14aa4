import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { isUserError, parseManifest, type UserError } from "@gauntlet/core";
import { churnColumns, churnRows, predictionLogRows, writeCsv, writeJsonl } from "@gauntlet/fixtures";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadReference } from "../reference/load-reference.js";
import { monitoringManifest } from "./monitoring-manifest.test-helper.js";
import { runDriftCheck } from "./run-drift-check.js";

const NOW = "2025-06-01T00:00:00Z";
const MANIFEST = monitoringManifest("", { outcome: true, window: "1d" });
const score = (rows: readonly Record<string, unknown>[]) =>
  Float64Array.from(rows, (r) => 1 / (1 + Math.exp(Number(r["tenure_months"]) / 20 - 1)));

let dir: string;
const write = (path: string, text: string) => {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
};

async function check(options: { batchSize?: number } = {}, text = MANIFEST) {
  const manifest = parseManifest(text, "models/churn/model.yml");
  const loaded = { file: "models/churn/model.yml", manifest };
  const reference = await loadReference("data/ref.csv", { cwd: dir, manifest });
  return runDriftCheck(loaded, { cwd: dir, reference, ...options });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "gauntlet-drift-"));
  mkdirSync(join(dir, "data"));
  mkdirSync(join(dir, "logs"));
  writeCsv(join(dir, "data/ref.csv"), churnColumns(false), churnRows({ seed: 3, rows: 3_000, now: NOW }));
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("runDriftCheck on awkward logs", () => {
  it("puts timestamps in mixed formats and time zones into the right UTC windows", async () => {
    const rows = [
      ...predictionLogRows({
        seed: 1,
        rows: 400,
        now: NOW,
        score,
        windowHours: 48,
        modelVersion: "1.2.0",
        otherVersionFraction: 0,
      }),
    ];
    const formats = [
      (d: Date) => d.toISOString(),
      (d: Date) =>
        d
          .toISOString()
          .replace("T", " ")
          .replace(".000Z", "")
          .replace(/\.\d+Z$/, "") + "Z",
      (d: Date) => new Date(d.getTime() + 4 * 3_600_000).toISOString().replace("Z", "+04:00"),
      (d: Date) => new Date(d.getTime() - 5.5 * 3_600_000).toISOString().replace("Z", "-05:30"),
    ];
    const lines = rows.map((r, i) =>
      JSON.stringify({ ...r, ts: formats[i % formats.length]!(new Date(r.ts)) }),
    );
    write("logs/a.jsonl", `${lines.join("\n")}\n`);
    const { result } = await check();
    expect(result.rows.skipped).toEqual({});
    expect(result.rows.used).toBe(400);
    const expected = new Map<string, number>();
    for (const r of rows) {
      const day = `${r.ts.slice(0, 10)}T00:00:00.000Z`;
      expected.set(day, (expected.get(day) ?? 0) + 1);
    }
    expect(Object.fromEntries(result.windows.map((w) => [w.start, w.rows]))).toEqual(
      Object.fromEntries(expected),
    );
  });

  it("reports a feature missing from the logs per column instead of failing", async () => {
    const rows = predictionLogRows({ seed: 2, rows: 600, now: NOW, score, modelVersion: "1.2.0" });
    writeJsonl(
      join(dir, "logs/a.jsonl"),
      (function* () {
        for (const r of rows) {
          const { age: _age, ...inputs } = r.inputs;
          yield { ...r, inputs };
        }
      })(),
    );
    const { result, markdown } = await check();
    const age = result.columns.find((c) => c.column === "age")!;
    expect(age.level).toBe("no data");
    expect(age.reason).toContain("missing from the current data");
    expect(
      result.columns
        .filter((c) => c.level !== "no data")
        .map((c) => c.column)
        .sort(),
    ).toEqual(["monthly_charges", "region", "tenure_months"]);
    expect(result.level).not.toBe("no data");
    expect(markdown).toContain("age");
  });

  it("gives the same result streamed in small batches as in one", async () => {
    writeJsonl(
      join(dir, "logs/a.jsonl"),
      predictionLogRows({ seed: 4, rows: 5_000, now: NOW, score, modelVersion: "1.2.0", windowHours: 72 }),
    );
    const whole = (await check()).result;
    const streamed = (await check({ batchSize: 97 })).result;
    expect(streamed.rows).toEqual(whole.rows);
    expect(streamed.windows.map((w) => [w.start, w.rows, w.level])).toEqual(
      whole.windows.map((w) => [w.start, w.rows, w.level]),
    );
    for (const c of whole.columns) {
      const s = streamed.columns.find((x) => x.column === c.column)!;
      expect(s.level).toBe(c.level);
    }
    expect(streamed.performance!.labelled).toBe(whole.performance!.labelled);
    expect(streamed.performance!.estimated["accuracy"]!.value).toBeCloseTo(
      whole.performance!.estimated["accuracy"]!.value!,
      9,
    );
  });

  it("says which days have no logs, and counts timestamps that do not parse", async () => {
    const rows = [
      ...predictionLogRows({
        seed: 5,
        rows: 800,
        now: NOW,
        score,
        modelVersion: "1.2.0",
        windowHours: 96,
        otherVersionFraction: 0,
      }),
    ];
    // Drop the second and third of the four days; break two timestamps of the last day.
    const days = [...new Set(rows.map((r) => r.ts.slice(0, 10)))].sort();
    expect(days).toHaveLength(4);
    const kept = rows.filter((r) => r.ts.slice(0, 10) !== days[1] && r.ts.slice(0, 10) !== days[2]);
    const lines = kept.map((r, i) => JSON.stringify(i < 2 ? { ...r, ts: "05/31/2025 14:00" } : r));
    write("logs/a.jsonl", `${lines.join("\n")}\n`);
    const { result, markdown } = await check();
    expect(result.rows.skipped).toEqual({ "timestamp does not parse": 2 });
    expect(markdown).toContain("timestamp does not parse: 2");
    expect(result.windows.map((w) => w.start.slice(0, 10))).toEqual([days[0], days[3]]);
    expect(result.emptyWindows).toEqual({
      count: 2,
      starts: [`${days[1]}T00:00:00.000Z`, `${days[2]}T00:00:00.000Z`],
    });
    expect(markdown).toContain(
      `⚠️ **No logs in 2 windows** between the first and the last (UTC): ${days[1]} 00:00, ${days[2]} 00:00. Check that every day's log was downloaded.`,
    );
  });

  it("names the object that nests the features when monitoring.features misses it", async () => {
    const rows = [...predictionLogRows({ seed: 6, rows: 300, now: NOW, score, modelVersion: "1.2.0" })];
    writeJsonl(
      join(dir, "logs/a.jsonl"),
      (function* () {
        for (const { inputs, ...rest } of rows) yield { ...rest, payload: inputs };
      })(),
    );
    const error = await check().then(
      () => undefined,
      (caught: unknown) => caught as UserError,
    );
    expect(isUserError(error)).toBe(true);
    expect(error!.field).toBe("monitoring.features");
    expect(error!.problem).toMatch(
      /^none of the 4 feature columns is in the logs logs\/\*\.jsonl where drift-check reads them \(e\.g\. inputs\.\w+\): the logs nest them under "payload"/,
    );
    expect(error!.fix).toBe("set monitoring.features: payload");
    // Unset, with the features nested under inputs.
    writeJsonl(join(dir, "logs/a.jsonl"), rows);
    const unset = await check({}, MANIFEST.replace("  features: inputs\n", "")).then(
      () => undefined,
      (caught: unknown) => caught as UserError,
    );
    expect(unset?.fix).toBe("set monitoring.features: inputs");
  });

  it("is `no data` when the log glob matches nothing", async () => {
    const { result } = await check();
    expect(result.level).toBe("no data");
    expect(result.status).toBe("warn");
    expect(result.checks[0]).toMatchObject({ id: "rows", status: "warn" });
  });
});
