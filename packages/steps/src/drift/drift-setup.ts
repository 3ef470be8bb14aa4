import {
  type Batch,
  type ColumnKind,
  type DriftMonitorOptions,
  inputRef,
  type Shard,
  shardRows,
  takeRows,
  UserError,
  type UserErrorLocation,
} from "@gauntlet/core";
import { globInside, readTable, scanAhead } from "@gauntlet/data";
import type { LoadedManifest } from "../load-manifest.js";
import type { LoadedReference } from "../reference/load-reference.js";
import { type DriftFields, driftFields } from "./drift-fields.js";

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
 * Starts the pass over the prediction logs (`predictions`, else `monitoring.predictions`) that
 * reading them waits for, before the reference is loaded, so that the two overlap (see
 * `scanAhead`; on the 1M-row drift bench log the pass is ~0.5 s, mostly disk waits). Reports
 * nothing: a missing section, path or file is the error of the check itself, in its order.
 *
 * @example
 * scanLogsAhead(loaded, { cwd });
 * const reference = await loadReference(…); // meanwhile, the logs are scanned
 */
export function scanLogsAhead(
  loaded: LoadedManifest,
  options: { cwd: string; predictions?: string | undefined },
): void {
  const logs = options.predictions ?? loaded.manifest.monitoring?.predictions;
  if (logs !== undefined) void scanAhead(logs, { cwd: options.cwd });
}

/**
 * Reads the logs into `monitor`; with `shard`, only the rows whose `monitoring.id` (else row
 * number in the logs) hashes to it. A glob that matches nothing adds nothing (a `no data` result).
 */
export async function streamLogs(
  monitors: { add(batch: Batch): void }[],
  setup: DriftSetup,
  options: DriftCheckOptions,
  shard?: Shard,
  extra?: { columns: string[]; kinds: Record<string, ColumnKind>; fallbacks?: Record<string, string> },
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
    ...(extra?.fallbacks ? { fallbacks: extra.fallbacks } : {}),
    ...(options.batchSize ? { batchSize: options.batchSize } : {}),
  })) {
    const kept = shard ? shardRows(batch, ids, shard, offset) : null;
    offset += batch.length;
    const rows = kept ? takeRows(batch, kept) : batch;
    for (const monitor of monitors) monitor.add(rows);
  }
}
