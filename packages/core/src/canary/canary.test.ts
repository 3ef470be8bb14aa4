import { describe, expect, it } from "vitest";
import { EXAMPLE_MANIFEST_YAML } from "../manifest/example.js";
import { parseManifest } from "../manifest/parse-manifest.js";
import { type Rollout, rolloutSchema } from "../manifest/schema-rollout.js";
import { createRng } from "../random/rng.js";
import type { ArmSummary, CanaryObservation } from "./canary-result.js";
import { evaluateCanary } from "./evaluate-canary.js";
import { renderCanaryReport } from "./render-canary-report.js";
import { type ArmBehaviour, emptyArm, serve } from "./simulate-arms.test-helper.js";

const rollout: Rollout = rolloutSchema.parse({
  log: "logs/*.jsonl",
  stages: [
    { stage: "canary", traffic: 0.1, "min-requests": 500 },
    { stage: "production", traffic: 1 },
  ],
  checks: [
    { signal: "latency-p99", "max-ratio": 1.2 },
    { signal: "error-rate", "max-increase": 0.01 },
  ],
});

const START = "2026-05-01T00:00:00.000Z";
const observe = (candidate: ArmSummary, incumbent: ArmSummary, unknown = {}): CanaryObservation => ({
  candidate,
  incumbent,
  unknown,
  stageStart: START,
  lastRequest: "2026-05-02T00:00:00.000Z",
  windows: [],
});
const OLD: ArmBehaviour = { version: "1.0.0", errorRate: 0.01, latencyMedian: 50, kpiMean: 0.7 };

function look(rng: ReturnType<typeof createRng>, cand: ArmBehaviour, perLook: number, looks: number) {
  let c = emptyArm(cand.version);
  let i = emptyArm(OLD.version);
  let verdict = "hold";
  for (let k = 0; k < looks && verdict === "hold"; k++) {
    c = serve(c, cand, Math.round(perLook * 0.1), rng);
    i = serve(i, OLD, Math.round(perLook * 0.9), rng);
    verdict = evaluateCanary({ model: "churn", rollout, stageIndex: 0, observation: observe(c, i) }).verdict;
  }
  return { verdict, c, i };
}

describe("evaluateCanary", () => {
  it("expands a canary as good as the incumbent once the evidence is in", () => {
    const { verdict } = look(createRng("good"), { ...OLD, version: "1.1.0", errorRate: 0.002 }, 20_000, 24);
    expect(verdict).toBe("expand");
  });

  it("rolls back a latency regression, naming it", () => {
    const rng = createRng("slow");
    const c = serve(emptyArm("1.1.0"), { ...OLD, version: "1.1.0", latencyMedian: 80 }, 2000, rng);
    const i = serve(emptyArm("1.0.0"), OLD, 18_000, rng);
    const result = evaluateCanary({ model: "churn", rollout, stageIndex: 0, observation: observe(c, i) });
    expect(result.verdict).toBe("rollback");
    expect(result.checks.find((x) => x.id === "latency-p99")).toMatchObject({ status: "fail" });
    expect(result.reasons.join()).toContain("p99");
  });

  it("holds an inconclusive canary and says how many more requests it needs", () => {
    const rng = createRng("thin");
    const c = serve(emptyArm("1.1.0"), { ...OLD, version: "1.1.0" }, 60, rng);
    const i = serve(emptyArm("1.0.0"), OLD, 540, rng);
    const result = evaluateCanary({ model: "churn", rollout, stageIndex: 0, observation: observe(c, i) });
    expect(result.verdict).toBe("hold");
    expect(result.needs?.requests).toBeGreaterThan(440);
    expect(result.needs?.hours).toBeGreaterThan(0);
    expect(renderCanaryReport(result)).toContain("Still needed:");
  });

  it("holds on a sample-ratio mismatch and never expands, however good the arms look", () => {
    const rng = createRng("srm");
    const good = { ...OLD, version: "1.1.0", errorRate: 0.002 };
    const c = serve(emptyArm("1.1.0"), good, 10_000, rng);
    const i = serve(emptyArm("1.0.0"), OLD, 40_000, rng);
    const result = evaluateCanary({ model: "churn", rollout, stageIndex: 0, observation: observe(c, i) });
    expect(result.verdict).toBe("hold");
    expect(result.checks[0]).toMatchObject({ id: "sample-ratio", status: "fail" });
    expect(result.reasons[0]).toContain("sample-ratio mismatch");
  });

  it("holds with no traffic for the new version, and names versions it does not know", () => {
    const i = serve(emptyArm("1.0.0"), OLD, 50, createRng("none"));
    const result = evaluateCanary({
      model: "churn",
      rollout,
      stageIndex: 0,
      observation: observe(emptyArm("1.1.0"), i, { "0.9.0": 7, "(missing)": 2 }),
    });
    expect(result.verdict).toBe("hold");
    expect(result.checks.find((x) => x.id === "traffic")?.reason).toContain("no requests served by 1.1.0");
    expect(result.checks.find((x) => x.id === "versions")?.reason).toContain("0.9.0 (7)");
    expect(result.needs?.requests).toBeNull();
  });

  it("does not compare outcomes that arrived for one arm only", () => {
    const withAuc = rolloutSchema.parse({ ...rollout, checks: [{ metric: "roc_auc", "max-drop": 0.01 }] });
    const c = { ...emptyArm("1.1.0"), requests: 100 };
    const i = {
      ...emptyArm("1.0.0"),
      requests: 900,
      scores: Float64Array.of(0.2, 0.8),
      outcomes: Uint8Array.of(0, 1),
    };
    const result = evaluateCanary({
      model: "churn",
      rollout: withAuc,
      stageIndex: 0,
      observation: observe(c, i),
    });
    expect(result.checks.find((x) => x.id === "roc_auc")).toMatchObject({ status: "warn", value: null });
    expect(result.checks.find((x) => x.id === "roc_auc")?.reason).toContain("for the incumbent only");
    expect(result.verdict).toBe("hold");
  });

  it("is complete at production", () => {
    const result = evaluateCanary({
      model: "churn",
      rollout,
      stageIndex: 1,
      observation: observe(emptyArm("1.1.0"), emptyArm("1.0.0")),
    });
    expect(result.verdict).toBe("complete");
  });
});

