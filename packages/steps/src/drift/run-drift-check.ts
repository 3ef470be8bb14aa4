import { createHash } from "node:crypto";
import {
  type Batch,
  type ColumnKind,
  createDriftMonitor,
  type DriftMonitorOptions,
  type DriftResult,
  type DriftState,
  type EncodedDriftState,
  encodeDriftState,
  encodeLayerStates,
  finishDrift,
  inputRef,
  type LayerStates,
  type Manifest,
  mergeDriftStates,
  mergeLayerStates,
  nestingObject,
  parseDriftState,
  parseLayerStates,
  type ReferenceSource,
  renderDriftReport,
  renderMonitoringSummary,
  type Shard,
  shardRows,
  takeRows,
  UserError,
  type UserErrorLocation,
} from "@gauntlet/core";
import { globInside, readTable, readTableSchema } from "@gauntlet/data";
import type { LoadedManifest } from "../load-manifest.js";
import type { LoadedReference } from "../reference/load-reference.js";
import { type PartEnvelope, readShardParts, requireSame } from "../shard-parts.js";
import { type DriftFields, driftFields } from "./drift-fields.js";
import { monitoringLayers } from "./monitoring-layers.js";

/** What {@link runDriftCheck} needs besides the manifest. */
export interface DriftCheckOptions {
  /** The workspace (repository root): paths are relative to it. */
  cwd: string;
  /** The reference, already loaded (from the production release, a profile or a data file). */
  reference: LoadedReference;
  /** Prediction logs (file or glob); default `monitoring.predictions`. */
  predictions?: string | undefined;
  /** Window width; default `monitoring.window`, else `1d`. */
  window?: string | undefined;
  /** Rows per batch read (default: the reader's). */
  batchSize?: number;
  /**
   * The released evaluation's overall metrics (the production release's `evaluation.json`), which
   * `monitoring.prediction` limits' `max-drop` is measured from.
   */
  released?: { source: string; metrics: Record<string, number> } | undefined;
}

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
  const monitor = createDriftMonitor(setup.monitor);
  const layers = await monitoringLayers(loaded, setup, options);
  await streamLogs([monitor, ...layers.observers], setup, options, undefined, layers.read);
  const drift = monitor.finish();
  await checkNesting(drift, setup, options, loaded.file);
  const { result, sections } = layers.finish(drift);
  // With any layer besides drift, the report opens with the summary of every layer.
  const head = sections.length > 0 ? [renderMonitoringSummary(result)] : [];
  return { manifest, result, markdown: [...head, renderDriftReport(result), ...sections].join("\n\n") };
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

/** What a drift check of one manifest compares and reads; every shard and the merge derive the same. */
export interface DriftSetup {
  monitor: DriftMonitorOptions;
  plan: DriftFields;
  /** The prediction logs (file or glob). */
  logs: string;
  /** Where `logs` was given (the manifest field or the input), named in errors about the path. */
  logsOrigin: UserErrorLocation;
  /** `monitoring.id`: the logged field shards are assigned by. */
  id: string | undefined;
}

/**
 * Works out a drift check's monitor options (fields, columns, version filter, thresholds, window)
 * from the manifest, the options and the loaded reference.
 *
 * @example
 * driftSetup(loaded, { cwd, reference }).monitor.window; // "1d"
 */
export function driftSetup(loaded: LoadedManifest, options: DriftCheckOptions): DriftSetup {
  const { manifest, file } = loaded;
  const monitoring = manifest.monitoring;
  if (!monitoring) {
    throw new UserError("there is no monitoring: section to check", {
      file,
      field: "monitoring",
      fix: "add monitoring: with predictions (a log file or glob), timestamp, features and score",
    });
  }
  const { profile, source } = options.reference;
  const plan = driftFields(manifest, file, profile);
  const version = profile.model?.version ?? manifest.version;
  const binary =
    manifest.task === "binary" && plan.fields.score
      ? { positive: manifest.artefact.positive ?? 1, threshold: manifest.evaluation?.threshold ?? 0.5 }
      : undefined;
  const drift = monitoring.drift;
  return {
    monitor: {
      model: { name: manifest.name, version },
      reference: profile,
      referenceSource: source,
      columns: plan.columns,
      fields: plan.fields,
      ...(plan.fields.version ? { version } : {}),
      ...(binary ? { binary } : {}),
      window: options.window ?? monitoring.window ?? "1d",
      method: drift.method,
      warn: drift.warn,
      alert: drift.alert,
    },
    plan,
    logs: options.predictions ?? monitoring.predictions,
    logsOrigin: {
      file,
      field: options.predictions === undefined ? "monitoring.predictions" : inputRef("predictions"),
    },
    id: monitoring.id,
  };
}

