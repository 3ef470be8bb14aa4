import { stat } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import {
  type AssetFile,
  type CardEvaluation,
  type CardGate,
  cardEvaluationSchema,
  cardGateSchema,
  type Manifest,
  REFERENCE_SAMPLE_FILE,
  UserError,
} from "@gauntlet/core";
import { resolveInside } from "@gauntlet/data";
import { sha256File } from "@gauntlet/model";
import type { LoadedManifest } from "../load-manifest.js";
import { readJsonFile, resultPath } from "../result-files.js";
import { buildReferenceProfile } from "./build-profile.js";

/** A model version whose files are checked and ready to attach to its release. */
export interface PreparedPromotion {
  manifest: Manifest;
  manifestFile: string;
  artefact: { name: string; sha256: string; size: number };
  /**
   * The artefact first, then `evaluation.json`, `gate.json`, `profile.json` and the reference
   * sample (`reference-sample.parquet`, with `monitoring:`) when present.
   */
  assets: AssetFile[];
  evaluation: CardEvaluation | undefined;
  gate: CardGate | undefined;
  profile: boolean;
}

/**
 * The runner-side half of `promote`, done before anything is written: the artefact must exist
 * and match `artefact.sha256`; `evaluation.json` and `gate.json` in `results-dir` (when there)
 * must be about this model version; the reference profile is built from `evaluation.data`, scored
 * with the artefact just verified (`buildReferenceProfile`). A missing artefact is named by the
 * absolute path it was looked for at, as evaluation names it.
 *
 * @example
 * const prepared = await preparePromotion(await loadManifest("models/churn/model.yml", cwd), { cwd, resultsDir: ".gauntlet" });
 * prepared.assets.map((a) => a.name); // ["model.onnx", "evaluation.json", "gate.json", "profile.json"]
 */
export async function preparePromotion(
  loaded: LoadedManifest,
  options: { cwd: string; resultsDir: string },
): Promise<PreparedPromotion> {
  const { manifest, file } = loaded;
  const { path, sha256 } = manifest.artefact;
  if (!path) {
    throw new UserError("promote uploads the artefact, so it needs its path", {
      file,
      field: "artefact.path",
      fix: "set artefact.path to where the file is (an earlier step may download it there from artefact.uri)",
    });
  }
  if (!sha256) {
    throw new UserError("promote verifies the artefact against its hash, and there is none", {
      file,
      field: "artefact.sha256",
      fix: `add artefact.sha256: the output of \`sha256sum ${path}\``,
    });
  }
  const full = await resolveInside(options.cwd, path, { file, field: "artefact.path" });
  const actual = await sha256File(full, { file, field: "artefact.path" });
  if (actual !== sha256.toLowerCase()) {
    throw new UserError(`the SHA-256 of ${path} is ${actual} but the manifest says ${sha256}`, {
      file,
      field: "artefact.sha256",
      fix: `if the new file is intended, set artefact.sha256: "${actual}"; otherwise restore the reviewed file`,
    });
  }
  const size = (await stat(full)).size;
  const artefact = { name: basename(path), sha256: actual, size };
  const assets: AssetFile[] = [
    { name: artefact.name, path: full, size, contentType: "application/octet-stream" },
  ];
  const resultsDir = resolve(options.cwd, options.resultsDir);

  const evaluation = await readResult(resultsDir, manifest, "evaluation", cardEvaluationSchema, assets);
  const gate = await readResult(resultsDir, manifest, "gate", cardGateSchema, assets);
  const profilePath = join(resultsDir, manifest.name, "profile.json");
  const samplePath = join(resultsDir, manifest.name, REFERENCE_SAMPLE_FILE);
  const maxRows = manifest.monitoring?.["reference-sample"]["max-rows"] ?? 0;
  const profile = await buildReferenceProfile(manifest, {
    cwd: options.cwd,
    path: profilePath,
    model: { path: full, manifestFile: file },
    ...(maxRows > 0 ? { sample: { path: samplePath, maxRows } } : {}),
  });
  if (profile) assets.push(await jsonAsset("profile.json", profilePath));
  if (profile && maxRows > 0) {
    const size = (await stat(samplePath)).size;
    assets.push({
      name: REFERENCE_SAMPLE_FILE,
      path: samplePath,
      size,
      contentType: "application/vnd.apache.parquet",
    });
  }
  return { manifest, manifestFile: file, artefact, assets, evaluation, gate, profile: profile !== undefined };
}

async function readResult<T extends { model: { name: string; version: string } }>(
  resultsDir: string,
  manifest: Manifest,
  kind: "evaluation" | "gate",
  schema: {
    safeParse(
      value: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: { message: string; path: PropertyKey[] }[] } };
  },
  assets: AssetFile[],
): Promise<T | undefined> {
  const path = resultPath(resultsDir, manifest.name, kind);
  const raw = await readJsonFile(path);
  if (raw === undefined) return undefined;
  const rerun = `download the ${kind}.json of ${manifest.name} ${manifest.version} from the merged pull request's run into results-dir`;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError(`not a gauntlet ${kind} result: ${issue.message}`, {
      file: path,
      field: issue.path.join("."),
      fix: rerun,
    });
  }
  const { name, version } = parsed.data.model;
  if (name !== manifest.name || version !== manifest.version) {
    throw new UserError(`the result is for ${name} ${version}, not ${manifest.name} ${manifest.version}`, {
      file: path,
      field: "model",
      fix: rerun,
    });
  }
  assets.push(await jsonAsset(`${kind}.json`, path));
  return parsed.data;
}

async function jsonAsset(name: string, path: string): Promise<AssetFile> {
  return { name, path, size: (await stat(path)).size, contentType: "application/json" };
}
