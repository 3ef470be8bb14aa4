import { logRowStarts } from "../drift/log-rows.js";
import { parseDuration } from "../manifest/duration.js";
import type { DriftLevel } from "../profile/compare-column.js";
import type { Check } from "../results/check.js";
import { symmetricEigen } from "../stats/symmetric-eigen.js";
import type { Batch } from "../table/column.js";
import type { ReconstructionWindowState } from "./layer-states.js";
import type { WindowBreach } from "./operational-health.js";
import { signalNumber } from "./signal-format.js";

/** A PCA fitted on the standardised reference, and the reconstruction error's limits. */
export interface ReconstructionModel {
  columns: string[];
  means: number[];
  stds: number[];
  /** Principal axes kept (rows), enough for `variance` of the standardised variance. */
  components: number[][];
  /** Share of the variance the kept components explain. */
  explained: number;
  /** Mean reconstruction error of the reference and its chunks. */
  reference: number;
  chunks: number[];
  /** Chunk mean ± 3 chunk standard deviations: outside, a window alerts. */
  lower: number;
  upper: number;
}

/**
 * Fits NannyML's data-reconstruction drift model
 * (https://nannyml.readthedocs.io/en/stable/how_it_works/multivariate_drift.html): the numeric
 * features are standardised (missing values imputed with the mean), a PCA keeps the fewest
 * components that explain `variance` of the variance (default 0.65, NannyML's), and a row's
 * reconstruction error is the Euclidean distance between it and its projection back from those
 * components. The reference is cut into `chunks` consecutive chunks; the limits are the chunks'
 * mean error ± 3 standard deviations, as NannyML sets them. A change of the joint distribution
 * that leaves every marginal alone (a correlation broken) changes the error. `null` with fewer
 * than two columns or `2 × chunks` complete rows.
 *
 * @example
 * fitReconstruction({ age: ages, tenure_months: tenures }).upper; // 0.93
 */
export function fitReconstruction(
  reference: Record<string, Float64Array>,
  options: { variance?: number; chunks?: number } = {},
): ReconstructionModel | null {
  const columns = Object.keys(reference).filter((c) => reference[c]!.length > 0);
  const d = columns.length;
  const n = d === 0 ? 0 : reference[columns[0]!]!.length;
  const chunkCount = options.chunks ?? 10;
  if (d < 2 || n < 2 * chunkCount) return null;
  const means: number[] = [];
  const stds: number[] = [];
  for (const c of columns) {
    const values = reference[c]!;
    let sum = 0;
    let count = 0;
    for (const v of values) {
      if (!Number.isFinite(v)) continue;
      sum += v;
      count++;
    }
    const mean = count > 0 ? sum / count : 0;
    let ss = 0;
    for (const v of values) if (Number.isFinite(v)) ss += (v - mean) ** 2;
    means.push(mean);
    stds.push(count > 1 && ss > 0 ? Math.sqrt(ss / (count - 1)) : 1);
  }
  const row = (i: number, out: Float64Array) => {
    for (let j = 0; j < d; j++) {
      const v = reference[columns[j]!]![i]!;
      out[j] = Number.isFinite(v) ? (v - means[j]!) / stds[j]! : 0;
    }
  };
  const cov = new Float64Array(d * d);
  const x = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    row(i, x);
    for (let a = 0; a < d; a++) for (let b = a; b < d; b++) cov[a * d + b]! += x[a]! * x[b]!;
  }
  for (let a = 0; a < d; a++)
    for (let b = a; b < d; b++) {
      cov[a * d + b] = cov[a * d + b]! / (n - 1);
      cov[b * d + a] = cov[a * d + b]!;
    }
  const { values, vectors } = symmetricEigen(cov, d);
  const total = values.reduce((s, v) => s + Math.max(0, v), 0);
  const target = options.variance ?? 0.65;
  let kept = 0;
  let explained = 0;
  while (kept < d && explained < target) explained += Math.max(0, values[kept++]!) / total;
  const model: ReconstructionModel = {
    columns,
    means,
    stds,
    components: vectors.slice(0, kept),
    explained,
    reference: 0,
    chunks: [],
    lower: 0,
    upper: 0,
  };
  const error = reconstructionError(model);
  const size = Math.floor(n / chunkCount);
  let all = 0;
  for (let k = 0; k < chunkCount; k++) {
    let sum = 0;
    for (let i = k * size; i < (k + 1) * size; i++) {
      row(i, x);
      sum += error(x);
    }
    model.chunks.push(sum / size);
    all += sum;
  }
  model.reference = all / (size * chunkCount);
  const mean = model.chunks.reduce((s, v) => s + v, 0) / chunkCount;
  const sd = Math.sqrt(model.chunks.reduce((s, v) => s + (v - mean) ** 2, 0) / (chunkCount - 1));
  model.lower = Math.max(0, mean - 3 * sd);
  model.upper = mean + 3 * sd;
  return model;
}

/**
 * The reconstruction error of one standardised row: `‖x − Vᵀ(V x)‖` with `V` the kept components.
 *
 * @example
 * reconstructionError(model)(Float64Array.of(0.3, -1.2)); // 0.41
 */
export function reconstructionError(
  model: Pick<ReconstructionModel, "components">,
): (x: Float64Array) => number {
  const k = model.components.length;
  const scores = new Float64Array(k);
  return (x) => {
    for (let c = 0; c < k; c++) {
      const axis = model.components[c]!;
      let s = 0;
      for (let j = 0; j < x.length; j++) s += axis[j]! * x[j]!;
      scores[c] = s;
    }
    let sq = 0;
    for (let j = 0; j < x.length; j++) {
      let back = 0;
      for (let c = 0; c < k; c++) back += scores[c]! * model.components[c]![j]!;
      sq += (x[j]! - back) ** 2;
    }
    return Math.sqrt(sq);
  };
}

