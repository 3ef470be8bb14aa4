import { lstat, readFile, stat } from "node:fs/promises";
import { relative, resolve } from "node:path";
import {
  inputRef,
  MAX_MANIFEST_BYTES,
  type Manifest,
  manifestTooLarge,
  parseManifest,
  UserError,
} from "@gauntlet/core";
import { globInside, resolveInside } from "@gauntlet/data";

/** A manifest and where it came from. */
export interface LoadedManifest {
  /** Path as shown to users: relative to the workspace. */
  file: string;
  manifest: Manifest;
}

/**
 * Resolves the `manifest` input — one path, or a glob such as `models/*\/model.yml` — to the
 * manifest files it names, sorted. Nothing matching, or a glob reaching outside the workspace
 * `cwd`, is a `UserError`.
 *
 * @example
 * await resolveManifestPaths("models/*\/model.yml", "/repo"); // ["models/churn/model.yml", "models/fraud/model.yml"]
 */
export async function resolveManifestPaths(pattern: string, cwd: string): Promise<string[]> {
  const isGlob = /[*?[\]{}]/.test(pattern);
  if (!isGlob) return [pattern];
  const files = (await globInside(pattern, cwd, { field: "manifest" })).map((file) => file.display);
  if (files.length === 0) {
    throw new UserError(`no manifest matches '${pattern}'`, {
      field: "manifest",
      fix: `point ${inputRef("manifest")} at models/<name>/model.yml or a glob that matches one`,
    });
  }
  return files;
}

/**
 * Reads and validates one manifest. A missing or unreadable file, a path outside the workspace
 * `cwd` (see `resolveInside`), a file over 1 MiB (checked before reading it), bad YAML or a
 * schema violation is one `UserError` naming the file and field.
 *
 * @example
 * const { manifest } = await loadManifest("models/churn/model.yml", "/repo");
 * manifest.name; // "churn"
 */
export async function loadManifest(path: string, cwd: string): Promise<LoadedManifest> {
  const full = resolve(cwd, path);
  const file = relative(cwd, full) || path;
  if ((await lstat(full).catch(() => undefined)) === undefined) {
    throw new UserError("the manifest does not exist", {
      file,
      fix: `check ${inputRef("manifest")}: it is a path relative to the repository root, e.g. models/churn/model.yml`,
    });
  }
  const real = await resolveInside(cwd, path, { field: "manifest" });
  const { size } = await stat(real);
  if (size > MAX_MANIFEST_BYTES) throw manifestTooLarge(file, size, "bytes");
  let text: string;
  try {
    text = await readFile(real, "utf8");
  } catch (error) {
    throw new UserError(`cannot read the manifest (${(error as NodeJS.ErrnoException).code})`, {
      file,
      fix: `check ${inputRef("manifest")}: it is a path relative to the repository root, e.g. models/churn/model.yml`,
    });
  }
  return { file, manifest: parseManifest(text, file) };
}
