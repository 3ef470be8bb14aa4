import { describe, expect, it } from "vitest";
import { sliceReadColumns } from "./layer-setups.js";

describe("sliceReadColumns", () => {
  it("reads a monitored feature's slice only where drift reads the feature, nested under features", () => {
    expect(sliceReadColumns(["region"], "inputs", ["age", "region"])).toEqual({
      columns: ["inputs.region"],
      fallbacks: {},
    });
  });

  it("reads any other slice nested, else at the top level", () => {
    expect(sliceReadColumns(["region", "cohort"], "inputs", ["age", "region"])).toEqual({
      columns: ["inputs.region", "inputs.cohort"],
      fallbacks: { "inputs.cohort": "cohort" },
    });
  });

  it("reads every slice by its own name when the logs do not nest features", () => {
    expect(sliceReadColumns(["region", "cohort"], undefined, ["region"])).toEqual({
      columns: ["region", "cohort"],
      fallbacks: {},
    });
  });
});
