import { describe, expect, it } from "vitest";
import { BooleanKeys, leavesWithBooleans } from "./boolean-keys.js";

/** The scan of `text` cut into reads of `size` bytes. */
function scan(text: string, size: number): ReadonlySet<string> | undefined {
  const keys = new BooleanKeys();
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += size) keys.add(bytes.subarray(i, i + size));
  keys.end();
  return keys.keys();
}

describe("BooleanKeys", () => {
  const log = [
    '{"id":"true","inputs":{"age":31,"flag" : false,"note":"is true: yes"},"ok":true}',
    '{"id":"r2","inputs":{"age":true},"tags":[true,false],"s":"false"}',
    '{"id":"r3","inputs":{"age":2}, "late" :\ttrue}',
  ].join("\n");

  it.each([1, 2, 5, 17, 1024])("finds the keys holding a literal, in reads of %i bytes", (size) => {
    expect(scan(log, size)).toEqual(new Set(["flag", "ok", "age", "late"]));
  });

  it("finds none in a log without literals, nor in strings and arrays", () => {
    expect(scan('{"a":1,"b":"true","c":[false]}\n{"a":"x: false"}\n', 7)).toEqual(new Set());
  });

  it("cannot tell when a key before a literal has an escape", () => {
    expect(scan('{"a":1}\n{"b\\"c":true}\n', 4)).toBeUndefined();
    expect(scan('{"note":"say \\"x\\": true"}\n', 1024)).toBeUndefined();
  });

  it("finds a literal on a last line without a newline", () => {
    expect(scan('{"a":1}\n{"b":false}', 3)).toEqual(new Set(["b"]));
  });
});

describe("leavesWithBooleans", () => {
  it("names the leaves whose name is or ends with such a key; all when unknown", () => {
    const leaves = ["inputs.age", "inputs.flag", "flag", "inputs.flagged", "ok"];
    expect(leavesWithBooleans(leaves, new Set(["flag"]))).toEqual(new Set(["inputs.flag", "flag"]));
    expect(leavesWithBooleans(leaves, undefined)).toEqual(new Set(leaves));
  });
});
