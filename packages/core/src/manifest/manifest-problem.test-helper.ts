import { parseManifest } from "./parse-manifest.js";

/**
 * The message `parseManifest` refuses a manifest with, or `""` when it accepts it: what the
 * manifest rule tests compare.
 *
 * @example
 * manifestProblem("name: churn\n", "models/churn/model.yml"); // "models/churn/model.yml: 3 problems:\n- …"
 */
export function manifestProblem(text: string, file: string): string {
  try {
    parseManifest(text, file);
  } catch (error) {
    return String((error as Error).message);
  }
  return "";
}