describe("evaluateCanary: stage evidence and KPIs", () => {
  it("holds until min-duration has passed and says how many hours remain", () => {
    const timed = rolloutSchema.parse({
      ...rollout,
      stages: [
        { stage: "canary", traffic: 0.1, "min-duration": "48h" },
        { stage: "production", traffic: 1 },
      ],
    });
    const rng = createRng("timed");
    const c = serve(emptyArm("1.1.0"), { ...OLD, version: "1.1.0", errorRate: 0.002 }, 20_000, rng);
    const i = serve(emptyArm("1.0.0"), OLD, 180_000, rng);
    const result = evaluateCanary({
      model: "churn",
      rollout: timed,
      stageIndex: 0,
      observation: observe(c, i),
    });
    expect(result.checks.find((x) => x.id === "min-duration")).toMatchObject({
      status: "warn",
      value: 24,
      limit: 48,
    });
    expect(result.verdict).toBe("hold");
    expect(result.needs?.hours).toBeCloseTo(24, 5);
  });

  it("decides a KPI's lift on CUPED-adjusted means, with an interval far narrower than without the covariate", () => {
    const rng = createRng("kpi");
    const arm = (version: string, n: number, lift: number) => {
      const m = { n: 0, sumY: 0, sumY2: 0, sumX: 0, sumX2: 0, sumXY: 0 };
      for (let k = 0; k < n; k++) {
        const x = rng.normal(100, 20);
        const y = x + lift + rng.normal(0, 2);
        m.n++;
        m.sumY += y;
        m.sumY2 += y * y;
        m.sumX += x;
        m.sumX2 += x * x;
        m.sumXY += x * y;
      }
      return { ...emptyArm(version), requests: n, kpis: { spend: m } };
    };
    const c = arm("1.1.0", 1000, 1);
    const i = arm("1.0.0", 9000, 0);
    const withKpi = (covariate?: string) =>
      rolloutSchema.parse({
        ...rollout,
        checks: [{ kpi: "spend", "min-lift": 0, ...(covariate ? { covariate } : {}) }],
      });
    const adjusted = evaluateCanary({
      model: "churn",
      rollout: withKpi("spend_pre"),
      stageIndex: 0,
      observation: observe(c, i),
    });
    const kpi = adjusted.checks.find((x) => x.id === "kpi:spend")!;
    expect(kpi.status).toBe("pass");
    expect(kpi.value).toBeGreaterThan(0.005);
    expect(kpi.reason).toContain("CUPED-adjusted");
    // The same sums without the covariate's terms: the pre-period spread (sd 20) swamps a lift of 1.
    const strip = (a: typeof c) => ({
      ...a,
      kpis: { spend: { ...a.kpis.spend!, sumX: 0, sumX2: 0, sumXY: 0 } },
    });
    const plain = evaluateCanary({
      model: "churn",
      rollout: withKpi(),
      stageIndex: 0,
      observation: observe(strip(c), strip(i)),
    });
    const width = (c: { interval?: [number, number] } | undefined) => c!.interval![1] - c!.interval![0];
    // Var(y) = 404 without the covariate, 4 with it: the interval is about ten times narrower.
    expect(width(kpi)).toBeLessThan(width(plain.checks.find((x) => x.id === "kpi:spend")) / 5);
  });
});