/**
 * Reads the logs into `monitor`; with `shard`, only the rows whose `monitoring.id` (else row
 * number in the logs) hashes to it. A glob that matches nothing adds nothing (a `no data` result).
 */
async function streamLogs(
  monitors: { add(batch: Batch): void }[],
  setup: DriftSetup,
  options: DriftCheckOptions,
  shard?: Shard,
  extra?: { columns: string[]; kinds: Record<string, ColumnKind> },
): Promise<void> {
  const { logs, plan } = setup;
  // A scheduled run whose download found nothing is a `no data` result, not a failure; a named
  // file that does not exist is still the user's mistake.
  const isGlob = /[*?[\]{}]/.test(logs);
  const origin = setup.logsOrigin;
  const files = isGlob ? await globInside(logs, options.cwd, origin) : [logs];
  if (files.length === 0) return;
  const ids = shard && setup.id ? [setup.id] : [];
  let offset = 0;
  for await (const batch of readTable(logs, {
    cwd: options.cwd,
    origin,
    kinds: { ...extra?.kinds, ...plan.kinds },
    columns: [...new Set([...plan.read, ...ids, ...(extra?.columns ?? [])])],
    ...(options.batchSize ? { batchSize: options.batchSize } : {}),
  })) {
    const kept = shard ? shardRows(batch, ids, shard, offset) : null;
    offset += batch.length;
    const rows = kept ? takeRows(batch, kept) : batch;
    for (const monitor of monitors) monitor.add(rows);
  }
}

/** Largest part file a merge reads: the kept values of about 37M numbers (see {@link DriftPart}). */
export const MAX_DRIFT_PART_BYTES = 400 * 1024 * 1024;

/** Schema tag of `drift.part-<i>-of-<n>.json`. */
export const DRIFT_PART_SCHEMA = "gauntlet/drift-part@2";

/** `drift.part-<i>-of-<n>.json`: one shard's drift state and what it was compared with. */
export interface DriftPart extends PartEnvelope {
  schema: typeof DRIFT_PART_SCHEMA;
  settings: DriftSettings;
  /** The reference: where it came from and a SHA-256 of its content, so a merge compares with the same. */
  reference: { source: ReferenceSource; sha256: string };
  /**
   * The shard's drift state as `encodeDriftState` writes it: with an exact reference every
   * numeric value of the compared columns travels (about 10.7 characters each: a part of 1M rows
   * and 6 numeric columns is about 64 MB), so the merge's statistics equal one run's.
   */
  state: EncodedDriftState;
  /**
   * What the other monitoring layers counted (operations, prediction, KPIs, multivariate), per
   * window: `encodeLayerStates`' JSON, latencies included (one number per row with a latency).
   * Added in `gauntlet/drift-part@2`; segments are not carried.
   */
  layers: unknown;
}

/** Everything that decides a drift state besides the rows. */
export interface DriftSettings {
  logs: string;
  id: string | null;
  window: string;
  columns: string[];
  fields: DriftFields["fields"];
  version: string | null;
  binary: { positive: string | number; threshold: number } | null;
  /** The other layers' settings (fields and limits), which decide what their counts mean. */
  layers: Record<string, unknown>;
}

function settingsOf(setup: DriftSetup, monitoring: Manifest["monitoring"]): DriftSettings {
  const m = setup.monitor;
  const layerKeys = [
    "latency",
    "latency-unit",
    "error",
    "operations",
    "prediction",
    "kpis",
    "multivariate",
    "slices",
    "owners",
    "segment-min-rows",
  ] as const;
  return {
    logs: setup.logs,
    id: setup.id ?? null,
    window: m.window,
    columns: [...m.columns],
    fields: { ...m.fields },
    version: m.version ?? null,
    binary: m.binary ? { ...m.binary } : null,
    layers: Object.fromEntries(
      layerKeys.flatMap((k) => (monitoring?.[k] === undefined ? [] : [[k, monitoring[k]]])),
    ),
  };
}

/**
 * Runs one shard of a drift check — the log rows whose `monitoring.id` hashes to it, or whose row
 * number does when the manifest names no id — and returns its part: the mergeable per-window
 * state, the settings and the reference's identity.
 *
 * @example
 * const part = await driftShard(loaded, { cwd, reference }, { index: 1, count: 3 });
 * part.state.rows.read; // about a third of the log rows
 */
