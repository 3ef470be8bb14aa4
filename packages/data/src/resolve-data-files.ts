import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { UserError } from "@gauntlet/core";
import { glob, isDynamicPattern } from "tinyglobby";

/**
 * The data files a path or glob names, relative to `cwd` as the user wrote them, sorted by code
 * point so that every run reads them in the same order. A plain path must be an existing file; a
 * glob must match at least one file (hidden files and directories are not matched). Throws a
 * {@link UserError} otherwise.
 *
 * @example
 * await resolveDataFiles("logs/*.jsonl", "/repo"); // ["logs/2024-05-01.jsonl", "logs/2024-05-02.jsonl"]
 * await resolveDataFiles("data/eval.csv", "/repo"); // ["data/eval.csv"]
 */
export async function resolveDataFiles(pathOrGlob: string, cwd: string = process.cwd()): Promise<string[]> {
  if (!isDynamicPattern(pathOrGlob)) {
    const info = await stat(resolve(cwd, pathOrGlob)).catch(() => undefined);
    if (info === undefined) {
      throw new UserError("file not found", {
        file: pathOrGlob,
        fix: `check the path (relative paths start at ${cwd})`,
      });
    }
    if (!info.isFile()) {
      throw new UserError("is not a file", {
        file: pathOrGlob,
        fix: `give a file, or a glob such as ${pathOrGlob}/*.csv`,
      });
    }
    return [pathOrGlob];
  }
  const files = await glob(pathOrGlob, { cwd, onlyFiles: true, expandDirectories: false });
  if (files.length === 0) {
    throw new UserError("the glob matches no files", {
      file: pathOrGlob,
      fix: `check the pattern and that an earlier step created the files (globs are relative to ${cwd})`,
    });
  }
  return files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
