import { describe, expect, it } from "vitest";
import { sliceReadColumns } from "./layer-setups.js";

describe("sliceReadColumns", () => {
  it("reads a monitored feature's slice only where drift reads the feature, nested under features", () => {
    expect(sliceReadColumns(["region"], "inputs", ["age", "region"])).toEqual(["inputs.region"]);
  });

  it("looks for any other slice both nested and at the top level", () => {
    expect(sliceReadColumns(["region", "cohort"], "inputs", ["age", "region"])).toEqual([
      "inputs.region",
      "cohort",
      "inputs.cohort",
    ]);
  });

  it("reads every slice by its own name when the logs do not nest features", () => {
    expect(sliceReadColumns(["region", "cohort"], undefined, ["region"])).toEqual(["region", "cohort"]);
  });
});
