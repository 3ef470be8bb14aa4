import {
  type ClassCalibration,
  type ClassProbabilityTallyOptions,
  type ColumnKind,
  classCalibration,
  createReconstructionTally,
  fitReconstruction,
  type KpiLimits,
  type KpiTallyOptions,
  type OperationsSettings,
  type OperationsTallyOptions,
  type PredictionTallyOptions,
  type ReconstructionModel,
  type ReconstructionTally,
  UserError,
} from "@gauntlet/core";
import { readTable } from "@gauntlet/data";
import type { LoadedManifest } from "../load-manifest.js";
import type { DriftCheckOptions, DriftSetup } from "./drift-setup.js";

// What each monitoring layer besides drift reads and how it is set up, from the manifest and the
// drift check's setup: monitoring-layers.ts wires them to the log batches.

/**
 * The logged columns the segments of `slices` are read from: a slice that is a monitored feature
 * (`monitored`, which drift reads under `features` when the logs nest them) under that name only,
 * as drift reads it; any other slice under `features`, else at the top level (a `fallbacks` of
 * the read), the segment monitor taking whichever the logs have. Asking the reader for a column
 * the logs lack costs a second pass over a JSON Lines file (its columns detected on every line,
 * not on the first 20,480), and a top-level `market` is searched for in vain in logs that hold
 * `"market"` under `features`: the reader looks for the top-level name only in a file whose
 * first lines lack the nested one.
 *
 * @example
 * sliceReadColumns(["region", "cohort"], "inputs", ["age", "region"]);
 * // { columns: ["inputs.region", "inputs.cohort"], fallbacks: { "inputs.cohort": "cohort" } }
 */
export function sliceReadColumns(
  slices: readonly string[],
  features: string | undefined,
  monitored: readonly string[],
): { columns: string[]; fallbacks: Record<string, string> } {
  if (features === undefined) return { columns: [...slices], fallbacks: {} };
  const others = slices.filter((s) => !monitored.includes(s));
  return {
    columns: slices.map((s) => `${features}.${s}`),
    fallbacks: Object.fromEntries(others.map((s) => [`${features}.${s}`, s])),
  };
}

/** How operational health is read and judged, when the manifest asks for it. */
export interface OperationsSetup {
  tally: OperationsTallyOptions;
  settings: OperationsSettings;
  read: { columns: string[]; kinds: Record<string, ColumnKind> };
}

/**
 * Operational health is read when `monitoring` names a latency or error field or sets
 * `operations` limits; from the same rows as drift (same version filter and windows).
 */
export function operationsSetup(loaded: LoadedManifest, setup: DriftSetup): OperationsSetup | null {
  const monitoring = loaded.manifest.monitoring!;
  const { latency, error, operations } = monitoring;
  if (latency === undefined && error === undefined && operations === undefined) return null;
  const m = setup.monitor;
  const fields = {
    timestamp: m.fields.timestamp,
    ...(m.fields.version ? { version: m.fields.version } : {}),
    ...(latency ? { latency } : {}),
    ...(error ? { error } : {}),
  };
  return {
    tally: { fields, ...(m.version ? { version: m.version } : {}), window: m.window, file: loaded.file },
    settings: {
      window: m.window,
      fields: { latency, error },
      unit: monitoring["latency-unit"],
      limits: operations,
      file: loaded.file,
    },
    read: {
      columns: [latency, error].filter((f): f is string => f !== undefined),
      kinds: latency ? { [latency]: "number" } : {},
    },
  };
}

/** Business KPIs are summed when `monitoring.kpis` names any; mean and sum fields read as numbers. */
export function kpiSetup(
  loaded: LoadedManifest,
  setup: DriftSetup,
): {
  tally: KpiTallyOptions;
  limits: KpiLimits[];
  read: { columns: string[]; kinds: Record<string, ColumnKind> };
} | null {
  const limits = loaded.manifest.monitoring!.kpis;
  if (!limits || limits.length === 0) return null;
  const m = setup.monitor;
  return {
    tally: {
      fields: { timestamp: m.fields.timestamp, ...(m.fields.version ? { version: m.fields.version } : {}) },
      ...(m.version ? { version: m.version } : {}),
      window: m.window,
      kpis: limits,
      file: loaded.file,
    },
    limits,
    read: {
      columns: limits.map((k) => k.field),
      kinds: Object.fromEntries(
        limits.filter((k) => k.aggregate !== "rate").map((k) => [k.field, "number" as const]),
      ),
    },
  };
}

