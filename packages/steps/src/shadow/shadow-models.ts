import { type ColumnKind, inputRef, type Manifest, UserError } from "@gauntlet/core";
import { resolveInside } from "@gauntlet/data";
import {
  checkSignature,
  loadModel,
  type ScoringModel,
  type SignatureMapping,
  sha256File,
  verifyArtefact,
} from "@gauntlet/model";

/** A loaded model, checked against the manifest's mapping. */
export interface ShadowModel {
  model: ScoringModel;
  mapping: SignatureMapping;
  sha256: string;
  path: string;
}

/**
 * Loads the candidate (its SHA-256 verified against `artefact.sha256`) and, when given, the
 * champion artefact (hash recorded), and checks both against the manifest's `artefact:` mapping.
 * `kinds` are the logged columns' kinds by plain name; without them only names are checked, which
 * is how the columns to read are found before the log's kinds are known.
 *
 * @example
 * const { candidate, champion } = await loadShadowModels(manifest, { cwd, manifestFile, championPath: "models/production.onnx" });
 * candidate.mapping.inputs.flatMap((f) => f.columns); // ["tenure_months", ...]
 */
export async function loadShadowModels(
  manifest: Manifest,
  options: {
    cwd: string;
    manifestFile: string;
    championPath?: string | undefined;
    /** The input that named `championPath`, for errors (default `champion-model`). */
    championInput?: string;
    /** What errors call the second model (default `champion`). */
    championName?: string;
  },
): Promise<{ candidate: ShadowModel; champion: ShadowModel | undefined }> {
  const file = options.manifestFile;
  const championInput = options.championInput ?? "champion-model";
  if (!manifest.artefact.path) {
    throw new UserError("the artefact has no path to score", {
      file,
      field: "artefact.path",
      fix: "set artefact.path, or download the artefact named by artefact.uri to that path in an earlier step",
    });
  }
  const candidatePath = await resolveInside(options.cwd, manifest.artefact.path, {
    file,
    field: "artefact.path",
  });
  const where = { file, field: "artefact.sha256" };
  const sha256 = manifest.artefact.sha256
    ? await verifyArtefact(candidatePath, manifest.artefact.sha256, where)
    : await sha256File(candidatePath, where);
  const model = await loadModel(candidatePath, { manifestFile: file });
  const candidate = { model, mapping: checkSignature(model, manifest.artefact), sha256, path: candidatePath };
  if (!options.championPath) return { candidate, champion: undefined };
  const championPath = await resolveInside(options.cwd, options.championPath, {
    file,
    field: inputRef(championInput),
  });
  const championWhere = { file, field: championInput };
  try {
    const championModel = await loadModel(championPath, { manifestFile: file });
    return {
      candidate,
      champion: {
        model: championModel,
        mapping: checkSignature(championModel, manifest.artefact),
        sha256: await sha256File(championPath, championWhere),
        path: championPath,
      },
    };
  } catch (error) {
    await model.session.release();
    if (!(error instanceof UserError)) throw error;
    throw new UserError(
      `the ${options.championName ?? "champion"} model ${options.championPath}: ${error.problem}`,
      {
        file,
        field: championInput,
        fix: `point ${championInput} at the production .onnx file, scored with this manifest's artefact mapping (${error.fix ?? "see above"})`,
      },
    );
  }
}

/**
 * Re-checks a loaded model's mapping against the kinds the log's columns were read as, so a
 * category logged where the model takes numbers fails before scoring, naming the column.
 *
 * @example
 * recheckKinds(candidate, manifest.artefact, new Map([["age", "number"]]));
 */
export function recheckKinds(
  model: ShadowModel,
  artefact: Manifest["artefact"],
  kinds: ReadonlyMap<string, ColumnKind>,
): void {
  model.mapping = checkSignature(model.model, artefact, { columns: kinds });
}
