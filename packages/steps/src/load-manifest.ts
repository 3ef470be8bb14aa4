import { lstat, readFile, stat } from "node:fs/promises";
import { basename, dirname, relative, resolve } from "node:path";
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
 * Whether the `manifest` input is a glob (`models/*\/model.yml`), which runs every model it
 * matches and lets a step skip the models without its section, rather than one path, which names
 * a model that must have it.
 *
 * @example
 * isManifestGlob("models/*\/model.yml"); // true
 * isManifestGlob("models/churn/model.yml"); // false
 */
export function isManifestGlob(pattern: string): boolean {
  return /[*?[\]{}]/.test(pattern);
}

/**
 * Resolves the `manifest` input — one path, or a glob such as `models/*\/model.yml` — to the
 * manifest files it names, sorted. Nothing matching, a glob reaching outside the workspace
 * `cwd`, or two manifests in one folder (or in folders of one name) is a `UserError`: a model's folder is its name (see
 * {@link loadManifest}), so two manifests there would be two models of one name, and the later
 * one's results would overwrite the earlier one's.
 *
 * @example
 * await resolveManifestPaths("models/*\/model.yml", "/repo"); // ["models/churn/model.yml", "models/fraud/model.yml"]
 */
export async function resolveManifestPaths(pattern: string, cwd: string): Promise<string[]> {
  if (!isManifestGlob(pattern)) return [pattern];
  const files = (await globInside(pattern, cwd, { field: "manifest" })).map((file) => file.display);
  if (files.length === 0) {
    throw new UserError(`no manifest matches '${pattern}'`, {
      field: "manifest",
      fix: `point ${inputRef("manifest")} at models/<name>/model.yml or a glob that matches one`,
    });
  }
  // Grouped by the folder's name, not its path: a/churn and b/churn would both be model churn.
  const byFolder = new Map<string, string[]>();
  for (const file of files) {
    const folder = basename(dirname(file));
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), file]);
  }
  for (const together of byFolder.values()) {
    if (together.length < 2) continue;
    const folder = dirname(together[0]!);
    throw new UserError(
      `'${pattern}' matches ${together.length} manifests in folders of one name (${together.join(", ")}); ` +
        "a model's folder is its name, so they would be models of the same name, and the later one's results would overwrite the earlier one's",
      {
        field: "manifest",
        fix: `keep one manifest per model in models/<name>/model.yml (move or remove the extra ones in ${folder === "." ? "the repository root" : `${folder}/`}), or narrow the glob`,
      },
    );
  }
  return files;
}

/**
 * Reads and validates one manifest. A missing or unreadable file, a path outside the workspace
 * `cwd` (see `resolveInside`), a file over 1 MiB (checked before reading it), bad YAML or a
 * schema violation is one `UserError` naming the file and field. So is a `name` that differs
 * from the manifest's folder: `models/<name>/model.yml` is how every step, the registry and the
 * example workflows (a rollback builds the path from the name) find a model, so they must agree.
 * A manifest at the workspace root has no folder to agree with.
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
  const manifest = parseManifest(text, file);
  const folder = basename(dirname(file));
  if (dirname(file) !== "." && folder !== manifest.name) {
    throw new UserError(`the model's name '${manifest.name}' differs from its folder '${folder}'`, {
      file,
      field: "name",
      fix: `a model lives in models/<name>/model.yml: set name: ${folder}, or move the manifest to ${dirname(dirname(file)) === "." ? "" : `${dirname(dirname(file))}/`}${manifest.name}/${basename(file)}`,
    });
  }
  return { file, manifest };
}
