import { describe, expect, it } from "vitest";
import { dottedNameFix, nestedUnder, nestingObject } from "./nested-columns.js";

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

describe("dottedNameFix", () => {
  it("names the dotted column a nested object or a nested field became", () => {
    const columns = ["id", "inputs.age", "inputs.plan", "label.value", "label.source"];
    expect(dottedNameFix("label", columns)).toBe(
      '"label" is a nested object in the data, read as label.value, label.source: name the value by its dotted name, e.g. label.value',
    );
    expect(dottedNameFix("age", columns)).toBe(
      'the data nests it as "inputs.age" (nested JSON is read as dotted names): write inputs.age',
    );
    expect(dottedNameFix("tenure", columns)).toBeUndefined();
  });
});
