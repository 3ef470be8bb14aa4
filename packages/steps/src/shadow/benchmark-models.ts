import type { Batch, LatencyPercentiles } from "@gauntlet/core";
import { type ScoringModel, type SignatureMapping, timeScoring } from "@gauntlet/model";

/** A model to time. */
export interface TimedModel {
  model: ScoringModel;
  mapping: SignatureMapping;
}

/**
 * Per-request latency of each model in this process: the same logged request scored `repeats`
 * times by each model after a warm-up, input tensors and output mapping included. Absent models
 * give `null`. Runner timings are noisy, so the report shows them beside the logged latencies
 * rather than instead of them.
 *
 * @example
 * await benchmarkModels([champion, candidate], oneRow, 200);
 * // [{ n: 200, p50Ms: 0.05, p95Ms: 0.07, p99Ms: 0.1, rowsPerSecond: 20000 }, { ... }]
 */
export async function benchmarkModels(
  models: readonly (TimedModel | undefined)[],
  row: Batch,
  repeats: number,
): Promise<((LatencyPercentiles & { rowsPerSecond: number }) | null)[]> {
  const out: ((LatencyPercentiles & { rowsPerSecond: number }) | null)[] = [];
  for (const timed of models) {
    if (!timed) {
      out.push(null);
      continue;
    }
    const t = await timeScoring(timed.model, timed.mapping, row, { repeats, warmup: 5 });
    out.push({
      n: t.repeats,
      p50Ms: t.p50Ms,
      p95Ms: t.p95Ms,
      p99Ms: t.p99Ms,
      rowsPerSecond: t.rowsPerSecond,
    });
  }
  return out;
}
