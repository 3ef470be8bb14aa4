import { isUserError, PROFILE_SCHEMA } from "@gauntlet/core";
import { describe, expect, it } from "vitest";
import { parseProfile } from "./parse-profile.js";

const profile = (labelledScores: unknown) => ({
  schema: PROFILE_SCHEMA,
  rows: 3,
  chunkRows: 3,
  columns: {},
  calibration: { label: "y", positive: "1", rows: 3, bins: [], labelledScores },
});

describe("parseProfile: calibration.labelledScores", () => {
  it("accepts well-formed counts, and profiles without them", () => {
    const ok = profile({ bins: 4096, counts: [409, 1, 1, 3686, 0, 1] });
    expect(parseProfile(ok, "profile.json")).toEqual(ok);
    const older = { ...profile(undefined), calibration: { label: "y", positive: "1", rows: 0, bins: [] } };
    expect(parseProfile(older, "profile.json")).toEqual(older);
  });

  it.each([
    ["a bin outside the grid", { bins: 16, counts: [16, 1, 1] }],
    ["bins out of order", { bins: 16, counts: [5, 1, 1, 4, 1, 1] }],
    ["a negative count", { bins: 16, counts: [5, -1, 1] }],
    ["a fractional count", { bins: 16, counts: [5, 0.5, 1] }],
    ["a ragged list", { bins: 16, counts: [5, 1] }],
    ["no grid size", { counts: [5, 1, 1] }],
  ])("refuses %s with one error naming the file and field", (_, labelledScores) => {
    let error: unknown;
    try {
      parseProfile(profile(labelledScores), "profile.json of release churn/v1.2.0");
    } catch (e) {
      error = e;
    }
    expect(isUserError(error)).toBe(true);
    expect(error).toMatchObject({
      file: "profile.json of release churn/v1.2.0",
      field: "calibration.labelledScores",
    });
  });
});
