import { lstat } from "node:fs/promises";
import { extname, resolve } from "node:path";
import {
  type ColumnKind,
  createProfileBuilder,
  EXACT_VALUES_LIMIT,
  kindsFromContract,
  type Manifest,
  type Profile,
  type ReferenceSource,
  UserError,
} from "@gauntlet/core";
import { readTable, readTableSchema, resolveInside } from "@gauntlet/data";
import { readJsonFile } from "../result-files.js";
import { parseProfile } from "./parse-profile.js";

/** A reference profile and where it came from. */
export interface LoadedReference {
  profile: Profile;
  source: ReferenceSource;
  /**
   * The file holding the reference's rows (a data file, or the release's reference sample), for
   * what needs rows rather than columns (multivariate drift); absent for a profile alone.
   */
  rows?: string;
}

/**
 * Loads the reference to compare against from a path: a `profile.json` (checked to be a gauntlet
 * profile of this model), or a data file or glob (CSV, JSONL, Parquet), profiled on the fly with
 * the manifest's column kinds.
 *
 * @example
 * await loadReference("data/train.csv", { cwd, manifest });
 * // { profile: { schema: "gauntlet/profile@1", rows: 5000, ... }, source: { kind: "data", location: "data/train.csv", rows: 5000 } }
 */
export async function loadReference(
  location: string,
  options: { cwd: string; manifest: Manifest },
): Promise<LoadedReference> {
  const { manifest } = options;
  if (extname(location).toLowerCase() === ".json") {
    const origin = { file: location, field: "reference" };
    const exists = await lstat(resolve(options.cwd, location)).then(
      () => true,
      () => false,
    );
    const value = exists ? await readJsonFile(await resolveInside(options.cwd, location, origin)) : undefined;
    if (value === undefined) {
      throw new UserError("the reference profile does not exist", {
        file: location,
        fix: "check the path (relative to the repository root), or give a data file to profile instead",
      });
    }
    const profile = parseProfile(value, location, manifest.name);
    return { profile, source: sourceOf("profile", location, profile) };
  }
  const builder = createProfileBuilder({
    model: { name: manifest.name, version: manifest.version },
    exactValues: EXACT_VALUES_LIMIT,
  });
  const kinds = manifest.data ? kindsFromContract(manifest.data) : undefined;
  const origin = { field: "reference" };
  for await (const batch of readTable(location, { cwd: options.cwd, origin, ...(kinds ? { kinds } : {}) }))
    builder.add(batch);
  const profile = builder.finish();
  return {
    profile,
    source: { ...sourceOf("data", location, profile), sample: profile.rows },
    rows: location,
  };
}

/**
 * A release's reference: its `profile.json` with every column the release's reference sample
 * (`reference-sample.parquet`, saved at `sample` inside the workspace) holds re-profiled from the
 * sample with its values kept, on the profile's bin edges, so drift statistics on those columns
 * are exact. The profile's prediction and calibration are kept. Without a sample, the profile
 * alone (statistics from sketches, and the result says so).
 *
 * @example
 * await releaseReference(profile, "churn/v1.2.0", { cwd, sample: ".gauntlet/churn/reference-sample.parquet" });
 * // { profile: { …, columns: { age: { …, values: Float64Array(5000) } } }, source: { kind: "release", …, sample: 5000 } }
 */
export async function releaseReference(
  profile: Profile,
  tag: string,
  options: { cwd: string; sample?: string | undefined },
): Promise<LoadedReference> {
  if (options.sample === undefined) return { profile, source: sourceOf("release", tag, profile) };
  // The sample's statistics come from its values: its sketch is made from them, sorted, when
  // the profile is finished (deferSketch), not value by value.
  const builder = createProfileBuilder({
    ...(profile.model ? { model: profile.model } : {}),
    reference: profile,
    exactValues: EXACT_VALUES_LIMIT,
    deferSketch: true,
  });
  const origin = { file: options.sample, field: "monitoring.reference-sample" };
  const kinds: Record<string, ColumnKind> = {};
  for (const { name } of await readTableSchema(options.sample, { cwd: options.cwd, origin })) {
    const column = profile.columns[name];
    if (column && column.kind !== "timestamp") kinds[name] = column.kind;
  }
  for await (const batch of readTable(options.sample, { cwd: options.cwd, origin, kinds }))
    builder.add(batch);
  const sampled = builder.finish();
  const columns = { ...profile.columns };
  for (const [name, column] of Object.entries(sampled.columns)) if (columns[name]) columns[name] = column;
  return {
    profile: { ...profile, columns },
    source: { ...sourceOf("release", tag, profile), sample: sampled.rows },
    rows: options.sample,
  };
}

/**
 * Describes a reference for the result file.
 *
 * @example
 * sourceOf("release", "churn/v1.2.0", profile); // { kind: "release", location: "churn/v1.2.0", model: {...}, rows: 5000 }
 */
export function sourceOf(kind: ReferenceSource["kind"], location: string, profile: Profile): ReferenceSource {
  return { kind, location, ...(profile.model ? { model: { ...profile.model } } : {}), rows: profile.rows };
}
