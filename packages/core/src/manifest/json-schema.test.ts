import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { EXAMPLE_MANIFEST_YAML } from "./example.js";
import { manifestJsonSchema } from "./json-schema.js";

describe("manifestJsonSchema", () => {
  const validate = new Ajv2020({ strict: false, allErrors: true }).compile(manifestJsonSchema());

  it("is draft 2020-12 and accepts the DESIGN.md example", () => {
    expect(manifestJsonSchema()["$schema"]).toBe("https://json-schema.org/draft/2020-12/schema");
    const ok = validate(parse(EXAMPLE_MANIFEST_YAML));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it("rejects unknown keys, bad enums and bad patterns as editors should", () => {
    const example = parse(EXAMPLE_MANIFEST_YAML);
    expect(validate({ ...example, colour: "red" })).toBe(false);
    expect(validate({ ...example, task: "ranking" })).toBe(false);
    expect(validate({ ...example, version: "v1" })).toBe(false);
    expect(
      validate({ ...example, data: { ...example.data, columns: { x: { type: "number", values: [1] } } } }),
    ).toBe(false);
  });

  it("documents defaults and descriptions from the zod schema", () => {
    const schema = manifestJsonSchema() as {
      properties: { evaluation: { properties: Record<string, { default?: unknown; description?: string }> } };
    };
    expect(schema.properties.evaluation.properties["min-slice-size"]?.default).toBe(30);
    expect(schema.properties.evaluation.properties["bootstrap"]?.default).toBe(1000);
    expect(schema.properties.evaluation.properties["bootstrap"]?.description).toMatch(/replicates/);
  });
});
