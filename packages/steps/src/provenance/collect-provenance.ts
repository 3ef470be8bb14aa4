import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { type EvaluationProvenance, GAUNTLET_VERSION } from "@gauntlet/core";
import { resolveInside } from "@gauntlet/data";
import { onnxruntimeVersion, readOnnxMetadata, sha256File, verifyArtefact } from "@gauntlet/model";
import type { LoadedManifest } from "../load-manifest.js";

/** What {@link collectProvenance} looks at. */
export interface ProvenanceOptions {
  cwd: string;
  /** The evaluation data files read (relative to `cwd`, as `evaluation.json`'s `data.files`). */
  dataFiles: readonly string[];
  /** The ONNX file that was scored; `undefined` when the scores were supplied. */
  modelPath: string | undefined;
}

/**
 * Collects `evaluation.json`'s `provenance`: each evaluation data file's SHA-256, the ONNX file's
 * producer, IR version and opsets (from its metadata), the runtimes (gauntlet, Node, onnxruntime),
 * and the manifest's `provenance:` — the training data's SHA-256 checked against the file when
 * `training-data.path` is in the workspace (a different digest is a `UserError`: the manifest
 * describes another file), "not verified" with the reason otherwise.
 *
 * @example
 * await collectProvenance(loaded, { cwd, dataFiles: ["data/eval.csv"], modelPath: "models/churn/model.onnx" });
 * // { evaluationData: { files: [{ path: "data/eval.csv", sha256: "4f2c…", bytes: 812345 }] },
 * //   model: { irVersion: 8, producer: "skl2onnx 1.17.0", opsets: { "": 17 } }, runtime: { … }, trainingData: { verified: "not verified", … }, … }
 */
export async function collectProvenance(
  loaded: LoadedManifest,
  options: ProvenanceOptions,
): Promise<EvaluationProvenance> {
  const { manifest, file } = loaded;
  const files = [];
  for (const path of options.dataFiles) {
    const full = resolve(options.cwd, path);
    const where = { file, field: "evaluation.data" };
    files.push({ path, sha256: await sha256File(full, where), bytes: (await stat(full)).size });
  }
  const model = options.modelPath
    ? readOnnxMetadata(await readFile(options.modelPath), { file, field: "artefact.path" })
    : null;
  const p = manifest.provenance;
  return {
    evaluationData: { files },
    model,
    runtime: {
      gauntlet: GAUNTLET_VERSION,
      node: process.version,
      onnxruntime: options.modelPath ? onnxruntimeVersion() : null,
    },
    trainingData: await trainingData(loaded, options.cwd),
    code: p && (p.code || p.commit) ? { path: p.code ?? null, commit: p.commit ?? null } : null,
    params: p?.params ?? null,
  };
}

async function trainingData(
  loaded: LoadedManifest,
  cwd: string,
): Promise<EvaluationProvenance["trainingData"]> {
  const data = loaded.manifest.provenance?.["training-data"];
  if (!data) return null;
  const location = data.path ?? data.uri ?? "unnamed";
  const sha256 = data.sha256 ?? null;
  const not = (reason: string) => ({ location, sha256, verified: "not verified" as const, reason });
  if (sha256 === null) return not("the manifest records no sha256 for it");
  if (data.path === undefined)
    return not(`${location} is kept outside the repository, where the run cannot read it`);
  if (!existsSync(resolve(cwd, data.path))) return not(`${data.path} is not in the workspace of this run`);
  const where = { file: loaded.file, field: "provenance.training-data.sha256" };
  const full = await resolveInside(cwd, data.path, {
    file: loaded.file,
    field: "provenance.training-data.path",
  });
  await verifyArtefact(full, sha256, where);
  return { location, sha256, verified: "verified", reason: `${data.path} was hashed and matches` };
}
