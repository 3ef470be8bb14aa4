import { parse } from "yaml";

/**
 * The top-level `version:` a manifest's text declares, read without validating the rest: for
 * comparing a manifest with an older copy of itself (which may not match today's schema).
 * `undefined` when the text is not YAML, has no version, or reuses anchors beyond a small bound.
 *
 * @example
 * declaredVersion("name: churn\nversion: 1.3.0\n"); // "1.3.0"
 * declaredVersion("name: churn\n"); // undefined
 */
export function declaredVersion(text: string): string | undefined {
  let data: unknown;
  try {
    data = parse(text, { maxAliasCount: 100 });
  } catch {
    return undefined;
  }
  if (typeof data !== "object" || data === null) return undefined;
  const version = (data as { version?: unknown }).version;
  return typeof version === "string" || typeof version === "number" ? String(version) : undefined;
}