/** Per window: the logged rows' mean reconstruction error against the reference's limits. */
export interface MultivariateDrift {
  model: Omit<ReconstructionModel, "means" | "stds" | "components"> & { componentsKept: number };
  windows: { start: string; end: string; rows: number; error: number | null; alert: boolean }[];
  checks: Check[];
  breaches: WindowBreach[];
  level: DriftLevel;
}

/** Streams log batches into the mean reconstruction error per window. */
export interface ReconstructionTally {
  add(batch: Batch, starts?: Float64Array): void;
  /** Rows and summed errors per window so far: what a sharded run's part carries. */
  state(): ReconstructionWindowState[];
  finish(): MultivariateDrift;
}

/**
 * Tallies each window's mean reconstruction error of the logged rows (features read under
 * `fields.features` when nested; a missing value imputed with the reference mean, as in the fit),
 * and alerts a window whose mean lies outside the reference's limits.
 *
 * @example
 * const tally = createReconstructionTally(model, { fields: { timestamp: "ts", features: "inputs" }, window: "1d" });
 * tally.add(batch);
 * tally.finish().checks[0]; // { id: "multivariate-drift", status: "fail", value: 1.31, limit: 0.93, ... }
 */
export function createReconstructionTally(
  model: ReconstructionModel,
  options: {
    fields: { timestamp: string; features?: string; version?: string };
    version?: string;
    window: string;
  },
): ReconstructionTally {
  const width = parseDuration(options.window);
  const sums = new Map<number, { rows: number; sum: number }>();
  const error = reconstructionError(model);
  const x = new Float64Array(model.columns.length);
  const state = () =>
    [...sums.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([start, w]) => ({ start, rows: w.rows, sum: w.sum }));
  const names = model.columns.map((c) => (options.fields.features ? `${options.fields.features}.${c}` : c));
  return {
    add(batch, starts = logRowStarts(batch, options, width).starts) {
      const columns = names.map((name) => batch.columns.get(name));
      // Rows come in runs of one window (logs in time order): the last window found is kept.
      let lastStart = Number.NaN;
      let w = { rows: 0, sum: 0 };
      for (let i = 0; i < batch.length; i++) {
        const start = starts[i]!;
        if (Number.isNaN(start)) continue;
        for (let j = 0; j < x.length; j++) {
          const column = columns[j];
          const v = column?.kind === "number" && column.nulls[i] === 0 ? column.values[i]! : Number.NaN;
          x[j] = Number.isFinite(v) ? (v - model.means[j]!) / model.stds[j]! : 0;
        }
        if (start !== lastStart) {
          let found = sums.get(start);
          if (!found) {
            found = { rows: 0, sum: 0 };
            sums.set(start, found);
          }
          w = found;
          lastStart = start;
        }
        w.rows++;
        w.sum += error(x);
      }
    },
    state,
    finish: () => finishReconstruction(model, state(), options.window),
  };
}

/**
 * Judges the mean reconstruction error per window (rows and summed errors, from one run or the
 * merged shards) against the reference's limits.
 *
 * @example
 * finishReconstruction(model, [{ start: 1748736000000, rows: 500, sum: 655 }], "6h").checks[0].status; // "fail"
 */
export function finishReconstruction(
  model: ReconstructionModel,
  state: readonly ReconstructionWindowState[],
  window: string,
): MultivariateDrift {
  const width = parseDuration(window);
  const windows = state.map(({ start, ...w }) => {
    const mean = w.rows > 0 ? w.sum / w.rows : null;
    return {
      start: new Date(start).toISOString(),
      end: new Date(start + width).toISOString(),
      rows: w.rows,
      error: mean,
      alert: mean !== null && (mean > model.upper || mean < model.lower),
    };
  });
  const breaching = windows.filter((w) => w.alert);
  const worst = [...windows].sort((a, b) => (b.error ?? 0) - (a.error ?? 0))[0];
  const limits = `[${signalNumber(model.lower)}, ${signalNumber(model.upper)}]`;
  const check: Check =
    windows.length === 0
      ? {
          id: "multivariate-drift",
          status: "skip",
          value: null,
          limit: model.upper,
          reason: "multivariate-drift: no rows",
        }
      : {
          id: "multivariate-drift",
          status: breaching.length > 0 ? "fail" : "pass",
          value: (breaching[0] ?? worst)!.error,
          limit: model.upper,
          reason:
            breaching.length > 0
              ? `multivariate-drift: reconstruction error ${signalNumber(breaching[0]!.error!)} in the window from ${breaching[0]!.start}, outside the reference's ${limits} (${breaching.length} of ${windows.length} windows; PCA of ${model.columns.length} numeric features, ${model.components.length} components)`
              : `multivariate-drift: reconstruction error within the reference's ${limits} in every window (largest ${signalNumber(worst!.error ?? 0)})`,
        };
  const { means: _m, stds: _s, components, ...rest } = model;
  return {
    model: { ...rest, componentsKept: components.length },
    windows,
    checks: [check],
    breaches: breaching.map((w) => ({ start: w.start, check: "multivariate-drift" })),
    level: windows.length === 0 ? "no data" : breaching.length > 0 ? "alert" : "ok",
  };
}
