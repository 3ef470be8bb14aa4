import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { UserError } from "@gauntlet/core";

/** The result files of DESIGN.md, one per action, under `<results-dir>/<model>/`. */
export type ResultKind = "validation" | "evaluation" | "shadow" | "gate" | "drift" | "behaviour" | "canary";

/** Result files are read back by later steps and by the fork-publishing job, which must not trust them. */
export const MAX_RESULT_BYTES = 50 * 1024 * 1024;

/**
 * Where a result of `kind` for `model` lives; a shard writes `<kind>.part-<i>-of-<n>.json`.
 *
 * @example
 * resultPath(".gauntlet", "churn", "evaluation"); // ".gauntlet/churn/evaluation.json"
 * resultPath(".gauntlet", "churn", "evaluation", { index: 2, count: 4 });
 * // ".gauntlet/churn/evaluation.part-2-of-4.json"
 */
export function resultPath(
  resultsDir: string,
  model: string,
  kind: ResultKind,
  shard?: { index: number; count: number },
): string {
  const name = shard ? `${kind}.part-${shard.index}-of-${shard.count}.json` : `${kind}.json`;
  return join(resultsDir, model, name);
}

/**
 * Writes a result as pretty JSON and, when given, its Markdown report beside it (`<kind>.md`).
 * Returns both paths.
 *
 * @example
 * await writeResult(".gauntlet", "churn", "validation", result, markdown);
 * // { result: ".gauntlet/churn/validation.json", report: ".gauntlet/churn/validation.md" }
 */
export async function writeResult(
  resultsDir: string,
  model: string,
  kind: ResultKind,
  value: unknown,
  markdown?: string,
): Promise<{ result: string; report: string | undefined }> {
  const result = resultPath(resultsDir, model, kind);
  await mkdir(dirname(result), { recursive: true });
  await writeFile(result, `${JSON.stringify(value, null, 2)}\n`);
  let report: string | undefined;
  if (markdown !== undefined) {
    report = join(resultsDir, model, `${kind}.md`);
    await writeFile(report, markdown.endsWith("\n") ? markdown : `${markdown}\n`);
  }
  return { result, report };
}

/**
 * Reads a JSON result file written by an earlier step (or downloaded from another job), bounded
 * in size. Returns `undefined` when the file does not exist; bad JSON is a `UserError`.
 *
 * @example
 * const evaluation = await readJsonFile(".gauntlet/churn/evaluation.json");
 */
export async function readJsonFile(path: string, maxBytes = MAX_RESULT_BYTES): Promise<unknown | undefined> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    return undefined;
  }
  if (size > maxBytes) {
    throw new UserError(`the file is ${size} bytes; results are limited to ${maxBytes} bytes`, {
      file: path,
      fix: "check that this is a gauntlet result file and not data",
    });
  }
  const text = await readFile(path, "utf8");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UserError(`not valid JSON (${(error as Error).message})`, {
      file: path,
      fix: "re-run the step that writes this file; do not edit result files by hand",
    });
  }
}
