import type { ColumnKind, Manifest } from "@gauntlet/core";
import type { ShadowFields } from "./shadow-plan.js";

/** What {@link compareShadow} needs besides the manifest. */
export interface ShadowOptions {
  /** The workspace (repository root): paths are relative to it. */
  cwd: string;
  /** Overrides `shadow.log`. */
  log?: string | undefined;
  /** The production model's .onnx file, replayed on the logged features for skew and benchmarked. */
  championModel?: string | undefined;
  /** Rows logged under another version are skipped and counted. */
  championVersion?: string | undefined;
  /** Field with the logged model version. Default `monitoring.version-field`, else `model_version` when logged. */
  versionField?: string | undefined;
  /** Field with the late-arriving outcome. Default `monitoring.outcome`, else `evaluation.label` when logged. */
  outcome?: string | undefined;
  /** Field with the candidate's logged latency in milliseconds. */
  challengerLatency?: string | undefined;
  /** Copy feature values of the largest disagreements into the report. Default false. */
  showRows?: boolean | undefined;
  /** Timed one-row calls per model (throughput batches get fewer, see `batchRepeats`). Default 200. */
  benchmarkRepeats?: number | undefined;
}

/**
 * The log fields to read: the manifest's `shadow:` names, then the options, then conventions
 * that apply only when the log has such a column (so an absent `model_version` is no error, but a
 * version field named explicitly must exist).
 *
 * @example
 * resolveShadowFields(manifest, schema, {});
 * // { id: "request_id", champion: "score", challenger: "shadow_score", version: "model_version", outcome: "churned" }
 */
export function resolveShadowFields(
  manifest: Manifest,
  schema: ReadonlyMap<string, ColumnKind>,
  options: ShadowOptions,
): ShadowFields {
  const shadow = manifest.shadow!;
  const ifLogged = (name: string | undefined) => (name !== undefined && schema.has(name) ? name : undefined);
  return {
    id: shadow.id,
    champion: shadow.champion,
    challenger: shadow.challenger,
    championLatency: shadow.latency,
    weight: shadow.weight,
    challengerLatency: options.challengerLatency,
    version: options.versionField ?? ifLogged(manifest.monitoring?.["version-field"] ?? "model_version"),
    outcome: options.outcome ?? ifLogged(manifest.monitoring?.outcome ?? manifest.evaluation?.label),
  };
}
