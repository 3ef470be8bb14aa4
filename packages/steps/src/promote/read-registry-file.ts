import { resolve } from "node:path";
import { REGISTRY_FILE_SCHEMA, type RegistryFile, registryFileSchema, UserError } from "@gauntlet/core";
import { readJsonFile } from "../result-files.js";

/**
 * Reads a registry description (`gauntlet/registry@1`) for planning without the GitHub API. A
 * missing file or one that does not parse is a {@link UserError} naming the field.
 *
 * @example
 * const registry = await readRegistryFile("registry.json", cwd);
 * registry.tags; // [{ tag: "churn/v1.2.0", commit: "1a2b…" }]
 */
export async function readRegistryFile(path: string, cwd: string): Promise<RegistryFile> {
  const raw = await readJsonFile(resolve(cwd, path));
  const example = `{"schema": "${REGISTRY_FILE_SCHEMA}", "tags": [], "releases": [], "aliases": {}, "deployments": []}`;
  if (raw === undefined) {
    throw new UserError("the registry file does not exist", {
      file: path,
      fix: `check the path, or write an empty registry: ${example}`,
    });
  }
  const parsed = registryFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError(`not a gauntlet registry description: ${issue.message}`, {
      file: path,
      field: issue.path.join(".") || "schema",
      fix: `describe the registry as ${example} (tags, releases with assets, aliases and deployments)`,
    });
  }
  return parsed.data;
}
