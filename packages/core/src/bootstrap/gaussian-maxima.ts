import { createRng } from "../random/rng.js";

/**
 * Draws of `max_k |Z_k| / σ_k` for Z ~ N(0, covariance) (K × K, row-major), ascending: the null
 * distribution of the largest standardised change of K jointly Gaussian comparisons, from which
 * `supTIntervals` reads the max-T critical value (Westfall & Young 1993; Hothorn, Bretz &
 * Westfall 2008, "Simultaneous inference in general parametric models", which compute the same
 * quantile by numerical integration). Z is drawn as L·u with L the Cholesky factor of the
 * correlation matrix and u standard normal from the seeded generator, so the same covariance and
 * seed give the same maxima. Members with zero variance are left out (they never exceed); a
 * correlation matrix that is singular (two metrics that move together exactly) is factored with
 * the dependent columns set to zero, which draws the same joint law.
 *
 * @see https://doi.org/10.1002/bimj.200810425
 * @example
 * gaussianMaxima(Float64Array.of(1, 0, 0, 1), 10000, "7/0")[9500]; // ≈ 2.24, two independent tests at 95%
 */
export function gaussianMaxima(covariance: Float64Array, draws: number, seed: string): Float64Array {
  const size = Math.round(Math.sqrt(covariance.length));
  const keep: number[] = [];
  for (let a = 0; a < size; a++) if (covariance[a * size + a]! > 0) keep.push(a);
  const K = keep.length;
  const sd = keep.map((a) => Math.sqrt(covariance[a * size + a]!));
  // Cholesky of the correlation matrix, lower triangle row-major.
  const L = new Float64Array(K * K);
  for (let r = 0; r < K; r++) {
    for (let c = 0; c <= r; c++) {
      let sum = covariance[keep[r]! * size + keep[c]!]! / (sd[r]! * sd[c]!);
      for (let t = 0; t < c; t++) sum -= L[r * K + t]! * L[c * K + t]!;
      if (r === c) L[r * K + r] = sum > 1e-10 ? Math.sqrt(sum) : 0;
      else L[r * K + c] = L[c * K + c]! > 0 ? sum / L[c * K + c]! : 0;
    }
  }
  if (K === 0) return new Float64Array(0);
  // The draws' u in blocks from the seeded stream, in order (u of draw d is its d·K-th to
  // (d·K + K − 1)-th normal), a block at most 64K numbers whatever K.
  const rng = createRng(seed);
  const perBlock = Math.max(1, Math.floor(65_536 / K));
  const u = new Float64Array(Math.min(draws, perBlock) * K);
  const out = new Float64Array(draws);
  for (let first = 0; first < draws; first += perBlock) {
    const count = Math.min(perBlock, draws - first);
    const block = count * K === u.length ? u : u.subarray(0, count * K);
    rng.normals(block);
    for (let d = 0, at = 0; d < count; d++, at += K) {
      let max = 0;
      for (let r = 0, row = 0; r < K; r++, row += K) {
        let z = 0;
        for (let t = 0; t <= r; t++) z += L[row + t]! * block[at + t]!;
        const a = Math.abs(z);
        if (a > max) max = a;
      }
      out[first + d] = max;
    }
  }
  // The maxima are +0 or positive (never NaN: a NaN |z| does not pass the test above), and such
  // doubles order as their bit patterns: an integer sort, about twice as fast, same order.
  new BigUint64Array(out.buffer).sort();
  return out;
}

/** One Gaussian block's simulation: what `gaussianMaxima(covariance, draws, seed)` is asked. */
export interface MaximaJob {
  covariance: Float64Array;
  draws: number;
  seed: string;
}

/**
 * Starts the jobs' simulations (e.g. on worker threads, while this thread does other work) and
 * gives the function that finishes them here and returns each job's `gaussianMaxima`, in job
 * order. However the jobs are split, each is computed whole by one thread: the same maxima.
 */
export type MaximaRunner = (jobs: readonly MaximaJob[]) => () => Float64Array[];

/**
 * The length of a job's maxima: its draws, or 0 when no member has a positive variance.
 *
 * @example
 * maximaLength({ covariance: Float64Array.of(0), draws: 10, seed: "x" }); // 0
 */
export function maximaLength(job: MaximaJob): number {
  const size = Math.round(Math.sqrt(job.covariance.length));
  for (let a = 0; a < size; a++) if (job.covariance[a * size + a]! > 0) return job.draws;
  return 0;
}

/**
 * Computes the jobs whose indices `next` hands out (default: every job, in order) into `out[j]`
 * (of {@link maximaLength}), until it hands out one past the last: how each thread takes its share.
 *
 * @example
 * const out = jobs.map((job) => new Float64Array(maximaLength(job)));
 * runMaxima(jobs, out); // out[j] = gaussianMaxima(jobs[j].covariance, jobs[j].draws, jobs[j].seed)
 */
export function runMaxima(
  jobs: readonly MaximaJob[],
  out: readonly Float64Array[],
  next: () => number = counter(),
): void {
  for (let j = next(); j < jobs.length; j = next()) {
    const job = jobs[j]!;
    out[j]!.set(gaussianMaxima(job.covariance, job.draws, job.seed));
  }
}

/** A {@link MaximaRunner} in this thread: every job when its maxima are asked for. */
export const maximaHere: MaximaRunner = (jobs) => () => {
  const out = jobs.map((job) => new Float64Array(maximaLength(job)));
  runMaxima(jobs, out);
  return out;
};

function counter(): () => number {
  let j = 0;
  return () => j++;
}
