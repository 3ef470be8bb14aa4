import { describe, expect, it } from "vitest";
import { nestedUnder, nestingObject } from "./nested-columns.js";

describe("nestedUnder", () => {
  it("lists the dotted columns a nested object became, and nothing for a plain name", () => {
    const columns = ["request_id", "score.value", "score.label", "scores", "inputs.age"];
    expect(nestedUnder("score", columns)).toEqual(["score.value", "score.label"]);
    expect(nestedUnder("scor", columns)).toEqual([]);
    expect(nestedUnder("request_id", columns)).toEqual([]);
    expect(nestedUnder("score", columns, 1)).toEqual(["score.value"]);
  });
});

describe("nestingObject", () => {
  it("finds the one object that holds every wanted field", () => {
    const columns = ["request_id", "inputs.age", "inputs.region", "meta.age", "score"];
    expect(nestingObject(["age", "region"], columns)).toBe("inputs");
    expect(nestingObject(["age"], ["payload.features.age"])).toBe("payload.features");
    expect(nestingObject(["age", "plan"], columns)).toBeUndefined();
    expect(nestingObject([], columns)).toBeUndefined();
  });
});
