import {
  type Batch,
  type ClassCalibration,
  type ClassProbabilityTallyOptions,
  type ColumnKind,
  classCalibration,
  createClassProbabilityTally,
  createKpiTally,
  createOperationsTally,
  createPredictionTally,
  createReconstructionTally,
  createSegmentMonitor,
  type DriftResult,
  finishKpis,
  finishOperations,
  finishPrediction,
  finishReconstruction,
  finishSegmentStates,
  fitReconstruction,
  type KpiLimits,
  type KpiTallyOptions,
  type LayerStates,
  logRowStarts,
  type MonitoringLayers,
  type OperationsSettings,
  type OperationsTallyOptions,
  type PredictionTallyOptions,
  parseDuration,
  type ReconstructionModel,
  type ReconstructionTally,
  renderKpis,
  renderMultivariate,
  renderOperations,
  renderPrediction,
  renderSegments,
  type SegmentMonitorOptions,
  UserError,
  withLayers,
} from "@gauntlet/core";
import { readTable } from "@gauntlet/data";
import type { LoadedManifest } from "../load-manifest.js";
import type { DriftCheckOptions, DriftSetup } from "./run-drift-check.js";

/** The layers besides drift that a drift check computes from the same log batches. */
export interface LayerObservers {
  /** Fed every batch drift reads. */
  observers: { add(batch: Batch): void }[];
  /** Extra logged fields to read, and their kinds. */
  read: { columns: string[]; kinds: Record<string, ColumnKind> };
  /** What the layers counted: a sharded run's part carries it. */
  state(): LayerStates;
  /**
   * The drift result with the layers added, and their report sections; from `states` (the
   * merged shards' counts) instead of this run's when given.
   */
  finish(drift: DriftResult, states?: LayerStates): { result: DriftResult; sections: string[] };
}

/**
 * Sets up the monitoring layers the manifest asks for — operational health, prediction limits,
 * business KPIs and segments — as observers of the batches drift reads, so the logs are read once.
 *
 * @example
 * const layers = await monitoringLayers(loaded, setup, options);
 * // stream batches to layers.observers, then:
 * layers.finish(monitor.finish()).result.level; // "alert"
 */
