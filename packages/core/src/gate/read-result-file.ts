import type * as z from "zod";
import { UserError } from "../errors/user-error.js";
import { EVALUATION_SCHEMA } from "../report/evaluation-result.js";
import { VALIDATION_SCHEMA } from "../validate/validation-result.js";
import {
  type ChecksFile,
  checksFileSchema,
  type EvaluationFile,
  evaluationFileSchema,
} from "./result-files.js";

/** The result files the gate reads, by kind. */
export type ResultKind = "validation" | "evaluation" | "shadow" | "behaviour";

/**
 * The `schema` tag the gate accepts for each result file, and the action that writes it.
 *
 * @example
 * RESULT_FILES.evaluation.schema; // "gauntlet/evaluation@1"
 */
export const RESULT_FILES = {
  validation: { schema: VALIDATION_SCHEMA, action: "validate-data", file: "validation.json" },
  evaluation: { schema: EVALUATION_SCHEMA, action: "evaluate-slices", file: "evaluation.json" },
  shadow: { schema: "gauntlet/shadow@1", action: "shadow-compare", file: "shadow.json" },
  behaviour: { schema: "gauntlet/behaviour@1", action: "check-behaviour", file: "behaviour.json" },
} as const;

/** The model a result file must be about. */
export interface ExpectedModel {
  name: string;
  version: string;
}

/**
 * Checks an untrusted, parsed result file: its schema tag and version, its shape, and that it is
 * about this model version. Any mismatch is a {@link UserError} naming the file, because the
 * workflow handed the gate the wrong file (or a stale one) and no verdict can be drawn from it.
 *
 * @example
 * readResultFile("evaluation", JSON.parse(text), { name: "churn", version: "1.3.0" }, ".gauntlet/churn/evaluation.json");
 * // the parsed evaluation, or UserError ".gauntlet/churn/evaluation.json: model.version: ... Fix: re-run evaluate-slices ..."
 */
export function readResultFile(
  kind: "evaluation",
  raw: unknown,
  expected: ExpectedModel,
  file?: string,
): EvaluationFile;
export function readResultFile(
  kind: "validation" | "shadow" | "behaviour",
  raw: unknown,
  expected: ExpectedModel,
  file?: string,
): ChecksFile;
export function readResultFile(
  kind: ResultKind,
  raw: unknown,
  expected: ExpectedModel,
  file: string = RESULT_FILES[kind].file,
): EvaluationFile | ChecksFile {
  const { schema, action } = RESULT_FILES[kind];
  const rerun = `re-run ${action} for ${expected.name} ${expected.version} with this version of gauntlet`;
  const tag = typeof raw === "object" && raw !== null ? (raw as { schema?: unknown }).schema : undefined;
  if (tag !== schema) {
    throw new UserError(schemaProblem(tag, schema), { file, field: "schema", fix: rerun });
  }
  const parser: z.ZodType<EvaluationFile | ChecksFile> =
    kind === "evaluation" ? evaluationFileSchema : checksFileSchema;
  const parsed = parser.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError(`not a valid ${schema} file: ${issue.message}`, {
      file,
      field: issue.path.map(String).join(".") || "(root)",
      fix: `${rerun}; do not edit result files by hand`,
    });
  }
  const { model } = parsed.data;
  if (model.name !== expected.name) {
    throw new UserError(`this result is for model ${JSON.stringify(model.name)}, not ${expected.name}`, {
      file,
      field: "model.name",
      fix: `point release-gate at ${expected.name}'s results (<results-dir>/${expected.name}/)`,
    });
  }
  if (model.version !== expected.version) {
    throw new UserError(`this result is for ${model.name} ${model.version}, not ${expected.version}`, {
      file,
      field: "model.version",
      fix: rerun,
    });
  }
  return parsed.data;
}

function schemaProblem(tag: unknown, schema: string): string {
  const [kind, version] = schema.split("@");
  if (typeof tag !== "string") return `expected schema ${JSON.stringify(schema)}, found no schema tag`;
  const match = /^(.*)@(\d+)$/.exec(tag);
  if (!match || match[1] !== kind)
    return `expected schema ${JSON.stringify(schema)}, found ${JSON.stringify(tag)}`;
  const older = Number(match[2]) < Number(version);
  return `${tag} is ${older ? "an older" : "a newer"} schema version than this gate reads (${schema})`;
}
