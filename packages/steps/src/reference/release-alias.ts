import { existsSync } from "node:fs";
import { resolve } from "node:path";

/**
 * Whether a reference (`monitoring.reference`, the `reference` input, `--reference`) names a
 * release alias such as `production` rather than a file: a bare lower-case name (what an alias
 * tag `<model>/<alias>` can hold) that is no file or folder in `cwd`. A file named `production`
 * in the workspace is read as the file it is.
 *
 * @example
 * isReleaseAlias("production", "/repo"); // true
 * isReleaseAlias("profile.json", "/repo"); // false: a file name
 * isReleaseAlias("reference", "/repo"); // false when /repo/reference exists
 */
export function isReleaseAlias(location: string, cwd: string): boolean {
  return /^[a-z0-9-]+$/.test(location) && !existsSync(resolve(cwd, location));
}
