import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import { UserError } from "@gauntlet/core";

/**
 * Writes the files {@link renderSite} returned under `dir` (created if needed) and returns the
 * path of its `index.html`. Paths come from `sitePathPart`, so none leaves the folder; the check
 * here says so in one place should that ever change.
 *
 * @example
 * await writeSite("demo-out/site", renderSite(snapshot)); // "demo-out/site/index.html"
 */
export async function writeSite(dir: string, files: Record<string, string>): Promise<string> {
  const root = resolve(dir);
  for (const [path, html] of Object.entries(files)) {
    const target = resolve(root, path);
    if (!target.startsWith(root + sep)) {
      throw new UserError(`the site page ${path} would be written outside the site folder`, {
        file: path,
        fix: "report this as a bug in gauntlet site: page paths are made from encoded names",
      });
    }
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, html);
  }
  return join(root, "index.html");
}
