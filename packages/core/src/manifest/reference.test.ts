import { describe, expect, it } from "vitest";
import { renderManifestReference } from "./reference.js";

describe("renderManifestReference", () => {
  const reference = renderManifestReference();

  it("has a section per top-level block and a row per field, with defaults and descriptions", () => {
    for (const section of ["artefact", "provenance", "data", "evaluation", "gate", "shadow", "monitoring"]) {
      expect(reference).toContain(`## \`${section}\``);
    }
    expect(reference).toContain(
      "| `evaluation.min-slice-size` | integer ≥ 1 | no | `30` | Smaller slices are reported as suppressed, never with their metrics. |",
    );
    expect(reference).toContain("| `limitations` | list of text | no | `[]` |");
    expect(reference).toMatch(
      /\| `data\.columns\.<name>\.max-age` \| text \| no \| \| .* \(only with type: timestamp\) \|/,
    );
    expect(reference).toContain("| `gate.rules[].vs` | `baseline` | yes |");
  });

  it("keeps every table row intact (pipes in text are escaped)", () => {
    const rows = reference.split("\n").filter((line) => line.startsWith("| `"));
    expect(rows.length).toBeGreaterThan(80);
    for (const row of rows) expect(row.replace(/\\\|/g, "").split("|")).toHaveLength(7);
  });
});