export async function driftShard(
  loaded: LoadedManifest,
  options: DriftCheckOptions,
  shard: Shard,
): Promise<DriftPart> {
  const setup = driftSetup(loaded, options);
  const monitor = createDriftMonitor(setup.monitor);
  const layers = await monitoringLayers(loaded, setup, options);
  await streamLogs([monitor, ...layers.observers], setup, options, shard, layers.read);
  return {
    schema: DRIFT_PART_SCHEMA,
    model: { ...setup.monitor.model },
    shard,
    settings: settingsOf(setup, loaded.manifest.monitoring),
    reference: { source: options.reference.source, sha256: profileDigest(options.reference) },
    state: encodeDriftState(monitor.state()),
    layers: encodeLayerStates(layers.state()),
  };
}

/**
 * Merges every `drift.part-*-of-<n>.json` under `<results-dir>/<model>/` into the result one run
 * over all logs gives (counts exact; see `mergeDriftStates` for the rest), against the same
 * reference, which the merge loads as a single run would. Parts are untrusted: size-bounded,
 * schema-checked, and refused with one {@link UserError} naming the files when they disagree on
 * model, settings or reference, or a shard is missing or duplicated.
 *
 * @example
 * const { result } = await mergeDrift(loaded, { cwd, reference }, ".gauntlet");
 * result.rows.read; // every shard's rows
 */
export async function mergeDrift(
  loaded: LoadedManifest,
  options: DriftCheckOptions,
  resultsDir: string,
): Promise<DriftCheckOutcome> {
  const { manifest, file } = loaded;
  const setup = driftSetup(loaded, options);
  const parts = await readShardParts(
    resultsDir,
    manifest.name,
    "drift",
    DRIFT_PART_SCHEMA,
    checkPart,
    MAX_DRIFT_PART_BYTES,
  );
  requireSame(parts, "model", (p) => p.model);
  requireSame(parts, "settings", (p) => p.settings);
  requireSame(parts, "reference", (p) => p.reference);
  const first = parts[0]!;
  const expected = {
    model: setup.monitor.model,
    settings: settingsOf(setup, manifest.monitoring),
    sha256: profileDigest(options.reference),
  };
  const found = {
    model: first.value.model,
    settings: first.value.settings,
    sha256: first.value.reference.sha256,
  };
  for (const key of ["model", "settings", "sha256"] as const) {
    if (JSON.stringify(expected[key]) === JSON.stringify(found[key])) continue;
    const what = {
      model: "a different model version",
      settings: "different settings (logs, window, columns, fields or layer limits)",
      sha256: "a different reference profile",
    }[key];
    throw new UserError(`the shards ran with ${what} than this merge (${first.file})`, {
      file,
      field: key === "sha256" ? "monitoring.reference" : "monitoring",
      fix: "merge with the manifest, inputs and reference the shards ran with (the same commit and release)",
    });
  }
  const states = parts.map((p) => p.value.state);
  const merged = mergeDriftStates(states, { seed: manifest.name });
  const drift = finishDrift(setup.monitor, merged);
  const layers = await monitoringLayers(loaded, setup, options);
  const { result, sections } = layers.finish(drift, mergeLayerStates(parts.map((p) => p.value.layers)));
  const head = sections.length > 0 ? [renderMonitoringSummary(result)] : [];
  const markdown = [...head, renderDriftReport(result), ...sections].join("\n\n");
  return { manifest, result, markdown };
}

/**
 * A SHA-256 of the reference profile's JSON, its kept values included (as base64): shards and
 * merge must compare with the same one.
 */
function profileDigest(reference: LoadedReference): string {
  const json = JSON.stringify(reference.profile, (_, v: unknown) =>
    v instanceof Float64Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64") : v,
  );
  return createHash("sha256").update(json).digest("hex");
}

/** A part file as the merge reads it: its states decoded and checked. */
interface ReadDriftPart extends Omit<DriftPart, "state" | "layers"> {
  state: DriftState;
  layers: LayerStates;
}

function checkPart(value: object, file: string): ReadDriftPart {
  const p = value as Partial<DriftPart>;
  const ok =
    typeof p.model?.name === "string" &&
    typeof p.model.version === "string" &&
    Number.isSafeInteger(p.shard?.index) &&
    Number.isSafeInteger(p.shard?.count) &&
    typeof p.settings === "object" &&
    p.settings !== null &&
    typeof p.reference?.sha256 === "string" &&
    typeof p.reference.source === "object";
  if (!ok) {
    throw new UserError("not a valid partial drift result", {
      file,
      fix: "merge only the drift.part-*.json files that drift-check wrote with shard; rerun the shard that wrote this one",
    });
  }
  return {
    ...(p as DriftPart),
    state: parseDriftState(p.state, file),
    layers: parseLayerStates(p.layers, file),
  };
}