describe("evaluateCanary over 24 looks (seeded simulation; bench/canary.bench.mjs runs more)", () => {
  it("rarely rolls back a version equal to the incumbent", () => {
    const rng = createRng("null-rollback");
    let rollbacks = 0;
    const runs = 60;
    for (let r = 0; r < runs; r++) {
      if (look(rng, { ...OLD, version: "1.1.0" }, 2000, 24).verdict === "rollback") rollbacks++;
    }
    // Nominal 5% (alpha split over two checks); 60 runs: allow binomial noise (≤ 6 of 60).
    expect(rollbacks).toBeLessThanOrEqual(6);
  });

  it("rarely expands a version whose error rate is exactly at the limit", () => {
    const rng = createRng("null-expand");
    let expands = 0;
    const runs = 60;
    for (let r = 0; r < runs; r++) {
      if (look(rng, { ...OLD, version: "1.1.0", errorRate: 0.02 }, 1000, 24).verdict === "expand") expands++;
    }
    expect(expands).toBeLessThanOrEqual(6);
  });
});

describe("rollout schema", () => {
  const manifest = (stages: string) => `${EXAMPLE_MANIFEST_YAML}
rollout:
  log: logs/*.jsonl
  stages: ${stages}
`;
  it("refuses a stage list that does not end at production, naming the field and fix", () => {
    let message = "";
    try {
      parseManifest(manifest("[{ stage: canary, traffic: 0.05 }]"), "models/churn/model.yml");
    } catch (error) {
      message = String((error as Error).message);
    }
    expect(message).toContain("model.yml:84: rollout.stages[0].stage");
    expect(message).toContain("must end at production");
    expect(message).toContain("stage: production, traffic: 1.0");
  });
  it("refuses shrinking traffic and accepts the DESIGN.md example", () => {
    expect(() =>
      parseManifest(
        manifest(
          "[{ stage: canary, traffic: 0.5 }, { stage: pilot, traffic: 0.2 }, { stage: production, traffic: 1 }]",
        ),
        "m.yml",
      ),
    ).toThrow(/does not grow/);
    const ok = parseManifest(
      manifest(
        "[{ stage: canary, traffic: 0.05, min-requests: 5000, min-duration: 24h }, { stage: production, traffic: 1.0 }]",
      ),
      "m.yml",
    );
    expect(ok.rollout?.["version-field"]).toBe("model_version");
  });
  it("needs the limit that belongs to each signal", () => {
    const parsed = rolloutSchema.safeParse({
      log: "x",
      stages: [{ stage: "production", traffic: 1 }],
      checks: [{ signal: "latency-p99", "max-increase": 0.1 }],
    });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain("latency-p99 needs max-ratio");
  });
});

