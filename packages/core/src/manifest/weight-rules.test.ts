import { describe, expect, it } from "vitest";
import { EXAMPLE_MANIFEST_YAML } from "./example.js";
import { manifestProblem } from "./manifest-problem.test-helper.js";
import { parseManifest } from "./parse-manifest.js";

// evaluation.weight names a column that only weighs rows: one error when it is also another role.

const FILE = "models/churn/model.yml";

// device_os is sliced by but not a model input.
const withWeight = (column: string) =>
  EXAMPLE_MANIFEST_YAML.replace("    - [region, plan]\n", "    - [region, plan]\n    - device_os\n").replace(
    "  min-slice-size: 30\n",
    `  min-slice-size: 30\n  weight: ${column}\n`,
  );

const problem = (text: string) => manifestProblem(text, FILE);

describe("evaluation.weight rules", () => {
  it("accepts a column with no other role", () => {
    expect(parseManifest(withWeight("sample_weight"), FILE).evaluation?.weight).toBe("sample_weight");
  });

  it("leaves the weight unset by default", () => {
    expect(parseManifest(EXAMPLE_MANIFEST_YAML, FILE).evaluation?.weight).toBeUndefined();
  });

  it.each([
    ["churned", "the label"],
    ["tenure_months", "a model input"],
    ["customer_id", "the key"],
    ["device_os", "a slice column"],
  ])("refuses %s, which is also %s", (column, role) => {
    const message = problem(withWeight(column));
    expect(message).toContain("evaluation.weight");
    expect(message).toContain(`${column} is also ${role}`);
  });
});