/**
 * Prediction health is counted when `monitoring.prediction` sets limits and the logs have a
 * prediction field (`monitoring.score`); binary classifiers' scores at the evaluation threshold.
 * With an outcome field (`monitoring.outcome`) every task also keeps the labelled rows' prediction
 * and outcome, for the per-window realised metrics.
 */
export function predictionSetup(loaded: LoadedManifest, setup: DriftSetup): PredictionTallyOptions | null {
  const limits = loaded.manifest.monitoring!.prediction;
  const { task } = loaded.manifest;
  const m = setup.monitor;
  if (!limits) return null;
  if (!m.fields.score) {
    throw new UserError(
      "monitoring.prediction sets limits on the served predictions, but no field holds them",
      {
        file: loaded.file,
        field: "monitoring.score",
        fix: "set monitoring.score to the logged prediction (a binary score, or the predicted class), or remove monitoring.prediction",
      },
    );
  }
  return {
    fields: {
      timestamp: m.fields.timestamp,
      score: m.fields.score,
      ...(m.fields.version ? { version: m.fields.version } : {}),
    },
    ...(m.version ? { version: m.version } : {}),
    window: m.window,
    task,
    ...(m.binary
      ? {
          binary: {
            threshold: m.binary.threshold,
            lowConfidenceBelow: limits["low-confidence"]?.below ?? 0.6,
          },
        }
      : {}),
    ...(m.fields.outcome
      ? {
          labelled: { outcome: m.fields.outcome, task, ...(m.binary ? { positive: m.binary.positive } : {}) },
        }
      : {}),
  };
}

/**
 * The multiclass label-free estimate is counted when `monitoring.probabilities` names the logged
 * per-class probabilities (the manifest rules hold it to multiclass models, one field per class):
 * from the same rows as drift, recalibrated on the reference profile's labelled class
 * probabilities when it has them.
 */
export function estimateSetup(
  loaded: LoadedManifest,
  setup: DriftSetup,
  options: DriftCheckOptions,
): { tally: ClassProbabilityTallyOptions; calibration: ClassCalibration } | null {
  const { manifest } = loaded;
  const probabilities = manifest.monitoring!.probabilities;
  if (manifest.task !== "multiclass" || !probabilities) return null;
  const m = setup.monitor;
  const classes = (manifest.artefact.classes ?? []).map(String);
  return {
    tally: {
      fields: {
        timestamp: m.fields.timestamp,
        probabilities,
        ...(m.fields.version ? { version: m.fields.version } : {}),
      },
      ...(m.version ? { version: m.version } : {}),
      window: m.window,
    },
    calibration: classCalibration(options.reference.profile, classes),
  };
}

/**
 * Fits the reconstruction model on the reference's rows (its numeric feature columns) and
 * returns its tally; without rows to fit on (a profile alone) or too few, why not.
 */
export async function reconstructionSetup(
  loaded: LoadedManifest,
  setup: DriftSetup,
  options: DriftCheckOptions,
): Promise<{ tally: ReconstructionTally | null; model?: ReconstructionModel; unavailable: string }> {
  const m = setup.monitor;
  const settings = loaded.manifest.monitoring!.multivariate!;
  const numeric = m.columns.filter((c) => m.reference.columns[c]?.kind === "number");
  const path = options.reference.rows;
  if (path === undefined)
    return {
      tally: null,
      unavailable:
        "the reference is a profile without rows (give a data file, or promote again so the release has reference-sample.parquet)",
    };
  const values: Record<string, number[]> = Object.fromEntries(numeric.map((c) => [c, []]));
  const origin = { file: loaded.file, field: "monitoring.reference" };
  const kinds = Object.fromEntries(numeric.map((c) => [c, "number" as const]));
  for await (const batch of readTable(path, { cwd: options.cwd, origin, columns: numeric, kinds })) {
    for (const c of numeric) {
      const column = batch.columns.get(c);
      for (let i = 0; i < batch.length; i++)
        values[c]!.push(column?.kind === "number" && column.nulls[i] === 0 ? column.values[i]! : Number.NaN);
    }
  }
  const model = fitReconstruction(
    Object.fromEntries(numeric.map((c) => [c, Float64Array.from(values[c]!)])),
    { variance: settings.variance, chunks: settings.chunks },
  );
  if (!model)
    return {
      tally: null,
      unavailable: `needs at least two numeric features and ${2 * settings.chunks} reference rows (found ${numeric.length} and ${values[numeric[0] ?? ""]?.length ?? 0})`,
    };
  return {
    tally: createReconstructionTally(model, {
      fields: m.fields,
      ...(m.version ? { version: m.version } : {}),
      window: m.window,
    }),
    model,
    unavailable: "",
  };
}
