import {
  type DriftState,
  finishDrift,
  type LayerStates,
  mergeDriftStates,
  mergeLayerStates,
  parseDriftState,
  parseLayerStates,
  renderDriftReport,
  renderMonitoringSummary,
  UserError,
} from "@gauntlet/core";
import type { LoadedManifest } from "../load-manifest.js";
import { readShardParts, requireSame } from "../shard-parts.js";
import { type DriftCheckOptions, driftSetup } from "./drift-setup.js";
import {
  DRIFT_PART_SCHEMA,
  type DriftPart,
  MAX_DRIFT_PART_BYTES,
  profileDigest,
  settingsOf,
} from "./drift-shard.js";
import { monitoringLayers } from "./monitoring-layers.js";
import type { DriftCheckOutcome } from "./run-drift-check.js";

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
