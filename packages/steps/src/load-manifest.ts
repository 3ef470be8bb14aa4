import { readFile } from "node:fs/promises";
import { isAbsolute, relative, resolve } from "node:path";
import { type Manifest, parseManifest, UserError } from "@gauntlet/core";
import { glob } from "tinyglobby";

/** A manifest and where it came from. */
export interface LoadedManifest {
  /** Path as shown to users: relative to the workspace. */
  file: string;
  manifest: Manifest;
}

/**
 * Resolves the `manifest` input — one path, or a glob such as `models/*\/model.yml` — to the
 * manifest files it names, sorted. Nothing matching is a `UserError`.
 *
 * @example
 * await resolveManifestPaths("models/*\/model.yml", "/repo"); // ["models/churn/model.yml", "models/fraud/model.yml"]
 */
export async function resolveManifestPaths(pattern: string, cwd: string): Promise<string[]> {
  const isGlob = /[*?[\]{}]/.test(pattern);
  if (!isGlob) return [pattern];
  const files = (await glob(pattern, { cwd, onlyFiles: true })).sort();
  if (files.length === 0) {
    throw new UserError(`no manifest matches '${pattern}'`, {
      field: "manifest",
      fix: "point the manifest input at models/<name>/model.yml or a glob that matches one",
    });
  }
  return files;
}

/**
 * Reads and validates one manifest. A missing or unreadable file, bad YAML or a schema violation
 * is one `UserError` naming the file and field.
 *
 * @example
 * const { manifest } = await loadManifest("models/churn/model.yml", "/repo");
 * manifest.name; // "churn"
 */
export async function loadManifest(path: string, cwd: string): Promise<LoadedManifest> {
  const full = isAbsolute(path) ? path : resolve(cwd, path);
  const file = relative(cwd, full) || path;
  let text: string;
  try {
    text = await readFile(full, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem = code === "ENOENT" ? "the manifest does not exist" : `cannot read the manifest (${code})`;
    throw new UserError(problem, {
      file,
      fix: "check the manifest input: it is a path relative to the repository root, e.g. models/churn/model.yml",
    });
  }
  return { file, manifest: parseManifest(text, file) };
}