export async function monitoringLayers(
  loaded: LoadedManifest,
  setup: DriftSetup,
  options: DriftCheckOptions,
): Promise<LayerObservers> {
  const monitoring = loaded.manifest.monitoring!;
  const operations = operationsSetup(loaded, setup);
  const opsTally = operations ? createOperationsTally(operations.tally) : null;
  const prediction = predictionSetup(loaded, setup);
  const predictionTally = prediction ? createPredictionTally(prediction) : null;
  const estimate = prediction ? estimateSetup(loaded, setup, options) : null;
  const estimateTally = estimate ? createClassProbabilityTally(estimate.tally) : null;
  const kpis = kpiSetup(loaded, setup);
  const kpiTally = kpis ? createKpiTally(kpis.tally) : null;
  const m = setup.monitor;
  const predictionSettings = prediction
    ? {
        window: m.window,
        limits: monitoring.prediction!,
        reference: options.reference.profile,
        score: prediction.fields.score,
        threshold: m.binary?.threshold,
        task: loaded.manifest.task,
        released: options.released,
      }
    : undefined;
  const slices = monitoring.slices ?? [];
  const segmentOptions: SegmentMonitorOptions | null =
    slices.length > 0
      ? {
          columns: m.columns,
          fields: m.fields,
          ...(m.version ? { version: m.version } : {}),
          ...(m.binary ? { binary: m.binary } : {}),
          window: m.window,
          slices,
          reference: m.reference,
          method: m.method,
          warn: m.warn,
          alert: m.alert,
          operations: operations ?? undefined,
          prediction:
            prediction && predictionSettings
              ? { tally: prediction, settings: predictionSettings }
              : undefined,
          kpis: kpis ? { tally: kpis.tally, limits: kpis.limits } : undefined,
          minRows: monitoring["segment-min-rows"],
          owners: monitoring.owners,
        }
      : null;
  const segments = segmentOptions ? createSegmentMonitor(segmentOptions) : null;
  const multivariate = monitoring.multivariate ? await reconstructionSetup(loaded, setup, options) : null;
  const layers = [
    opsTally,
    predictionTally,
    estimateTally,
    kpiTally,
    segments,
    multivariate?.tally ?? null,
  ].filter((o) => o !== null);
  const width = parseDuration(m.window);
  // Every layer counts the rows drift counts, in the same windows: worked out once per batch.
  const observers =
    layers.length === 0
      ? []
      : [
          {
            add(batch: Batch) {
              const { starts } = logRowStarts(batch, m, width);
              for (const layer of layers) layer.add(batch, starts);
            },
          },
        ];
  function state(): LayerStates {
    return {
      ...(opsTally ? { operations: opsTally.state() } : {}),
      ...(predictionTally ? { prediction: predictionTally.state() } : {}),
      ...(estimateTally ? { estimate: estimateTally.state() } : {}),
      ...(kpiTally ? { kpis: kpiTally.state() } : {}),
      ...(multivariate?.tally ? { multivariate: multivariate.tally.state() } : {}),
      ...(segments ? { segments: segments.state() } : {}),
    };
  }
  const sliceColumns = slices.flatMap((s) => [s, m.fields.features ? `${m.fields.features}.${s}` : s]);
  return {
    observers,
    read: {
      columns: [
        ...(operations?.read.columns ?? []),
        ...(kpis?.read.columns ?? []),
        ...sliceColumns,
        ...(estimate?.tally.fields.probabilities ?? []),
      ],
      kinds: {
        ...operations?.read.kinds,
        ...kpis?.read.kinds,
        ...Object.fromEntries(
          (estimate?.tally.fields.probabilities ?? []).map((f) => [f, "number" as const]),
        ),
      },
    },
    state,
    finish(drift, merged) {
      const counted = merged ?? state();
      const layers: MonitoringLayers = {
        operations:
          operations && counted.operations
            ? finishOperations(counted.operations, operations.settings)
            : undefined,
        prediction:
          predictionSettings && counted.prediction
            ? finishPrediction(counted.prediction, {
                ...predictionSettings,
                performance: drift.performance,
                ...(estimate
                  ? {
                      estimate: {
                        windows: counted.estimate ?? [],
                        calibration: estimate.calibration,
                        seed: loaded.manifest.name,
                      },
                    }
                  : {}),
              })
            : undefined,
        kpis:
          kpis && counted.kpis
            ? finishKpis(counted.kpis, { window: m.window, kpis: kpis.limits })
            : undefined,
        segments:
          segmentOptions && counted.segments
            ? finishSegmentStates(counted.segments, segmentOptions)
            : undefined,
        multivariate:
          multivariate?.model && counted.multivariate
            ? finishReconstruction(multivariate.model, counted.multivariate, m.window)
            : undefined,
      };
      return {
        result: withLayers(drift, layers),
        sections: [
          ...(layers.multivariate ? [renderMultivariate(layers.multivariate)] : []),
          ...(multivariate && !multivariate.tally
            ? [`#### Multivariate drift\n\nUnavailable: ${multivariate.unavailable}.`]
            : []),
          ...(layers.segments ? [renderSegments(layers.segments)] : []),
          ...(layers.prediction ? [renderPrediction(layers.prediction)] : []),
          ...(layers.kpis ? [renderKpis(layers.kpis)] : []),
          ...(layers.operations ? [renderOperations(layers.operations)] : []),
        ],
      };
    },
  };
}

/** How operational health is read and judged, when the manifest asks for it. */
interface OperationsSetup {
  tally: OperationsTallyOptions;
  settings: OperationsSettings;
  read: { columns: string[]; kinds: Record<string, ColumnKind> };
}

/**
 * Operational health is read when `monitoring` names a latency or error field or sets
 * `operations` limits; from the same rows as drift (same version filter and windows).
 */
function operationsSetup(loaded: LoadedManifest, setup: DriftSetup): OperationsSetup | null {
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
function kpiSetup(
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
function predictionSetup(loaded: LoadedManifest, setup: DriftSetup): PredictionTallyOptions | null {
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
function estimateSetup(
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
async function reconstructionSetup(
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
