import {
  createDriftMonitor,
  type DriftResult,
  type Manifest,
  renderDriftReport,
  UserError,
} from "@gauntlet/core";
import { readTable, resolveDataFiles } from "@gauntlet/data";
import type { LoadedManifest } from "../load-manifest.js";
import type { LoadedReference } from "../reference/load-reference.js";
import { driftFields } from "./drift-fields.js";

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
  const monitor = createDriftMonitor({
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
  });
  const logs = options.predictions ?? monitoring.predictions;
  // A scheduled run whose download found nothing is a `no data` result, not a failure; a named
  // file that does not exist is still the user's mistake.
  const isGlob = /[*?[\]{}]/.test(logs);
  const files = isGlob ? await resolveDataFiles(logs, options.cwd).catch(() => []) : [logs];
  if (files.length === 0) {
    const result = monitor.finish();
    return { manifest, result, markdown: renderDriftReport(result) };
  }
  for await (const batch of readTable(logs, {
    cwd: options.cwd,
    kinds: plan.kinds,
    columns: plan.read,
    ...(options.batchSize ? { batchSize: options.batchSize } : {}),
  })) {
    monitor.add(batch);
  }
  const result = monitor.finish();
  return { manifest, result, markdown: renderDriftReport(result) };
}
