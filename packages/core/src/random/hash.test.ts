import { describe, expect, it } from "vitest";
import { rowIdHash } from "../bootstrap/row-hash.js";
import { FNV_OFFSET, fmix32, fnvUnits, hashString } from "./hash.js";
import { seedFromString } from "./rng.js";

describe("hashString", () => {
  it("is FNV-1a then murmur3's finaliser, the values row ids and seeds have always had", () => {
    // Fixed values: shards, bootstrap weights and fixtures depend on them staying put.
    expect(fmix32(0)).toBe(0);
    expect(fmix32(1)).toBe(1364076727);
    expect(hashString("customer-42")).toBe(2807919948);
    expect(hashString("")).toBe(fmix32(0x811c9dc5));
  });

  it("is the one hash behind row ids and string seeds", () => {
    for (const text of ["", "customer-42", "7/eval", "ü-€-𝄞"]) {
      expect(rowIdHash(text)).toBe(hashString(text));
      expect(seedFromString(text)).toBe(hashString(text));
    }
    expect(hashString("7/eval")).not.toBe(hashString("7/train"));
  });

  it("is fnvUnits from the offset basis, finalised, so a joined text hashes part by part", () => {
    for (const text of ["", "customer-42", "ü-€-𝄞"]) {
      expect(fmix32(fnvUnits(FNV_OFFSET, text))).toBe(hashString(text));
    }
    const parts = fnvUnits(fnvUnits(fnvUnits(FNV_OFFSET, "c-0042"), "\u0000"), "2025-05");
    expect(fmix32(parts)).toBe(hashString("c-0042\u00002025-05"));
    expect(fmix32(fnvUnits(FNV_OFFSET, "customer-"))).not.toBe(hashString("customer-42"));
  });
});