describe("evaluateCanary: prediction signals", () => {
  const withChecks = (checks: object[]): Rollout => rolloutSchema.parse({ ...rollout, checks });
  const scored = (version: string, scoreMean: number) => ({ ...OLD, version, scoreMean });
  const decideOn = (r: Rollout, c: ArmSummary, i: ArmSummary, unknown = {}) =>
    evaluateCanary({ model: "churn", rollout: r, stageIndex: 0, observation: observe(c, i, unknown) });

  it("passes a mean score within max-shift, and holds (status fail) on a shift beyond it by default", () => {
    const rng = createRng("score-shift");
    const r = withChecks([{ prediction: "score", "max-shift": 0.05 }]);
    const same = decideOn(
      r,
      serve(emptyArm("1.1.0"), scored("1.1.0", 0.3), 5000, rng),
      serve(emptyArm("1.0.0"), scored("1.0.0", 0.3), 45_000, rng),
    );
    expect(same.checks.find((x) => x.id === "prediction:score")).toMatchObject({
      status: "pass",
      limit: 0.05,
    });
    expect(same.verdict).toBe("expand");
    expect(same.predictions?.candidate.meanScore).toBeCloseTo(0.3, 2);

    const shifted = decideOn(
      r,
      serve(emptyArm("1.1.0"), scored("1.1.0", 0.4), 5000, rng),
      serve(emptyArm("1.0.0"), scored("1.0.0", 0.3), 45_000, rng),
    );
    const check = shifted.checks.find((x) => x.id === "prediction:score")!;
    expect(check.status).toBe("fail");
    expect(check.value).toBeCloseTo(0.1, 1);
    expect(check.interval![0]).toBeGreaterThan(0.05);
    expect(shifted.verdict).toBe("hold");
    expect(shifted.status).toBe("fail");
    expect(shifted.reasons[0]).toContain("holding (on-fail: hold)");
    expect(shifted.needs).toBeNull();
  });

  it("rolls back on a shift with on-fail: rollback, in either direction", () => {
    const rng = createRng("score-down");
    const r = withChecks([{ prediction: "score", "max-shift": 0.05, "on-fail": "rollback" }]);
    const result = decideOn(
      r,
      serve(emptyArm("1.1.0"), scored("1.1.0", 0.2), 5000, rng),
      serve(emptyArm("1.0.0"), scored("1.0.0", 0.3), 45_000, rng),
    );
    expect(result.verdict).toBe("rollback");
    expect(result.checks.find((x) => x.id === "prediction:score")?.interval?.[1]).toBeLessThan(-0.05);
    expect(result.reasons[0]).toContain("rolling back (on-fail: rollback)");
  });

  it("waits on thin data, saying how many more requests it needs", () => {
    const rng = createRng("score-thin");
    const r = withChecks([{ prediction: "score", "max-shift": 0.05 }]);
    const result = decideOn(
      r,
      serve(emptyArm("1.1.0"), scored("1.1.0", 0.3), 40, rng),
      serve(emptyArm("1.0.0"), scored("1.0.0", 0.3), 360, rng),
    );
    const check = result.checks.find((x) => x.id === "prediction:score")!;
    expect(check.status).toBe("warn");
    expect(check.moreRequests).toBeGreaterThan(0);
    expect(result.verdict).toBe("hold");
    expect(result.status).toBe("warn");
  });

  it("compares every class's share of a multiclass model, and names the class that moved", () => {
    const r = withChecks([{ prediction: "class", "max-shift": 0.02 }]);
    const arm = (version: string, requests: number, classes: Record<string, number>) => ({
      ...emptyArm(version),
      requests,
      classes,
    });
    const moved = decideOn(
      r,
      arm("1.1.0", 10_000, { basic: 4800, plus: 3400, premium: 1800 }),
      arm("1.0.0", 90_000, { basic: 45_000, plus: 36_000, premium: 9000 }),
    );
    const check = moved.checks.find((x) => x.id === "prediction:class")!;
    expect(check.status).toBe("fail");
    // premium: 18% vs 10%, the largest shift (+8 points; plus moved −6).
    expect(check.value).toBeCloseTo(0.08, 10);
    expect(check.reason).toMatch(
      /^class shares on 10000 \+ 90000 requests, largest shifts: premium 18% vs 10% \(shift \+8 pts\), plus 34% vs 40%/,
    );
    expect(moved.verdict).toBe("hold");
    expect(moved.predictions?.incumbent.classShares).toEqual({ basic: 0.5, plus: 0.4, premium: 0.1 });
    expect(renderCanaryReport(moved)).toContain("| share of class premium | 18% | 10% |");

    const steady = decideOn(
      r,
      arm("1.1.0", 40_000, { basic: 20_080, plus: 15_920, premium: 4000 }),
      arm("1.0.0", 360_000, { basic: 180_000, plus: 144_000, premium: 36_000 }),
    );
    expect(steady.checks.find((x) => x.id === "prediction:class")?.status).toBe("pass");
    expect(steady.verdict).toBe("expand");
  });

  it("says which arm logged no classes", () => {
    const r = withChecks([{ prediction: "class", "max-shift": 0.02 }]);
    const result = decideOn(
      r,
      { ...emptyArm("1.1.0"), requests: 10 },
      {
        ...emptyArm("1.0.0"),
        requests: 90,
        classes: { a: 90 },
      },
    );
    expect(result.checks.find((x) => x.id === "prediction:class")?.reason).toContain(
      "no served classes logged for the new version",
    );
  });

  it("charts the share of the class that moved most, per window", () => {
    const r = withChecks([{ prediction: "class", "max-shift": 0.02 }]);
    const sums = (classes: Record<string, number>) => ({
      requests: 10,
      errorRows: 0,
      errors: 0,
      latencyN: 0,
      latencySum: 0,
      scoreN: 0,
      scoreSum: 0,
      classes,
    });
    const observation = {
      ...observe(
        { ...emptyArm("1.1.0"), requests: 10, classes: { a: 2, b: 8 } },
        {
          ...emptyArm("1.0.0"),
          requests: 90,
          classes: { a: 45, b: 45 },
        },
      ),
      windows: [
        {
          start: "2026-05-01T00:00:00.000Z",
          arms: { candidate: sums({ a: 1, b: 4 }), incumbent: sums({ a: 20, b: 20 }) },
        },
        {
          start: "2026-05-01T01:00:00.000Z",
          arms: { candidate: sums({ a: 1, b: 3 }), incumbent: sums({ a: 25, b: 25 }) },
        },
      ],
    };
    const md = renderCanaryReport(evaluateCanary({ model: "churn", rollout: r, stageIndex: 0, observation }));
    expect(md).toContain('title "Share of class a per window"');
    expect(md).toContain("bar [0.2, 0.25]");
    expect(md).toContain("line [0.5, 0.5]");
  });

  it("keeps its error rates over 24 looks: equal arms rarely roll back, a shift at the limit rarely expands", () => {
    const r = withChecks([{ prediction: "score", "max-shift": 0.02, "on-fail": "rollback" }]);
    const runs = 60;
    const count = (seed: string, newMean: number, verdict: string) => {
      const rng = createRng(seed);
      let hits = 0;
      for (let run = 0; run < runs; run++) {
        let c = emptyArm("1.1.0");
        let i = emptyArm("1.0.0");
        let v = "hold";
        for (let k = 0; k < 24 && v === "hold"; k++) {
          c = serve(c, scored("1.1.0", newMean), 100, rng);
          i = serve(i, scored("1.0.0", 0.3), 900, rng);
          v = decideOn(r, c, i).verdict;
        }
        if (v === verdict) hits++;
      }
      return hits;
    };
    // Nominal 5% each; 60 runs: allow binomial noise (≤ 6 of 60).
    expect(count("pred-null", 0.3, "rollback")).toBeLessThanOrEqual(6);
    expect(count("pred-limit", 0.32, "expand")).toBeLessThanOrEqual(6);
    // …and a clear shift is caught within the 24 looks most of the time.
    expect(count("pred-power", 0.36, "rollback")).toBeGreaterThan(50);
  });
});

