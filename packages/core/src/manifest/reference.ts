import { markdownTable } from "../report/markdown-table.js";
import { manifestJsonSchema } from "./json-schema.js";

type JsonSchema = {
  type?: string | string[];
  description?: string;
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema | boolean;
  prefixItems?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
};

interface Row {
  path: string;
  type: string;
  required: boolean;
  default: unknown;
  description: string;
}

/**
 * A Markdown reference of every `model.yml` field — path, type, whether required, default and
 * description — generated from the JSON Schema, which is generated from the zod schema, so each
 * description is written once, beside its field. One table per top-level section.
 *
 * @example
 * renderManifestReference();
 * // "# model.yml reference\n...\n| `version` | text | required | Semantic version; ... |\n..."
 */
export function renderManifestReference(): string {
  const schema = manifestJsonSchema() as JsonSchema;
  const rows = fieldRows(schema, "");
  const sections = new Map<string, Row[]>();
  for (const row of rows) {
    const top = row.path.split(/[.[]/)[0]!;
    const section = schema.properties?.[top]?.properties || schema.properties?.[top]?.anyOf ? top : "";
    sections.set(section, [...(sections.get(section) ?? []), row]);
  }
  const parts = [
    "# model.yml reference",
    "",
    "Generated from the manifest schema in `packages/core`; do not edit by hand. " +
      "`<name>` stands for a key you choose; `[]` for a list item.",
  ];
  for (const [section, sectionRows] of sections) {
    const about = section ? schema.properties?.[section]?.description : schema.description;
    parts.push("", `## ${section ? `\`${section}\`` : "Top level"}`, "", ...(about ? [about, ""] : []));
    parts.push(
      markdownTable(
        ["Field", "Type", "Required", "Default", "Description"],
        sectionRows.map((row) => [
          `\`${row.path}\``,
          row.type,
          row.required ? "yes" : "no",
          row.default === undefined ? "" : `\`${JSON.stringify(row.default)}\``,
          row.description,
        ]),
        // The reference is a docs page, not a comment: never cut.
        { maxLength: Number.POSITIVE_INFINITY },
      ),
    );
  }
  return `${parts.join("\n")}\n`;
}

function fieldRows(node: JsonSchema, path: string): Row[] {
  const rows: Row[] = [];
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const childPath = path ? `${path}.${key}` : key;
    rows.push({
      path: childPath,
      type: typeText(child),
      required: (node.required ?? []).includes(key),
      default: child.default,
      description: child.description ?? "",
    });
    rows.push(...nestedRows(child, childPath));
  }
  return rows;
}

function nestedRows(node: JsonSchema, path: string): Row[] {
  if (node.properties) return fieldRows(node, path);
  if (typeof node.additionalProperties === "object")
    return nestedRows(node.additionalProperties, `${path}.<name>`);
  if (typeof node.items === "object") return nestedRows(node.items, `${path}[]`);
  const branches = (node.anyOf ?? node.oneOf ?? []).filter(
    (b) => b.properties || b.items || b.additionalProperties,
  );
  const perBranch = branches.map((branch) => ({
    when: discriminator(branch),
    rows: nestedRows(branch, path),
  }));
  // Branches told apart by a constant field (`type: number`) qualify the fields only some have.
  const qualified = perBranch.every((branch) => branch.when !== undefined);
  const merged = new Map<string, { row: Row; types: string[]; in: string[] }>();
  for (const { when, rows } of perBranch) {
    for (const row of rows) {
      const seen = merged.get(row.path) ?? { row, types: [], in: [] };
      merged.set(row.path, seen);
      if (!seen.types.includes(row.type)) seen.types.push(row.type);
      if (when) seen.in.push(when);
    }
  }
  return [...merged.values()].map(({ row, types, in: when }) => ({
    ...row,
    type: types.join(" or "),
    description:
      qualified && when.length < perBranch.length
        ? `${row.description} (only with ${when.join(", ")})`.trim()
        : row.description,
  }));
}

/** `type: number` for a union branch told apart by a constant field. */
function discriminator(branch: JsonSchema): string | undefined {
  const entry = Object.entries(branch.properties ?? {}).find(([, p]) => p.const !== undefined);
  return entry ? `${entry[0]}: ${String(entry[1].const)}` : undefined;
}

function typeText(node: JsonSchema): string {
  const branches = node.anyOf ?? node.oneOf;
  if (branches) return [...new Set(branches.map(typeText))].join(" or ");
  if (node.const !== undefined) return `\`${String(node.const)}\``;
  if (node.enum) return node.enum.map((v) => `\`${String(v)}\``).join(" or ");
  if (Array.isArray(node.type)) return node.type.map((type) => typeText({ type })).join(" or ");
  switch (node.type) {
    case "string":
      return "text";
    case "null":
      return "`null`";
    case "number":
    case "integer":
      return `${node.type}${rangeText(node)}`;
    case "array":
      if (node.prefixItems) return `[${node.prefixItems.map(typeText).join(", ")}]`;
      return `list of ${typeof node.items === "object" ? typeText(node.items) : "values"}`;
    case "object":
      return typeof node.additionalProperties === "object"
        ? `mapping of \`<name>\` to ${typeText(node.additionalProperties)}`
        : "mapping";
    default:
      return node.type ?? "any";
  }
}

function rangeText(node: JsonSchema): string {
  // zod bounds integers to the safe range; that is not a limit worth printing.
  const bound = (value: number | undefined) =>
    value !== undefined && Math.abs(value) < Number.MAX_SAFE_INTEGER ? value : undefined;
  const low = bound(node.minimum ?? node.exclusiveMinimum);
  const high = bound(node.maximum ?? node.exclusiveMaximum);
  if (low !== undefined && high !== undefined) return ` in [${low}, ${high}]`;
  if (low !== undefined) return node.exclusiveMinimum !== undefined ? ` > ${low}` : ` ≥ ${low}`;
  if (high !== undefined) return ` ≤ ${high}`;
  return "";
}
