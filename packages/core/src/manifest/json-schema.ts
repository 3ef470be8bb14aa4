import * as z from "zod";
import { manifestSchema } from "./schema.js";

/**
 * The JSON Schema (draft 2020-12) of `model.yml`, generated from {@link manifestSchema} for
 * editors (YAML language servers read it via `# yaml-language-server: $schema=...`). It describes
 * the input as written, so fields with defaults are optional and show their default. Rules between
 * fields (see `manifestRules`) are not expressible in it; `parseManifest` remains the authority.
 *
 * @example
 * const schema = manifestJsonSchema();
 * schema.$schema; // "https://json-schema.org/draft/2020-12/schema"
 */
export function manifestJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(manifestSchema, { target: "draft-2020-12", io: "input" }),
    title: "gauntlet model manifest (models/<name>/model.yml)",
  };
}