describe("evaluateCanary: versions neither arm knows", () => {
  const rng = createRng("unknown");
  const good = { ...OLD, version: "1.1.0", errorRate: 0.002 };
  const c = serve(emptyArm("1.1.0"), good, 20_000, rng);
  const i = serve(emptyArm("1.0.0"), OLD, 180_000, rng);

  it("holds while a third version is still served in the newest hour, however good the arms look", () => {
    const observation = { ...observe(c, i, { "0.9.0": 40 }), lastUnknown: "2026-05-02T00:00:00.000Z" };
    const result = evaluateCanary({ model: "churn", rollout, stageIndex: 0, observation });
    expect(result.verdict).toBe("hold");
    expect(result.status).toBe("fail");
    expect(result.checks.find((x) => x.id === "versions")).toMatchObject({ status: "fail", value: 40 });
    expect(result.reasons.join()).toContain("0.9.0 (40), still in the newest hour of the log: holding");
  });

  it("only leaves out a third version that stopped being served, and expands", () => {
    const observation = { ...observe(c, i, { "0.9.0": 40 }), lastUnknown: "2026-05-01T03:00:00.000Z" };
    const result = evaluateCanary({ model: "churn", rollout, stageIndex: 0, observation });
    expect(result.checks.find((x) => x.id === "versions")).toMatchObject({ status: "pass" });
    expect(result.verdict).toBe("expand");
  });

  it("still rolls back a failing version while a third version is served (the safe direction)", () => {
    const slow = serve(emptyArm("1.1.0"), { ...OLD, version: "1.1.0", latencyMedian: 80 }, 20_000, rng);
    const observation = { ...observe(slow, i, { "0.9.0": 40 }), lastUnknown: "2026-05-02T00:00:00.000Z" };
    expect(evaluateCanary({ model: "churn", rollout, stageIndex: 0, observation }).verdict).toBe("rollback");
  });
});
