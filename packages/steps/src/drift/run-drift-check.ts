import {
  createDriftMonitor,
  type DriftMonitor,
  type DriftResult,
  type Manifest,
  nestingObject,
  renderDriftReport,
  renderMonitoringSummary,
  type Shard,
  UserError,
} from "@gauntlet/core";
import { readTableSchema } from "@gauntlet/data";
import type { LoadedManifest } from "../load-manifest.js";
import { type DriftCheckOptions, type DriftSetup, driftSetup, streamLogs } from "./drift-setup.js";
import { type LayerObservers, monitoringLayers } from "./monitoring-layers.js";
import { withSortThreads } from "./sort-threads.js";

/** One model's drift check: the result file's content and its Markdown report. */
export interface DriftCheckOutcome {
  manifest: Manifest;
  result: DriftResult;
  markdown: string;
}

/**
 * Streams the prediction logs through a drift monitor against the reference: this is
 * `gauntlet drift` and the `drift-check` action, minus issue routing and publishing. Only rows of
 * the production version count when `monitoring.version-field` is set (the reference profile's
 * version, else the manifest's).
 *
 * @example
 * const { result } = await runDriftCheck(loaded, { cwd, reference: await loadReference("profile.json", { cwd, manifest }) });
 * result.level; // "ok"
 */
export async function runDriftCheck(
  loaded: LoadedManifest,
  options: DriftCheckOptions,
): Promise<DriftCheckOutcome> {
  const { manifest } = loaded;
  const setup = driftSetup(loaded, options);
  const layers = await monitoringLayers(loaded, setup, options);
  const drift = await monitorLogs(setup, layers, options, undefined, (monitor) => monitor.finish());
  await checkNesting(drift, setup, options, loaded.file);
  const { result, sections } = layers.finish(drift);
  // With any layer besides drift, the report opens with the summary of every layer.
  const head = sections.length > 0 ? [renderMonitoringSummary(result)] : [];
  return { manifest, result, markdown: [...head, renderDriftReport(result), ...sections].join("\n\n") };
}

/**
 * Streams the logs (all of them, or one shard's) through a drift monitor, whose window values
 * are sorted in two threads, and through the layers' observers; `end` takes what the caller
 * keeps of the monitor: its finished result, or its state for a part file.
 *
 * @example
 * const state = await monitorLogs(setup, layers, options, { index: 1, count: 3 }, (m) => m.state());
 */
export async function monitorLogs<T>(
  setup: DriftSetup,
  layers: LayerObservers,
  options: DriftCheckOptions,
  shard: Shard | undefined,
  end: (monitor: DriftMonitor) => T,
): Promise<T> {
  return withSortThreads(setup.monitor.reference, async (sorting) => {
    const monitor = createDriftMonitor({ ...setup.monitor, ...sorting });
    layers.sortBlocksWith(sorting.presortBlock);
    await streamLogs([monitor, ...layers.observers], setup, options, shard, layers.read);
    return end(monitor);
  });
}

/**
 * Logs that nest the features in another object than `monitoring.features` names (or nest them
 * while it is unset) have none of the feature columns: every column would read "missing", and
 * the check would compare nothing. When one object of the logs holds them all, that is an error
 * naming it. The logs' columns are read only on this path.
 */
async function checkNesting(
  result: DriftResult,
  setup: DriftSetup,
  options: DriftCheckOptions,
  file: string,
): Promise<void> {
  const { columns, fields } = setup.plan;
  const absent = (c: DriftResult["columns"][number]) =>
    c.level === "no data" && c.details.values.current === 0;
  if (columns.length === 0 || result.rows.used === 0 || !result.columns.every(absent)) return;
  const schema = await readTableSchema(setup.logs, { cwd: options.cwd, origin: setup.logsOrigin });
  const holder = nestingObject(
    columns,
    schema.map((c) => c.name),
  );
  if (holder === undefined || holder === fields.features) return;
  const read = fields.features ? `${fields.features}.${columns[0]}` : columns[0];
  throw new UserError(
    `none of the ${columns.length} feature columns is in the logs ${setup.logs} where drift-check reads them (e.g. ${read}): the logs nest them under "${holder}" (e.g. ${holder}.${columns[0]})`,
    { file, field: "monitoring.features", fix: `set monitoring.features: ${holder}` },
  );
}
