import type { Rng } from "../random/rng.js";
import type { ArmSummary } from "./canary-result.js";

/** How one simulated arm behaves. */
export interface ArmBehaviour {
  version: string;
  errorRate: number;
  /** Latency: lognormal with this median (ms). */
  latencyMedian: number;
  kpiMean: number;
  /** Served scores: normal with this mean and sd 0.2; the class is `positive` at or above 0.5. */
  scoreMean?: number;
}

/** Appends `count` simulated requests to an arm (growing typed arrays as the step does). */
export function serve(arm: ArmSummary, behaviour: ArmBehaviour, count: number, rng: Rng): ArmSummary {
  const latencies = new Float64Array(arm.latencies.length + count);
  latencies.set(arm.latencies);
  const kpi = arm.kpis["retained"] ?? { n: 0, sumY: 0, sumY2: 0, sumX: 0, sumX2: 0, sumXY: 0 };
  let errors = arm.errors;
  const served = { ...arm.served };
  const classes = { ...arm.classes };
  for (let i = 0; i < count; i++) {
    if (behaviour.scoreMean !== undefined) {
      const score = behaviour.scoreMean + rng.normal(0, 0.2);
      served.n++;
      served.sumY += score;
      served.sumY2 += score * score;
      const label = score >= 0.5 ? "positive" : "negative";
      classes[label] = (classes[label] ?? 0) + 1;
    }
    latencies[arm.latencies.length + i] = behaviour.latencyMedian * Math.exp(rng.normal(0, 0.3));
    errors += rng.bernoulli(behaviour.errorRate);
    const y = rng.bernoulli(behaviour.kpiMean);
    kpi.n++;
    kpi.sumY += y;
    kpi.sumY2 += y;
  }
  latencies.sort();
  return {
    ...arm,
    requests: arm.requests + count,
    errorRows: arm.errorRows + count,
    errors,
    latencies,
    kpis: { retained: kpi },
    served,
    classes,
  };
}

/** An arm that has served nothing yet. */
export function emptyArm(version: string): ArmSummary {
  return {
    version,
    requests: 0,
    errorRows: 0,
    errors: 0,
    latencies: new Float64Array(0),
    scores: new Float64Array(0),
    outcomes: new Uint8Array(0),
    kpis: {},
    served: { n: 0, sumY: 0, sumY2: 0, sumX: 0, sumX2: 0, sumXY: 0 },
    classes: {},
  };
}
