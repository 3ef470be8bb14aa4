import type { Stats } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { UserError, type UserErrorLocation } from "@gauntlet/core";

/**
 * The real path of `path` (relative to `root`, or absolute) once it is known to be a regular file
 * inside the workspace `root`. Every path that comes from a manifest or an input goes through
 * here, so that a pull request cannot make gauntlet read, hash or report on a file outside the
 * checkout. Each of these is a {@link UserError} naming the path and where it was given (`where`:
 * the manifest and field, or the input):
 * - a path that leaves `root` as written (`../secrets.csv`, `/etc/passwd`);
 * - a symbolic link, or a path through a linked folder, whose target is outside `root`;
 * - a path that does not exist (or a link whose target does not);
 * - anything that is not a regular file: a folder, a device such as `/dev/urandom`, a FIFO or a
 *   socket (reading one would hang or never end).
 *
 * An absolute path is accepted when it lies inside `root`, because workflows often write
 * `${{ github.workspace }}/data/eval.csv`.
 *
 * @example
 * await resolveInside("/repo", "data/eval.csv", { file: "models/churn/model.yml", field: "evaluation.data" });
 * // "/repo/data/eval.csv"
 * await resolveInside("/repo", "../etc/passwd", { file: "models/churn/model.yml", field: "evaluation.data" });
 * // throws: models/churn/model.yml: evaluation.data: "../etc/passwd" is outside the workspace. Fix: ...
 */
export async function resolveInside(
  root: string,
  path: string,
  where: UserErrorLocation = {},
): Promise<string> {
  const base = resolve(root);
  const full = resolve(base, path);
  const realRoot = await realpath(base).catch(() => base);
  if (!isWithin(base, full) && !isWithin(realRoot, full)) {
    throw refusal(`"${path}" is outside the workspace`, path, where, insideFix(base));
  }
  let real: string;
  try {
    real = await realpath(full);
  } catch (error) {
    throw unreadable(error, path, where, base);
  }
  if (!isWithin(realRoot, real)) {
    throw refusal(
      `"${path}" is a symbolic link (or passes through one) that leads outside the workspace`,
      path,
      where,
      `commit the file itself instead of a link to it; ${insideFix(base)}`,
    );
  }
  const info = await stat(real).catch((error: unknown) => {
    throw unreadable(error, path, where, base);
  });
  if (!info.isFile()) {
    throw refusal(
      `"${path}" is ${nonFileKind(info)}, not a regular file`,
      path,
      where,
      nonFileFix(info, path),
    );
  }
  return real;
}

/**
 * True when `path` is `root` itself or lies under it (both absolute and normalised).
 *
 * @example
 * isWithin("/repo", "/repo/data/a.csv"); // true
 * isWithin("/repo", "/repo-old/a.csv"); // false
 */
export function isWithin(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!isAbsolute(rel) && rel !== ".." && !rel.startsWith(`..${sep}`));
}

function refusal(problem: string, path: string, where: UserErrorLocation, fix: string): UserError {
  return new UserError(problem, { ...where, file: where.file ?? path, fix });
}

function insideFix(base: string): string {
  return `give a path inside the workspace (${base}), relative to the repository root, without ..`;
}

function unreadable(error: unknown, path: string, where: UserErrorLocation, base: string): UserError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT" || code === "ENOTDIR") {
    return refusal(
      where.file === undefined ? "file not found" : `"${path}" does not exist`,
      path,
      where,
      `check the path (relative paths start at ${base}) and that an earlier step created the file`,
    );
  }
  if (code === "ELOOP") {
    return refusal(
      `"${path}" is a symbolic link that points to itself`,
      path,
      where,
      "commit the file itself",
    );
  }
  if (code === "EACCES") {
    return refusal(`"${path}" cannot be read (permission denied)`, path, where, "make the file readable");
  }
  return refusal(`"${path}" cannot be read (${code ?? String(error)})`, path, where, "check the path");
}

function nonFileKind(info: Stats): string {
  if (info.isDirectory()) return "a folder";
  if (info.isFIFO()) return "a named pipe (FIFO)";
  if (info.isCharacterDevice() || info.isBlockDevice()) return "a device";
  if (info.isSocket()) return "a socket";
  return "not a file";
}

function nonFileFix(info: Stats, path: string): string {
  if (info.isDirectory()) return `give a file, or a glob such as ${path.replace(/\/+$/, "")}/*.csv`;
  return "give a regular file committed to the repository; gauntlet does not read devices, pipes or sockets";
}
