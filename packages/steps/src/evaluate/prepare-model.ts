import { isUserError, type Manifest, UserError } from "@gauntlet/core";
import {
  type ColumnKinds,
  checkSignature,
  loadModel,
  type ScoringModel,
  type SignatureMapping,
  sha256File,
  verifyArtefact,
} from "@gauntlet/model";

/** A model ready to score the evaluation data, and its hash. */
export interface PreparedModel {
  model: ScoringModel;
  mapping: SignatureMapping;
  sha256: string;
  /** How messages name it: `the candidate` or `the baseline (…)`. */
  label: string;
}

/** What {@link prepareModel} needs to know. */
export interface PrepareOptions {
  manifestFile: string;
  artefact: Manifest["artefact"];
  /**
   * Column kinds of the evaluation data, so a missing or mistyped input column fails before
   * scoring; or a function that learns them once the model is loaded, when the model's own input
   * names (`inputs: auto`) decide which columns are read.
   */
  columns: ColumnKinds | ((model: ScoringModel) => Promise<ColumnKinds>);
  /** The candidate's hash is verified against `artefact.sha256`; a baseline's is only recorded. */
  verify: boolean;
  /** A baseline's own description, e.g. `churn v1.2.0 (alias production)`; absent for the candidate. */
  baseline?: string;
}

/**
 * Verifies (candidate), loads and checks a model against the manifest's `artefact:` mapping. A
 * baseline is held to the same mapping: a baseline whose inputs or outputs differ is a
 * {@link UserError} that says it is about the baseline and how to compare anyway.
 *
 * @example
 * const candidate = await prepareModel("/repo/models/churn/model.onnx", { manifestFile, artefact, columns, verify: true });
 * candidate.sha256; // "9f86d0…"
 */
export async function prepareModel(path: string, options: PrepareOptions): Promise<PreparedModel> {
  const where = {
    file: options.manifestFile,
    field: options.baseline ? "evaluation.baseline" : "artefact.sha256",
  };
  try {
    const sha256 =
      options.verify && options.artefact.sha256
        ? await verifyArtefact(path, options.artefact.sha256, where)
        : await sha256File(path, where);
    const model = await loadModel(path, { manifestFile: options.manifestFile });
    const columns = typeof options.columns === "function" ? await options.columns(model) : options.columns;
    const mapping = checkSignature(model, options.artefact, { columns });
    return {
      model,
      mapping,
      sha256,
      label: options.baseline
        ? `the baseline ${options.baseline}`
        : `the candidate (${options.artefact.path ?? path})`,
    };
  } catch (error) {
    if (!options.baseline || !isUserError(error)) throw error;
    throw new UserError(`the baseline ${options.baseline}: ${error.problem}`, {
      file: options.manifestFile,
      field: "evaluation.baseline",
      fix:
        "the baseline is scored with this manifest's artefact mapping; compare against a baseline with the same " +
        `inputs and outputs, or pass another baseline (${error.fix ?? "see the problem above"})`,
    });
  }
}
