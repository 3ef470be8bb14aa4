import { createHash } from "node:crypto";
import {
  type EncodedDriftState,
  encodeDriftState,
  encodeLayerStates,
  type Manifest,
  type ReferenceSource,
  type Shard,
} from "@gauntlet/core";
import type { LoadedManifest } from "../load-manifest.js";
import type { LoadedReference } from "../reference/load-reference.js";
import type { PartEnvelope } from "../shard-parts.js";
import type { DriftFields } from "./drift-fields.js";
import { type DriftCheckOptions, type DriftSetup, driftSetup } from "./drift-setup.js";
import { monitoringLayers } from "./monitoring-layers.js";
import { monitorLogs } from "./run-drift-check.js";

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

export function settingsOf(setup: DriftSetup, monitoring: Manifest["monitoring"]): DriftSettings {
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
  const layers = await monitoringLayers(loaded, setup, options);
  const state = await monitorLogs(setup, layers, options, shard, (monitor) => monitor.state());
  return {
    schema: DRIFT_PART_SCHEMA,
    model: { ...setup.monitor.model },
    shard,
    settings: settingsOf(setup, loaded.manifest.monitoring),
    reference: { source: options.reference.source, sha256: profileDigest(options.reference) },
    state: encodeDriftState(state),
    layers: encodeLayerStates(layers.state()),
  };
}

/**
 * A SHA-256 of the reference profile's JSON, its kept values included (as base64): shards and
 * merge must compare with the same one.
 */
export function profileDigest(reference: LoadedReference): string {
  const json = JSON.stringify(reference.profile, (_, v: unknown) =>
    v instanceof Float64Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64") : v,
  );
  return createHash("sha256").update(json).digest("hex");
}
