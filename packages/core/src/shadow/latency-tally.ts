import { createKllSketch, kllQuantile, kllUpdate } from "../profile/kll-sketch.js";
import type { LatencyPercentiles } from "./shadow-result.js";

/** Streams logged latencies (milliseconds) into percentiles. */
export interface LatencyTally {
  add(ms: number): void;
  finish(): LatencyPercentiles | null;
}

/**
 * p50, p95 and p99 of logged latencies from a KLL sketch (k = 400: rank error about 0.5% of the
 * requests, so p99 is read between the 98.5th and 99.5th percentiles), in a few kilobytes however
 * long the log. Missing and negative latencies are left out; `null` when none was logged.
 *
 * @example
 * const t = createLatencyTally();
 * for (const ms of [10, 12, 11, 40]) t.add(ms);
 * t.finish(); // { n: 4, p50Ms: 11, p95Ms: 40, p99Ms: 40 }
 */
export function createLatencyTally(): LatencyTally {
  const sketch = createKllSketch(400);
  return {
    add(ms) {
      if (ms >= 0 && Number.isFinite(ms)) kllUpdate(sketch, ms);
    },
    finish() {
      if (sketch.n === 0) return null;
      return {
        n: sketch.n,
        p50Ms: kllQuantile(sketch, 0.5),
        p95Ms: kllQuantile(sketch, 0.95),
        p99Ms: kllQuantile(sketch, 0.99),
      };
    },
  };
}
