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
