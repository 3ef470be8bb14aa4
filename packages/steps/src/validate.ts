import {
  createContractValidator,
  kindsFromContract,
  type Manifest,
  renderValidationSection,
  UserError,
  type ValidationResult,
} from "@gauntlet/core";
import { readTable } from "@gauntlet/data";
import type { LoadedManifest } from "./load-manifest.js";

/** What {@link validateData} needs besides the manifest. */
export interface ValidateOptions {
  /** The workspace (repository root): manifest paths are relative to it. */
  cwd: string;
  /** The data file or glob; defaults to the manifest's `evaluation.data`. */
  data?: string | undefined;
  /** The clock, for `max-age` freshness. */
  now: Date;
}

/** The outcome of one model's validation: the result file's content and its report section. */
export interface ValidateOutcome {
  manifest: Manifest;
  result: ValidationResult;
  markdown: string;
}

/**
 * Streams the data through the manifest's `data:` contract. This is `gauntlet validate` and the
 * `validate-data` action, minus publishing.
 *
 * @example
 * const { result } = await validateData(await loadManifest("models/churn/model.yml", cwd), { cwd, now: new Date() });
 * result.status; // "pass"
 */
export async function validateData(
  loaded: LoadedManifest,
  options: ValidateOptions,
): Promise<ValidateOutcome> {
  const { manifest, file } = loaded;
  const contract = manifest.data;
  if (!contract) {
    throw new UserError("there is no data contract to check", {
      file,
      field: "data",
      fix: "add a data: section (key, rows, columns with their types and limits) to the manifest",
    });
  }
  const data = options.data ?? manifest.evaluation?.data;
  if (!data) {
    throw new UserError("no data to check", {
      file,
      field: "evaluation.data",
      fix: "pass the data input (a file or glob), or set evaluation.data in the manifest",
    });
  }
  const validator = createContractValidator(contract, {
    now: options.now,
    model: { name: manifest.name, version: manifest.version },
  });
  for await (const batch of readTable(data, { cwd: options.cwd, kinds: kindsFromContract(contract) })) {
    validator.add(batch);
  }
  const result = validator.finish();
  return { manifest, result, markdown: renderValidationSection(result) };
}
