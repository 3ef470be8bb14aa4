import { lstat } from "node:fs/promises";
import { resolve } from "node:path";
import {
  type BaselineResolution,
  type BaselineResolver,
  classifyBaselineReference,
  inputRef,
  UserError,
} from "@gauntlet/core";
import { resolveInside } from "@gauntlet/data";

/** Where {@link chooseBaseline} looks. */
export interface ChooseBaselineContext {
  cwd: string;
  model: string;
  manifestFile: string;
  /** Resolves versions and aliases (the registry in the action, nothing offline). */
  resolve: BaselineResolver;
}

/**
 * Turns `evaluation.baseline` (or its override) into a model file to score, or a note saying why
 * there is none. Paths are resolved against the workspace here, so every resolver handles only
 * versions and aliases; a path that does not exist is a {@link UserError}, because the user named
 * it.
 *
 * @example
 * await chooseBaseline("models/churn/previous.onnx", { cwd, model: "churn", manifestFile, resolve });
 * // { found: true, path: "/repo/models/churn/previous.onnx", source: { kind: "path", … } }
 * await chooseBaseline(undefined, context); // { found: false, note: "evaluation.baseline is not set" }
 */
export async function chooseBaseline(
  reference: string | undefined,
  context: ChooseBaselineContext,
): Promise<BaselineResolution> {
  if (reference === undefined || reference === "") {
    return { found: false, note: "evaluation.baseline is not set, so there is nothing to compare with" };
  }
  const parsed = classifyBaselineReference(reference);
  if (parsed.kind !== "path") {
    return context.resolve(
      { ...parsed, kind: parsed.kind },
      { name: context.model, manifestFile: context.manifestFile },
    );
  }
  const exists = await lstat(resolve(context.cwd, reference)).then(
    () => true,
    () => false,
  );
  if (!exists) {
    throw new UserError(`the baseline model ${reference} does not exist`, {
      file: context.manifestFile,
      field: "evaluation.baseline",
      fix: `point evaluation.baseline (or ${inputRef("baseline")}) at an .onnx file in the repository, a released version such as 1.2.0, or an alias such as production`,
    });
  }
  const path = await resolveInside(context.cwd, reference, {
    file: context.manifestFile,
    field: "evaluation.baseline",
  });
  return { found: true, path, source: { kind: "path", reference, path: reference } };
}

/**
 * The resolver for runs without access to the repository's releases (the CLI): versions and
 * aliases cannot be fetched, so the evaluation runs without a baseline and says how to add one.
 *
 * @example
 * await offlineBaselineResolver({ kind: "alias", reference: "production", value: "production" }, { name: "churn", manifestFile });
 * // { found: false, note: "no baseline: production is a release of churn, which cannot be fetched offline; pass --baseline <path> to compare locally" }
 */
export const offlineBaselineResolver: BaselineResolver = async (reference, model) => ({
  found: false,
  note:
    `no baseline: ${reference.reference} is ${reference.kind === "alias" ? "an alias" : "a version"} of ${model.name} ` +
    "in the repository's releases, which cannot be fetched offline; pass --baseline <path> to compare locally",
});
