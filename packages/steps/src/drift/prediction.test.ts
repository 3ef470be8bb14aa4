import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRng, isUserError, parseManifest } from "@gauntlet/core";
import { churnColumns, churnRows, predictionLogRows, writeCsv } from "@gauntlet/fixtures";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadReference } from "../reference/load-reference.js";
import { churnScore, monitoringManifest } from "./monitoring-manifest.test-helper.js";
import { runDriftCheck } from "./run-drift-check.js";

const NOW = "2025-06-01T00:00:00Z";
const score = churnScore;

let dir: string;

/** 2,000 log rows over 24 h; `noise` replaces every score by a seeded uniform one (no skill left). */
function writeLogs(options: { outcomeFraction?: number; noise?: boolean; shift?: number } = {}) {
  const rng = createRng("prediction-test");
  const rows = [
    ...predictionLogRows({
      seed: 4,
      rows: 2_000,
      now: NOW,
      score,
      otherVersionFraction: 0,
      outcomeFraction: options.outcomeFraction ?? 0.3,
    }),
  ];
  const lines = rows.map((r) => {
    const s = options.noise ? rng.next() : Math.min(1, r.score + (options.shift ?? 0));
    return JSON.stringify({ ...r, score: s });
  });
  mkdirSync(join(dir, "logs"), { recursive: true });
  writeFileSync(join(dir, "logs/a.jsonl"), `${lines.join("\n")}\n`);
}

async function check(extra: string, released?: Record<string, number>, withScore = true) {
  const manifest = parseManifest(
    monitoringManifest(extra, { outcome: true, score: withScore }),
    "models/churn/model.yml",
  );
  const reference = await loadReference("data/ref.csv", { cwd: dir, manifest });
  return runDriftCheck(
    { file: "models/churn/model.yml", manifest },
    { cwd: dir, reference, ...(released ? { released: { source: "churn/v1.2.0", metrics: released } } : {}) },
  );
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "gauntlet-prediction-"));
  mkdirSync(join(dir, "data"));
  const rows = [...churnRows({ seed: 3, rows: 2_000, now: NOW })];
  const scores = score(rows);
  writeCsv(
    join(dir, "data/ref.csv"),
    [...churnColumns(false), { name: "score", type: "float" }],
    rows.map((r, i) => ({ ...r, score: scores[i]! })),
  );
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

const REALISED = `  prediction:
    realised: { roc_auc: { min: 0.7, max-drop: 0.05 } }
`;

describe("drift-check's prediction health limits", () => {
  it("alerts when the realised ROC AUC's whole interval falls below the minimum once labels arrive", async () => {
    writeLogs();
    const healthy = await check(REALISED, { roc_auc: 0.8 });
    const ok = healthy.result.prediction!.checks.find((c) => c.id === "realised-roc_auc")!;
    expect(healthy.result.performance!.realised["roc_auc"]!.value).toBeGreaterThan(0.72);
    expect(ok.status).toBe("pass");

    writeLogs({ noise: true });
    const dropped = await check(REALISED, { roc_auc: 0.8 });
    const failed = dropped.result.prediction!.checks.find((c) => c.id === "realised-roc_auc")!;
    expect(failed.status).toBe("fail");
    expect(failed.reason).toContain("whole interval below the minimum 0.7 and the released 0.8 − 0.05");
    expect(dropped.result.level).toBe("alert");
    expect(dropped.result.verdict).toMatch(/^alert: prediction alert \(realised-roc_auc: /);
    expect(dropped.markdown).toContain("#### Prediction health limits");
    expect(dropped.markdown).toContain(
      "**Recommended next step:** Retrain: realised-roc_auc fell below the limit",
    );
  });

  it("does not alert on labels for a tiny share of rows: too few is a skip, a few more widen the interval", async () => {
    writeLogs({ noise: true, outcomeFraction: 0.01 });
    const few = await check(REALISED);
    const skipped = few.result.prediction!.checks[0]!;
    expect(skipped.status).toBe("skip");
    expect(skipped.reason).toMatch(
      /no window has min-labelled 100 labelled rows \(most in one window: \d+\)/,
    );
    // With 5% of the rows labelled, about 25 per 6-hour window: judged, on a wide interval each.
    writeLogs({ noise: true, outcomeFraction: 0.05 });
    const loose = await check(`${REALISED}    min-labelled: 5\n`);
    const judged = loose.result.prediction!.checks[0]!;
    const judgedWindows = loose.result.prediction!.windows.filter(
      (w) => (w.labelled ?? 0) >= 5 && w.realised!["roc_auc"]!.ci,
    );
    expect(judgedWindows.length).toBeGreaterThan(0);
    for (const w of judgedWindows) {
      const ci = w.realised!["roc_auc"]!.ci!;
      expect(ci[1] - ci[0]).toBeGreaterThan(0.25);
    }
    expect(judged.status).toBe("pass");
    // Without a release there is nothing to measure max-drop from, and the check says so.
    expect(judged.reason).toContain(
      "max-drop needs the released evaluation's roc_auc, and the reference is not a release",
    );
  });

  it("warns, without failing, on a label-free estimate below its limit when no calibration is established", async () => {
    writeLogs();
    const { result } = await check(`  prediction:\n    estimated: { accuracy: { min: 0.99 } }\n`);
    const estimated = result.prediction!.checks[0]!;
    expect(result.performance!.calibration.status).toBe("not established");
    expect(estimated.status).toBe("warn");
    expect(estimated.reason).toContain("without an interval (calibration not established)");
  });

  it("alerts on the low-confidence share at a configurable cut, and on a predicted-class mix that moved", async () => {
    writeLogs({ shift: 0.3 });
    const limits = `  prediction:
    low-confidence: { below: 0.9, max-share: 0.5 }
    class-mix: { max-shift: 0.1 }
`;
    const { result } = await check(limits);
    const prediction = result.prediction!;
    expect(prediction.referenceMix!.from).toBe("values");
    const mix = prediction.checks.find((c) => c.id === "class-mix")!;
    expect(mix.status).toBe("fail");
    expect(mix.reason).toMatch(/positive \d+(\.\d+)?%, negative \d+(\.\d+)?% vs reference positive 5\d/);
    const low = prediction.checks.find((c) => c.id === "low-confidence")!;
    expect(low.status).toBe("fail");
    expect(low.reason).toMatch(/of 500 scores below confidence 0\.9 \(95% CI 6\d/);
    // The same logs at the cut 0.6: far fewer low-confidence scores, so the cut is the one configured.
    const at06 = await check(limits.replace("below: 0.9", "below: 0.6"));
    expect(at06.result.prediction!.windows[0]!.lowConfidence!.share).toBeLessThan(
      prediction.windows[0]!.lowConfidence!.share - 0.2,
    );
    writeLogs();
    const steady = await check(limits.replace("below: 0.9, max-share: 0.5", "below: 0.6, max-share: 0.9"));
    expect(steady.result.prediction!.checks.map((c) => c.status)).toEqual(["pass", "pass"]);
  });

  it("refuses prediction limits without a prediction field, naming it", async () => {
    writeLogs();
    let thrown: unknown;
    try {
      await check(REALISED, undefined, false);
    } catch (error) {
      thrown = error;
    }
    expect(isUserError(thrown)).toBe(true);
    expect((thrown as Error).message).toContain("monitoring.score");
  });
});
