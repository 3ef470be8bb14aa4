import { isUserError } from "@gauntlet/core";
import { describe, expect, it } from "vitest";
import { shardMode } from "./shard-inputs.js";

describe("shardMode", () => {
  it("parses a shard and leaves merge off", () => {
    expect(shardMode({ shard: "2/4", merge: false })).toEqual({
      shard: { index: 2, count: 4 },
      merge: false,
    });
    expect(shardMode({ merge: true })).toEqual({ shard: undefined, merge: true });
  });

  it("refuses a shard and merge together, and a shard out of range", () => {
    for (const inputs of [
      { shard: "1/2", merge: true },
      { shard: "4/3", merge: false },
    ]) {
      let error: unknown;
      try {
        shardMode(inputs);
      } catch (caught) {
        error = caught;
      }
      expect(isUserError(error)).toBe(true);
      expect((error as Error).message).toContain("input 'shard'");
    }
  });
});
