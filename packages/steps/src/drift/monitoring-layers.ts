import {
  type Batch,
  type ColumnKind,
  createClassProbabilityTally,
  createKpiTally,
  createOperationsTally,
  createPredictionTally,
  createSegmentMonitor,
  type DriftResult,
  finishKpis,
  finishOperations,
  finishPrediction,
  finishReconstruction,
  finishSegmentStates,
  type LayerStates,
  logRowStarts,
  type MonitoringLayers,
  parseDuration,
  renderKpis,
  renderMultivariate,
  renderOperations,
  renderPrediction,
  renderSegments,
  type SegmentMonitorOptions,
  withLayers,
} from "@gauntlet/core";
import type { LoadedManifest } from "../load-manifest.js";
import type { DriftCheckOptions, DriftSetup } from "./drift-setup.js";
import {
  estimateSetup,
  kpiSetup,
  operationsSetup,
  predictionSetup,
  reconstructionSetup,
  sliceReadColumns,
} from "./layer-setups.js";

/** The layers besides drift that a drift check computes from the same log batches. */
export interface LayerObservers {
  /** Fed every batch drift reads. */
  observers: { add(batch: Batch): void }[];
  /** Extra logged fields to read, their kinds, and fields read only in place of another. */
  read: { columns: string[]; kinds: Record<string, ColumnKind>; fallbacks: Record<string, string> };
  /** What the layers counted: a sharded run's part carries it. */
  state(): LayerStates;
  /**
   * Gives the segment windows' full sketch blocks to `presort` (the drift check's sort worker,
   * `SortingThreads.presortBlock`) from now on; without one they go to the sketch at once.
   */
  sortBlocksWith(presort: SegmentMonitorOptions["presortBlock"]): void;
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
  let presort: SegmentMonitorOptions["presortBlock"];
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
          presortBlock: (block, settle) => (presort ? presort(block, settle) : settle()),
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
  const sliceColumns = sliceReadColumns(slices, m.fields.features, m.columns);
  return {
    observers,
    read: {
      columns: [
        ...(operations?.read.columns ?? []),
        ...(kpis?.read.columns ?? []),
        ...sliceColumns.columns,
        ...(estimate?.tally.fields.probabilities ?? []),
      ],
      kinds: {
        ...operations?.read.kinds,
        ...kpis?.read.kinds,
        ...Object.fromEntries(
          (estimate?.tally.fields.probabilities ?? []).map((f) => [f, "number" as const]),
        ),
      },
      fallbacks: sliceColumns.fallbacks,
    },
    state,
    sortBlocksWith(sorter) {
      presort = sorter;
    },
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
