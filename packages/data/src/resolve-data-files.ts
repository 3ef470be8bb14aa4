import { resolve } from "node:path";
import { UserError, type UserErrorLocation } from "@gauntlet/core";
import { glob, isDynamicPattern } from "tinyglobby";
import { isWithin, resolveInside } from "./resolve-inside.js";

/**
 * One data file a path or glob names.
 *
 * @example
 * const file: DataFile = { display: "logs/2024-05-01.jsonl", path: "/repo/logs/2024-05-01.jsonl" };
 */
export interface DataFile {
  /** As the user wrote it, or as the glob matched it (relative to the workspace). */
  display: string;
  /** Real absolute path, checked by {@link resolveInside}: a regular file inside the workspace. */
  path: string;
}

/**
 * The data files a path or glob names, relative to `cwd` (the workspace) as the user wrote them,
 * sorted by code point so that every run reads them in the same order. A plain path must be a
 * regular file inside the workspace; a glob must match at least one file (hidden files and
 * directories, and symbolic links, are not matched), may not climb out of the workspace
 * (`../*.csv`, `/etc/*`), and each file it matches is checked like a plain path. Throws a {@link UserError} naming the path and `where` otherwise.
 *
 * @example
 * await resolveDataFiles("logs/*.jsonl", "/repo"); // ["logs/2024-05-01.jsonl", "logs/2024-05-02.jsonl"]
 * await resolveDataFiles("data/eval.csv", "/repo"); // ["data/eval.csv"]
 */
export async function resolveDataFiles(
  pathOrGlob: string,
  cwd: string = process.cwd(),
  where: UserErrorLocation = {},
): Promise<string[]> {
  return (await resolveDataPaths(pathOrGlob, cwd, where)).map((file) => file.display);
}

/**
 * {@link resolveDataFiles} with the checked real path of each file beside its display path.
 *
 * @example
 * await resolveDataPaths("data/eval.csv", "/repo"); // [{ display: "data/eval.csv", path: "/repo/data/eval.csv" }]
 */
export async function resolveDataPaths(
  pathOrGlob: string,
  cwd: string = process.cwd(),
  where: UserErrorLocation = {},
): Promise<DataFile[]> {
  if (!isDynamicPattern(pathOrGlob)) {
    return [{ display: pathOrGlob, path: await resolveInside(cwd, pathOrGlob, where) }];
  }
  const files = await globInside(pathOrGlob, cwd, where);
  if (files.length === 0) {
    throw new UserError("the glob matches no files", {
      ...where,
      file: where.file ?? pathOrGlob,
      fix: `check the pattern and that an earlier step created the files (globs are relative to ${cwd})`,
    });
  }
  return files;
}

/**
 * The regular files a glob matches inside the workspace `cwd`, sorted by code point, each checked
 * by {@link resolveInside}; possibly none. A glob that climbs out of the workspace (`../*.csv`,
 * `/etc/*`) is refused before anything is listed. Symbolic links are neither matched nor walked
 * into; a glob whose fixed part is itself a link leading outside (`linked/*.csv`) is refused at
 * its first match.
 *
 * @example
 * await globInside("models/*\/model.yml", "/repo", { field: "manifest" });
 * // [{ display: "models/churn/model.yml", path: "/repo/models/churn/model.yml" }]
 */
export async function globInside(
  pattern: string,
  cwd: string,
  where: UserErrorLocation = {},
): Promise<DataFile[]> {
  refuseGlobOutside(pattern, cwd, where);
  const matches = await matchFiles(pattern, cwd);
  matches.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const files: DataFile[] = [];
  for (const display of matches) files.push({ display, path: await resolveInside(cwd, display, where) });
  return files;
}

/**
 * Regular files a glob matches, unsorted. Symbolic links are not followed and never match: a
 * committed `logs -> /` would otherwise have `logs/**` walk the whole disk, and a linked file may
 * lead anywhere. (A link named as a plain path is still read when it stays inside the workspace.)
 */
async function matchFiles(pattern: string, cwd: string): Promise<string[]> {
  return glob(pattern, { cwd, onlyFiles: true, expandDirectories: false, followSymbolicLinks: false });
}

/** A glob's fixed part must stay inside the workspace, and its pattern part may not climb with `..`. */
function refuseGlobOutside(pattern: string, cwd: string, where: UserErrorLocation): void {
  const segments = pattern.split("/");
  const firstDynamic = segments.findIndex((segment) => isDynamicPattern(segment));
  const base = resolve(cwd, segments.slice(0, firstDynamic).join("/") || ".");
  const climbs = segments.slice(firstDynamic).some((segment) => segment === "..");
  if (!isWithin(resolve(cwd), base) || climbs) {
    throw new UserError(`the glob "${pattern}" reaches outside the workspace`, {
      ...where,
      file: where.file ?? pattern,
      fix: `write the glob relative to the repository root (${cwd}) without .., e.g. logs/*.jsonl`,
    });
  }
}
